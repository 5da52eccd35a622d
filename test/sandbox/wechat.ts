/**
 * The sandbox's WeChat side: the simulated WeCom robot, Official Account and push services
 * (wechat-endpoints.ts) behind the same front door as the simulated Amazon, told apart by
 * `X-Forwarded-Host`. Like the real robot webhook, any well-formed key works until the control API
 * breaks it; every delivered message is kept, timed, for the phone view.
 */
import { WechatStandIn } from './wechat-endpoints.ts';

const WECHAT_HOSTS = /^(qyapi\.weixin\.qq\.com|api\.weixin\.qq\.com|mp\.weixin\.qq\.com|sctapi\.ftqq\.com|[a-z0-9-]+\.push\.ft07\.com|www\.pushplus\.plus)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PhoneMessage {
  at: number;
  channel: string;
  to: string;
  text: string;
}

export interface WechatSide {
  /** Whether a request (by its forwarded host) is for WeChat rather than Amazon. */
  owns(req: Request): boolean;
  handle(req: Request): Promise<Response>;
  /** Newest first. */
  messages(): PhoneMessage[];
  /** Makes a WeCom key answer 93000 (a deleted robot) from now on. */
  breakKey(key: string): void;
  reset(): void;
}

export function createWechatSide(now: () => number): WechatSide {
  let endpoints = fresh();
  let phone: PhoneMessage[] = [];
  const broken = new Set<string>();

  function fresh(): WechatStandIn {
    return new WechatStandIn({ now, wecomKeys: [], appId: 'wx-sandbox', appSecret: 'sandbox-secret', templateId: 'sandbox-template', followers: [] });
  }

  return {
    owns: (req) => WECHAT_HOSTS.test(req.headers.get('x-forwarded-host') ?? ''),
    async handle(req) {
      const url = new URL(req.url);
      const original = new URL(`https://${req.headers.get('x-forwarded-host')}${url.pathname}${url.search}`);
      const key = original.searchParams.get('key');
      if (key && UUID.test(key) && !broken.has(key)) endpoints.wecomKeys.add(key);
      const seen = endpoints.delivered.length;
      const res = await endpoints.fetch(new Request(original, { method: req.method, headers: req.headers, body: req.method === 'GET' ? undefined : await req.arrayBuffer() }));
      for (const d of endpoints.delivered.slice(seen)) phone.unshift({ at: now(), channel: d.channel, to: d.to, text: d.text });
      return res;
    },
    messages: () => phone,
    breakKey(key) {
      broken.add(key);
      endpoints.wecomKeys.delete(key);
    },
    reset() {
      endpoints = fresh();
      phone = [];
      broken.clear();
    },
  };
}
