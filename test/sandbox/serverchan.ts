/**
 * ServerChan (docs/domain/wechat.md#serverchan): Turbo keys `SCT<uid>T...` post to
 * `sctapi.ftqq.com/{key}.send`, ServerChan³ keys `sctp<uid>t...` to
 * `<uid>.push.ft07.com/send/{key}.send`. Body `{title (<= 32 chars), desp (markdown)}` as JSON,
 * form or query. The free tier takes 5 messages a day per key.
 *
 * ServerChan documents only `code: 0` (accepted); the non-zero codes below are the sandbox's own
 * choice, with a message the relay's verdict can read ("bad pushtoken" for a dead key).
 */
import type { Inbox } from './inbox.ts';
import type { Random } from './prng.ts';
import { HEX } from './prng.ts';
import { answer, createDailyQuota, isObject, readBody, requestFields, utf8Bytes } from './wechat-kit.ts';

const TURBO_KEY = /^SCT\d+T[A-Za-z0-9]{6,}$/;
const SCTP_KEY = /^sctp(\d+)t[A-Za-z0-9]{6,}$/;
export const SERVERCHAN_PATH = /^\/(send\/)?([A-Za-z0-9_-]+)\.send$/;
export const SERVERCHAN_PER_DAY = 5;
export const SERVERCHAN_TITLE_MAX = 32;
const DESP_MAX_BYTES = 32 * 1024;

const BAD_KEY = { code: 40001, message: 'bad pushtoken', data: null };

export interface ServerChan {
  send(req: Request, url: URL, host: string | null): Promise<Response>;
  breakKey(key: string): void;
  view(): { brokenKeys: string[] };
  reset(): void;
}

export function createServerChan(deps: { now: () => number; inbox: Inbox; random: Random }): ServerChan {
  const broken = new Set<string>();
  const daily = createDailyQuota(SERVERCHAN_PER_DAY);

  /** A key is good only at its own host: Turbo at sctapi, sctp<uid> at <uid>.push.ft07.com/send/. */
  function keyFits(key: string, v3Path: boolean, host: string | null): boolean {
    if (broken.has(key)) return false;
    const uid = SCTP_KEY.exec(key)?.[1];
    if (uid !== undefined) return v3Path && (host === null || host === `${uid}.push.ft07.com`);
    return TURBO_KEY.test(key) && !v3Path && (host === null || host === 'sctapi.ftqq.com');
  }

  return {
    async send(req, url, host) {
      const m = SERVERCHAN_PATH.exec(url.pathname);
      const key = m?.[2] ?? '';
      if (!m || !keyFits(key, m[1] !== undefined, host)) return answer(BAD_KEY);
      const body = await readBody(req, url);
      const { json, fields } = body;
      const field = (name: string): unknown => (isObject(json) && json[name] !== undefined ? json[name] : (fields.get(name) ?? undefined));
      const title = field('title');
      const desp = field('desp') ?? '';
      if (typeof title !== 'string' || title.trim() === '') return answer({ code: 40002, message: 'title is required', data: null });
      if ([...title].length > SERVERCHAN_TITLE_MAX) return answer({ code: 40003, message: `title longer than ${SERVERCHAN_TITLE_MAX} characters`, data: null });
      if (typeof desp !== 'string' || utf8Bytes(desp) > DESP_MAX_BYTES) return answer({ code: 40004, message: 'desp must be text up to 32 KB', data: null });
      if (!daily.take(key, deps.now())) {
        return answer({ code: 40029, message: `超过当天的发送次数限制[${SERVERCHAN_PER_DAY}] / over the free tier's ${SERVERCHAN_PER_DAY} a day`, data: null });
      }
      deps.inbox.add({ at: deps.now(), channel: 'serverchan', to: key, title, text: desp, format: 'markdown', request: requestFields(body) });
      const pushid = String(deps.random.int(100_000_000, 999_999_999));
      return answer({ code: 0, message: '', data: { pushid, readkey: deps.random.text(16, HEX), error: 'SUCCESS', errno: 0 } });
    },
    breakKey: (key) => void broken.add(key),
    view: () => ({ brokenKeys: [...broken] }),
    reset() {
      broken.clear();
      daily.reset();
    },
  };
}
