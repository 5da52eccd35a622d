/** The per-route guards: who is calling (the bearer token's member, or a 401), and owners only. */
import type { MiddlewareHandler } from 'hono';
import { bearerToken, hashSecret } from '../auth/tokens.ts';
import { LAST_SEEN_EVERY_MS, findCallerByTokenHash, touchToken } from '../db/members.ts';
import { type RelayEnv, apiError } from './kit.ts';

/** Sets `c.var.caller` from `Authorization: Bearer sw_...`; revoked tokens and members get 401. */
export const requireMember: MiddlewareHandler<RelayEnv> = async (c, next) => {
  const token = bearerToken(c.req.header('authorization'));
  const found = token ? await findCallerByTokenHash(c.env.DB, await hashSecret(token)) : null;
  if (!found) return apiError(c, 401, 'unauthorized', 'a valid API token is required (Authorization: Bearer sw_...)');
  c.set('caller', { workspaceId: found.workspaceId, memberId: found.memberId, role: found.role, deviceId: found.tokenId });
  // "Last seen" for the members list, written only when the note is stale: most requests write nothing.
  const now = c.var.deps.now();
  if (found.lastSeenAt === null || now - found.lastSeenAt >= LAST_SEEN_EVERY_MS) await touchToken(c.env.DB, found.tokenId, now);
  await next();
};

/** After `requireMember`: owners of the workspace only. */
export const requireOwner: MiddlewareHandler<RelayEnv> = async (c, next) => {
  if (c.var.caller.role !== 'owner') return apiError(c, 403, 'owners_only', 'only owners of the workspace can do this');
  await next();
};
