/**
 * The WeCom group robot webhook, `POST qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY`
 * (docs/domain/wechat.md#wecom-group-robot): always HTTP 200 with `{errcode, errmsg}`, so a sender
 * that only checks the status is fooled exactly as it would be by the real robot.
 */
import type { Inbox } from './inbox.ts';
import type { Random } from './prng.ts';
import { answer, createSlidingWindow, isObject, readBody, utf8Bytes } from './wechat-kit.ts';

/** Robot keys are UUIDs; the real service knows which exist, the sandbox takes any well-formed one. */
export const WECOM_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const WECOM_PER_MINUTE = 20;

/** Lowercase only: `MARKDOWN` is a 40008 (docs/domain/wechat.md#wecom-group-robot). */
const MSGTYPES = new Set(['text', 'markdown', 'markdown_v2', 'image', 'news', 'file', 'voice', 'template_card']);
/** Content limits in UTF-8 bytes. */
const MAX_BYTES: Record<string, number> = { text: 2048, markdown: 4096, markdown_v2: 4096 };

const ERRMSG: Record<number, string> = {
  [-1]: 'system busy',
  40008: 'invalid message type',
  44002: 'empty post data',
  44004: 'empty content',
  45002: 'content size out of limit',
  45009: 'api freq out of limit',
  45033: 'api concurrent out of limit',
  93000: 'invalid webhook url',
};

export interface WecomRobot {
  send(req: Request, url: URL): Promise<Response>;
  /** From now on the key answers 93000, as a deleted robot does. */
  breakKey(key: string): void;
  /** The key's next `count` messages get `errcode` (45009, -1, 45033 ...) instead of delivery. */
  script(key: string, errcode: number, count: number): void;
  view(): { brokenKeys: string[]; scripted: Array<{ key: string; errcode: number; remaining: number }> };
  reset(): void;
}

export function createWecom(deps: { now: () => number; inbox: Inbox; random: Random }): WecomRobot {
  const broken = new Set<string>();
  let scripted: Array<{ key: string; errcode: number; remaining: number }> = [];
  const perMinute = createSlidingWindow(WECOM_PER_MINUTE, 60_000);

  /** Real errmsgs carry a request hint and a help link after the text; callers must key on errcode. */
  function fail(errcode: number, extra = ''): Response {
    const hint = `${Math.floor(deps.now() / 1000)}${deps.random.text(12, '0123456789')}`;
    const errmsg = `${ERRMSG[errcode] ?? 'error'}${extra}, hint: [${hint}], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`;
    return answer({ errcode, errmsg });
  }

  async function send(req: Request, url: URL): Promise<Response> {
    const key = url.searchParams.get('key') ?? '';
    if (!WECOM_KEY.test(key) || broken.has(key)) return fail(93000);
    const script = scripted.find((s) => s.key === key);
    if (script) {
      script.remaining -= 1;
      scripted = scripted.filter((s) => s.remaining > 0);
      return fail(script.errcode);
    }
    const { text, json } = await readBody(req, url);
    if (text.trim() === '') return fail(44002);
    // WeCom's global error-code page: a body that is not valid JSON is parsed partially and the
    // errmsg gains "Warning: wrong json format."; with no msgtype recovered that is a 40008.
    if (!isObject(json)) return fail(40008, '. Warning: wrong json format.');
    const msgtype = json.msgtype;
    if (typeof msgtype !== 'string' || !MSGTYPES.has(msgtype)) return fail(40008);
    const part = json[msgtype];
    if (!isObject(part)) return fail(44004);
    const limit = MAX_BYTES[msgtype];
    let content = `[${msgtype}]`;
    if (limit !== undefined) {
      if (typeof part.content !== 'string' || part.content.trim() === '') return fail(44004);
      if (utf8Bytes(part.content) > limit) return fail(45002);
      content = part.content;
    }
    // Counted per robot on accepted messages: the 21st within any 60 s is refused.
    if (!perMinute.take(key, deps.now())) return fail(45009);
    deps.inbox.add({
      at: deps.now(),
      channel: 'wecom',
      to: key,
      title: '',
      text: content,
      format: msgtype === 'text' ? 'text' : 'markdown',
      request: json,
    });
    return answer({ errcode: 0, errmsg: 'ok' });
  }

  return {
    send,
    breakKey: (key) => void broken.add(key),
    script(key, errcode, count) {
      scripted = [...scripted.filter((s) => s.key !== key), { key, errcode, remaining: count }];
    },
    view: () => ({ brokenKeys: [...broken], scripted: scripted.map((s) => ({ ...s })) }),
    reset() {
      broken.clear();
      scripted = [];
      perMinute.reset();
    },
  };
}
