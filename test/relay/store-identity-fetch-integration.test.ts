/**
 * A store as Amazon names it (issue 12 item 2): the Sellers API's `storeName` and
 * `hasSuspendedListings` kept per marketplace, the team's name defaulting to Amazon's, and the
 * merchant ids that let every profile resolve the store from a Seller Central address.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { connectWithAmazon } from './helpers/oauth-flow.ts';
import { addStore, call, pairMember, rowCounts, setupWorkspace, type Workspace } from './helpers/relay-client.ts';

interface OverviewStore {
  id: string;
  name: string;
  amazonStoreName: string | null;
  merchantIds: string[];
  marketplaces: Array<{ countryCode: string; storeName: string | null; hasSuspendedListings: boolean | null }>;
}

async function overviewOf(owner: Workspace, storeId: string): Promise<OverviewStore> {
  const res = await call<{ stores: OverviewStore[] }>('GET', '/v1/overview', { token: owner.token });
  const store = res.body.stores.find((s) => s.id === storeId);
  if (!store) throw new Error(`store ${storeId} not in the overview`);
  return store;
}

/** "Connect with Amazon" to the end, as a person's browser does it (helpers/oauth-flow.ts); the new store's id. */
async function connectOAuthStore(owner: Workspace, seller: string, code: string): Promise<string> {
  const res = await connectWithAmazon(owner, { region: 'na', seller, code });
  if (res.status !== 200) throw new Error(`callback: ${res.status} ${res.text}`);
  const row = await env.DB.prepare('SELECT id FROM stores WHERE workspace_id = ? AND seller_id = ?').bind(owner.workspaceId, seller).first<{ id: string }>();
  return row!.id;
}

describe('a store connected without a name', () => {
  it("is named as Amazon names it, and says Amazon's name beside it", async () => {
    const owner = await setupWorkspace();
    const res = await call<{ id: string; name: string; amazonStoreName: string }>('POST', '/v1/stores', { token: owner.token, body: { region: 'na', refreshToken: 'Atzr|good-unnamed' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Stand-in Store', amazonStoreName: 'Stand-in Store' });
    const listed = await call<{ stores: Array<{ id: string; name: string; amazonStoreName: string }> }>('GET', '/v1/stores', { token: owner.token });
    expect(listed.body.stores).toEqual([expect.objectContaining({ id: res.body.id, name: 'Stand-in Store', amazonStoreName: 'Stand-in Store' })]);
  });

  it('is refused with a 400 naming the field when Amazon gives no store name either, and nothing is written', async () => {
    const owner = await setupWorkspace();
    const before = await rowCounts();
    const res = await call('POST', '/v1/stores', { token: owner.token, body: { region: 'na', refreshToken: 'Atzr|good-nostorename' } });
    expect([res.status, res.body]).toEqual([400, { error: { code: 'invalid', message: expect.stringMatching(/^name: Amazon gives this seller no store name/) } }]);
    expect(await rowCounts()).toEqual(before);
  });

  it("keeps the team's own name when one is given", async () => {
    const owner = await setupWorkspace();
    const store = await addStore(owner, 'Atzr|good-named', 'na', 'A03-美国');
    expect(store.name).toBe('A03-美国');
  });
});

describe('GET /v1/overview', () => {
  it("carries Amazon's store name and suspended listings per marketplace beside the team's name", async () => {
    const owner = await setupWorkspace();
    const store = await addStore(owner, 'Atzr|good-suspended', 'na', 'A03-美国');
    const s = await overviewOf(owner, store.id);
    expect(s).toMatchObject({ name: 'A03-美国', amazonStoreName: 'Stand-in Store', merchantIds: [] });
    expect(s.marketplaces.map((m) => [m.countryCode, m.storeName, m.hasSuspendedListings]).sort()).toEqual([
      ['CA', 'Stand-in Store', true],
      ['US', 'Stand-in Store', false],
    ]);
  });

  it('carries the merchant ids: an OAuth store starts with its selling partner id', async () => {
    const owner = await setupWorkspace();
    const storeId = await connectOAuthStore(owner, 'A1TEAMSOAUTH01', 'code-ok-identity');
    const s = await overviewOf(owner, storeId);
    expect(s).toMatchObject({ name: 'Stand-in Store', amazonStoreName: 'Stand-in Store', merchantIds: ['A1TEAMSOAUTH01'] });
  });

  it('changes its ETag when a merchant id is recorded', async () => {
    const owner = await setupWorkspace();
    const store = await addStore(owner, 'Atzr|good-etag-merchant');
    const first = await call('GET', '/v1/overview', { token: owner.token });
    const etag = first.headers.get('etag')!;
    expect((await call('GET', '/v1/overview', { token: owner.token, headers: { 'if-none-match': etag } })).status).toBe(304);
    await call('POST', `/v1/stores/${store.id}/merchant-ids`, { token: owner.token, body: { merchantId: 'A3EXAMPLE12345' } });
    const after = await call('GET', '/v1/overview', { token: owner.token, headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
  });
});

describe('POST /v1/stores/:id/merchant-ids', () => {
  it('records a merchant id for any member, again without complaint, and the overview lists it', async () => {
    const owner = await setupWorkspace();
    const member = await pairMember(owner);
    const store = await addStore(owner, 'Atzr|good-merchant');
    const path = `/v1/stores/${store.id}/merchant-ids`;
    const res = await call('POST', path, { token: member.token, body: { merchantId: 'A3EXAMPLE12345' } });
    expect([res.status, res.text]).toEqual([204, '']);
    expect((await call('POST', path, { token: owner.token, body: { merchantId: 'A3EXAMPLE12345' } })).status).toBe(204);
    expect((await overviewOf(owner, store.id)).merchantIds).toEqual(['A3EXAMPLE12345']);
  });

  it('refuses a malformed id with a 400 that says what is wrong, writing nothing', async () => {
    const owner = await setupWorkspace();
    const store = await addStore(owner, 'Atzr|good-merchant-bad');
    const before = await rowCounts();
    const cases: Array<[unknown, RegExp]> = [
      [{ merchantId: 'amzn1.merchant.o.A3EXAMPLE12345' }, /^merchantId: give the bare id, without the amzn1\.merchant\.o\. prefix$/],
      [{ merchantId: 'a3example12345' }, /^merchantId: a merchant id is 8-20 capital letters and digits/],
      [{ merchantId: 'A3EX' }, /^merchantId: a merchant id is 8-20/],
      [{ merchantId: 12345678 }, /^merchantId: /],
      [{}, /^merchantId: /],
    ];
    for (const [body, message] of cases) {
      const res = await call<{ error: { code: string; message: string } }>('POST', `/v1/stores/${store.id}/merchant-ids`, { token: owner.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid');
      expect(res.body.error.message).toMatch(message);
    }
    expect(await rowCounts()).toEqual(before);
    expect((await overviewOf(owner, store.id)).merchantIds).toEqual([]);
  });

  it("answers 404 for another workspace's store", async () => {
    const owner = await setupWorkspace();
    const neighbour = await setupWorkspace('Neighbour');
    const store = await addStore(owner, 'Atzr|good-merchant-404');
    const res = await call('POST', `/v1/stores/${store.id}/merchant-ids`, { token: neighbour.token, body: { merchantId: 'A3EXAMPLE12345' } });
    expect([res.status, res.body]).toEqual([404, { error: { code: 'not_found', message: 'no such store' } }]);
    expect((await overviewOf(owner, store.id)).merchantIds).toEqual([]);
  });

  it('answers 409 when the id is already recorded on another store of the workspace', async () => {
    const owner = await setupWorkspace();
    const first = await addStore(owner, 'Atzr|good-merchant-a', 'na', 'A01');
    const second = await addStore(owner, 'Atzr|good-merchant-b', 'na', 'A02');
    expect((await call('POST', `/v1/stores/${first.id}/merchant-ids`, { token: owner.token, body: { merchantId: 'A3EXAMPLE12345' } })).status).toBe(204);
    const res = await call('POST', `/v1/stores/${second.id}/merchant-ids`, { token: owner.token, body: { merchantId: 'A3EXAMPLE12345' } });
    expect([res.status, res.body]).toEqual([409, { error: { code: 'merchant_id_taken', message: expect.stringContaining('A3EXAMPLE12345') } }]);
    expect((await overviewOf(owner, second.id)).merchantIds).toEqual([]);
    // Another workspace may record the same id on its own store: workspaces never see each other.
    const neighbour = await setupWorkspace('Neighbour');
    const theirs = await addStore(neighbour, 'Atzr|good-merchant-c');
    expect((await call('POST', `/v1/stores/${theirs.id}/merchant-ids`, { token: neighbour.token, body: { merchantId: 'A3EXAMPLE12345' } })).status).toBe(204);
  });

  it("refuses to record an OAuth store's selling partner id on another store", async () => {
    const owner = await setupWorkspace();
    await connectOAuthStore(owner, 'A1TEAMSOAUTH02', 'code-ok-taken');
    const pasted = await addStore(owner, 'Atzr|good-merchant-pasted');
    const res = await call('POST', `/v1/stores/${pasted.id}/merchant-ids`, { token: owner.token, body: { merchantId: 'A1TEAMSOAUTH02' } });
    expect(res.status).toBe(409);
  });
});
