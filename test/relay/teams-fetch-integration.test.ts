/**
 * Teams that run one browser profile per store (issue 12 item 3): enrolment codes that pair many
 * profiles as one member, the members and devices owners see, revoking a device or a member.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { SETUP_TOKEN, call, pairMember, rowCounts, setupWorkspace, type Workspace } from './helpers/relay-client.ts';

const SENDKEY = 'SCTteams0sendkey0Zq81Lm';
const DAY_MS = 24 * 3600_000;

interface Paired {
  token: string;
  memberId: string;
  role: string;
  deviceId: string;
}

async function enrolmentCode(as: Workspace | Paired, body: Record<string, unknown>): Promise<string> {
  const res = await call<{ code: string; expiresAt: number }>('POST', '/v1/invites', { token: as.token, body });
  if (res.status !== 201) throw new Error(`invite: ${res.status} ${res.text}`);
  return res.body.code;
}

async function pair(code: string, device: string): Promise<Paired> {
  const res = await call<Paired>('POST', '/v1/pair', { body: { code, device } });
  if (res.status !== 201) throw new Error(`pair: ${res.status} ${res.text}`);
  return res.body;
}

async function works(token: string): Promise<boolean> {
  return (await call('GET', '/v1/me', { token })).status === 200;
}

describe('an enrolment code for several profiles', () => {
  it('enrols two profiles as one member, and refuses a third once used up', async () => {
    const owner = await setupWorkspace();
    const res = await call<{ code: string; expiresAt: number }>('POST', '/v1/invites', { token: owner.token, body: { devices: 2, name: '小王' } });
    expect(res.status).toBe(201);
    // A code for a team's profiles lives a day, not the ten minutes of a one-off pairing code.
    expect(res.body.expiresAt - Date.now()).toBeGreaterThan(DAY_MS - 60_000);
    expect(res.body.expiresAt - Date.now()).toBeLessThanOrEqual(DAY_MS);

    const first = await pair(res.body.code, 'AdsPower 01');
    const second = await pair(res.body.code, 'AdsPower 02');
    expect(second.memberId).toBe(first.memberId);
    expect([first.role, second.role]).toEqual(['member', 'member']);
    expect(first.token).not.toBe(second.token);

    const before = await rowCounts();
    const third = await call('POST', '/v1/pair', { body: { code: res.body.code, device: 'AdsPower 03' } });
    expect(third.status).toBe(400);
    expect(third.body).toEqual({ error: { code: 'invite_invalid', message: expect.stringContaining('already used') } });
    expect(await rowCounts()).toEqual(before);

    const me = await call<{ name: string; devices: Array<{ device: string }>; deviceId: string }>('GET', '/v1/me', { token: second.token });
    expect(me.body.name).toBe('小王');
    expect(me.body.devices.map((d) => d.device)).toEqual(['AdsPower 01', 'AdsPower 02']);
    expect(me.body.deviceId).toBe(second.deviceId);
  });

  it('puts profiles pairing at the same moment on one member', async () => {
    const owner = await setupWorkspace();
    const code = await enrolmentCode(owner, { devices: 3 });
    const paired = await Promise.all(['紫鸟 A', '紫鸟 B', '紫鸟 C'].map((device) => pair(code, device)));
    expect(new Set(paired.map((p) => p.memberId)).size).toBe(1);
    const members = await call<{ members: Array<{ id: string }> }>('GET', '/v1/members', { token: owner.token });
    expect(members.body.members.filter((m) => m.id === paired[0]!.memberId)).toHaveLength(1);
  });

  it('adds devices to an existing member when an owner names them', async () => {
    const owner = await setupWorkspace();
    const member = await pairMember(owner, 'Laptop');
    const code = await enrolmentCode(owner, { devices: 5, memberId: member.memberId });
    const added = await pair(code, 'VMLogin 7');
    expect(added).toMatchObject({ memberId: member.memberId, role: 'member' });
  });

  it('lets a member enrol devices for themself only', async () => {
    const owner = await setupWorkspace();
    const member = await pairMember(owner, 'Laptop');
    const own = await call<{ code: string }>('POST', '/v1/invites', { token: member.token, body: { devices: 2, memberId: member.memberId } });
    expect(own.status).toBe(201);
    expect((await pair(own.body.code, 'SuperBrowser 3')).memberId).toBe(member.memberId);
    for (const body of [{ devices: 2 }, {}, { memberId: owner.memberId }]) {
      const refused = await call('POST', '/v1/invites', { token: member.token, body });
      expect([refused.status, refused.body], JSON.stringify(body)).toEqual([403, { error: { code: 'owners_only', message: expect.any(String) } }]);
    }
  });

  it('refuses a device count outside 1-200, a name beside a memberId, and names the field', async () => {
    const owner = await setupWorkspace();
    const before = await rowCounts();
    for (const body of [{ devices: 0 }, { devices: 201 }, { devices: 1.5 }, { devices: '2' }, { memberId: owner.memberId, name: 'x' }, { extra: 1 }]) {
      const res = await call<{ error: { code: string; message: string } }>('POST', '/v1/invites', { token: owner.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid');
    }
    const res = await call<{ error: { message: string } }>('POST', '/v1/invites', { token: owner.token, body: { devices: 201 } });
    expect(res.body.error.message).toBe('devices: at most 200 devices');
    expect(await rowCounts()).toEqual(before);
  });

  it("answers 404 for a memberId of another workspace, or of a removed member", async () => {
    const owner = await setupWorkspace();
    const neighbour = await setupWorkspace('Neighbour');
    const gone = await pairMember(owner, 'Gone');
    expect((await call('DELETE', `/v1/members/${gone.memberId}`, { token: owner.token })).status).toBe(204);
    for (const memberId of [neighbour.memberId, gone.memberId, 'not-a-member']) {
      const res = await call('POST', '/v1/invites', { token: owner.token, body: { devices: 2, memberId } });
      expect([res.status, res.body]).toEqual([404, { error: { code: 'not_found', message: 'no such member' } }]);
    }
  });

  it('keeps the one-off code of old clients: an empty body or none pairs one new member', async () => {
    const owner = await setupWorkspace();
    const res = await call<{ code: string; expiresAt: number }>('POST', '/v1/invites', { token: owner.token });
    expect(res.status).toBe(201);
    expect(res.body.expiresAt - Date.now()).toBeLessThanOrEqual(10 * 60_000);
    const paired = await pair(res.body.code, 'Chrome');
    expect(paired.memberId).not.toBe(owner.memberId);
    expect((await call('POST', '/v1/pair', { body: { code: res.body.code, device: 'again' } })).status).toBe(400);
  });
});

describe('the first owner', () => {
  it('gets an owner enrolment code from setup, and pairs the extension as that owner', async () => {
    const res = await call<{ memberId: string; ownerInvite: { code: string; expiresAt: number } }>('POST', '/v1/setup', {
      token: SETUP_TOKEN,
      body: { workspace: 'Owner pairs', owner: 'Lin' },
    });
    expect(res.status).toBe(201);
    const paired = await pair(res.body.ownerInvite.code, 'Chrome on Lin laptop');
    expect(paired).toMatchObject({ memberId: res.body.memberId, role: 'owner' });
    expect((await call('GET', '/v1/members', { token: paired.token })).status).toBe(200);
  });

  it('can make codes for their own further profiles', async () => {
    const owner = await setupWorkspace();
    const code = await enrolmentCode(owner, { devices: 3, memberId: owner.memberId });
    expect(await pair(code, '紫鸟 店铺 1')).toMatchObject({ memberId: owner.memberId, role: 'owner' });
  });
});

describe('GET /v1/members', () => {
  it('lists every live member with their live devices for owners', async () => {
    const owner = await setupWorkspace();
    const code = await enrolmentCode(owner, { devices: 2, name: '运营 小李' });
    const a = await pair(code, 'AdsPower 1');
    await pair(code, 'AdsPower 2');
    await call('GET', '/v1/me', { token: a.token });
    const res = await call<{ members: Array<{ id: string; name: string; role: string; devices: Array<Record<string, unknown>> }> }>('GET', '/v1/members', { token: owner.token });
    expect(res.status).toBe(200);
    expect(res.body.members.map((m) => [m.name, m.role, m.devices.map((d) => d.device)])).toEqual([
      ['Lin', 'owner', ['setup']],
      ['运营 小李', 'member', ['AdsPower 1', 'AdsPower 2']],
    ]);
    const used = res.body.members[1]!.devices[0]!;
    expect(used).toEqual({ id: a.deviceId, device: 'AdsPower 1', createdAt: expect.any(Number), lastSeenAt: expect.any(Number) });
  });

  it('refuses members with 403', async () => {
    const owner = await setupWorkspace();
    const member = await pairMember(owner);
    const res = await call('GET', '/v1/members', { token: member.token });
    expect([res.status, res.body]).toEqual([403, { error: { code: 'owners_only', message: expect.any(String) } }]);
  });

  it('notes when a device was last seen at most once per few minutes', async () => {
    const owner = await setupWorkspace();
    const member = await pairMember(owner);
    await call('GET', '/v1/me', { token: member.token });
    const seen = async () => (await env.DB.prepare('SELECT last_seen_at FROM api_tokens WHERE member_id = ?').bind(member.memberId).first<{ last_seen_at: number }>())!.last_seen_at;
    const first = await seen();
    expect(first).toEqual(expect.any(Number));
    // Pretend the note is a minute old: the next request leaves it alone.
    await env.DB.prepare('UPDATE api_tokens SET last_seen_at = last_seen_at - 60000 WHERE member_id = ?').bind(member.memberId).run();
    await call('GET', '/v1/me', { token: member.token });
    expect(await seen()).toBe(first - 60_000);
    // Ten minutes old: noted again.
    await env.DB.prepare('UPDATE api_tokens SET last_seen_at = last_seen_at - 600000 WHERE member_id = ?').bind(member.memberId).run();
    await call('GET', '/v1/me', { token: member.token });
    expect(await seen()).toBeGreaterThan(first - 60_000);
  });
});

describe('DELETE /v1/devices/:id', () => {
  it('stops exactly that token, at once', async () => {
    const owner = await setupWorkspace();
    const code = await enrolmentCode(owner, { devices: 2 });
    const lost = await pair(code, 'Wiped profile');
    const kept = await pair(code, 'Still here');
    expect((await call('DELETE', `/v1/devices/${lost.deviceId}`, { token: owner.token })).status).toBe(204);
    expect(await works(lost.token)).toBe(false);
    expect(await works(kept.token)).toBe(true);
    expect(await works(owner.token)).toBe(true);
    expect((await call('DELETE', `/v1/devices/${lost.deviceId}`, { token: owner.token })).status).toBe(404);
  });

  it("lets a member revoke their own device, this one included, but not another member's", async () => {
    const owner = await setupWorkspace();
    const code = await enrolmentCode(owner, { devices: 2 });
    const mine = await pair(code, 'Mine 1');
    const mine2 = await pair(code, 'Mine 2');
    const other = await pairMember(owner, 'Other');
    const otherMe = await call<{ deviceId: string }>('GET', '/v1/me', { token: other.token });
    const res = await call('DELETE', `/v1/devices/${otherMe.body.deviceId}`, { token: mine.token });
    expect([res.status, res.body]).toEqual([404, { error: { code: 'not_found', message: 'no such device' } }]);
    expect(await works(other.token)).toBe(true);
    expect((await call('DELETE', `/v1/devices/${mine2.deviceId}`, { token: mine.token })).status).toBe(204);
    // Disconnect in options: a profile revokes its own token.
    expect((await call('DELETE', `/v1/devices/${mine.deviceId}`, { token: mine.token })).status).toBe(204);
    expect(await works(mine.token)).toBe(false);
    expect(await works(mine2.token)).toBe(false);
  });

  it("answers 404 for another workspace's device and changes nothing", async () => {
    const owner = await setupWorkspace();
    const neighbour = await setupWorkspace('Neighbour');
    const member = await pairMember(owner);
    const me = await call<{ deviceId: string }>('GET', '/v1/me', { token: member.token });
    const res = await call('DELETE', `/v1/devices/${me.body.deviceId}`, { token: neighbour.token });
    expect(res.status).toBe(404);
    expect(await works(member.token)).toBe(true);
  });
});

describe('DELETE /v1/members/:id (offboarding)', () => {
  it("stops every token of the member and removes their personal channels and WeChat binding", async () => {
    const owner = await setupWorkspace();
    const code = await enrolmentCode(owner, { devices: 2 });
    const a = await pair(code, 'Profile A');
    const b = await pair(code, 'Profile B');
    const channel = await call<{ channel: { id: string } }>('POST', '/v1/channels', { token: a.token, body: { type: 'serverchan', name: 'Server酱', secret: SENDKEY } });
    expect(channel.status).toBe(201);
    await env.DB.prepare("INSERT INTO oa_bindings (member_id, workspace_id, scene, scene_expires_at, state, updated_at) VALUES (?, ?, ?, 0, 'bound', 0)")
      .bind(a.memberId, owner.workspaceId, `scene-${a.memberId}`)
      .run();
    const left = await enrolmentCode(owner, { devices: 5, memberId: a.memberId });

    expect((await call('DELETE', `/v1/members/${a.memberId}`, { token: owner.token })).status).toBe(204);
    expect(await works(a.token)).toBe(false);
    expect(await works(b.token)).toBe(false);
    expect(await works(owner.token)).toBe(true);
    const count = async (sql: string) => (await env.DB.prepare(sql).bind(a.memberId).first<{ n: number }>())!.n;
    expect(await count('SELECT COUNT(*) AS n FROM channels WHERE member_id = ?')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM oa_bindings WHERE member_id = ?')).toBe(0);
    // A code still meant for them enrols nobody any more.
    expect((await call('POST', '/v1/pair', { body: { code: left, device: 'late' } })).status).toBe(400);
    const members = await call<{ members: Array<{ id: string }> }>('GET', '/v1/members', { token: owner.token });
    expect(members.body.members.map((m) => m.id)).not.toContain(a.memberId);
  });

  it('is for owners only: a member gets 403 and the member stays', async () => {
    const owner = await setupWorkspace();
    const member = await pairMember(owner, 'Member');
    const other = await pairMember(owner, 'Other');
    const res = await call('DELETE', `/v1/members/${other.memberId}`, { token: member.token });
    expect([res.status, res.body]).toEqual([403, { error: { code: 'owners_only', message: expect.any(String) } }]);
    expect(await works(other.token)).toBe(true);
  });

  it("answers 404 for another workspace's member, and refuses an owner removing themself", async () => {
    const owner = await setupWorkspace();
    const neighbour = await setupWorkspace('Neighbour');
    const member = await pairMember(owner);
    expect((await call('DELETE', `/v1/members/${member.memberId}`, { token: neighbour.token })).status).toBe(404);
    expect(await works(member.token)).toBe(true);
    const self = await call('DELETE', `/v1/members/${owner.memberId}`, { token: owner.token });
    expect(self.status).toBe(400);
    expect(await works(owner.token)).toBe(true);
  });
});
