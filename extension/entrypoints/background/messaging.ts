/**
 * The background's side of lib/platform/protocol.ts: checks who is asking and what, then hands the
 * request to its handler. Answers through `sendResponse` + `return true`, which every Chrome with
 * MV3 understands (a returned Promise is newer).
 */
import type { Browser, PublicPath } from 'wxt/browser';
import { PAGE_ONLY, type Request, type Responses } from '../../lib/platform/protocol.ts';


export type Handlers = {
  [T in Request['type']]: (request: Extract<Request, { type: T }>, sender: Browser.runtime.MessageSender) => Promise<Responses[T]>;
};

const TYPES: ReadonlySet<string> = new Set<Request['type']>(['snapshot', 'sync', 'refresh', 'ack', 'history', 'catalog', 'paired', 'unpaired', 'erp-hosts', 'open-panel']);

export function isRequest(message: unknown): message is Request {
  if (!message || typeof message !== 'object') return false;
  const m = message as Record<string, unknown>;
  if (typeof m.type !== 'string' || !TYPES.has(m.type)) return false;
  switch (m.type) {
    case 'refresh':
      return m.storeId === null || typeof m.storeId === 'string';
    case 'ack':
      return typeof m.alertId === 'string';
    case 'history':
      return typeof m.storeId === 'string' && typeof m.marketplaceId === 'string';
    case 'catalog':
      return m.language === 'zh-CN' || m.language === 'en';
    default:
      return true;
  }
}

/** Our own extension pages: popup, options (a content script's sender.url is the web page). */
export function isExtensionPage(sender: Browser.runtime.MessageSender, extensionOrigin: string): boolean {
  return typeof sender.url === 'string' && sender.url.startsWith(extensionOrigin);
}

export function dispatch(handlers: Handlers, request: Request, sender: Browser.runtime.MessageSender): Promise<unknown> {
  // The union narrows per case; TypeScript cannot correlate handler and request in one index.
  const handler = handlers[request.type] as (r: Request, s: Browser.runtime.MessageSender) => Promise<unknown>;
  return handler(request, sender);
}

export function listenForRequests(
  runtime: Pick<typeof Browser.runtime, 'onMessage' | 'id'> & { getURL(path: PublicPath): string },
  handlers: Handlers,
  onError: (error: unknown) => void,
): void {
  const origin = runtime.getURL('/');
  runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
    if (sender.id !== runtime.id || !isRequest(message)) return false;
    if (PAGE_ONLY.has(message.type) && !isExtensionPage(sender, origin)) return false;
    dispatch(handlers, message, sender).then(sendResponse, (error: unknown) => {
      onError(error);
      // The exception's text went to the console; the page gets a code it can word.
      sendResponse({ ok: false, error: 'extension_error' });
    });
    return true;
  });
}
