/**
 * Abuse suite, queries and path ids (issue 7 item 3.2, beyond bodies): seeded hostile values in
 * every query parameter and every id segment the relay reads, from its rightful caller. No 500,
 * no row written, and a JSON refusal always carries the error envelope.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Tenants, buildTenants, fixtureCredentials, fixtureSecrets } from './helpers/abuse-fixtures.ts';
import { prng } from './helpers/abuse-fuzz.ts';
import { captureConsole, findLeaks } from './helpers/abuse-leaks.ts';
import { AbuseWorld, US, changedTables, dumpTables, isEnvelope, sameDump } from './helpers/abuse-world.ts';

const SEED = 0x9e7_ab05;
const CASES_PER_TARGET = 24;

/** Values that have broken parsers before: bad escapes, numbers out of range, huge, odd text. */
const HOSTILE = [
  '',
  '%ZZ',
  '%',
  '%00',
  '%E0%A4%A',
  '-1',
  '0',
  '1e999',
  'NaN',
  'Infinity',
  '0x1F',
  '9'.repeat(19),
  '9007199254740993',
  'x'.repeat(4000),
  '😀',
  '__proto__',
  'constructor',
  "' OR 1=1 --",
  '../../etc/passwd',
  '%2e%2e%2f',
  '<script>alert(1)</script>',
  '[]',
  '{}',
];

let world: AbuseWorld;
let tenants: Tenants;
let logs: string[];
let total = 0;

beforeAll(async () => {
  world = new AbuseWorld();
  logs = captureConsole();
  tenants = await buildTenants(world);
});
afterAll(() => {
  console.info(`abuse suite, queries and ids: ${total} fuzz cases (seed ${SEED.toString(16)})`);
  vi.restoreAllMocks();
});

interface Target {
  name: string;
  method: string;
  /** The request for one hostile value and the draw. */
  path: (value: string, rand: () => number) => string;
  token: () => string | undefined;
}

/** A query string with one parameter hostile (sometimes repeated, sometimes a stranger key), the rest valid. */
function query(valid: Record<string, string>, value: string, rand: () => number): string {
  const keys = Object.keys(valid);
  const parts = Object.entries(valid).map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  const roll = rand();
  // Raw, not encoded: a bad escape must reach the relay as it is.
  if (roll < 0.6) parts[Math.floor(rand() * keys.length)] = `${keys[Math.floor(rand() * keys.length)]}=${value}`;
  else if (roll < 0.8) parts.push(`${keys[Math.floor(rand() * keys.length)]}=${value}`);
  else parts.push(`${value || 'empty'}=1`);
  return parts.join('&');
}

const owner = () => tenants.a.owner.token;

const TARGETS: Target[] = [
  { name: 'GET /v1/alerts', method: 'GET', path: (v, r) => `/v1/alerts?${query({ cursor: '100', limit: '10' }, v, r)}`, token: owner },
  {
    name: 'GET /v1/stores/:id/history',
    method: 'GET',
    path: (v, r) => `/v1/stores/${tenants.a.storeId}/history?${query({ marketplaceId: US, metric: 'odrMfn', since: '0' }, v, r)}`,
    token: owner,
  },
  { name: 'GET /v1/oauth/start', method: 'GET', path: (v, r) => `/v1/oauth/start?${query({ region: 'eu' }, v, r)}`, token: owner },
  {
    name: 'GET /v1/oauth/callback',
    method: 'GET',
    path: (v, r) => `/v1/oauth/callback?${query({ state: 'unknown-state', selling_partner_id: 'A1FUZZ', spapi_oauth_code: 'code-ok-fuzz' }, v, r)}`,
    token: () => undefined,
  },
  { name: 'GET /wechat/callback', method: 'GET', path: (v, r) => `/wechat/callback?${query({ signature: 'f'.repeat(40), timestamp: '1795399200', nonce: 'n', echostr: 'e' }, v, r)}`, token: () => undefined },
  { name: 'POST /wechat/callback', method: 'POST', path: (v, r) => `/wechat/callback?${query({ signature: 'f'.repeat(40), timestamp: '1795399200', nonce: 'n' }, v, r)}`, token: () => undefined },
  { name: 'POST /v1/alerts/:id/ack', method: 'POST', path: (v) => `/v1/alerts/${v}/ack`, token: owner },
  { name: 'GET /v1/jobs/:id', method: 'GET', path: (v) => `/v1/jobs/${v}`, token: owner },
  { name: 'PATCH /v1/channels/:id', method: 'PATCH', path: (v) => `/v1/channels/${v}`, token: owner },
  { name: 'DELETE /v1/channels/:id', method: 'DELETE', path: (v) => `/v1/channels/${v}`, token: owner },
  { name: 'POST /v1/channels/:id/test', method: 'POST', path: (v) => `/v1/channels/${v}/test`, token: owner },
  { name: 'DELETE /v1/stores/:id', method: 'DELETE', path: (v) => `/v1/stores/${v}`, token: owner },
  { name: 'POST /v1/stores/:id/refresh', method: 'POST', path: (v) => `/v1/stores/${v}/refresh`, token: owner },
];

describe.each(TARGETS.map((t) => [t.name, t] as const))('%s', (_name, target) => {
  it('answers hostile query values and ids without a 500 and without writing', async () => {
    const rand = prng(SEED ^ [...target.name].reduce((h, ch) => Math.imul(h, 31) + ch.charCodeAt(0), 7));
    const found: string[] = [];
    for (let i = 0; i < CASES_PER_TARGET; i++) {
      const value = HOSTILE[Math.floor(rand() * HOSTILE.length)]!;
      const path = target.path(value, rand);
      const before = await dumpTables(world.env.DB);
      const res = await world.call(target.method, path, { token: target.token(), body: target.method === 'PATCH' ? { name: 'fuzzed' } : undefined });
      const after = await dumpTables(world.env.DB);
      const label = `${target.method} ${path.slice(0, 120)}`;
      if (res.status >= 500) found.push(`${label}: answered ${res.status} ${res.text.slice(0, 160)}`);
      if (res.status >= 400 && res.headers.get('content-type')?.includes('application/json') && !isEnvelope(res.body)) found.push(`${label}: no envelope: ${res.text.slice(0, 160)}`);
      // A 3xx or 2xx is fine only where the hostile value was harmless (an extra parameter ignored); it still must not write.
      if (!sameDump(before, after)) found.push(`${label}: wrote ${JSON.stringify(changedTables(before, after)).slice(0, 300)}`);
      total++;
    }
    expect(found).toEqual([]);
  });
});

describe('after the hostile queries', () => {
  it('leaked no secret into any response body or log line', () => {
    expect(findLeaks(fixtureSecrets(tenants), world.seen, logs, fixtureCredentials(tenants))).toEqual([]);
  });
});
