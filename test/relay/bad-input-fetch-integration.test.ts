import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SETUP_TOKEN, addStore, call, rowCounts, setupWorkspace, type Workspace } from './helpers/relay-client.ts';

let owner: Workspace;
let storeId: string;
const errors: unknown[][] = [];

beforeAll(async () => {
  owner = await setupWorkspace('Bad input');
  storeId = (await addStore(owner, 'Atzr|good-bad-input')).id;
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    errors.push(args);
  });
});
afterAll(() => {
  vi.restoreAllMocks();
});

const HUGE = JSON.stringify({ name: 'x'.repeat(70 * 1024), region: 'na', refreshToken: 'Atzr|good-x' });

type Case = [what: string, method: string, path: () => string, body: { json?: unknown; raw?: string }, status: number, code: string, auth?: 'owner' | 'setup' | 'none'];

const CASES: Case[] = [
  ['setup: missing owner', 'POST', () => '/v1/setup', { json: { workspace: 'x' } }, 400, 'invalid', 'setup'],
  ['setup: wrong type', 'POST', () => '/v1/setup', { json: { workspace: 1, owner: 'y' } }, 400, 'invalid', 'setup'],
  ['setup: bad JSON', 'POST', () => '/v1/setup', { raw: '{"workspace":' }, 400, 'bad_json', 'setup'],
  ['setup: extra field', 'POST', () => '/v1/setup', { json: { workspace: 'x', owner: 'y', role: 'admin' } }, 400, 'invalid', 'setup'],
  ['pair: missing device', 'POST', () => '/v1/pair', { json: { code: 'ABCDEFGH' } }, 400, 'invalid', 'none'],
  ['pair: code a number', 'POST', () => '/v1/pair', { json: { code: 12345678, device: 'x' } }, 400, 'invalid', 'none'],
  ['pair: bad JSON', 'POST', () => '/v1/pair', { raw: 'code=1' }, 400, 'bad_json', 'none'],
  ['pair: unknown code', 'POST', () => '/v1/pair', { json: { code: 'ZZZZZZZZ', device: 'x' } }, 400, 'invite_invalid', 'none'],
  ['stores: unknown region', 'POST', () => '/v1/stores', { json: { name: 'x', region: 'us', refreshToken: 'Atzr|good-x' } }, 400, 'invalid'],
  ['stores: missing token', 'POST', () => '/v1/stores', { json: { name: 'x', region: 'na' } }, 400, 'invalid'],
  ['stores: not a refresh token', 'POST', () => '/v1/stores', { json: { name: 'x', region: 'na', refreshToken: 'Atza|access-token' } }, 400, 'invalid'],
  ['stores: empty name', 'POST', () => '/v1/stores', { json: { name: ' ', region: 'na', refreshToken: 'Atzr|good-x' } }, 400, 'invalid'],
  ['stores: array body', 'POST', () => '/v1/stores', { json: [] }, 400, 'invalid'],
  ['stores: bad JSON', 'POST', () => '/v1/stores', { raw: '{' }, 400, 'bad_json'],
  ['stores: huge body', 'POST', () => '/v1/stores', { raw: HUGE }, 413, 'payload_too_large'],
  ['patch: wrong type', 'PATCH', () => `/v1/stores/${storeId}`, { json: { pollIntervalMinutes: '60' } }, 400, 'invalid'],
  ['patch: bad JSON', 'PATCH', () => `/v1/stores/${storeId}`, { raw: 'nope' }, 400, 'bad_json'],
  ['patch: unknown store', 'PATCH', () => `/v1/stores/${crypto.randomUUID()}`, { json: { paused: true } }, 404, 'not_found'],
  ['patch: id not a uuid', 'PATCH', () => '/v1/stores/1%20OR%201=1', { json: { paused: true } }, 404, 'not_found'],
  ['delete: unknown store', 'DELETE', () => `/v1/stores/${crypto.randomUUID()}`, {}, 404, 'not_found'],
  ['history: missing metric', 'GET', () => `/v1/stores/${storeId}/history?marketplaceId=ATVPDKIKX0DER`, {}, 400, 'invalid'],
  ['history: unknown metric', 'GET', () => `/v1/stores/${storeId}/history?marketplaceId=ATVPDKIKX0DER&metric=nope`, {}, 400, 'invalid'],
  ['history: since not a number', 'GET', () => `/v1/stores/${storeId}/history?marketplaceId=ATVPDKIKX0DER&metric=odrMfn&since=yesterday`, {}, 400, 'invalid'],
  ['history: repeated parameter', 'GET', () => `/v1/stores/${storeId}/history?marketplaceId=ATVPDKIKX0DER&metric=odrMfn&metric=odrAfn`, {}, 400, 'invalid'],
  ['oauth: unknown region', 'POST', () => '/v1/oauth/start', { json: { region: 'cn' } }, 400, 'invalid'],
  ['oauth: bad JSON', 'POST', () => '/v1/oauth/start', { raw: '[' }, 400, 'bad_json'],
  ['unknown route', 'GET', () => '/v2/anything', {}, 404, 'not_found', 'none'],
  ['unknown route under /v1', 'GET', () => '/v1/nothing-here', {}, 404, 'not_found'],
];

describe('bad input', () => {
  it.each(CASES)('%s -> %i %s with the envelope, no rows written, never 500', async (_what, method, path, body, status, code, auth = 'owner') => {
    const before = await rowCounts();
    const token = auth === 'owner' ? owner.token : auth === 'setup' ? SETUP_TOKEN : undefined;
    const res = await call(method, path(), { token, body: body.json, raw: body.raw });
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ error: { code, message: expect.any(String) } });
    expect(await rowCounts()).toEqual(before);
  });

  it('names the field in the message', async () => {
    const res = await call('POST', '/v1/stores', { token: owner.token, body: { name: 'x', region: 'na', refreshToken: 42 } });
    expect(res.body).toMatchObject({ error: { message: expect.stringMatching(/^refreshToken: /) } });
  });

  it('logged no internal error along the way', () => {
    expect(errors).toEqual([]);
  });
});

describe('CORS', () => {
  it('admits the listed extension and loopback dev origins only', async () => {
    const ask = (origin: string) => call('OPTIONS', '/v1/me', { headers: { origin, 'access-control-request-method': 'GET' } });
    expect((await ask('chrome-extension://abcdefghijklmnopabcdefghijklmnop')).headers.get('access-control-allow-origin')).toBe('chrome-extension://abcdefghijklmnopabcdefghijklmnop');
    expect((await ask('http://127.0.0.1:5173')).headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
    expect((await ask('http://localhost:3000')).headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect((await ask('chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba')).headers.get('access-control-allow-origin')).toBeNull();
    expect((await ask('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });
});
