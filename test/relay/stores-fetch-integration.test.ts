import { env } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addStore, call, everyStoredText, pairMember, rowCounts, seenBodies, setupWorkspace } from './helpers/relay-client.ts';

/** Unique per run, so grepping for it finds only leaks. */
const SECRET = `Atzr|good-${crypto.randomUUID()}-PLAINTEXT-REFRESH-TOKEN`;

const consoleLines: string[] = [];
beforeEach(() => {
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      consoleLines.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    });
  }
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('POST /v1/stores with a pasted refresh token', () => {
  it('proves the token with LWA and keeps only the retail, participating marketplaces of the region', async () => {
    const owner = await setupWorkspace();
    const store = await addStore(owner, SECRET, 'na', 'Acme US');
    expect(store).toMatchObject({ name: 'Acme US', region: 'na', sellerId: null });
    // MX is not participating; A3H6HPSLHAK3XG is the non-retail "Non-Amazon" marketplace.
    expect(store.marketplaces).toEqual([
      { marketplaceId: 'ATVPDKIKX0DER', countryCode: 'US' },
      { marketplaceId: 'A2EUQ1WTGCTBG2', countryCode: 'CA' },
    ]);
    const listed = await call<{ stores: Array<Record<string, unknown>> }>('GET', '/v1/stores', { token: owner.token });
    expect(listed.body.stores).toEqual([
      expect.objectContaining({ id: store.id, pollIntervalMinutes: 60, paused: false, auth: 'ok', lastCheckedAt: null, marketplaces: expect.arrayContaining(store.marketplaces) }),
    ]);
  });

  it('stores the token as AES-GCM ciphertext with its key id, due for a first poll', async () => {
    const owner = await setupWorkspace();
    const store = await addStore(owner, SECRET);
    const row = await env.DB.prepare('SELECT refresh_token_ciphertext, refresh_token_iv, refresh_token_key_id, next_poll_at FROM stores WHERE id = ?')
      .bind(store.id)
      .first<Record<string, string | number>>();
    expect(row?.refresh_token_key_id).toMatch(/^[0-9a-f]{8}$/);
    expect(String(row?.refresh_token_iv)).toMatch(/^[A-Za-z0-9+/]{16}$/);
    expect(Number(row?.next_poll_at)).toBeLessThanOrEqual(Date.now());
  });

  it('refuses an invalid refresh token with LWA reason explained and writes nothing', async () => {
    const owner = await setupWorkspace();
    const before = await rowCounts();
    const res = await call('POST', '/v1/stores', { token: owner.token, body: { name: 'Bad', region: 'na', refreshToken: 'Atzr|revoked-by-the-seller' } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      error: { code: 'amazon_authorization_failed', message: expect.stringMatching(/invalid_grant.*invalid grant parameter.*authorize the app again/) },
    });
    expect(await rowCounts()).toEqual(before);
  });

  it('answers 502 and writes nothing when Login with Amazon is down', async () => {
    const owner = await setupWorkspace();
    const before = await rowCounts();
    const res = await call('POST', '/v1/stores', { token: owner.token, body: { name: 'x', region: 'na', refreshToken: 'Atzr|lwa-down' } });
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ error: { code: 'amazon_unavailable' } });
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a token the Sellers API rejects in that region (wrong region) and writes nothing', async () => {
    const owner = await setupWorkspace();
    const before = await rowCounts();
    const res = await call('POST', '/v1/stores', { token: owner.token, body: { name: 'x', region: 'eu', refreshToken: 'Atzr|good-wrongregion' } });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: { code: 'amazon_authorization_failed', message: expect.stringContaining('region eu') } });
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a seller with no retail marketplace in the region', async () => {
    const owner = await setupWorkspace();
    const res = await call('POST', '/v1/stores', { token: owner.token, body: { name: 'x', region: 'na', refreshToken: 'Atzr|good-noretail' } });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: { code: 'no_marketplaces' } });
  });

  it('lets only owners add, change or delete stores; members can list', async () => {
    const owner = await setupWorkspace();
    const member = await pairMember(owner);
    const store = await addStore(owner, 'Atzr|good-owner-only');
    expect((await call('POST', '/v1/stores', { token: member.token, body: { name: 'x', region: 'na', refreshToken: 'Atzr|good-x' } })).status).toBe(403);
    expect((await call('PATCH', `/v1/stores/${store.id}`, { token: member.token, body: { paused: true } })).status).toBe(403);
    expect((await call('DELETE', `/v1/stores/${store.id}`, { token: member.token })).status).toBe(403);
    expect((await call('GET', '/v1/stores', { token: member.token })).status).toBe(200);
  });
});

describe('PATCH and DELETE /v1/stores/:id', () => {
  it('renames, pauses and sets the poll interval within 15..1440 minutes', async () => {
    const owner = await setupWorkspace();
    const store = await addStore(owner, 'Atzr|good-patch');
    const res = await call('PATCH', `/v1/stores/${store.id}`, { token: owner.token, body: { name: '新名字', pollIntervalMinutes: 30, paused: true } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: store.id, name: '新名字', pollIntervalMinutes: 30, paused: true });
    for (const bad of [{ pollIntervalMinutes: 14 }, { pollIntervalMinutes: 1441 }, { pollIntervalMinutes: 60.5 }, {}, { paused: 'yes' }]) {
      const refused = await call('PATCH', `/v1/stores/${store.id}`, { token: owner.token, body: bad });
      expect(refused.status, JSON.stringify(bad)).toBe(400);
    }
  });

  it('deletes the store with its tokens, marketplaces, snapshots, events and jobs', async () => {
    const owner = await setupWorkspace();
    const store = await addStore(owner, 'Atzr|good-delete');
    await env.DB.batch([
      env.DB.prepare("INSERT INTO snapshots (id, workspace_id, store_id, marketplace_id, taken_at, fetched_at, content, evaluation) VALUES (?, ?, ?, 'ATVPDKIKX0DER', 1, 1, '{}', '{}')").bind(
        crypto.randomUUID(),
        owner.workspaceId,
        store.id,
      ),
      env.DB.prepare("INSERT INTO events (workspace_id, store_id, key, kind, severity, payload, created_at) VALUES (?, ?, ?, 'auth_lost', 'critical', '{}', 1)").bind(
        owner.workspaceId,
        store.id,
        `k-${store.id}`,
      ),
      // The pipeline's rows (0002_pipeline.sql) go by the foreign keys' cascade.
      env.DB.prepare("INSERT INTO access_tokens (store_id, ciphertext, expires_at) VALUES (?, 'sealed', 1)").bind(store.id),
      // A negative feedback heard from one side only (0013): no foreign key, deleted by name.
      env.DB.prepare("INSERT INTO feedback_folds (event_key, store_id, marketplace_id, source, open, alerted, hold_until, created_at) VALUES (?, ?, 'ATVPDKIKX0DER', 'order', 1, 1, NULL, 1)").bind(
        `f-${store.id}`,
        store.id,
      ),
    ]);
    expect((await call('POST', `/v1/stores/${store.id}/refresh`, { token: owner.token })).status).toBe(202);
    expect((await call('DELETE', `/v1/stores/${store.id}`, { token: owner.token })).status).toBe(204);
    // Every table that names a store, read from the schema: a table added later is covered too.
    const { results: schema } = await env.DB.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all<{ name: string; sql: string }>();
    // store_removals is the tombstone delta sync answers `removed` from (the id alone, nothing else).
    const tables = schema.filter((t) => /\bstore_id\b/.test(t.sql) && t.name !== 'store_removals');
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['store_marketplaces', 'snapshots', 'events', 'access_tokens', 'report_jobs', 'feedback_folds']));
    for (const [table, column] of [['stores', 'id'] as const, ...tables.map((t) => [t.name, 'store_id'] as const)]) {
      const n = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = ?`).bind(store.id).first<{ n: number }>();
      expect(n?.n, table).toBe(0);
    }
    expect((await call('DELETE', `/v1/stores/${store.id}`, { token: owner.token })).status).toBe(404);
  });
});

describe('the refresh token in clear', () => {
  it('appears in no response body, no console line and no D1 column', async () => {
    const owner = await setupWorkspace();
    await addStore(owner, SECRET, 'na', 'Leak check');
    await call('GET', '/v1/stores', { token: owner.token });
    await call('GET', '/v1/overview', { token: owner.token });
    // A failing add logs and answers too: the token must not ride along.
    await call('POST', '/v1/stores', { token: owner.token, body: { name: 'x', region: 'na', refreshToken: SECRET.replace('good', 'bad') } });
    const needle = SECRET.slice('Atzr|'.length);
    expect(seenBodies.join('\n')).not.toContain(needle);
    expect(consoleLines.join('\n')).not.toContain(needle);
    expect(await everyStoredText()).not.toContain(needle);
  });
});
