/** Who is calling: the bearer token's member, or a 401. Owners-only guard for the routes that need it. */
import type { MiddlewareHandler } from 'hono';
import { LAST_SEEN_EVERY_MS, findCallerByTokenHash, touchToken } from '../db/members.ts';
import { type RelayEnv, apiError } from '../routes/kit.ts';
import { bearerToken, hashSecret } from './tokens.ts';

/** Sets `c.var.caller` from `Authorization: Bearer sw_...`; revoked tokens and members get 401. */
export const requireMember: MiddlewareHandler<RelayEnv> = async (c, next) => {
  // Several sub-apps mounted on /v1 guard '*' with this middleware, so one request can meet it
  // more than once: look the token up once (each lookup is a D1 read).
  if (c.get('caller')) return next();
  const token = bearerToken(c.req.header('authorization'));
  const found = token ? await findCallerByTokenHash(c.env.DB, await hashSecret(token)) : null;
  if (!found) return apiError(c, 401, 'unauthorized', 'a valid API token is required (Authorization: Bearer sw_...)');
  c.set('caller', { workspaceId: found.workspaceId, memberId: found.memberId, role: found.role, deviceId: found.tokenId });
  // "Last seen" for the members list: bookkeeping read off the request's own arrival (the routes'
  // injected clock does not reach a middleware shared by every sub-app), written only when stale.
  const now = Date.now();
  if (found.lastSeenAt === null || now - found.lastSeenAt >= LAST_SEEN_EVERY_MS) await touchToken(c.env.DB, found.tokenId, now);
  await next();
};

export const requireOwner: MiddlewareHandler<RelayEnv> = async (c, next) => {
  if (c.var.caller.role !== 'owner') return apiError(c, 403, 'owners_only', 'only owners of the workspace can do this');
  await next();
};
