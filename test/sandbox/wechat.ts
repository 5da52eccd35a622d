/**
 * The sandbox's WeChat side: the WeCom robot, the Official Account, ServerChan and PushPlus
 * behind the same front door as the simulated Amazon. Requests are told apart by path (WeChat's
 * never collide with Amazon's); the original host matters only where the real one does
 * (ServerChan³'s `<uid>.push.ft07.com`). Every accepted message lands in the inbox, the page's
 * phone view.
 *
 * Two ways in: `handle` for requests rerouted by the relay's host map (original host in
 * `X-Forwarded-Host`), and `fetch`, a drop-in for the relay's own fetch in the workerd tests (the
 * URL is the real upstream's). Nothing here needs Node: the relay's tests load it in workerd.
 */
import { createInbox } from './inbox.ts';
import type { PhoneMessage, WechatChannel } from './inbox.ts';
import { createOfficialAccount } from './official-account.ts';
import type { OfficialAccountConfig } from './official-account.ts';
import { createRandom } from './prng.ts';
import { createPushPlus } from './pushplus.ts';
import { SERVERCHAN_PATH, createServerChan } from './serverchan.ts';
import { handleWechatControl } from './wechat-control.ts';
import type { WechatParts } from './wechat-control.ts';
import { createWecom } from './wecom.ts';

const WECHAT_HOSTS = /^(qyapi\.weixin\.qq\.com|api\.weixin\.qq\.com|mp\.weixin\.qq\.com|sctapi\.ftqq\.com|\d+\.push\.ft07\.com|www\.pushplus\.plus)$/;

export interface WechatOptions {
  /** Sends the Official Account's callback events (tests hand in a fake; default: global fetch). */
  fetch?: typeof fetch | undefined;
  /** Seeds the made-up identifiers (openids, tickets, message ids). */
  seed?: number | undefined;
  officialAccount?: Partial<OfficialAccountConfig> | undefined;
}

function forwardedHost(req: Request): string | null {
  const host = req.headers.get('x-forwarded-host');
  return host ? host.toLowerCase().replace(/:\d+$/, '') : null;
}

function isWechatPath(path: string): boolean {
  return path.startsWith('/cgi-bin/') || path === '/send' || SERVERCHAN_PATH.test(path);
}

export function createWechatSide(now: () => number, options: WechatOptions = {}) {
  const inbox = createInbox();
  const random = createRandom(options.seed ?? 1);
  const deps = { now, inbox, random };
  const wecom = createWecom(deps);
  const oa = createOfficialAccount({ ...deps, fetch: options.fetch ?? ((input, init) => fetch(input, init)), config: options.officialAccount ?? {} });
  const serverChan = createServerChan(deps);
  const pushPlus = createPushPlus(deps);
  const parts: WechatParts = { inbox, wecom, oa, serverChan, pushPlus };
  /** `host/path` of every request that came in through `fetch`, in order. */
  const requests: string[] = [];

  async function route(req: Request, url: URL, host: string | null): Promise<Response> {
    const path = url.pathname;
    if (path === '/cgi-bin/webhook/send' && req.method === 'POST') return wecom.send(req, url);
    const official = await oa.route(req, url);
    if (official) return official;
    if (path === '/send' && (req.method === 'POST' || req.method === 'GET')) return pushPlus.send(req, url);
    if (SERVERCHAN_PATH.test(path) && (req.method === 'POST' || req.method === 'GET')) return serverChan.send(req, url, host);
    return new Response(`sandbox WeChat has no route for ${req.method} ${path}`, { status: 404 });
  }

  return {
    /** Whether the request is for WeChat: its forwarded host, or with none, its path. */
    owns(req: Request): boolean {
      const host = forwardedHost(req);
      return host ? WECHAT_HOSTS.test(host) : isWechatPath(new URL(req.url).pathname);
    },

    handle(req: Request): Promise<Response> {
      return route(req, new URL(req.url), forwardedHost(req));
    },

    /** Drop-in for `fetch` on the real upstream URLs (or the relay's WECHAT_API_BASE forwarder). */
    async fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
      const req = new Request(input, init);
      const url = new URL(req.url);
      requests.push(`${url.host}${url.pathname}`);
      return route(req, url, url.hostname);
    },
    requests,

    /** `/_sandbox/messages`, `/_sandbox/wechat/...`; null for other control paths. */
    control: (req: Request, path: string): Promise<Response | null> => handleWechatControl(parts, req, path),

    /** Newest first, as the phone shows them. */
    messages: (): PhoneMessage[] => inbox.list(),
    /** One channel's messages in the order they were sent (tests read them as a log). */
    messagesTo: (channel: WechatChannel): PhoneMessage[] => inbox.list().filter((m) => m.channel === channel).sort((a, b) => a.id - b.id),

    wecom,
    oa,
    serverChan,
    pushPlus,

    view() {
      return { wecom: wecom.view(), officialAccount: oa.view(), serverChan: serverChan.view(), pushPlus: pushPlus.view() };
    },

    reset(): void {
      inbox.clear();
      wecom.reset();
      oa.reset();
      serverChan.reset();
      pushPlus.reset();
      requests.length = 0;
    },
  };
}

export type WechatSide = ReturnType<typeof createWechatSide>;
