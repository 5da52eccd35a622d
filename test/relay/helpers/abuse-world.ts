/**
 * The abuse suite's world: the relay's real app (`createApp`) on real D1 in workerd, with an
 * injected clock, the WeChat stand-in and the Amazon stand-in as its network, recording queues (so
 * no consumer writes behind a test's back), and secrets of its own so a leak is recognisable.
 * Every response is kept, so a test can scan them all for those secrets.
 */
import { env } from 'cloudflare:test';
import { createApp } from '../../../relay/app.ts';
import type { Env } from '../../../relay/env.ts';
import { type WechatSide, createWechatSide } from '../../sandbox/wechat.ts';

/** 2026-11-23 10:00 in Shanghai: the suite's clock starts here and moves only when a test moves it. */
export const T0 = Date.UTC(2026, 10, 23, 2, 0);
export const BASE = 'https://relay.test';

/** 32 bytes no other test uses, so finding its base64 anywhere means this suite leaked it. */
const KEY_BYTES = Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 255);

/** The secrets this world hands the relay; none may ever come back in a body or a log line. */
export const WORLD_SECRETS = {
  setupToken: 'abuse-setup-token-Q7mZ2vK9',
  encryptionKey: btoa(String.fromCharCode(...KEY_BYTES)),
  wechatToken: 'abuse-callback-token-X4',
  wechatAppSecret: 'abuse-wx-app-secret-9kR2',
  lwaClientSecret: env.LWA_CLIENT_SECRET ?? 'lwa-secret-for-tests',
} as const;

export const WECOM_KEY = '7d1e0c2a-ab05-4b3f-9a8e-5c6d7e8f9a0b';
export const SENDKEY = 'SCTabuse0sendkey0Zq81Lm';
export const PUSHPLUS_TOKEN = 'abuse0pushplus0token0a1b2c3d4e5';
export const US = 'ATVPDKIKX0DER';

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

export interface CallOptions {
  token?: string;
  /** A whole Authorization header, for malformed ones. */
  authorization?: string;
  body?: unknown;
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
  ip?: string;
  /** Send `raw` as a stream in 16 KiB chunks, with no content-length. */
  streamed?: boolean;
}

export interface Seen {
  method: string;
  path: string;
  status: number;
  /** Headers, a blank line, then the body. */
  text: string;
}

function chunked(body: string | Uint8Array): ReadableStream<Uint8Array> {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + 16 * 1024));
      offset += 16 * 1024;
    },
  });
}

/** A queue that only records: the abuse suite checks the HTTP edge, not the consumers. */
function recordingQueue(sent: unknown[]): Queue {
  return {
    send: async (body: unknown) => void sent.push(body),
    sendBatch: async (messages: Iterable<{ body: unknown }>) => {
      for (const m of messages) sent.push(m.body);
    },
  } as unknown as Queue; // the routes use send/sendBatch only
}

export class AbuseWorld {
  now = T0;
  readonly wechat: WechatSide;
  readonly queued: unknown[] = [];
  readonly env: Env;
  readonly seen: Seen[] = [];
  readonly app: ReturnType<typeof createApp>;
  /** Answers in place of the stand-ins while set (an upstream misbehaving on purpose). */
  intercept: ((url: URL) => Response | undefined) | null = null;
  private ipSerial = 0;

  constructor(overrides: Partial<Env> = {}) {
    // No callback URL: the tests post WeChat's callbacks themselves, signed independently of the sandbox.
    this.wechat = createWechatSide(() => this.now, { officialAccount: { appId: 'wx-abuse', appSecret: WORLD_SECRETS.wechatAppSecret, templateIds: ['tpl-abuse'], callbackUrl: null } });
    this.env = {
      ...env,
      JOBS: recordingQueue(this.queued),
      DELIVERIES: recordingQueue(this.queued),
      SETUP_TOKEN: WORLD_SECRETS.setupToken,
      TOKEN_ENCRYPTION_KEY: WORLD_SECRETS.encryptionKey,
      WECHAT_APP_ID: 'wx-abuse',
      WECHAT_APP_SECRET: WORLD_SECRETS.wechatAppSecret,
      WECHAT_TOKEN: WORLD_SECRETS.wechatToken,
      WECHAT_TEMPLATE_ID: 'tpl-abuse',
      WECHAT_API_BASE: 'https://wx-forwarder.test/',
      ...overrides,
    };
    // Amazon's hosts go to the outbound stand-in of vitest.config.ts; WeChat and the push services
    // to the recording stand-in. Nothing reaches the network either way.
    const network: typeof fetch = (input, init) => {
      const url = new URL(new Request(input, init).url);
      const scripted = this.intercept?.(url);
      if (scripted) return Promise.resolve(scripted);
      return /(^|\.)amazon(aws)?\.com$/.test(url.hostname) ? fetch(input, init) : this.wechat.fetch(input, init);
    };
    this.app = createApp({ now: () => this.now, fetch: network, newId: () => crypto.randomUUID() });
  }

  /** A new client address per call unless told, so rate-limit windows never couple two checks. */
  nextIp(): string {
    this.ipSerial++;
    return `10.66.${(this.ipSerial >> 8) & 255}.${this.ipSerial & 255}`;
  }

  async call<T = unknown>(method: string, path: string, options: CallOptions = {}): Promise<Answer<T>> {
    const headers = new Headers(options.headers);
    if (options.authorization !== undefined) headers.set('authorization', options.authorization);
    else if (options.token) headers.set('authorization', `Bearer ${options.token}`);
    headers.set('cf-connecting-ip', options.ip ?? this.nextIp());
    // A copy over a plain ArrayBuffer: what a Request body accepts.
    let body: string | Uint8Array<ArrayBuffer> | undefined = typeof options.raw === 'string' || options.raw === undefined ? options.raw : new Uint8Array(options.raw);
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
    const res = await this.app.request(`${BASE}${path}`, { method, headers, body: options.streamed && body !== undefined ? chunked(body) : body, redirect: 'manual' }, this.env);
    const text = await res.text();
    // Headers count as part of the answer for the leak scans (a Location or a request id could carry a secret).
    const headerLines: string[] = [];
    res.headers.forEach((value, name) => headerLines.push(`${name}: ${value}`));
    this.seen.push({ method, path, status: res.status, text: `${headerLines.join('\n')}\n\n${text}` });
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // HTML pages, WeChat's "success" and empty bodies stay text
    }
    return { status: res.status, headers: res.headers, text, body: parsed as T };
  }

  /** Like `call`, but throws unless the status is the one a fixture step needs. */
  async must<T>(status: number, method: string, path: string, options: CallOptions = {}): Promise<T> {
    const res = await this.call<T>(method, path, options);
    if (res.status !== status) throw new Error(`${method} ${path}: wanted ${status}, got ${res.status} ${res.text}`);
    return res.body;
  }
}

/** Tables whose rows a refused request may legitimately touch: counting refusals is their job. */
const COUNTERS: Record<string, readonly string[]> = {
  // Every guess costs the guesser a hit (relay/db/rate-limits.ts).
  rate_limits: ['*'],
  // Every presentation of a known code counts toward its lock (relay/db/invites.ts).
  invites: ['attempts'],
  // Any authenticated request notes when its device was last seen (relay/auth/middleware.ts).
  api_tokens: ['last_seen_at'],
};

/**
 * Every row of every table, as sorted JSON lines per table, with the refusal counters left out.
 * Two dumps are equal exactly when nothing else was written.
 */
export type Dump = Record<string, string[]>;

export async function dumpTables(db: D1Database): Promise<Dump> {
  const { results } = await db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%' ORDER BY name")
    .all<{ name: string }>();
  const names = results.map((r) => r.name).filter((n) => !COUNTERS[n]?.includes('*'));
  const all = await db.batch(names.map((n) => db.prepare(`SELECT * FROM "${n}"`)));
  const out: Record<string, string[]> = {};
  names.forEach((name, i) => {
    const skip = COUNTERS[name] ?? [];
    out[name] = (all[i]!.results as Record<string, unknown>[])
      .map((row) => JSON.stringify(Object.fromEntries(Object.entries(row).filter(([k]) => !skip.includes(k)))))
      .sort();
  });
  return out;
}

/** The rows of a dump that mention any of `markers` (ids of one workspace and its objects). */
export function rowsMentioning(dump: Dump, markers: readonly string[]): Dump {
  return Object.fromEntries(Object.entries(dump).map(([t, rows]) => [t, rows.filter((r) => markers.some((m) => r.includes(m)))]));
}

export function sameDump(a: Dump, b: Dump): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The tables whose rows differ between two dumps, with the rows gone and the rows new. */
export function changedTables(before: Dump, after: Dump): Record<string, { gone: string[]; added: string[] }> {
  const out: Record<string, { gone: string[]; added: string[] }> = {};
  for (const t of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const b = before[t] ?? [];
    const a = after[t] ?? [];
    const gone = b.filter((r) => !a.includes(r));
    const added = a.filter((r) => !b.includes(r));
    if (gone.length || added.length) out[t] = { gone, added };
  }
  return out;
}

/** Whether a body is exactly the relay's error envelope (with `code`, when given). */
export function isEnvelope(body: unknown, code?: string): boolean {
  if (typeof body !== 'object' || body === null || Object.keys(body).join() !== 'error') return false;
  const error = (body as { error: unknown }).error;
  if (typeof error !== 'object' || error === null || Object.keys(error).sort().join() !== 'code,message') return false;
  const e = error as { code: unknown; message: unknown };
  return typeof e.code === 'string' && typeof e.message === 'string' && e.message.length > 0 && (code === undefined || e.code === code);
}
