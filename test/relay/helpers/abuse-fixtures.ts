/**
 * Two workspaces built through the relay's own routes: A with something of every kind an attacker
 * could name (a store, team and personal channels, an Official Account binding, an alert, a job,
 * invites live, used and expired, OAuth states live, used and expired) and members in every
 * state; B, the neighbour, with an owner and nothing else.
 */
import { AbuseWorld, PUSHPLUS_TOKEN, SENDKEY, US, WECOM_KEY, WORLD_SECRETS } from './abuse-world.ts';
import type { Issued } from './abuse-leaks.ts';
import { signedQuery, subscribeXml } from './abuse-wechat.ts';

export interface Member {
  memberId: string;
  token: string;
  /** The token's device id (POST /v1/pair answers it). */
  deviceId?: string;
}

export interface Tenants {
  a: {
    workspaceId: string;
    owner: Member;
    member: Member;
    /** A second member, owner of a personal PushPlus channel and of a pending QR scene. */
    other: Member;
    /** Token revoked with DELETE /v1/tokens/current. */
    revokedToken: Member;
    /** Member revoked in D1 (there is no route for it yet); the token itself is live. */
    revokedMember: Member;
    storeId: string;
    refreshToken: string;
    teamChannelId: string;
    memberChannelId: string;
    otherChannelId: string;
    oaChannelId: string;
    openid: string;
    alertId: number;
    jobId: string;
    liveInvite: string;
    usedInvite: string;
    expiredInvite: string;
    liveState: string;
    usedState: string;
    expiredState: string;
    pendingScene: string;
  };
  b: { workspaceId: string; owner: Member };
}

async function setup(world: AbuseWorld, name: string): Promise<Member & { workspaceId: string }> {
  return world.must(201, 'POST', '/v1/setup', { token: WORLD_SECRETS.setupToken, body: { workspace: name, owner: `${name} owner` } });
}

async function invite(world: AbuseWorld, owner: Member): Promise<string> {
  return (await world.must<{ code: string }>(201, 'POST', '/v1/invites', { token: owner.token, body: {} })).code;
}

async function pair(world: AbuseWorld, owner: Member, device: string): Promise<Member> {
  return world.must(201, 'POST', '/v1/pair', { body: { code: await invite(world, owner), device } });
}

/** The start page's redirect to Amazon and the confirmation form carry an OAuth state by design. */
const OAUTH_STATE_CARRIERS = ['GET /v1/oauth/begin', 'GET /v1/oauth/callback'] as const;

/**
 * A state the owner's browser has opened (it holds the start page's cookie), as "Connect with
 * Amazon" leaves it while the seller is on Amazon's consent page.
 */
export async function oauthState(world: AbuseWorld, owner: Member): Promise<{ state: string; cookie: string }> {
  const { url } = await world.must<{ url: string }>(200, 'POST', '/v1/oauth/start', { token: owner.token, body: { region: 'na' } });
  const start = new URL(url);
  const begun = await world.call('GET', `${start.pathname}${start.search}`);
  if (begun.status !== 302) throw new Error(`oauth begin: ${begun.status} ${begun.text}`);
  return { state: start.searchParams.get('state')!, cookie: begun.headers.get('set-cookie')!.split(';')[0]! };
}

/** Amazon sends the owner's browser back and the owner confirms: the final page. */
export async function finishConsent(world: AbuseWorld, consent: { state: string; cookie: string }, code = 'code-ok-abuse', seller = 'A1ABUSESELLER') {
  const back = await world.call('GET', oauthCallbackPath(consent.state, code, seller), { headers: { cookie: consent.cookie } });
  const csrf = /name="csrf" value="([0-9a-f]{64})"/.exec(back.text)?.[1] ?? '';
  return world.call('POST', '/v1/oauth/callback', {
    raw: new URLSearchParams({ state: consent.state, csrf }).toString(),
    headers: { cookie: consent.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: 'https://relay.test' },
  });
}

async function channel(world: AbuseWorld, as: Member, body: Record<string, string>): Promise<string> {
  return (await world.must<{ channel: { id: string } }>(201, 'POST', '/v1/channels', { token: as.token, body })).channel.id;
}

export function oauthCallbackPath(state: string, code = 'code-ok-abuse', seller = 'A1ABUSESELLER'): string {
  return `/v1/oauth/callback?${new URLSearchParams({ state, selling_partner_id: seller, spapi_oauth_code: code })}`;
}

export async function buildTenants(world: AbuseWorld): Promise<Tenants> {
  const start = world.now;
  // Made eleven minutes in the past, so they have expired (ten-minute lifetimes) by the time the tests run.
  world.now = start - 11 * 60_000;
  const early = await setup(world, 'Abuse A');
  const expiredInvite = await invite(world, early);
  const expiredState = (await oauthState(world, early)).state;
  world.now = start;

  const owner = { memberId: early.memberId, token: early.token };
  const member = await pair(world, owner, 'Member laptop');
  const other = await pair(world, owner, 'Other laptop');
  const revokedToken = await pair(world, owner, 'Lost laptop');
  await world.must(204, 'DELETE', '/v1/tokens/current', { token: revokedToken.token });
  const revokedMember = await pair(world, owner, 'Departed laptop');
  await world.env.DB.prepare('UPDATE members SET revoked_at = ? WHERE id = ?').bind(world.now, revokedMember.memberId).run();

  const refreshToken = 'Atzr|good-abuse-tenant-a';
  const store = await world.must<{ id: string }>(201, 'POST', '/v1/stores', { token: owner.token, body: { name: 'Abuse A US', region: 'na', refreshToken } });
  const teamChannelId = await channel(world, owner, { type: 'wecom', name: '运营群', secret: WECOM_KEY });
  const memberChannelId = await channel(world, member, { type: 'serverchan', name: 'Server酱', secret: SENDKEY });
  const otherChannelId = await channel(world, other, { type: 'pushplus', name: 'PushPlus', secret: PUSHPLUS_TOKEN });

  // The member binds the Official Account; the other member's QR is left pending, for forgeries to aim at.
  await world.must(200, 'POST', '/v1/wechat/qr', { token: member.token, body: {} });
  const memberScene = world.wechat.oa.view().qrCodes.at(-1)!.scene;
  const openid = 'oAbuseMemberOpenid0001';
  await world.wechat.oa.scan({ openid }); // follows; the subscribe callback is posted below
  const createTime = Math.floor(world.now / 1000);
  await world.call('POST', `/wechat/callback?${await signedQuery(WORLD_SECRETS.wechatToken, createTime)}`, {
    raw: subscribeXml(openid, `qrscene_${memberScene}`, createTime),
    headers: { 'content-type': 'text/xml' },
  });
  // A scan binds nothing until its member confirms it in options.
  await world.must(200, 'POST', '/v1/wechat/binding/confirm', { token: member.token });
  const oa = await world.env.DB.prepare("SELECT channel_id FROM oa_bindings WHERE member_id = ? AND state = 'bound'").bind(member.memberId).first<{ channel_id: string }>();
  if (!oa) throw new Error('fixture: the Official Account binding did not happen');
  await world.must(200, 'POST', '/v1/wechat/qr', { token: other.token, body: {} });
  const pendingScene = world.wechat.oa.view().qrCodes.at(-1)!.scene;

  const alert = await world.env.DB.prepare(
    `INSERT INTO alerts (workspace_id, store_id, marketplace_id, event_key, kind, severity, category, payload, created_at)
     VALUES (?, ?, ?, ?, 'level_changed', 'critical', 'problem', '{}', ?) RETURNING id`,
  )
    .bind(early.workspaceId, store.id, US, `abuse-${store.id}`, world.now)
    .first<{ id: number }>();
  const job = await world.must<{ jobId: string }>(202, 'POST', `/v1/stores/${store.id}/refresh`, { token: owner.token, body: {} });

  const usedInvite = await invite(world, owner);
  await world.must(201, 'POST', '/v1/pair', { body: { code: usedInvite, device: 'Used-code laptop' } });
  const liveInvite = await invite(world, owner);
  const used = await oauthState(world, owner);
  const finished = await finishConsent(world, used);
  if (finished.status !== 200) throw new Error(`oauth consent: ${finished.status} ${finished.text}`);
  const usedState = used.state;
  const liveState = (await oauthState(world, owner)).state;

  const b = await setup(world, 'Abuse B');
  return {
    a: {
      workspaceId: early.workspaceId,
      owner,
      member,
      other,
      revokedToken,
      revokedMember,
      storeId: store.id,
      refreshToken,
      teamChannelId,
      memberChannelId,
      otherChannelId,
      oaChannelId: oa.channel_id,
      openid,
      alertId: alert!.id,
      jobId: job.jobId,
      liveInvite,
      usedInvite,
      expiredInvite,
      liveState,
      usedState,
      expiredState,
      pendingScene,
    },
    b: { workspaceId: b.workspaceId, owner: { memberId: b.memberId, token: b.token } },
  };
}

/** What identifies workspace A's rows and objects (a B request must find and change none of them). */
export function markersOfA(t: Tenants): string[] {
  const a = t.a;
  return [a.workspaceId, a.owner.memberId, a.member.memberId, a.other.memberId, a.storeId, a.teamChannelId, a.memberChannelId, a.otherChannelId, a.oaChannelId, a.jobId];
}

/** Every secret the fixtures handed the relay, by name, for the leak scans. */
export function fixtureSecrets(t: Tenants): Record<string, string> {
  return {
    ...WORLD_SECRETS,
    refreshTokenA: t.a.refreshToken,
    oauthRefreshToken: 'Atzr|good-code-ok-abuse',
    accessTokenA: `Atza|for:${t.a.refreshToken}`,
    wecomKey: WECOM_KEY,
    sendKey: SENDKEY,
    pushPlusToken: PUSHPLUS_TOKEN,
    openid: t.a.openid,
  };
}

/** The credentials the relay itself issued to the fixtures: API tokens, pairing codes, OAuth states. */
export function fixtureCredentials(t: Tenants): Record<string, Issued> {
  const token = (value: string, issuedBy = 'POST /v1/pair') => ({ value, issuedBy });
  return {
    ownerA: token(t.a.owner.token, 'POST /v1/setup'),
    memberA: token(t.a.member.token),
    otherA: token(t.a.other.token),
    revokedA: token(t.a.revokedToken.token),
    ownerB: token(t.b.owner.token, 'POST /v1/setup'),
    liveInvite: token(t.a.liveInvite, 'POST /v1/invites'),
    liveState: { ...token(t.a.liveState, 'POST /v1/oauth/start'), carriedBy: OAUTH_STATE_CARRIERS },
    usedState: { ...token(t.a.usedState, 'POST /v1/oauth/start'), carriedBy: OAUTH_STATE_CARRIERS },
  };
}
