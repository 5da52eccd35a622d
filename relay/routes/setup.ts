/**
 * `POST /v1/setup`: the deployment's SETUP_TOKEN creates a workspace and its first owner, with an
 * enrolment code that pairs the owner's browser profile as that owner (pairing otherwise makes
 * members, and owners would be left with curl).
 *
 * Who may create workspaces: whoever holds SETUP_TOKEN, and by default only the first one - the
 * relay is one team's, and a leaked setup secret must not become a way to open more tenants on
 * the operator's account. An operator who does host several teams sets ALLOW_MORE_WORKSPACES=true.
 */
import { Hono } from 'hono';
import { SetupRequest, type SetupResponse } from '../../shared/api/auth.ts';
import { prepareInvite } from '../auth/invite-codes.ts';
import { bearerToken, hashSecret, newApiToken, secretsEqual } from '../auth/tokens.ts';
import { createWorkspace } from '../db/members.ts';
import { hitRateLimit } from '../db/rate-limits.ts';
import { type RelayEnv, apiError, clientIp, readJson } from './kit.ts';

/** Ten tries per address per ten minutes: enough for a person, useless for guessing. */
const SETUP_LIMIT = { limit: 10, windowMs: 10 * 60_000 };

/** Only the exact opt-in: a typo or "1" leaves the default (first workspace only) in place. */
export function allowsMoreWorkspaces(env: Pick<RelayEnv['Bindings'], 'ALLOW_MORE_WORKSPACES'>): boolean {
  return env.ALLOW_MORE_WORKSPACES === 'true';
}

export function setupRoutes() {
  const app = new Hono<RelayEnv>();

  app.post('/setup', async (c) => {
    const now = c.var.deps.now();
    const limited = await hitRateLimit(c.env.DB, `setup:${clientIp(c)}`, SETUP_LIMIT, now);
    if (!limited.allowed) {
      c.header('retry-after', String(limited.retryAfterSeconds));
      return apiError(c, 429, 'rate_limited', 'too many setup attempts from this address; wait and try again');
    }
    if (!c.env.SETUP_TOKEN) return apiError(c, 503, 'not_configured', 'SETUP_TOKEN is not set on this deployment (wrangler secret put SETUP_TOKEN)');
    const presented = bearerToken(c.req.header('authorization'));
    if (!presented || !(await secretsEqual(presented, c.env.SETUP_TOKEN))) {
      return apiError(c, 401, 'unauthorized', "setup needs the deployment's SETUP_TOKEN as a Bearer token");
    }
    const body = await readJson(c, SetupRequest);
    if (!body.ok) return body.response;

    const token = newApiToken();
    const ids = { workspaceId: c.var.deps.newId(), memberId: c.var.deps.newId(), tokenId: c.var.deps.newId() };
    const owner = await prepareInvite(c.env.DB, { workspaceId: ids.workspaceId, createdBy: ids.memberId, memberId: ids.memberId, devices: 1, enrolment: true }, c.var.deps);
    const onlyIfFirst = !allowsMoreWorkspaces(c.env);
    const created = await createWorkspace(c.env.DB, body.value.workspace, { ...ids, name: body.value.owner, tokenHash: await hashSecret(token), device: 'setup' }, now, [owner.statement], onlyIfFirst);
    if (!created) {
      return apiError(c, 403, 'setup_closed', 'this relay already has its workspace; SETUP_TOKEN creates only the first one (an operator hosting several teams sets ALLOW_MORE_WORKSPACES=true)');
    }
    const out: SetupResponse = { workspaceId: ids.workspaceId, memberId: ids.memberId, token, ownerInvite: owner.invite };
    return c.json(out, 201);
  });

  return app;
}
