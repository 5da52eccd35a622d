/**
 * Messages between the surfaces and the background, typed both ways. The background owns the relay
 * token and the cache writes; popup, options and panels ask it to act.
 */
import type { CacheSnapshot, HistorySeries } from '../cache/cache-db.ts';
import type { Language } from '../i18n/i18n.ts';

export type Request =
  /** Content scripts cannot open our IndexedDB (it would be the page's): they ask for a copy. */
  | { type: 'snapshot' }
  | { type: 'sync' }
  | { type: 'refresh'; storeId: string | null }
  | { type: 'ack'; alertId: string }
  | { type: 'history'; storeId: string; marketplaceId: string }
  /** The other language's words, for a content script whose language differs from the browser's. */
  | { type: 'catalog'; language: Language }
  /** From the options page only: a new pairing (sync now) or none (forget everything). */
  | { type: 'paired' }
  | { type: 'unpaired' }
  | { type: 'erp-hosts' }
  /** From the badge in a page: inject the full panel into that tab and frame. */
  | { type: 'open-panel' };

export type ActionResult = { ok: true } | { ok: false; error: string };

export interface Responses {
  snapshot: CacheSnapshot & { paired: boolean };
  sync: ActionResult;
  refresh: ActionResult;
  ack: ActionResult;
  history: HistorySeries[];
  catalog: Record<string, string>;
  paired: ActionResult;
  unpaired: ActionResult;
  'erp-hosts': ActionResult;
  'open-panel': ActionResult;
}

export type RequestOf<T extends Request['type']> = Extract<Request, { type: T }>;

/** What we need of `browser.runtime` to send. */
export interface MessageSender {
  sendMessage(message: unknown): Promise<unknown>;
}

export function ask<T extends Request['type']>(runtime: MessageSender, request: RequestOf<T>): Promise<Responses[T]> {
  return runtime.sendMessage(request) as Promise<Responses[T]>;
}

/** Requests that change pairing or permissions come from our own pages, never a content script. */
export const PAGE_ONLY: ReadonlySet<Request['type']> = new Set(['paired', 'unpaired', 'erp-hosts']);
