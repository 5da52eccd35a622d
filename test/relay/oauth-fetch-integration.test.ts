import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { type Browser, callbackPath, confirm, connectWithAmazon, openStartPage, returnFromAmazon, startConsent } from './helpers/oauth-flow.ts';
import { call, pairMember, rowCounts, setupWorkspace, type Workspace } from './helpers/relay-client.ts';

/** Start, open the start page in a browser and come back from Amazon: the confirmation page. */
async function upToConfirmation(owner: Workspace, options: { code?: string; seller?: string; storeId?: string; region?: string } = {}) {
  const browser: Browser = { cookie: null };
  const { state } = await openStartPage(await startConsent(owner, options.region ?? 'eu', options.storeId), browser);
  const back = await returnFromAmazon(callbackPath(state, options.code, options.seller), browser);
  return { browser, state, ...back };
}

async function storesOf(owner: Workspace) {
  return (await call<{ stores: Array<{ id: string; name: string; sellerId: string; region: string; auth: string; marketplaces: Array<{ countryCode: string }> }> }>('GET', '/v1/stores', { token: owner.token })).body.stores;
}

describe('Connect with Amazon', () => {
  it('hands the extension the relay start page, which sets a cookie and sends the browser to the region consent page with a fresh state', async () => {
    const owner = await setupWorkspace();
    const start = new URL(await startConsent(owner, 'eu'));
    expect(`${start.origin}${start.pathname}`).toBe('https://relay.test/v1/oauth/begin');
    const browser: Browser = { cookie: null };
    const { consent, answer } = await openStartPage(start.href, browser);
    expect(answer.status).toBe(302);
    expect(answer.headers.get('set-cookie')).toMatch(/^sw_oauth=[A-Za-z0-9_-]{43}; Max-Age=600; Path=\/v1\/oauth; HttpOnly; Secure; SameSite=Lax$/);
    expect(consent.origin).toBe('https://sellercentral-europe.amazon.com');
    expect(consent.pathname).toBe('/apps/authorize/consent');
    expect(consent.searchParams.get('application_id')).toBe('amzn1.sp.solution.storewatch-test');
    expect(consent.searchParams.get('state')).toBe(start.searchParams.get('state'));
    // A second browser (a leaked link) gets nothing: the state belongs to the first.
    const second = await openStartPage(start.href, { cookie: null });
    expect(second.answer.status).toBe(400);
    expect(second.answer.headers.get('set-cookie')).toBeNull();
  });

  it('names the workspace the store joins and stores nothing until the person confirms', async () => {
    const owner = await setupWorkspace('Acme 团队');
    const { answer, form } = await upToConfirmation(owner, { code: 'code-ok-kept-on-the-relay' });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('Acme 团队');
    expect(answer.text).toContain('A1SELLER2EXAMPLE');
    expect(answer.text).toContain('<form method="post" action="/v1/oauth/callback">');
    // No script, no framing: the button cannot be overlaid by another site.
    expect(answer.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(answer.headers.get('x-frame-options')).toBe('DENY');
    expect(Object.keys(form).sort()).toEqual(['csrf', 'state']);
    expect(answer.text).not.toContain('kept-on-the-relay');
    expect(await storesOf(owner)).toEqual([]);
  });

  it('creates the store on confirmation, with the seller id and its retail marketplaces, and says so in zh and en', async () => {
    const owner = await setupWorkspace();
    const res = await connectWithAmazon(owner);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.text).toContain('已连接');
    expect(res.text).toContain('is connected to workspace');
    const stores = await storesOf(owner);
    expect(stores).toHaveLength(1);
    expect(stores[0]).toMatchObject({ sellerId: 'A1SELLER2EXAMPLE', region: 'eu' });
    expect(stores[0]!.marketplaces.map((m) => m.countryCode).sort()).toEqual(['DE', 'GB']);
  });

  it('refuses the callback in a browser other than the one that started, and a confirmation without the cookie or its token', async () => {
    const owner = await setupWorkspace();
    const { state, form, browser } = await upToConfirmation(owner);
    const before = await rowCounts();
    // A victim lured to the callback with the attacker's state: their browser has no cookie for it.
    const lured = await returnFromAmazon(callbackPath(state, 'code-ok-victim', 'A9VICTIMSELLER'), { cookie: null });
    expect(lured.answer.status).toBe(403);
    expect(lured.answer.text).toContain('another browser');
    expect((await confirm(form, { cookie: null })).status).toBe(403);
    expect((await confirm({ ...form, csrf: '0'.repeat(64) }, browser)).status).toBe(403);
    expect((await confirm(form, browser, 'https://evil.example')).status).toBe(403);
    expect(await rowCounts()).toEqual(before);
    // The real confirmation still goes through: the refusals did not use the state up.
    expect((await confirm(form, browser)).status).toBe(200);
  });

  it('refuses a replayed confirmation and creates nothing more', async () => {
    const owner = await setupWorkspace();
    const { form, browser } = await upToConfirmation(owner);
    expect((await confirm(form, browser)).status).toBe(200);
    const before = await rowCounts();
    const replay = await confirm(form, browser);
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('already used');
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses an expired state', async () => {
    const owner = await setupWorkspace();
    const { form, browser } = await upToConfirmation(owner);
    await env.DB.prepare('UPDATE oauth_states SET expires_at = ? WHERE workspace_id = ?').bind(Date.now() - 1, owner.workspaceId).run();
    const before = await rowCounts();
    const res = await confirm(form, browser);
    expect(res.status).toBe(400);
    expect(res.text).toContain('expired');
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a state whose member was revoked since', async () => {
    const owner = await setupWorkspace();
    const { form, browser } = await upToConfirmation(owner);
    await env.DB.prepare('UPDATE members SET revoked_at = 1 WHERE id = ?').bind(owner.memberId).run();
    expect((await confirm(form, browser)).status).toBe(400);
  });

  it('shows Amazon refusal of the code on the page, escaped, and creates nothing', async () => {
    const owner = await setupWorkspace();
    const { form, browser, answer } = await upToConfirmation(owner, { code: '<script>alert(1)</script>' });
    expect(answer.text).not.toContain('<script>');
    const before = await rowCounts();
    const res = await confirm(form, browser);
    expect(res.status).toBe(400);
    expect(res.text).toContain('invalid_grant');
    expect(res.text).not.toContain('<script>');
    expect(await rowCounts()).toEqual(before);
  });

  it('answers 400 for a callback with missing parameters, and an unknown state', async () => {
    expect((await call('GET', '/v1/oauth/callback?state=x')).status).toBe(400);
    expect((await call('GET', callbackPath('not-a-state-we-gave'))).status).toBe(400);
    expect((await call('GET', '/v1/oauth/begin?state=not-a-state-we-gave')).status).toBe(400);
  });

  it('re-authorizes a store in place when its Reconnect started the consent', async () => {
    const owner = await setupWorkspace();
    await connectWithAmazon(owner);
    const [first] = await storesOf(owner);
    await env.DB.prepare("UPDATE stores SET auth_state = 'lost' WHERE id = ?").bind(first!.id).run();
    const again = await connectWithAmazon(owner, { code: 'code-ok-renewed', storeId: first!.id });
    expect(again.text).toContain('authorized again');
    expect(await storesOf(owner)).toEqual([expect.objectContaining({ id: first!.id, auth: 'ok' })]);
  });

  it('will not let a consent replace another store\'s token: the same seller without Reconnect, or another seller on Reconnect, is refused', async () => {
    const owner = await setupWorkspace();
    await connectWithAmazon(owner);
    await connectWithAmazon(owner, { code: 'code-ok-second', seller: 'A2SECONDSELLER' });
    const [first, second] = await storesOf(owner);
    const tokenOf = (id: string) => env.DB.prepare('SELECT refresh_token_ciphertext AS c FROM stores WHERE id = ?').bind(id).first<{ c: string }>();
    const sealedBefore = [await tokenOf(first!.id), await tokenOf(second!.id)];

    const sameSeller = await connectWithAmazon(owner, { code: 'code-ok-hijack' });
    expect(sameSeller.status).toBe(409);
    expect(sameSeller.text).toContain('already connected in this workspace as store');
    expect(sameSeller.text).toContain('Reconnect');
    const wrongSeller = await connectWithAmazon(owner, { code: 'code-ok-mixup', seller: 'A2SECONDSELLER', storeId: first!.id });
    expect(wrongSeller.status).toBe(409);
    expect(wrongSeller.text).toContain('not the seller of store');

    expect([await tokenOf(first!.id), await tokenOf(second!.id)]).toEqual(sealedBefore);
    expect(await storesOf(owner)).toHaveLength(2);
  });

  it('lets only owners start, and refuses an unknown region or another workspace\'s store', async () => {
    const owner = await setupWorkspace();
    const member = await pairMember(owner);
    expect((await call('POST', '/v1/oauth/start', { token: member.token, body: { region: 'na' } })).status).toBe(403);
    const bad = await call('POST', '/v1/oauth/start', { token: owner.token, body: { region: 'us' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'invalid', message: expect.stringContaining('region') } });
    const neighbour = await setupWorkspace('Other');
    await connectWithAmazon(neighbour, { seller: 'A3NEIGHBOUR01' });
    const [theirs] = await storesOf(neighbour);
    expect((await call('POST', '/v1/oauth/start', { token: owner.token, body: { region: 'eu', storeId: theirs!.id } })).status).toBe(404);
  });
});
