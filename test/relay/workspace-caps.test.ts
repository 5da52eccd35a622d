/**
 * Issue 14, finding 3: caps per workspace and member on stores, channels and rule entries, each
 * refused with `409 limit_reached` naming the cap; a refresh token pasted again for a store of the
 * same workspace is refused with `409 store_exists` naming that store.
 */
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/api/limits.ts';
import { World } from './helpers/alerts-world.ts';
import { addStore, call, setupWorkspace } from './helpers/relay-client.ts';

interface ErrorBody {
  error: { code: string; message: string; limit?: string; max?: number };
}

describe('a pasted refresh token', () => {
  it('is refused when it already belongs to a store of the workspace, naming that store', async () => {
    const owner = await setupWorkspace('Caps A');
    const first = await addStore(owner, 'Atzr|good-pasted-twice', 'na', 'Acme US');
    const again = await call<ErrorBody>('POST', '/v1/stores', { token: owner.token, body: { name: 'Acme again', region: 'na', refreshToken: 'Atzr|good-pasted-twice' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('store_exists');
    expect(again.body.error.message).toContain('"Acme US"');
    expect(again.body.error.message).toContain(first.id);
    const stores = await env.DB.prepare('SELECT COUNT(*) AS n FROM stores WHERE workspace_id = ?').bind(owner.workspaceId).first<{ n: number }>();
    expect(stores?.n).toBe(1);
  });

  it('is refused when two pastes of it race, so one seller is polled once', async () => {
    const owner = await setupWorkspace('Caps B');
    const body = { name: 'Racing', region: 'na', refreshToken: 'Atzr|good-racing' };
    const answers = await Promise.all([1, 2, 3].map(() => call('POST', '/v1/stores', { token: owner.token, body })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
  });

  it('may be connected in another workspace: the fingerprint is per workspace', async () => {
    const a = await setupWorkspace('Caps C');
    const b = await setupWorkspace('Caps D');
    const first = await addStore(a, 'Atzr|good-two-teams');
    const second = await addStore(b, 'Atzr|good-two-teams');
    expect(second.id).not.toBe(first.id);
  });
});

describe('the store cap', () => {
  it(`refuses store number ${LIMITS.storesPerWorkspace + 1} of a workspace with 409 limit_reached, before asking Amazon`, async () => {
    const owner = await setupWorkspace('Caps full');
    const rows = Array.from({ length: LIMITS.storesPerWorkspace }, (_, i) =>
      env.DB.prepare(
        `INSERT INTO stores (id, workspace_id, name, region, refresh_token_ciphertext, refresh_token_iv, refresh_token_key_id, created_at, updated_at)
         VALUES (?, ?, ?, 'na', 'c', 'iv', 'k', 0, 0)`,
      ).bind(`cap-${i}`, owner.workspaceId, `Store ${i}`),
    );
    for (let i = 0; i < rows.length; i += 100) await env.DB.batch(rows.slice(i, i + 100));
    // Atzr|lwa-down would answer 502 if Amazon were asked: the cap answers first.
    const res = await call<ErrorBody>('POST', '/v1/stores', { token: owner.token, body: { name: 'One more', region: 'na', refreshToken: 'Atzr|lwa-down' } });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'limit_reached', limit: 'storesPerWorkspace', max: LIMITS.storesPerWorkspace });
    expect(res.body.error.message).toContain(String(LIMITS.storesPerWorkspace));
  });
});

describe('channel and rule caps', () => {
  let world: World;
  beforeEach(async () => {
    world = new World();
    await world.seed();
  });

  const addPushPlus = (as: string, i: number) =>
    world.request('/v1/channels', { method: 'POST', as, body: JSON.stringify({ type: 'pushplus', name: `p${i}`, secret: `pushplustoken${String(i).padStart(8, '0')}abcdef` }) });

  it(`let a member add ${LIMITS.personalChannelsPerMember} personal channels, even in a burst, and answer 409 limit_reached after`, async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => addPushPlus('member1', i)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(LIMITS.personalChannelsPerMember);
    const refused = answers.find((a) => a.status === 409)!;
    expect(((await refused.json()) as ErrorBody).error).toMatchObject({ code: 'limit_reached', limit: 'personalChannelsPerMember' });
    // Another member's allowance is their own.
    expect((await addPushPlus('owner1', 99)).status).toBe(201);
  });

  it(`let owners add ${LIMITS.teamChannelsPerWorkspace} team robots and answer 409 limit_reached for the next`, async () => {
    for (let i = 0; i < LIMITS.teamChannelsPerWorkspace; i++) await world.addWecom(`群${i}`);
    const res = await world.request('/v1/channels', {
      method: 'POST',
      as: 'owner1',
      body: JSON.stringify({ type: 'wecom', name: 'one more', secret: 'ffffffff-0000-1111-2222-333333333333' }),
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorBody).error).toMatchObject({ code: 'limit_reached', limit: 'teamChannelsPerWorkspace', max: LIMITS.teamChannelsPerWorkspace });
  });

  it(`refuse rules with more than ${LIMITS.ruleOverridesPerWorkspace} per-store and per-marketplace entries, saving nothing`, async () => {
    const kindsByStore = Object.fromEntries(Array.from({ length: LIMITS.ruleOverridesPerWorkspace + 1 }, (_, i) => [`s${i}`, {}]));
    const res = await world.request('/v1/rules', { method: 'PUT', as: 'owner1', body: JSON.stringify({ version: 0, rules: { kindsByStore } }) });
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorBody).error).toMatchObject({ code: 'limit_reached', limit: 'ruleOverridesPerWorkspace' });
    expect(await (await world.request('/v1/rules', { as: 'owner1' })).json()).toMatchObject({ version: 0 });
  });
});
