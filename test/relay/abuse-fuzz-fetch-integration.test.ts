/**
 * Abuse suite, bodies (issue 7 item 3.2): seeded hostile bodies on every route that reads JSON,
 * sent with the right credential so they reach validation, and oversized bodies on every route
 * that takes a body at all. Each gets a 4xx with the error envelope, never a 500; no row of D1
 * changes; and Object.prototype is as it was.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Tenants, buildTenants, fixtureCredentials, fixtureSecrets } from './helpers/abuse-fixtures.ts';
import { type FuzzCase, type FuzzCategory, fuzzCases, prng } from './helpers/abuse-fuzz.ts';
import { captureConsole, findLeaks } from './helpers/abuse-leaks.ts';
import { ROUTE_CASES, type RouteCase } from './helpers/abuse-routes.ts';
import { AbuseWorld, WORLD_SECRETS, changedTables, dumpTables, isEnvelope, sameDump } from './helpers/abuse-world.ts';

/** Change the seed to explore; keep it fixed so a failure reproduces. */
const SEED = 0x5eed_ab05;
const CASES_PER_CATEGORY = 6;

let world: AbuseWorld;
let tenants: Tenants;
let logs: string[];
const tally = new Map<string, number>();

/** Object.prototype and its kin as they are before any request (a pollution would add to them). */
const PROTOTYPES = { Object: Object.prototype, Array: Array.prototype, Function: Function.prototype };
const pristine = () => Object.fromEntries(Object.entries(PROTOTYPES).map(([name, proto]) => [name, Object.getOwnPropertyNames(proto).sort().join()]));
const prototypesBefore = pristine();

beforeAll(async () => {
  world = new AbuseWorld();
  logs = captureConsole();
  tenants = await buildTenants(world);
});

afterAll(() => {
  const total = [...tally.values()].reduce((a, b) => a + b, 0);
  console.info(`abuse suite, bodies: ${total} fuzz cases (seed ${SEED.toString(16)}) over ${tally.size} routes: ${[...tally].map(([r, n]) => `${r} ${n}`).join(', ')}`);
  vi.restoreAllMocks();
});

/** A body each JSON route accepts from its rightful caller (rules with a nested record, for depth). */
function validBody(route: RouteCase, t: Tenants): Record<string, never> {
  if (route.route === 'PUT /v1/rules') return { version: 0, rules: { recoveryMessages: false, kindsByStore: { [t.a.storeId]: { level_changed: true } } } } as never;
  return route.body!(t) as Record<string, never>;
}

/** The credential that lets a request reach the route's validation. */
function rightful(route: RouteCase, t: Tenants): { token?: string } {
  if (route.guard === 'setup') return { token: WORLD_SECRETS.setupToken };
  if (route.guard === 'pair' || route.guard === 'wechat-signature') return {};
  return { token: t.a.owner.token };
}

/** The refusal each category earns: the size limit first, then the decoding, then the schema. */
const EXPECTED: Record<FuzzCategory, readonly string[]> = {
  'wrong-type': ['invalid'],
  'missing-field': ['invalid'],
  huge: ['payload_too_large'],
  // JSON.parse takes thousands of levels; whichever refuses first, parser or schema, it is a 400.
  'deeply-nested': ['invalid', 'bad_json'],
  'invalid-utf8': ['bad_json'],
  // 'null', '[]', '0' and the like are JSON, just not an object of the contract.
  'not-json': ['bad_json', 'invalid'],
  'prototype-keys': ['invalid'],
};

async function send(route: RouteCase, c: FuzzCase): Promise<string[]> {
  const method = route.route.split(' ')[0]!;
  const before = await dumpTables(world.env.DB);
  const res = await world.call(method, route.path(tenants), { ...rightful(route, tenants), raw: c.raw, streamed: c.streamed });
  const after = await dumpTables(world.env.DB);
  const out: string[] = [];
  if (res.status < 400 || res.status >= 500) out.push(`answered ${res.status}: ${res.text.slice(0, 160)}`);
  if (!EXPECTED[c.category].some((code) => isEnvelope(res.body, code))) out.push(`not a ${EXPECTED[c.category].join(' or ')} envelope: ${res.text.slice(0, 160)}`);
  if (!sameDump(before, after)) out.push(`wrote to D1: ${JSON.stringify(changedTables(before, after)).slice(0, 400)}`);
  if (JSON.stringify(pristine()) !== JSON.stringify(prototypesBefore) || ({} as Record<string, unknown>)['polluted'] !== undefined) out.push('polluted a prototype');
  return out.map((p) => `${route.route}: ${c.category} (${c.what}${c.streamed ? ', streamed' : ''}): ${p}`);
}

const JSON_ROUTES = ROUTE_CASES.filter((r) => r.readsJson);
/** Routes that take a body without reading JSON from it: only its size can hurt them. */
const OTHER_BODIES = ROUTE_CASES.filter((r) => !r.readsJson && !r.route.startsWith('GET '));

describe.each(JSON_ROUTES.map((r) => [r.route, r] as const))('%s', (_name, route) => {
  it('answers every fuzzed body with a 4xx envelope, writes nothing and pollutes no prototype', async () => {
    // One stream of draws per route, so adding a route does not reshuffle the others' cases.
    const rand = prng(SEED ^ [...route.route].reduce((h, ch) => Math.imul(h, 31) + ch.charCodeAt(0), 7));
    const cases = fuzzCases(validBody(route, tenants), route.required ?? [], rand, CASES_PER_CATEGORY);
    expect(new Set(cases.map((c) => c.category)).size).toBe(route.required ? 7 : 6);
    const found: string[] = [];
    for (const c of cases) found.push(...(await send(route, c)));
    expect(found).toEqual([]);
    tally.set(route.route, cases.length);
  });
});

describe.each(OTHER_BODIES.map((r) => [r.route, r] as const))('%s', (_name, route) => {
  it('refuses a body past 64 KiB, announced or streamed, with 413 before doing anything', async () => {
    const huge = 'x'.repeat(64 * 1024 + 1);
    const cases: FuzzCase[] = [
      { category: 'huge', what: '64 KiB + 1 with content-length', raw: huge },
      { category: 'huge', what: '64 KiB + 1 streamed', raw: huge, streamed: true },
    ];
    const found: string[] = [];
    for (const c of cases) found.push(...(await send(route, c)));
    expect(found).toEqual([]);
    tally.set(route.route, cases.length);
  });
});

describe('a prototype key where the contract takes any key (a record of store or metric ids)', () => {
  it('is dropped by validation: the rules are saved without it and no prototype changes', async () => {
    const { version } = (await world.call<{ version: number }>('GET', '/v1/rules', { token: tenants.a.owner.token })).body;
    const raw = `{"version":${version},"rules":{"kindsByStore":{"__proto__":{"level_changed":false}},"thresholds":{"workspace":{"metrics":{"constructor":{"warnMargin":0.5},"prototype":{"warnMargin":0.5}}}}}}`;
    const res = await world.call<{ rules: unknown }>('PUT', '/v1/rules', { token: tenants.a.owner.token, raw });
    expect(res.status).toBe(200);
    const stored = await world.env.DB.prepare('SELECT rules FROM alert_rules WHERE workspace_id = ?').bind(tenants.a.workspaceId).first<{ rules: string }>();
    for (const text of [stored!.rules, res.text]) expect(text).not.toMatch(/__proto__|constructor|prototype/);
    expect(pristine()).toEqual(prototypesBefore);
    expect(({} as Record<string, unknown>)['level_changed']).toBeUndefined();
  });
});

describe('after every fuzzed body', () => {
  it('the fixtures still work, so the refusals were not an outage', async () => {
    const res = await world.call('PATCH', `/v1/stores/${tenants.a.storeId}`, { token: tenants.a.owner.token, body: { paused: false } });
    expect(res.status).toBe(200);
  });

  it('leaked no secret into any response body or log line', () => {
    expect(findLeaks(fixtureSecrets(tenants), world.seen, logs, fixtureCredentials(tenants))).toEqual([]);
  });
});
