/**
 * PushPlus `POST www.pushplus.plus/send` `{token, title, content, template}`
 * (docs/domain/wechat.md#pushplus): `{code: 200, msg: "请求成功", data: <message id>}` when accepted,
 * 903 for a bad token, 900 once the account passes 200 messages a day. Also takes form fields and
 * GET queries.
 */
import type { Inbox } from './inbox.ts';
import type { Random } from './prng.ts';
import { HEX } from './prng.ts';
import { answer, createDailyQuota, isObject, readBody, requestFields } from './wechat-kit.ts';

/** Tokens as the relay accepts them (shared/alerts/channel-secrets.ts); real ones are 32 hex. */
const TOKEN = /^[A-Za-z0-9]{16,64}$/;
export const PUSHPLUS_PER_DAY = 200;
const TEMPLATES = new Set(['html', 'txt', 'json', 'markdown', 'cloudMonitor', 'jenkins', 'route', 'pay']);
const TITLE_MAX = 100;

export interface PushPlus {
  send(req: Request, url: URL): Promise<Response>;
  breakToken(token: string): void;
  view(): { brokenTokens: string[] };
  reset(): void;
}

export function createPushPlus(deps: { now: () => number; inbox: Inbox; random: Random }): PushPlus {
  const broken = new Set<string>();
  const daily = createDailyQuota(PUSHPLUS_PER_DAY);
  const invalid = (why: string) => answer({ code: 999, msg: '服务端验证错误', data: why });

  return {
    async send(req, url) {
      const body = await readBody(req, url);
      const { json, fields } = body;
      const field = (name: string): unknown => (isObject(json) && json[name] !== undefined ? json[name] : (fields.get(name) ?? undefined));
      const token = field('token');
      if (typeof token !== 'string' || !TOKEN.test(token) || broken.has(token)) return answer({ code: 903, msg: '无效的用户令牌', data: null });
      const content = field('content');
      const title = field('title') ?? '';
      const template = field('template') ?? 'html';
      if (typeof content !== 'string' || content.trim() === '') return invalid('内容不能为空 content is required');
      if (typeof title !== 'string' || [...title].length > TITLE_MAX) return invalid(`标题过长 title over ${TITLE_MAX} characters`);
      if (typeof template !== 'string' || !TEMPLATES.has(template)) return invalid(`未知模板 unknown template ${String(template)}`);
      if (!daily.take(token, deps.now())) return answer({ code: 900, msg: '用户账号使用受限', data: null });
      const format = template === 'markdown' ? 'markdown' : template === 'html' ? 'html' : 'text';
      deps.inbox.add({ at: deps.now(), channel: 'pushplus', to: token, title, text: content, format, request: requestFields(body) });
      return answer({ code: 200, msg: '请求成功', data: deps.random.text(32, HEX) });
    },
    breakToken: (token) => void broken.add(token),
    view: () => ({ brokenTokens: [...broken] }),
    reset() {
      broken.clear();
      daily.reset();
    },
  };
}
