/**
 * `/v1/stores`: add (pasted refresh token), list, change, delete, and record a merchant id seen on
 * Seller Central. Tokens never come back out.
 */
import { Hono } from 'hono';
import { CreateStoreRequest, PatchStoreRequest, RecordMerchantIdRequest, type StoreView, type StoresResponse } from '../../shared/api/stores.ts';
import { type MarketplaceIdentity, amazonStoreName } from '../amazon/sellers.ts';
import { requireMember, requireOwner } from './guards.ts';
import { keyringFromEnv } from '../crypto/secrets.ts';
import { recordMerchantId } from '../db/merchant-ids.ts';
import { type StoreRow, deleteStore, getStore, listStoreMarketplaces, listStores, patchStore } from '../db/stores.ts';
import { connectStore } from '../stores/connect-store.ts';
import { type RelayEnv, apiError, limitError, readJson } from './kit.ts';

/** Store ids are UUIDs; anything else cannot name a store, so it is a 404 without a query. */
export const STORE_ID = '{[0-9a-f-]{36}}';

function storeView(row: StoreRow, marketplaces: readonly MarketplaceIdentity[]): StoreView {
  return {
    id: row.id,
    name: row.name,
    amazonStoreName: amazonStoreName(marketplaces),
    region: row.region,
    sellerId: row.seller_id,
    marketplaces: marketplaces.map((m) => ({ marketplaceId: m.marketplaceId, countryCode: m.countryCode })),
    pollIntervalMinutes: row.poll_interval_minutes,
    paused: row.paused === 1,
    auth: row.auth_state,
    lastCheckedAt: row.last_checked_at,
    createdAt: row.created_at,
  };
}

export function storesRoutes() {
  // Guards go on each route, not `use('/stores/*')`: a mounted `use` would also run in front of
  // the history route of overview.ts, which has its own.
  const app = new Hono<RelayEnv>();

  app.post('/stores', requireMember, requireOwner, async (c) => {
    const body = await readJson(c, CreateStoreRequest);
    if (!body.ok) return body.response;
    if (!c.env.LWA_CLIENT_ID || !c.env.LWA_CLIENT_SECRET) return apiError(c, 503, 'not_configured', 'LWA_CLIENT_ID / LWA_CLIENT_SECRET are not set on this deployment');
    const result = await connectStore(
      { workspaceId: c.var.caller.workspaceId, name: body.value.name, region: body.value.region, sellerId: null, refreshToken: body.value.refreshToken },
      {
        db: c.env.DB,
        keyring: await keyringFromEnv(c.env),
        lwa: { clientId: c.env.LWA_CLIENT_ID, clientSecret: c.env.LWA_CLIENT_SECRET },
        fetch: c.var.deps.fetch,
        now: c.var.deps.now(),
        newId: c.var.deps.newId,
      },
    );
    if (!result.ok) return result.limit ? limitError(c, result.limit) : apiError(c, result.status, result.code, result.message);
    return c.json(result.store, 201);
  });

  app.get('/stores', requireMember, async (c) => {
    const ws = c.var.caller.workspaceId;
    const [rows, marketplaces] = await Promise.all([listStores(c.env.DB, ws), listStoreMarketplaces(c.env.DB, ws)]);
    const out: StoresResponse = { stores: rows.map((r) => storeView(r, marketplaces.get(r.id) ?? [])) };
    return c.json(out);
  });

  app.patch(`/stores/:id${STORE_ID}`, requireMember, requireOwner, async (c) => {
    const store = await getStore(c.env.DB, c.var.caller.workspaceId, c.req.param('id'));
    if (!store) return apiError(c, 404, 'not_found', 'no such store');
    const body = await readJson(c, PatchStoreRequest);
    if (!body.ok) return body.response;
    await patchStore(c.env.DB, store, body.value, c.var.deps.now());
    const updated = (await getStore(c.env.DB, store.workspace_id, store.id))!;
    const marketplaces = await listStoreMarketplaces(c.env.DB, store.workspace_id);
    return c.json(storeView(updated, marketplaces.get(store.id) ?? []));
  });

  app.delete(`/stores/:id${STORE_ID}`, requireMember, requireOwner, async (c) => {
    const deleted = await deleteStore(c.env.DB, c.var.caller.workspaceId, c.req.param('id'), c.var.deps.now());
    if (!deleted) return apiError(c, 404, 'not_found', 'no such store');
    return c.body(null, 204);
  });

  // Any member: the extension of whoever is on a page whose store is certain teaches the relay
  // that page's merchant id, so every profile resolves the store from the address from then on.
  app.post(`/stores/:id${STORE_ID}/merchant-ids`, requireMember, async (c) => {
    const store = await getStore(c.env.DB, c.var.caller.workspaceId, c.req.param('id'));
    if (!store) return apiError(c, 404, 'not_found', 'no such store');
    const body = await readJson(c, RecordMerchantIdRequest);
    if (!body.ok) return body.response;
    const outcome = await recordMerchantId(c.env.DB, { workspaceId: store.workspace_id, region: store.region, storeId: store.id }, body.value.merchantId, c.var.deps.now());
    if (outcome === 'taken') return apiError(c, 409, 'merchant_id_taken', `merchant id ${body.value.merchantId} is already recorded on another store of this workspace`);
    if (outcome === 'full') return apiError(c, 409, 'merchant_id_taken', 'this store already has as many merchant ids as a store can have');
    return c.body(null, 204);
  });

  return app;
}
