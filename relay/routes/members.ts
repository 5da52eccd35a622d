/**
 * Pairing and the people of a workspace: `/v1/invites`, `/v1/pair`, `/v1/me`, `/v1/members`,
 * `/v1/devices/:id`, `/v1/members/:id`, `/v1/tokens/current`. A member's devices are their API
 * tokens: one per browser profile, so a team that runs one fingerprint-browser profile per store
 * enrols them all with one code as one member.
 */
import { Hono } from 'hono';
import {
  type DeviceView,
  InviteRequest,
  type InviteResponse,
  type MeResponse,
  type MembersResponse,
  PairRequest,
  type PairResponse,
  normalizeInviteCode,
} from '../../shared/api/auth.ts';
import { bearerToken, hashSecret, newApiToken } from '../auth/tokens.ts';
import { claimInvite, markInviteUsedByStatement } from '../db/invites.ts';
import {
  type DeviceRow,
  describeMember,
  ensureMemberStatement,
  findDevice,
  findMember,
  insertMemberStatements,
  insertTokenStatement,
  listDevices,
  listMembers,
  offboardMember,
  revokeDevice,
  revokeToken,
} from '../db/members.ts';
import { hitRateLimit } from '../db/rate-limits.ts';
import { createInvite } from '../auth/invite-codes.ts';
import { requireMember, requireOwner } from './guards.ts';
import { type RelayEnv, apiError, clientIp, readJson, readOptionalJson } from './kit.ts';

export { INVITE_TTL_MS } from '../auth/invite-codes.ts';

/** Per address: a person mistypes a few times; 10 guesses of a 40-bit code are hopeless. */
const PAIR_LIMIT = { limit: 10, windowMs: 10 * 60_000 };

/** Member and device ids are UUIDs; anything else names nothing, so it is a 404 without a query. */
const ID = '{[0-9a-f-]{36}}';

const REFUSALS = {
  unknown: 'this pairing code is not valid',
  expired: 'this pairing code has expired: ask an owner for a new one',
  used: 'this pairing code was already used by every profile it was made for: ask an owner for a new one',
  locked: 'this pairing code was tried too often and is locked: ask an owner for a new one',
  removed: 'the member this pairing code enrols has been removed from the workspace',
} as const;

function deviceView(d: DeviceRow): DeviceView {
  return { id: d.id, device: d.device, createdAt: d.created_at, lastSeenAt: d.last_seen_at };
}

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

    const device = body.value.device;
    const token = newApiToken();
    const tokenId = c.var.deps.newId();
    const tokenHash = await hashSecret(token);
    const workspaceId = claim.workspaceId;

    if (claim.memberId === null) {
      // A code made before enrolment codes existed: one new member per pairing, as it always was.
      const memberId = c.var.deps.newId();
      await c.env.DB.batch([
        ...insertMemberStatements(c.env.DB, { workspaceId, memberId, name: device, role: 'member', tokenId, tokenHash, device }, now),
        markInviteUsedByStatement(c.env.DB, claim.inviteId, memberId),
      ]);
      const out: PairResponse = { token, workspaceId, memberId, role: 'member', deviceId: tokenId };
      return c.json(out, 201);
    }

    const memberId = claim.memberId;
    if (!claim.newMember) {
      const target = await findMember(c.env.DB, workspaceId, memberId);
      if (!target || target.revoked) return apiError(c, 400, 'invite_invalid', REFUSALS.removed);
    }
    await c.env.DB.batch([
      ...(claim.newMember ? [ensureMemberStatement(c.env.DB, { workspaceId, memberId, name: claim.memberName ?? device }, now)] : []),
      insertTokenStatement(c.env.DB, { workspaceId, memberId, tokenId, tokenHash, device }, now),
      markInviteUsedByStatement(c.env.DB, claim.inviteId, memberId),
    ]);
    // Read back: the member may have been removed between the claim and the insert (the auth
    // lookup would refuse the token anyway), and the role is the member's, not the code's.
    const member = await findMember(c.env.DB, workspaceId, memberId);
    if (!member || member.revoked) {
      await revokeDevice(c.env.DB, workspaceId, tokenId, now);
      return apiError(c, 400, 'invite_invalid', REFUSALS.removed);
    }
    const out: PairResponse = { token, workspaceId, memberId, role: member.role, deviceId: tokenId };
    return c.json(out, 201);
  });
  return app;
}

/** Authenticated: enrolment codes, me, members and devices, and revoking. */
export function memberRoutes() {
  const app = new Hono<RelayEnv>();

  // Owners enrol anyone (a new member without `memberId`); a member only themself.
  app.post('/invites', requireMember, async (c) => {
    const caller = c.var.caller;
    const body = await readOptionalJson(c, InviteRequest);
    if (!body.ok) return body.response;
    const { devices, memberId, name } = body.value;
    if (caller.role !== 'owner' && memberId !== caller.memberId) {
      return apiError(c, 403, 'owners_only', 'only owners enrol other people; a member can enrol devices for themself (memberId = your own id)');
    }
    if (memberId !== undefined && memberId !== caller.memberId) {
      const target = await findMember(c.env.DB, caller.workspaceId, memberId);
      if (!target || target.revoked) return apiError(c, 404, 'not_found', 'no such member');
    }
    const enrolment = devices !== undefined || memberId !== undefined;
    const out: InviteResponse = await createInvite(
      c.env.DB,
      { workspaceId: caller.workspaceId, createdBy: caller.memberId, devices: devices ?? 1, enrolment, ...(memberId !== undefined ? { memberId } : {}), ...(name !== undefined ? { name } : {}) },
      c.var.deps,
    );
    return c.json(out, 201);
  });

  app.get('/me', requireMember, async (c) => {
    const caller = c.var.caller;
    const [row, devices] = await Promise.all([describeMember(c.env.DB, caller), listDevices(c.env.DB, caller.workspaceId, caller.memberId)]);
    if (!row) return apiError(c, 401, 'unauthorized', 'this member no longer exists');
    const out: MeResponse = {
      workspaceId: row.workspace_id,
      workspaceName: row.workspace_name,
      memberId: row.member_id,
      name: row.name,
      role: row.role,
      devices: devices.map(deviceView),
      ...(caller.deviceId ? { deviceId: caller.deviceId } : {}),
    };
    return c.json(out);
  });

  app.get('/members', requireMember, requireOwner, async (c) => {
    const ws = c.var.caller.workspaceId;
    const [members, devices] = await Promise.all([listMembers(c.env.DB, ws), listDevices(c.env.DB, ws)]);
    const out: MembersResponse = {
      members: members.map((m) => ({ id: m.id, name: m.name, role: m.role, devices: devices.filter((d) => d.member_id === m.id).map(deviceView) })),
    };
    return c.json(out);
  });

  // Owners revoke any device; a member their own. Another member's device is not a member's to
  // see, so it answers like one that does not exist.
  app.delete(`/devices/:id${ID}`, requireMember, async (c) => {
    const caller = c.var.caller;
    const device = await findDevice(c.env.DB, caller.workspaceId, c.req.param('id'));
    if (!device || (caller.role !== 'owner' && device.memberId !== caller.memberId)) return apiError(c, 404, 'not_found', 'no such device');
    await revokeDevice(c.env.DB, caller.workspaceId, device.id, c.var.deps.now());
    return c.body(null, 204);
  });

  app.delete(`/members/:id${ID}`, requireMember, requireOwner, async (c) => {
    const caller = c.var.caller;
    const memberId = c.req.param('id');
    const member = await findMember(c.env.DB, caller.workspaceId, memberId);
    if (!member || member.revoked) return apiError(c, 404, 'not_found', 'no such member');
    // Someone must stay to run the workspace: an owner is removed by another owner.
    if (memberId === caller.memberId) return apiError(c, 400, 'invalid', 'you cannot remove yourself: another owner can');
    await offboardMember(c.env.DB, caller.workspaceId, memberId, c.var.deps.now());
    return c.body(null, 204);
  });

  app.delete('/tokens/current', requireMember, async (c) => {
    // The middleware proved this token live; revoke exactly it (not the member's other devices).
    const token = bearerToken(c.req.header('authorization'))!;
    await revokeToken(c.env.DB, c.var.caller, await hashSecret(token), c.var.deps.now());
    return c.body(null, 204);
  });

  return app;
}
