/**
 * What the alert routes (rules, channels, alerts, wechat) share: the caller the auth middleware
 * provides, the options they are built with, and validation against the shared contract.
 */
import type { Context, MiddlewareHandler } from 'hono';
import * as v from 'valibot';
import { type AlertDeps, defaultAlertDeps } from '../alerts/deps.ts';
import type { Env } from '../env.ts';
import { bodyAsJson } from './kit.ts';

/** Who is calling: set by the relay's auth middleware as `c.var.caller`. */
export interface Caller {
  workspaceId: string;
  memberId: string;
  role: 'owner' | 'member';
  /** The API token (device) the request came with. */
  deviceId?: string;
}

export type AlertsAppEnv = { Bindings: Env; Variables: { caller: Caller } };

export interface AlertRouteOptions {
  /** The relay's auth middleware (or an adapter of it) that sets `c.var.caller`. */
  auth: MiddlewareHandler<AlertsAppEnv>;
  deps?: (env: Env) => AlertDeps;
  now?: () => number;
}

export function resolveOptions(options: AlertRouteOptions): { deps: (env: Env) => AlertDeps; now: () => number } {
  return { deps: options.deps ?? ((env) => defaultAlertDeps(env)), now: options.now ?? (() => Date.now()) };
}

export function apiError(c: Context, status: 400 | 403 | 404 | 409 | 413 | 502 | 503, code: string, message: string): Response {
  return c.json({ error: { code, message } }, status);
}

/** Parses the JSON body against `schema`; a 400 naming the first problem otherwise. */
export async function readJson<S extends v.GenericSchema>(c: Context, schema: S): Promise<{ ok: true; value: v.InferOutput<S> } | { ok: false; response: Response }> {
  let body: unknown;
  try {
    body = await bodyAsJson(c);
  } catch {
    return { ok: false, response: apiError(c, 400, 'bad_json', 'the body must be JSON in UTF-8') };
  }
  const parsed = v.safeParse(schema, body);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
    return { ok: false, response: apiError(c, 400, 'invalid', `${path ? `${path}: ` : ''}${issue.message}`) };
  }
  return { ok: true, value: parsed.output };
}

/** Owners only (issue 5 says where). */
export const ownersOnly: MiddlewareHandler<AlertsAppEnv> = async (c, next) => {
  if (c.var.caller.role !== 'owner') return apiError(c, 403, 'owners_only', 'only owners can do this');
  await next();
};
