/**
 * Abuse suite, secrets (issue 7 item 3.5): the paths that carry secrets - adding, changing and
 * testing channels, adding stores by token and by "Connect with Amazon", refusals by Amazon and by
 * the push services, a relay failing with a secret in hand - while every console line is captured.
 * No response body and no log line may contain a refresh token, access token, WeCom key, SendKey,
 * PushPlus token, openid, OAuth code, SETUP_TOKEN, the encryption key, or another member's bearer
 * token.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Tenants, buildTenants, finishConsent, fixtureCredentials, fixtureSecrets, oauthState } from './helpers/abuse-fixtures.ts';
import { captureConsole, findLeaks } from './helpers/abuse-leaks.ts';
import { AbuseWorld, WECOM_KEY, isEnvelope } from './helpers/abuse-world.ts';

/** Secrets this file hands the relay on top of the fixtures'. */
const MORE = {
  refusedRefreshToken: 'Atzr|refused-abuse-0a9b8c7d6e',
  outageRefreshToken: 'Atzr|lwa-down',
  newSendKey: 'sctp42tAbuseRotatedKey0099',
  unknownWecomKey: 'ffffeeee-abuse-dddd-cccc-bbbbaaaa9999',
  echoedWecomKey: '11112222-abuse-3333-4444-555566667777',
  refusedOAuthCode: 'oauth-code-abuse-refused-31337',
  grantedOAuthCode: 'code-ok-abuse-granted',
  brokenWorldRefreshToken: 'Atzr|good-abuse-broken-world',
  brokenWorldWecomKey: '9999aaaa-abuse-bbbb-cccc-ddddeeeeffff',
} as const;

let world: AbuseWorld;
let tenants: Tenants;
let logs: string[];

beforeAll(async () => {
  world = new AbuseWorld();
  logs = captureConsole();
  tenants = await buildTenants(world);
});
afterAll(() => vi.restoreAllMocks());

describe('secrets on their way in', () => {
  it('come back only as masked hints, however the channels are listed, changed and tested', async () => {
    const { owner, member, other } = tenants.a;
    for (const as of [owner, member, other]) {
      for (const path of ['/v1/channels', '/v1/stores', '/v1/overview', '/v1/me', '/v1/rules', '/v1/prefs', '/v1/alerts']) {
        expect((await world.call('GET', path, { token: as.token })).status).toBe(200);
      }
    }
    const patched = await world.call<{ channel: { secretHint: string } }>('PATCH', `/v1/channels/${tenants.a.memberChannelId}`, { token: member.token, body: { secret: MORE.newSendKey } });
    expect(patched.body.channel.secretHint).toBe('sctp…0099');
    const tests = [
      [owner, tenants.a.teamChannelId],
      [member, tenants.a.memberChannelId],
      [other, tenants.a.otherChannelId],
      [member, tenants.a.oaChannelId],
    ] as const;
    for (const [as, id] of tests) {
      const res = await world.call<{ verdict: { outcome: string } }>('POST', `/v1/channels/${id}/test`, { token: as.token, body: {} });
      expect([id, res.status, res.body.verdict.outcome]).toEqual([id, 200, 'sent']);
    }
    // The stand-ins did receive the real secrets, so the masking above was not for want of them.
    expect(world.wechat.messages().map((m) => m.to).sort()).toEqual([tenants.a.openid, MORE.newSendKey, WECOM_KEY, 'abuse0pushplus0token0a1b2c3d4e5'].sort());
  });

  it('are not echoed by refusals: Amazon refusing a token or a code, an LWA outage, a malformed or unknown key', async () => {
    const { owner } = tenants.a;
    const refused = await world.call('POST', '/v1/stores', { token: owner.token, body: { name: 'Refused', region: 'na', refreshToken: MORE.refusedRefreshToken } });
    expect([refused.status, isEnvelope(refused.body, 'amazon_authorization_failed')]).toEqual([422, true]);
    const outage = await world.call('POST', '/v1/stores', { token: owner.token, body: { name: 'Outage', region: 'na', refreshToken: MORE.outageRefreshToken } });
    expect(outage.status).toBeGreaterThanOrEqual(500);
    expect(isEnvelope(outage.body, 'amazon_unavailable')).toBe(true);

    const badFormat = await world.call('POST', '/v1/channels', { token: owner.token, body: { type: 'pushplus', name: 'x', secret: `${MORE.unknownWecomKey}!` } });
    expect([badFormat.status, isEnvelope(badFormat.body, 'invalid_secret')]).toEqual([400, true]);
    const unknown = await world.must<{ channel: { id: string } }>(201, 'POST', '/v1/channels', { token: owner.token, body: { type: 'wecom', name: 'Unknown robot', secret: MORE.unknownWecomKey } });
    const tested = await world.call<{ verdict: { outcome: string } }>('POST', `/v1/channels/${unknown.channel.id}/test`, { token: owner.token, body: {} });
    expect(tested.body.verdict.outcome).toBe('broken');

    const page = await finishConsent(world, await oauthState(world, owner), MORE.refusedOAuthCode);
    expect(page.status).toBe(400);
    const granted = await finishConsent(world, await oauthState(world, owner), MORE.grantedOAuthCode, 'A1GRANTED');
    expect(granted.status).toBe(200);
  });

  it('are not passed on when a push service quotes the key back in its error', async () => {
    const { owner } = tenants.a;
    const robot = await world.must<{ channel: { id: string } }>(201, 'POST', '/v1/channels', { token: owner.token, body: { type: 'wecom', name: 'Echoing robot', secret: MORE.echoedWecomKey } });
    world.intercept = (u) =>
      u.hostname === 'qyapi.weixin.qq.com'
        ? new Response(JSON.stringify({ errcode: 93000, errmsg: `invalid webhook url ${u.href}, key ${u.searchParams.get('key')}` }), { headers: { 'content-type': 'application/json' } })
        : undefined;
    try {
      const tested = await world.call<{ verdict: { outcome: string } }>('POST', `/v1/channels/${robot.channel.id}/test`, { token: owner.token, body: {} });
      expect(tested.body.verdict.outcome).toBe('broken');
    } finally {
      world.intercept = null;
    }
    const listed = await world.call('GET', '/v1/channels', { token: owner.token });
    expect(listed.text).toContain('Echoing robot');
  });
});

describe('a relay failing with a secret in hand', () => {
  it('answers 500 with a request id and logs the failure without the secret', async () => {
    // A deployment whose encryption key is not a key: sealing the pasted secret fails.
    const broken = new AbuseWorld({ TOKEN_ENCRYPTION_KEY: 'not base64 at all' });
    const store = await broken.call('POST', '/v1/stores', { token: tenants.a.owner.token, body: { name: 'Broken', region: 'na', refreshToken: MORE.brokenWorldRefreshToken } });
    const robot = await broken.call('POST', '/v1/channels', { token: tenants.a.owner.token, body: { type: 'wecom', name: 'Broken robot', secret: MORE.brokenWorldWecomKey } });
    for (const res of [store, robot]) {
      expect(res.status).toBe(500);
      expect(isEnvelope(res.body, 'internal')).toBe(true);
      expect(logs.some((line) => line.includes(res.headers.get('x-request-id')!))).toBe(true);
    }
    world.seen.push(...broken.seen);
  });
});

describe('over the whole file', () => {
  it('no secret reached a response body or a log line', () => {
    const secrets = { ...fixtureSecrets(tenants), ...MORE };
    expect(findLeaks(secrets, world.seen, logs, fixtureCredentials(tenants))).toEqual([]);
    expect(logs.length).toBeGreaterThan(0);
  });
});
