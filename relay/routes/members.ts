/** Pairing and the caller's own identity: `/v1/invites`, `/v1/pair`, `/v1/me`, `/v1/tokens/current`. */
import { Hono } from 'hono';
import { type InviteResponse, type MeResponse, PairRequest, type PairResponse, normalizeInviteCode } from '../../shared/api/auth.ts';
import { requireMember, requireOwner } from './guards.ts';
import { bearerToken, hashSecret, newApiToken, newInviteCode } from '../auth/tokens.ts';
import { claimInvite, insertInvite, markInviteUsedByStatement } from '../db/invites.ts';
import { describeMember, insertMemberStatements, revokeToken } from '../db/members.ts';
import { hitRateLimit } from '../db/rate-limits.ts';
import { type RelayEnv, apiError, clientIp, readJson } from './kit.ts';

export const INVITE_TTL_MS = 10 * 60_000;
/** Per address: a person mistypes a few times; 10 guesses of a 40-bit code are hopeless. */
const PAIR_LIMIT = { limit: 10, windowMs: 10 * 60_000 };

const REFUSALS = {
  unknown: 'this pairing code is not valid',
  expired: 'this pairing code has expired (codes last 10 minutes): ask an owner for a new one',
  used: 'this pairing code was already used: ask an owner for a new one',
  locked: 'this pairing code was tried too often and is locked: ask an owner for a new one',
} as const;

/** Public: `POST /pair` (the code is the credential). */
export function pairRoutes() {
  const app = new Hono<RelayEnv>();
  app.post('/pair', async (c) => {
    const now = c.var.deps.now();
    const limited = await hitRateLimit(c.env.DB, `pair:${clientIp(c)}`, PAIR_LIMIT, now);
    if (!limited.allowed) {
      c.header('retry-after', String(limited.retryAfterSeconds));
      return apiError(c, 429, 'rate_limited', 'too many pairing attempts from this address; wait and try again');
    }
    const body = await readJson(c, PairRequest);
    if (!body.ok) return body.response;
    const claim = await claimInvite(c.env.DB, await hashSecret(normalizeInviteCode(body.value.code)), now);
    if (!claim.ok) return apiError(c, claim.reason === 'locked' ? 429 : 400, 'invite_invalid', REFUSALS[claim.reason]);

    const token = newApiToken();
    const memberId = c.var.deps.newId();
    await c.env.DB.batch([
      ...insertMemberStatements(
        c.env.DB,
        { workspaceId: claim.workspaceId, memberId, name: body.value.device, role: 'member', tokenId: c.var.deps.newId(), tokenHash: await hashSecret(token), device: body.value.device },
        now,
      ),
      markInviteUsedByStatement(c.env.DB, claim.inviteId, memberId),
    ]);
    const out: PairResponse = { token, workspaceId: claim.workspaceId, memberId, role: 'member' };
    return c.json(out, 201);
  });
  return app;
}

/** Authenticated: invites (owners), me, and revoking the token in use. */
export function memberRoutes() {
  const app = new Hono<RelayEnv>();

  app.post('/invites', requireMember, requireOwner, async (c) => {
    const now = c.var.deps.now();
    const code = newInviteCode();
    const expiresAt = now + INVITE_TTL_MS;
    const caller = c.var.caller;
    await insertInvite(c.env.DB, { id: c.var.deps.newId(), workspaceId: caller.workspaceId, createdBy: caller.memberId, codeHash: await hashSecret(code), expiresAt }, now);
    const out: InviteResponse = { code, expiresAt };
    return c.json(out, 201);
  });

  app.get('/me', requireMember, async (c) => {
    const row = await describeMember(c.env.DB, c.var.caller);
    if (!row) return apiError(c, 401, 'unauthorized', 'this member no longer exists');
    const out: MeResponse = { workspaceId: row.workspace_id, workspaceName: row.workspace_name, memberId: row.member_id, name: row.name, role: row.role };
    return c.json(out);
  });

  app.delete('/tokens/current', requireMember, async (c) => {
    // The middleware proved this token live; revoke exactly it (not the member's other devices).
    const token = bearerToken(c.req.header('authorization'))!;
    await revokeToken(c.env.DB, c.var.caller, await hashSecret(token), c.var.deps.now());
    return c.body(null, 204);
  });

  return app;
}
