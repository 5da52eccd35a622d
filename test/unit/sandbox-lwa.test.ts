import { describe, expect, it } from 'vitest';
import { DEMO_SELLERS, createSandbox } from '../sandbox/amazon.ts';
import { BASE, accessToken, control, lwaForm, spRequest } from '../sandbox/client.ts';

const START = Date.UTC(2026, 10, 1);

function world() {
  let t = START;
  const sandbox = createSandbox({ now: () => t, reportProcessingMs: 30_000 });
  return { sandbox, advance: (ms: number) => (t += ms) };
}

const creds = { client_id: 'amzn1.application-oa2-client.x', client_secret: 's3cret' };

describe('sandbox LWA token endpoint', () => {
  it('exchanges a demo refresh token for a one-hour bearer access token', async () => {
    const { sandbox } = world();
    const res = await sandbox.handle(lwaForm({ grant_type: 'refresh_token', refresh_token: DEMO_SELLERS.na.refreshToken, ...creds }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    expect(body.access_token).toMatch(/^Atza\|/);
  });

  it('answers invalid_grant for an unknown refresh token', async () => {
    const { sandbox } = world();
    const res = await sandbox.handle(lwaForm({ grant_type: 'refresh_token', refresh_token: 'Atzr|nope', ...creds }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.any(String) });
  });

  it('answers invalid_request when the refresh token or grant type is missing', async () => {
    const { sandbox } = world();
    for (const fields of [{ grant_type: 'refresh_token', ...creds }, { refresh_token: DEMO_SELLERS.na.refreshToken, ...creds }]) {
      const res = await sandbox.handle(lwaForm(fields));
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_request');
    }
  });

  it('answers unsupported_grant_type for other grants', async () => {
    const { sandbox } = world();
    const res = await sandbox.handle(lwaForm({ grant_type: 'client_credentials', ...creds }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('unsupported_grant_type');
  });

  it('answers 401 invalid_client when the client id or secret is missing', async () => {
    const { sandbox } = world();
    const res = await sandbox.handle(lwaForm({ grant_type: 'refresh_token', refresh_token: DEMO_SELLERS.na.refreshToken, client_id: 'x' }));
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_client');
  });

  it('stops accepting an access token after its hour is up', async () => {
    const { sandbox, advance } = world();
    const token = await accessToken(sandbox, DEMO_SELLERS.na.refreshToken);
    expect((await sandbox.handle(spRequest(token, 'GET', '/sellers/v1/marketplaceParticipations'))).status).toBe(200);
    advance(3600_000);
    const res = await sandbox.handle(spRequest(token, 'GET', '/sellers/v1/marketplaceParticipations'));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: '' }] });
  });

  it('rejects SP-API calls without a token, with a made-up token, or at another region endpoint', async () => {
    const { sandbox } = world();
    const eu = await accessToken(sandbox, DEMO_SELLERS.eu.refreshToken);
    const noToken = new Request(`${BASE}/sellers/v1/marketplaceParticipations`);
    for (const req of [noToken, spRequest('Atza|forged', 'GET', '/sellers/v1/marketplaceParticipations'), spRequest(eu, 'GET', '/sellers/v1/marketplaceParticipations', { region: 'na' })]) {
      const res = await sandbox.handle(req);
      expect(res.status).toBe(403);
      expect(res.headers.get('x-amzn-RequestId')).toBeTruthy();
    }
    expect((await sandbox.handle(spRequest(eu, 'GET', '/sellers/v1/marketplaceParticipations', { region: 'eu' }))).status).toBe(200);
  });
});

describe('sandbox website authorization (consent + code exchange)', () => {
  const redirect = 'https://relay.example/v1/oauth/callback';

  async function consentCode(sandbox: ReturnType<typeof createSandbox>, sellerId: string): Promise<URL> {
    const page = await sandbox.handle(
      new Request(`${BASE}/apps/authorize/consent?application_id=amzn1.sp.solution.x&state=st-123&redirect_uri=${encodeURIComponent(redirect)}`),
    );
    expect(page.status).toBe(200);
    const text = await page.text();
    const href = [...text.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&')).find((h) => h.includes(sellerId));
    expect(href).toBeDefined();
    const res = await sandbox.handle(new Request(`${BASE}${href}`));
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location')!);
  }

  it('shows an Authorize link per demo seller that redirects back with state, selling_partner_id and spapi_oauth_code', async () => {
    const { sandbox } = world();
    const back = await consentCode(sandbox, DEMO_SELLERS.eu.sellerId);
    expect(`${back.origin}${back.pathname}`).toBe(redirect);
    expect(back.searchParams.get('state')).toBe('st-123');
    expect(back.searchParams.get('selling_partner_id')).toBe(DEMO_SELLERS.eu.sellerId);
    expect(back.searchParams.get('spapi_oauth_code')).toBeTruthy();
  });

  it('uses the default redirect URI from the options when the request names none', async () => {
    const sandbox = createSandbox({ now: () => START, defaultRedirectUri: 'http://127.0.0.1:8787/cb' });
    const page = await (await sandbox.handle(new Request(`${BASE}/apps/authorize/consent?application_id=a&state=s`))).text();
    expect(page).toContain(encodeURIComponent('http://127.0.0.1:8787/cb'));
  });

  it('exchanges a code once for the seller refresh token, then answers invalid_grant', async () => {
    const { sandbox } = world();
    const code = (await consentCode(sandbox, DEMO_SELLERS.fe.sellerId)).searchParams.get('spapi_oauth_code')!;
    const exchange = () => sandbox.handle(lwaForm({ grant_type: 'authorization_code', code, redirect_uri: redirect, ...creds }));
    const first = await exchange();
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ token_type: 'bearer', expires_in: 3600, refresh_token: DEMO_SELLERS.fe.refreshToken });
    const second = await exchange();
    expect(second.status).toBe(400);
    expect(((await second.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('lets a code expire after five minutes', async () => {
    const { sandbox, advance } = world();
    const code = (await consentCode(sandbox, DEMO_SELLERS.na.sellerId)).searchParams.get('spapi_oauth_code')!;
    advance(5 * 60_000);
    const res = await sandbox.handle(lwaForm({ grant_type: 'authorization_code', code, redirect_uri: redirect, ...creds }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('accepts a code just inside its five minutes', async () => {
    const { sandbox, advance } = world();
    const code = (await consentCode(sandbox, DEMO_SELLERS.na.sellerId)).searchParams.get('spapi_oauth_code')!;
    advance(5 * 60_000 - 1);
    const res = await sandbox.handle(lwaForm({ grant_type: 'authorization_code', code, redirect_uri: redirect, ...creds }));
    expect(res.status).toBe(200);
  });

  it('refuses a code presented with another redirect_uri, and a bad code', async () => {
    const { sandbox } = world();
    const code = (await consentCode(sandbox, DEMO_SELLERS.na.sellerId)).searchParams.get('spapi_oauth_code')!;
    for (const fields of [
      { code, redirect_uri: 'https://evil.example/cb' },
      { code: 'ANsandboxmadeup', redirect_uri: redirect },
    ]) {
      const res = await sandbox.handle(lwaForm({ grant_type: 'authorization_code', ...fields, ...creds }));
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_grant');
    }
  });

  it('answers invalid_request when code or redirect_uri is missing', async () => {
    const { sandbox } = world();
    const res = await sandbox.handle(lwaForm({ grant_type: 'authorization_code', code: 'x', ...creds }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_request');
  });

  it('re-authorizes a seller that had revoked: consent clears the revoke fault', async () => {
    const { sandbox } = world();
    await sandbox.handle(control('POST', 'faults', { sellerId: DEMO_SELLERS.na.sellerId, fault: 'revoke' }));
    const code = (await consentCode(sandbox, DEMO_SELLERS.na.sellerId)).searchParams.get('spapi_oauth_code')!;
    expect((await sandbox.handle(lwaForm({ grant_type: 'authorization_code', code, redirect_uri: redirect, ...creds }))).status).toBe(200);
    await expect(accessToken(sandbox, DEMO_SELLERS.na.refreshToken)).resolves.toMatch(/^Atza\|/);
  });
});
