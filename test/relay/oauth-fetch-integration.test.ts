import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { call, pairMember, rowCounts, setupWorkspace, type Workspace } from './helpers/relay-client.ts';

async function start(owner: Workspace, region = 'eu'): Promise<URL> {
  const res = await call<{ url: string; expiresAt: number }>('POST', '/v1/oauth/start', { token: owner.token, body: { region } });
  expect(res.status).toBe(200);
  return new URL(res.body.url);
}

function callback(state: string, code = 'code-ok-oauth', seller = 'A1SELLER2EXAMPLE'): string {
  return `/v1/oauth/callback?${new URLSearchParams({ state, selling_partner_id: seller, spapi_oauth_code: code })}`;
}

describe('Connect with Amazon', () => {
  it('sends the seller to the region consent page with the app id and a fresh state', async () => {
    const owner = await setupWorkspace();
    const url = await start(owner, 'eu');
    expect(url.origin).toBe('https://sellercentral-europe.amazon.com');
    expect(url.pathname).toBe('/apps/authorize/consent');
    expect(url.searchParams.get('application_id')).toBe('amzn1.sp.solution.storewatch-test');
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const other = await start(owner, 'eu');
    expect(other.searchParams.get('state')).not.toBe(url.searchParams.get('state'));
  });

  it('creates the store from the callback, with the seller id and its retail marketplaces, and says so in zh and en', async () => {
    const owner = await setupWorkspace();
    const state = (await start(owner, 'eu')).searchParams.get('state')!;
    const res = await call('GET', callback(state));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.text).toContain('已连接');
    expect(res.text).toContain('is connected');
    const stores = await call<{ stores: Array<{ sellerId: string; region: string; marketplaces: Array<{ countryCode: string }> }> }>('GET', '/v1/stores', { token: owner.token });
    expect(stores.body.stores).toHaveLength(1);
    expect(stores.body.stores[0]).toMatchObject({ sellerId: 'A1SELLER2EXAMPLE', region: 'eu' });
    expect(stores.body.stores[0]!.marketplaces.map((m) => m.countryCode).sort()).toEqual(['DE', 'GB']);
  });

  it('refuses a replayed state and creates nothing more', async () => {
    const owner = await setupWorkspace();
    const state = (await start(owner)).searchParams.get('state')!;
    expect((await call('GET', callback(state))).status).toBe(200);
    const before = await rowCounts();
    const replay = await call('GET', callback(state, 'code-ok-again', 'A2OTHERSELLER'));
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('already used');
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses an expired state', async () => {
    const owner = await setupWorkspace();
    const state = (await start(owner)).searchParams.get('state')!;
    await env.DB.prepare('UPDATE oauth_states SET expires_at = ? WHERE workspace_id = ?').bind(Date.now() - 1, owner.workspaceId).run();
    const before = await rowCounts();
    const res = await call('GET', callback(state));
    expect(res.status).toBe(400);
    expect(res.text).toContain('expired');
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a state whose member was revoked since', async () => {
    const owner = await setupWorkspace();
    const state = (await start(owner)).searchParams.get('state')!;
    await env.DB.prepare('UPDATE members SET revoked_at = 1 WHERE id = ?').bind(owner.memberId).run();
    expect((await call('GET', callback(state))).status).toBe(400);
  });

  it('shows Amazon refusal of the code on the page, escaped, and creates nothing', async () => {
    const owner = await setupWorkspace();
    const state = (await start(owner)).searchParams.get('state')!;
    const before = await rowCounts();
    const res = await call('GET', callback(state, '<script>alert(1)</script>'));
    expect(res.status).toBe(400);
    expect(res.text).toContain('invalid_grant');
    expect(res.text).not.toContain('<script>');
    expect(await rowCounts()).toEqual(before);
  });

  it('answers 400 for a callback with missing parameters, and an unknown state', async () => {
    expect((await call('GET', '/v1/oauth/callback?state=x')).status).toBe(400);
    expect((await call('GET', callback('not-a-state-we-gave'))).status).toBe(400);
  });

  it('re-authorizes the same seller in place instead of adding a second store', async () => {
    const owner = await setupWorkspace();
    await call('GET', callback((await start(owner)).searchParams.get('state')!));
    const [first] = (await call<{ stores: Array<{ id: string }> }>('GET', '/v1/stores', { token: owner.token })).body.stores;
    await env.DB.prepare("UPDATE stores SET auth_state = 'lost' WHERE id = ?").bind(first!.id).run();
    const again = await call('GET', callback((await start(owner)).searchParams.get('state')!, 'code-ok-renewed'));
    expect(again.text).toContain('authorized again');
    const stores = (await call<{ stores: Array<{ id: string; auth: string }> }>('GET', '/v1/stores', { token: owner.token })).body.stores;
    expect(stores).toEqual([expect.objectContaining({ id: first!.id, auth: 'ok' })]);
  });

  it('lets only owners start, and refuses an unknown region', async () => {
    const owner = await setupWorkspace();
    const member = await pairMember(owner);
    expect((await call('POST', '/v1/oauth/start', { token: member.token, body: { region: 'na' } })).status).toBe(403);
    const bad = await call('POST', '/v1/oauth/start', { token: owner.token, body: { region: 'us' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'invalid', message: expect.stringContaining('region') } });
  });
});
