/**
 * Abuse suite, replays and guessing (issue 7 items 3.3 and 3.4): single-use credentials used twice
 * (one after the other and racing), used at and past their expiry on an injected clock, WeChat
 * callbacks replayed or forged, and the per-address limits on setup and pairing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { INVITE_TTL_MS } from '../../relay/routes/members.ts';
import { OAUTH_STATE_TTL_MS } from '../../relay/routes/oauth.ts';
import { type Member, type Tenants, buildTenants, finishConsent, fixtureCredentials, fixtureSecrets } from './helpers/abuse-fixtures.ts';
import { captureConsole, findLeaks } from './helpers/abuse-leaks.ts';
import { signedQuery, subscribeXml } from './helpers/abuse-wechat.ts';
import { AbuseWorld, T0, WORLD_SECRETS, dumpTables, isEnvelope } from './helpers/abuse-world.ts';

/** The documented limits (relay/routes/setup.ts and members.ts): 10 tries per address per 10 minutes. */
const LIMIT = 10;
const WINDOW_MS = 10 * 60_000;

let world: AbuseWorld;
let tenants: Tenants;
let logs: string[];

beforeAll(async () => {
  world = new AbuseWorld();
  logs = captureConsole();
  tenants = await buildTenants(world);
});
// Each test starts a minute into a fresh rate-limit window of its own (windows are aligned to 10 minutes).
let base = T0;
beforeEach(() => {
  base += 6 * WINDOW_MS;
  world.now = base + 60_000;
});
afterAll(() => vi.restoreAllMocks());

const owner = (): Member => tenants.a.owner;

async function newInvite(): Promise<string> {
  return (await world.must<{ code: string }>(201, 'POST', '/v1/invites', { token: owner().token, body: {} })).code;
}

/** A consent the owner's browser started (it holds the start page's cookie). */
async function newState(): Promise<{ state: string; cookie: string }> {
  const { url } = await world.must<{ url: string }>(200, 'POST', '/v1/oauth/start', { token: owner().token, body: { region: 'na' } });
  const start = new URL(url);
  const begun = await world.call('GET', `${start.pathname}${start.search}`);
  return { state: start.searchParams.get('state')!, cookie: begun.headers.get('set-cookie')!.split(';')[0]! };
}

async function count(table: string): Promise<number> {
  return (await world.env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>())!.n;
}

describe('a pairing code', () => {
  it('makes one member when two pairings race for it', async () => {
    const code = await newInvite();
    const members = await count('members');
    const [a, b] = await Promise.all([world.call('POST', '/v1/pair', { body: { code, device: 'racer 1' } }), world.call('POST', '/v1/pair', { body: { code, device: 'racer 2' } })]);
    expect([a.status, b.status].sort()).toEqual([201, 400]);
    expect(await count('members')).toBe(members + 1);
  });

  it('stays used in any spelling, and after the member it made is revoked', async () => {
    const code = await newInvite();
    const paired = await world.must<Member>(201, 'POST', '/v1/pair', { body: { code, device: 'first' } });
    await world.env.DB.prepare('UPDATE members SET revoked_at = ? WHERE id = ?').bind(world.now, paired.memberId).run();
    const before = await dumpTables(world.env.DB);
    for (const spelling of [code, code.toLowerCase(), `${code.slice(0, 4)}-${code.slice(4)}`, ` ${code.split('').join(' ')} `]) {
      const res = await world.call('POST', '/v1/pair', { body: { code: spelling, device: 'second' } });
      expect([res.status, res.body]).toEqual([400, { error: { code: 'invite_invalid', message: expect.stringContaining('already used') } }]);
    }
    expect(await dumpTables(world.env.DB)).toEqual(before);
  });

  it('works until the last millisecond of its ten minutes and not at the tenth minute', async () => {
    const early = await newInvite();
    const onTime = await newInvite();
    world.now += INVITE_TTL_MS - 1;
    expect((await world.call('POST', '/v1/pair', { body: { code: onTime, device: 'just in time' } })).status).toBe(201);
    world.now += 1;
    const before = await dumpTables(world.env.DB);
    const late = await world.call('POST', '/v1/pair', { body: { code: early, device: 'too late' } });
    expect([late.status, late.body]).toEqual([400, { error: { code: 'invite_invalid', message: expect.stringContaining('expired') } }]);
    expect(await dumpTables(world.env.DB)).toEqual(before);
  });
});

describe('an OAuth state', () => {
  it('adds one store when two callbacks race with it', async () => {
    const state = await newState();
    const stores = await count('stores');
    const [a, b] = await Promise.all([finishConsent(world, state, 'code-ok-race-1', 'A1RACER'), finishConsent(world, state, 'code-ok-race-2', 'A2RACER')]);
    expect([a.status, b.status].sort()).toEqual([200, 400]);
    expect(await count('stores')).toBe(stores + 1);
  });

  it('is spent by a callback Amazon refused: a retry with a good code adds nothing', async () => {
    const state = await newState();
    const refused = await finishConsent(world, state, 'code-refused-by-amazon');
    expect(refused.status).toBe(400);
    const before = await dumpTables(world.env.DB);
    const retry = await finishConsent(world, state, 'code-ok-retry', 'A1RETRY');
    expect(retry.status).toBe(400);
    expect(retry.text).toContain('already used');
    expect(await dumpTables(world.env.DB)).toEqual(before);
  });

  it('works until the last millisecond of its ten minutes and not at the tenth minute', async () => {
    const early = await newState();
    const onTime = await newState();
    world.now += OAUTH_STATE_TTL_MS - 1;
    expect((await finishConsent(world, onTime, 'code-ok-in-time', 'A1INTIME')).status).toBe(200);
    world.now += 1;
    const before = await dumpTables(world.env.DB);
    const late = await finishConsent(world, early, 'code-ok-late', 'A1LATE');
    expect(late.status).toBe(400);
    expect(late.text).toContain('expired');
    expect(await dumpTables(world.env.DB)).toEqual(before);
  });
});

describe('the WeChat callback', () => {
  const nowS = () => Math.floor(world.now / 1000);

  /** A fresh QR for the member; returns its scene. */
  async function qr(member: Member): Promise<string> {
    await world.must(200, 'POST', '/v1/wechat/qr', { token: member.token, body: {} });
    return world.wechat.oa.view().qrCodes.at(-1)!.scene;
  }

  async function post(query: string, xml: string) {
    return world.call('POST', `/wechat/callback?${query}`, { raw: xml, headers: { 'content-type': 'text/xml' } });
  }

  async function ownerBinding() {
    return world.env.DB.prepare('SELECT state, channel_id, openid_hash FROM oa_bindings WHERE member_id = ?').bind(owner().memberId).first();
  }

  it('replayed verbatim, answers "success" and changes nothing', async () => {
    const scene = await qr(owner());
    const query = await signedQuery(WORLD_SECRETS.wechatToken, nowS(), 'replay1');
    const xml = subscribeXml('oOwnerOpenid', `qrscene_${scene}`, nowS());
    expect((await post(query, xml)).text).toBe('success');
    await world.must(200, 'POST', '/v1/wechat/binding/confirm', { token: owner().token });
    expect(await ownerBinding()).toMatchObject({ state: 'bound' });
    const before = await dumpTables(world.env.DB);
    world.now += 30_000;
    const replay = await post(query, xml);
    expect([replay.status, replay.text]).toEqual([200, 'success']);
    expect(await dumpTables(world.env.DB)).toEqual(before);
  });

  it('does not bind a second WeChat user with a spent scene, nor anyone with an expired one', async () => {
    const spent = await qr(tenants.a.member);
    await post(await signedQuery(WORLD_SECRETS.wechatToken, nowS()), subscribeXml('oMemberAgain', `qrscene_${spent}`, nowS()));
    const before = await dumpTables(world.env.DB);
    world.now += 5_000;
    await post(await signedQuery(WORLD_SECRETS.wechatToken, nowS()), subscribeXml('oIntruder', `qrscene_${spent}`, nowS()));
    await post(await signedQuery(WORLD_SECRETS.wechatToken, nowS()), subscribeXml('oIntruder', spent, nowS() + 1, 'SCAN'));
    // The duplicate-drop table records each new event it saw; the bindings and channels do not move.
    const after = await dumpTables(world.env.DB);
    expect({ ...after, wechat_callbacks_seen: [], wechat_nonces: [] }).toEqual({ ...before, wechat_callbacks_seen: [], wechat_nonces: [] });

    const stale = await qr(tenants.a.other);
    world.now += 601_000; // QR codes live 600 s (relay/routes/wechat.ts)
    await post(await signedQuery(WORLD_SECRETS.wechatToken, nowS()), subscribeXml('oLateScanner', `qrscene_${stale}`, nowS()));
    const binding = await world.env.DB.prepare('SELECT state, channel_id FROM oa_bindings WHERE member_id = ?').bind(tenants.a.other.memberId).first();
    expect(binding).toMatchObject({ state: 'pending', channel_id: null });
  });

  it('refuses a captured signature carrying another body (same timestamp and nonce), writing nothing', async () => {
    const scene = await qr(tenants.a.other);
    const query = await signedQuery(WORLD_SECRETS.wechatToken, nowS(), 'captured1');
    // WeChat's own call: someone else's unfollow, signed for this timestamp and nonce.
    expect((await post(query, subscribeXml('oSomeoneElse', '', nowS(), 'unsubscribe'))).text).toBe('success');
    const before = await dumpTables(world.env.DB);
    const forged = await post(query, subscribeXml('oMallory', `qrscene_${scene}`, nowS()));
    expect([forged.status, forged.text]).toEqual([403, 'forbidden']);
    expect(await dumpTables(world.env.DB)).toEqual(before);
  });

  it('refuses a signed request replayed after five minutes, and every forgery of the signature', async () => {
    const scene = await qr(tenants.a.other);
    const xml = subscribeXml('oForger', `qrscene_${scene}`, nowS());
    const signed = await signedQuery(WORLD_SECRETS.wechatToken, nowS(), 'forge1');
    const params = new URLSearchParams(signed);
    const sha = async (algorithm: string, text: string) =>
      [...new Uint8Array(await crypto.subtle.digest(algorithm, new TextEncoder().encode(text)))].map((b) => b.toString(16).padStart(2, '0')).join('');
    const withSignature = (signature: string, changes: Record<string, string> = {}) => new URLSearchParams({ timestamp: params.get('timestamp')!, nonce: params.get('nonce')!, signature, ...changes }).toString();
    const forgeries: Record<string, string> = {
      'joined unsorted': withSignature(await sha('SHA-1', `${WORLD_SECRETS.wechatToken}${params.get('timestamp')}forge1`)),
      'SHA-256 instead of SHA-1': withSignature(await sha('SHA-256', [WORLD_SECRETS.wechatToken, params.get('timestamp')!, 'forge1'].sort().join(''))),
      'timestamp moved by a second': withSignature(params.get('signature')!, { timestamp: String(nowS() + 1) }),
      'nonce changed': withSignature(params.get('signature')!, { nonce: 'forge2' }),
      'empty nonce': withSignature(await sha('SHA-1', [WORLD_SECRETS.wechatToken, params.get('timestamp')!, ''].sort().join('')), { nonce: '' }),
      'signature with a space': withSignature(`${params.get('signature')!} `),
      'a 13-digit timestamp': withSignature(params.get('signature')!, { timestamp: `${params.get('timestamp')}0` }),
    };
    const before = await dumpTables(world.env.DB);
    for (const [what, query] of Object.entries(forgeries)) {
      const res = await post(query, xml);
      expect([what, res.status, res.text]).toEqual([what, 403, 'forbidden']);
      const echo = await world.call('GET', `/wechat/callback?${query}&echostr=echo-forged`);
      expect([what, echo.status, echo.text]).toEqual([what, 403, 'forbidden']);
    }
    world.now += 5 * 60_000 + 1_000;
    const late = await post(signed, xml);
    expect([late.status, late.text]).toEqual([403, 'forbidden']);
    expect(await dumpTables(world.env.DB)).toEqual(before);
  });
});

describe('guessing', () => {
  it(`gets 429 from pairing after ${LIMIT} wrong codes from one address, even with the live code, which stays unspent`, async () => {
    const live = await newInvite();
    const ip = '203.0.113.7';
    const before = await dumpTables(world.env.DB);
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) statuses.push((await world.call('POST', '/v1/pair', { ip, body: { code: `WRONG${String(i).padStart(3, '2')}`, device: 'guesser' } })).status);
    expect(statuses).toEqual(Array(LIMIT).fill(400));
    const limited = await world.call('POST', '/v1/pair', { ip, body: { code: live, device: 'guesser' } });
    expect(limited.status).toBe(429);
    expect(isEnvelope(limited.body, 'rate_limited')).toBe(true);
    // A minute into the window: the rest of it, to the second.
    expect(limited.headers.get('retry-after')).toBe(String((WINDOW_MS - 60_000) / 1000));
    expect(await dumpTables(world.env.DB)).toEqual(before);
    const invite = await world.env.DB.prepare('SELECT attempts, used_at FROM invites WHERE workspace_id = ? ORDER BY created_at DESC LIMIT 1').bind(tenants.a.workspaceId).first();
    expect(invite).toEqual({ attempts: 0, used_at: null });

    // Another address is not held back, and the guesser's next window starts afresh.
    expect((await world.call('POST', '/v1/pair', { ip: '203.0.113.8', body: { code: 'WRONGAAA', device: 'neighbour' } })).status).toBe(400);
    world.now += WINDOW_MS - 60_000;
    expect((await world.call('POST', '/v1/pair', { ip, body: { code: live, device: 'patient' } })).status).toBe(201);
  });

  it(`gets 429 from setup after ${LIMIT} wrong SETUP_TOKENs from one address, even with the right one, and makes no workspace`, async () => {
    const ip = '198.51.100.23';
    const before = await dumpTables(world.env.DB);
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) statuses.push((await world.call('POST', '/v1/setup', { ip, token: `guess-${i}`, body: { workspace: 'W', owner: 'O' } })).status);
    expect(statuses).toEqual(Array(LIMIT).fill(401));
    const limited = await world.call('POST', '/v1/setup', { ip, token: WORLD_SECRETS.setupToken, body: { workspace: 'W', owner: 'O' } });
    expect([limited.status, isEnvelope(limited.body, 'rate_limited'), limited.headers.get('retry-after')]).toEqual([429, true, String((WINDOW_MS - 60_000) / 1000)]);
    expect(await dumpTables(world.env.DB)).toEqual(before);
    world.now += WINDOW_MS - 60_000;
    expect((await world.call('POST', '/v1/setup', { ip, token: WORLD_SECRETS.setupToken, body: { workspace: 'W', owner: 'O' } })).status).toBe(201);
  });
});

describe('through every replay and guess', () => {
  it('no secret reached a response body or a log line', () => {
    expect(findLeaks(fixtureSecrets(tenants), world.seen, logs, fixtureCredentials(tenants))).toEqual([]);
  });
});
