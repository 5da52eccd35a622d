import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { SETUP_TOKEN, call, freshIp, pairMember, rowCounts, setupWorkspace } from './helpers/relay-client.ts';

describe('setup with the deployment SETUP_TOKEN', () => {
  it('creates a workspace whose owner token works on /v1/me', async () => {
    const ws = await setupWorkspace('Acme 团队');
    expect(ws.token).toMatch(/^sw_[A-Za-z0-9_-]{43}$/);
    const me = await call('GET', '/v1/me', { token: ws.token });
    expect(me.status).toBe(200);
    const device = { id: expect.any(String), device: 'setup', createdAt: expect.any(Number), lastSeenAt: expect.any(Number) };
    expect(me.body).toEqual({ workspaceId: ws.workspaceId, workspaceName: 'Acme 团队', memberId: ws.memberId, name: 'Lin', role: 'owner', devices: [device], deviceId: expect.any(String) });
  });

  it('keeps only the SHA-256 of the token in D1', async () => {
    const ws = await setupWorkspace();
    const stored = await env.DB.prepare('SELECT token_hash FROM api_tokens WHERE member_id = ?').bind(ws.memberId).first<{ token_hash: string }>();
    expect(stored?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored?.token_hash).not.toContain(ws.token);
  });

  it('refuses a wrong setup token with 401 and writes nothing', async () => {
    const before = await rowCounts();
    const res = await call('POST', '/v1/setup', { token: 'not-the-setup-token', body: { workspace: 'x', owner: 'y' } });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: { code: 'unauthorized' } });
    expect(await rowCounts()).toEqual(before);
  });

  it('rate-limits setup attempts per client address', async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await call('POST', '/v1/setup', { token: 'guess', body: { workspace: 'x', owner: 'y' }, ip })).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    const right = await call('POST', '/v1/setup', { token: SETUP_TOKEN, body: { workspace: 'x', owner: 'y' }, ip });
    expect(right.status).toBe(429);
    expect(right.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('pairing a second member', () => {
  it('invites with an 8-character unambiguous code that expires in 10 minutes', async () => {
    const owner = await setupWorkspace();
    const before = Date.now();
    const invite = await call<{ code: string; expiresAt: number }>('POST', '/v1/invites', { token: owner.token, body: {} });
    expect(invite.status).toBe(201);
    expect(invite.body.code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/);
    expect(invite.body.expiresAt).toBeGreaterThanOrEqual(before + 10 * 60_000);
    expect(invite.body.expiresAt).toBeLessThanOrEqual(Date.now() + 10 * 60_000);
  });

  it('pairs a member into the owner workspace, with the member role', async () => {
    const owner = await setupWorkspace();
    const invite = await call<{ code: string }>('POST', '/v1/invites', { token: owner.token, body: {} });
    // People type codes in lower case with a dash in the middle.
    const typed = `${invite.body.code.slice(0, 4)}-${invite.body.code.slice(4)}`.toLowerCase();
    const pair = await call<{ token: string; workspaceId: string; memberId: string; role: string }>('POST', '/v1/pair', { body: { code: typed, device: 'Chrome on Wang laptop' } });
    expect(pair.status).toBe(201);
    expect(pair.body).toMatchObject({ workspaceId: owner.workspaceId, role: 'member' });
    const me = await call('GET', '/v1/me', { token: pair.body.token });
    expect(me.body).toMatchObject({ workspaceId: owner.workspaceId, memberId: pair.body.memberId, role: 'member', name: 'Chrome on Wang laptop' });
  });

  it('refuses a replayed invite and writes no second member', async () => {
    const owner = await setupWorkspace();
    const invite = await call<{ code: string }>('POST', '/v1/invites', { token: owner.token, body: {} });
    expect((await call('POST', '/v1/pair', { body: { code: invite.body.code, device: 'first' } })).status).toBe(201);
    const before = await rowCounts();
    const replay = await call('POST', '/v1/pair', { body: { code: invite.body.code, device: 'second' } });
    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({ error: { code: 'invite_invalid', message: expect.stringContaining('already used') } });
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses an expired invite', async () => {
    const owner = await setupWorkspace();
    const invite = await call<{ code: string }>('POST', '/v1/invites', { token: owner.token, body: {} });
    await env.DB.prepare('UPDATE invites SET expires_at = ? WHERE workspace_id = ?').bind(Date.now() - 1, owner.workspaceId).run();
    const before = await rowCounts();
    const res = await call('POST', '/v1/pair', { body: { code: invite.body.code, device: 'late' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'invite_invalid', message: expect.stringContaining('expired') } });
    expect(await rowCounts()).toEqual(before);
  });

  it('rate-limits pairing guesses per client address', async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await call('POST', '/v1/pair', { body: { code: 'AAAAAAAA', device: 'guesser' }, ip })).status);
    expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it('locks a code presented too often, even before it expires', async () => {
    const owner = await setupWorkspace();
    const invite = await call<{ code: string }>('POST', '/v1/invites', { token: owner.token, body: {} });
    await env.DB.prepare('UPDATE invites SET attempts = 5 WHERE workspace_id = ?').bind(owner.workspaceId).run();
    const res = await call('POST', '/v1/pair', { body: { code: invite.body.code, device: 'x' } });
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({ error: { code: 'invite_invalid' } });
  });

  it('lets only owners invite', async () => {
    const owner = await setupWorkspace();
    const member = await pairMember(owner);
    const res = await call('POST', '/v1/invites', { token: member.token, body: {} });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'owners_only' } });
  });
});

describe('tokens', () => {
  it('revokes the token in use with DELETE /v1/tokens/current and leaves the member other tokens alone', async () => {
    const owner = await setupWorkspace();
    const member = await pairMember(owner);
    expect((await call('DELETE', '/v1/tokens/current', { token: member.token })).status).toBe(204);
    expect((await call('GET', '/v1/me', { token: member.token })).status).toBe(401);
    expect((await call('GET', '/v1/me', { token: owner.token })).status).toBe(200);
  });

  it('answers 401 with the envelope for a missing or unknown token', async () => {
    for (const token of [undefined, 'sw_nope']) {
      const res = await call('GET', '/v1/me', { token });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: { code: 'unauthorized', message: expect.any(String) } });
    }
  });
});
