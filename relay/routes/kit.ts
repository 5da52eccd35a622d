/**
 * What the relay's own routes share: the app's types, the error envelope with its closed list of
 * codes, and validation of bodies and queries against the shared contract (nothing is written
 * before a request has passed it).
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type * as v from 'valibot';
import { type ErrorCode, parse } from '../../shared/api/errors.ts';
import { type LimitName, limitReached } from '../../shared/api/limits.ts';
import type { Caller } from '../auth/caller.ts';
import type { Env } from '../env.ts';
import type { PlatformDeps } from '../platform-deps.ts';

export type { Caller };

/**
 * The app's env: the Worker's bindings; the request's platform (`deps`, set by the app for every
 * request) and, behind `requireMember`, the caller.
 */
export type RelayEnv = { Bindings: Env; Variables: { caller: Caller; deps: PlatformDeps } };

export function errorBody(code: ErrorCode, message: string): { error: { code: ErrorCode; message: string } } {
  return { error: { code, message } };
}

export function apiError(c: Context, status: ContentfulStatusCode, code: ErrorCode, message: string): Response {
  return c.json(errorBody(code, message), status);
}

/** `409 limit_reached` naming the cap (shared/api/limits.ts) in the message and in `limit`/`max`. */
export function limitError(c: Context, name: LimitName): Response {
  return c.json({ error: limitReached(name) }, 409);
}

type Parsed<S extends v.GenericSchema> = { ok: true; value: v.InferOutput<S> } | { ok: false; response: Response };

/**
 * The body parsed as JSON. Bytes that are not UTF-8 throw like bad JSON does: a lenient decode
 * would turn them into U+FFFD and store mangled names, or pass a mangled refresh token on to Amazon
 * as a non-ASCII header (found by test/relay/abuse-fuzz-fetch-integration.test.ts).
 */
async function bodyAsJson(c: Context): Promise<unknown> {
  return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(await c.req.arrayBuffer()));
}

/** The JSON body checked against `schema`; otherwise a 400 naming the field. */
export async function readJson<S extends v.GenericSchema>(c: Context, schema: S): Promise<Parsed<S>> {
  let body: unknown;
  try {
    body = await bodyAsJson(c);
  } catch {
    return { ok: false, response: apiError(c, 400, 'bad_json', 'the body must be JSON in UTF-8') };
  }
  const parsed = parse(schema, body);
  return parsed.ok ? parsed : { ok: false, response: apiError(c, 400, 'invalid', parsed.message) };
}

/** Like readJson, but no body at all reads as `{}` (routes whose every field is optional). */
export async function readOptionalJson<S extends v.GenericSchema>(c: Context, schema: S): Promise<Parsed<S>> {
  let body: unknown;
  try {
    const bytes = await c.req.arrayBuffer();
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    return { ok: false, response: apiError(c, 400, 'bad_json', 'the body must be JSON in UTF-8') };
  }
  // valibot's object schemas take an array for an object without keys; `[]` is no `{}`.
  if (Array.isArray(body)) return { ok: false, response: apiError(c, 400, 'invalid', 'the body must be a JSON object') };
  const parsed = parse(schema, body);
  return parsed.ok ? parsed : { ok: false, response: apiError(c, 400, 'invalid', parsed.message) };
}

/** The query string checked against `schema` (each parameter once; a repeat is refused). */
export function readQuery<S extends v.GenericSchema>(c: Context, schema: S): Parsed<S> {
  const all = c.req.queries();
  // No prototype: on a plain object `flat.__proto__ = '1'` is silently dropped, so `?__proto__=1`
  // would slip past the strict schema (found by test/relay/abuse-query-fuzz-fetch-integration.test.ts).
  const flat: Record<string, string> = Object.create(null);
  for (const [k, values] of Object.entries(all)) {
    if (values.length !== 1) return { ok: false, response: apiError(c, 400, 'invalid', `${k}: give it once`) };
    flat[k] = values[0]!;
  }
  const parsed = parse(schema, flat);
  return parsed.ok ? parsed : { ok: false, response: apiError(c, 400, 'invalid', parsed.message) };
}

/** The client's address as Cloudflare reports it (the rate-limit key for setup and pairing). */
export function clientIp(c: Context): string {
  return c.req.header('cf-connecting-ip') ?? 'unknown';
}
