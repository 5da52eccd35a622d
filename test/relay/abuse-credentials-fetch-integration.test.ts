/**
 * Abuse suite, credentials (issue 7 item 3.1): every route of the relay, read off the app itself,
 * against no credential, malformed ones, revoked or spent ones, the neighbouring workspace's
 * (aimed at workspace A's real objects) and a mere member's on the owners' routes. Refusals are
 * 401/403/404 (the HTML page or WeChat's plain text where those routes answer so), never 500, and
 * not one row of D1 changes.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Attack, attacksOn } from './helpers/abuse-attacks.ts';
import { type Tenants, buildTenants, fixtureCredentials, fixtureSecrets, markersOfA } from './helpers/abuse-fixtures.ts';
import { captureConsole, findLeaks } from './helpers/abuse-leaks.ts';
import { ROUTE_CASES, type RouteCase, appRoutes } from './helpers/abuse-routes.ts';
import { AbuseWorld, type Answer, type Dump, changedTables, dumpTables, isEnvelope, rowsMentioning, sameDump } from './helpers/abuse-world.ts';

let world: AbuseWorld;
let tenants: Tenants;
let logs: string[];
const tally = new Map<string, { kinds: number; requests: number }>();

beforeAll(async () => {
  world = new AbuseWorld();
  logs = captureConsole();
  tenants = await buildTenants(world);
});

afterAll(() => {
  const requests = [...tally.values()].reduce((a, b) => a + b.requests, 0);
  const pairs = [...tally.values()].reduce((a, b) => a + b.kinds, 0);
  console.info(
    `abuse suite, credentials: ${tally.size} routes, ${pairs} route x attack-kind pairs (none, malformed, revoked, neighbour; member where owners or another member own the object), ${requests} requests, each between two full D1 dumps`,
  );
  vi.restoreAllMocks();
});

/** A spare token of B's for the one route that spends the caller's token. */
async function neighbourToken(route: RouteCase, attack: Attack): Promise<Attack> {
  if (attack.kind !== 'neighbour' || !route.spendsToken) return attack;
  const { code } = await world.must<{ code: string }>(201, 'POST', '/v1/invites', { token: tenants.b.owner.token, body: {} });
  const spare = await world.must<{ token: string }>(201, 'POST', '/v1/pair', { body: { code, device: 'B spare' } });
  return { ...attack, options: { ...attack.options, token: spare.token } };
}

/** What is wrong with the relay's answer to one attack (nothing, when all is well). */
function problems(attack: Attack, res: Answer, before: Dump, after: Dump): string[] {
  const out: string[] = [];
  const e = attack.expect;
  if (res.status >= 500) out.push(`answered ${res.status}: ${res.text.slice(0, 200)}`);
  if (e.kind === 'own-scope') {
    // The neighbour acts on its own workspace only: A's rows are as they were, and nothing of A comes back.
    const markers = markersOfA(tenants);
    if (!sameDump(rowsMentioning(after, markers), rowsMentioning(before, markers))) out.push("changed workspace A's rows");
    for (const marker of markers) if (res.text.includes(marker)) out.push(`showed A's ${marker}`);
    return out;
  }
  if (!sameDump(after, before)) out.push(`wrote to D1: ${JSON.stringify(changedTables(before, after))}`);
  const status = e.kind === 'public' ? 200 : e.status;
  if (res.status !== status) out.push(`answered ${res.status}, not ${status}: ${res.text.slice(0, 200)}`);
  if (e.kind !== 'refused') return out;
  if (e.format === 'json' && !isEnvelope(res.body, e.code)) out.push(`no {error:{code${e.code ? `: ${e.code}` : ''},message}} envelope: ${res.text.slice(0, 200)}`);
  if (e.format === 'html' && !res.headers.get('content-type')?.includes('text/html')) out.push('not the HTML result page');
  if (e.format === 'text' && res.text !== 'forbidden') out.push(`answered ${JSON.stringify(res.text.slice(0, 80))}, not "forbidden"`);
  return out;
}

async function check(route: RouteCase, attack: Attack): Promise<string[]> {
  const before = await dumpTables(world.env.DB);
  const res = await world.call(route.route.split(' ')[0]!, attack.path, attack.options);
  const after = await dumpTables(world.env.DB);
  return problems(attack, res, before, after).map((p) => `${route.route}: ${attack.kind} (${attack.what}): ${p}`);
}

describe('the route list', () => {
  it('covers exactly the routes the app serves, so a new route without an entry fails here', () => {
    expect(ROUTE_CASES.map((r) => r.route).sort()).toEqual(appRoutes(world.app));
  });
});

describe.each(ROUTE_CASES.map((r) => [r.route, r] as const))('%s', (_name, route) => {
  it('refuses every attack on its credential without a 500 and without writing a row', async () => {
    const attacks = await attacksOn(route, tenants, Math.floor(world.now / 1000));
    // Every kind of attack is tried on every route (a member's token matters on the owners' routes only).
    const kinds = new Set(attacks.map((a) => a.kind));
    const memberMatters = route.guard !== 'member' || route.names === 'channel' || route.names === 'device';
    expect([...kinds].sort()).toEqual(memberMatters ? ['malformed', 'member', 'neighbour', 'none', 'revoked'] : ['malformed', 'neighbour', 'none', 'revoked']);
    const found: string[] = [];
    for (const attack of attacks) found.push(...(await check(route, await neighbourToken(route, attack))));
    expect(found).toEqual([]);
    tally.set(route.route, { kinds: kinds.size, requests: attacks.length });
  });
});

describe("after the whole matrix, workspace A's objects", () => {
  it('are all still there and unchanged by anyone but their owners', async () => {
    const a = tenants.a;
    const store = await world.env.DB.prepare('SELECT name FROM stores WHERE id = ?').bind(a.storeId).first<{ name: string }>();
    expect(store?.name).toBe('Abuse A US');
    const channel = await world.env.DB.prepare('SELECT name FROM channels WHERE id = ?').bind(a.teamChannelId).first<{ name: string }>();
    expect(channel?.name).toBe('运营群');
    const alert = await world.env.DB.prepare('SELECT acknowledged_at FROM alerts WHERE id = ?').bind(a.alertId).first<{ acknowledged_at: number | null }>();
    expect(alert?.acknowledged_at).toBeNull();
    const pending = await world.env.DB.prepare('SELECT state FROM oa_bindings WHERE member_id = ?').bind(a.other.memberId).first<{ state: string }>();
    expect(pending?.state).toBe('pending');
    expect(await world.call('GET', '/v1/me', { token: a.owner.token })).toMatchObject({ status: 200 });
  });

  it('leaked no secret into any response body or log line', () => {
    expect(findLeaks(fixtureSecrets(tenants), world.seen, logs, fixtureCredentials(tenants))).toEqual([]);
    expect(world.seen.length).toBeGreaterThan(300);
  });
});
