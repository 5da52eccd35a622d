import { env } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../relay/app.ts';
import { systemPlatform } from '../../relay/platform-deps.ts';
import { confirm, returnFromAmazon } from './helpers/oauth-flow.ts';
import { call, everyStoredText, pairMember, rowCounts, seenBodies, setupWorkspace } from './helpers/relay-client.ts';

const consoleLines: string[] = [];
beforeEach(() => {
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      consoleLines.push(args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? `${a.message} ${a.stack}` : JSON.stringify(a))).join(' '));
    });
  }
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('GET /v1/oauth/start?region=', () => {
  it('redirects to the region consent page with the app id and a state bound to the caller', async () => {
    const owner = await setupWorkspace();
    const res = await call('GET', '/v1/oauth/start?region=fe', { token: owner.token });
    expect(res.status).toBe(302);
    const url = new URL(res.headers.get('location') ?? '');
    expect(url.origin).toBe('https://sellercentral.amazon.co.jp');
    expect(url.pathname).toBe('/apps/authorize/consent');
    expect(url.searchParams.get('application_id')).toBe('amzn1.sp.solution.storewatch-test');
    expect(url.searchParams.has('version')).toBe(false);
    const row = await env.DB.prepare('SELECT member_id, region, expires_at - created_at AS ttl FROM oauth_states WHERE workspace_id = ?')
      .bind(owner.workspaceId)
      .first<{ member_id: string; region: string; ttl: number }>();
    expect(row).toEqual({ member_id: owner.memberId, region: 'fe', ttl: 10 * 60_000 });
  });

  it('adds version=beta when the deployment says its app is still a draft', async () => {
    const owner = await setupWorkspace();
    const app = createApp(systemPlatform);
    const res = await app.request('/v1/oauth/start?region=na', { headers: { authorization: `Bearer ${owner.token}` } }, { ...env, SPAPI_OAUTH_BETA: '1' });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location') ?? '').searchParams.get('version')).toBe('beta');
  });

  it('refuses a caller without a token, a member who is not an owner, and an unknown region, writing no state', async () => {
    const owner = await setupWorkspace();
    const member = await pairMember(owner);
    const before = await rowCounts();
    expect((await call('GET', '/v1/oauth/start?region=na')).status).toBe(401);
    expect((await call('GET', '/v1/oauth/start?region=na', { token: member.token })).status).toBe(403);
    for (const query of ['region=us', '', 'region=na&region=eu', 'region=na&extra=1']) {
      const res = await call('GET', `/v1/oauth/start?${query}`, { token: owner.token });
      expect(res.status, query).toBe(400);
      expect(res.body, query).toEqual({ error: { code: 'invalid', message: expect.any(String) } });
    }
    expect(await rowCounts()).toEqual(before);
  });

  it('answers 503 not_configured, not 500, when the deployment lacks SPAPI_APP_ID', async () => {
    const owner = await setupWorkspace();
    const app = createApp(systemPlatform);
    const res = await app.request('/v1/oauth/start?region=na', { headers: { authorization: `Bearer ${owner.token}` } }, { ...env, SPAPI_APP_ID: undefined });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'not_configured' } });
  });
});

describe('the refresh token Amazon hands back through "Connect with Amazon"', () => {
  it('appears in no response body, no console line and no D1 column', async () => {
    const owner = await setupWorkspace();
    // The stand-in answers code `code-ok<x>` with refresh token `Atzr|good-code-ok<x>`.
    const code = `code-ok-${crypto.randomUUID()}`;
    const started = await call('GET', '/v1/oauth/start?region=na', { token: owner.token });
    const state = new URL(started.headers.get('location') ?? '').searchParams.get('state')!;
    const browser = { cookie: started.headers.get('set-cookie')?.split(';')[0] ?? null };
    const { answer, form } = await returnFromAmazon(`/v1/oauth/callback?${new URLSearchParams({ state, selling_partner_id: 'A3LEAKCHECK', spapi_oauth_code: code })}`, browser);
    expect(answer.status).toBe(200);
    const landed = await confirm(form, browser);
    expect(landed.status).toBe(200);
    await call('GET', '/v1/stores', { token: owner.token });
    await call('GET', '/v1/overview', { token: owner.token });
    const needle = code.slice('code-ok-'.length);
    expect(seenBodies.join('\n')).not.toContain(needle);
    expect(consoleLines.join('\n')).not.toContain(needle);
    expect(await everyStoredText()).not.toContain(needle);
  });
});
