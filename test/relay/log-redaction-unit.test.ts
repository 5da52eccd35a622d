import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../relay/app.ts';
import { redactSecrets } from '../../relay/log-redaction.ts';
import { SETUP_TOKEN } from './helpers/relay-client.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('redactSecrets', () => {
  it.each([
    ['an LWA refresh token', 'exchange failed for Atzr|IwEBIExample-token_value more', 'exchange failed for [redacted] more'],
    ['an LWA access token in a header dump', '"x-amz-access-token":"Atza|IwEBIAccess"', '"x-amz-access-token":"[redacted]"'],
    ['a relay API token', 'token sw_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg revoked', 'token [redacted] revoked'],
    ['an OAuth code in a query', '/v1/oauth/callback?state=abc&spapi_oauth_code=RHxyz', '/v1/oauth/callback?state=abc&spapi_oauth_code=[redacted]'],
    ['a form-encoded client secret', 'grant_type=refresh_token&client_secret=s3cr3t&client_id=abc', 'grant_type=refresh_token&client_secret=[redacted]&client_id=abc'],
  ])('hides %s', (_what, text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it('leaves ordinary text alone', () => {
    const text = 'relay: POST /v1/stores failed: D1_ERROR: UNIQUE constraint failed: stores.id (errcode=45009)';
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('an unexpected failure', () => {
  function failingApp(message: string) {
    return createApp({
      now: () => {
        throw new Error(message);
      },
      fetch,
      newId: () => crypto.randomUUID(),
    });
  }

  it('answers 500 internal with a request id the log line carries, and logs no secret', async () => {
    const logged: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    });
    const res = await failingApp('could not open Atzr|the-plaintext-refresh-token for sw_AbCdEfGhIjKlMnOpQrStUvWx').request(
      '/v1/setup',
      { method: 'POST', headers: { authorization: `Bearer ${SETUP_TOKEN}`, 'cf-ray': '8f1e2d3c4b5a6978-HKG' }, body: '{}' },
      env,
    );
    expect(res.status).toBe(500);
    expect(res.headers.get('x-request-id')).toBe('8f1e2d3c4b5a6978-HKG');
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('internal');
    expect(body.error.message).toContain('8f1e2d3c4b5a6978-HKG');
    expect(JSON.stringify(body)).not.toContain('plaintext');
    const log = logged.join('\n');
    expect(log).toContain('8f1e2d3c4b5a6978-HKG');
    expect(log).not.toContain('the-plaintext-refresh-token');
    expect(log).not.toContain('sw_AbCdEf');
  });

  it('makes up its own request id when the cf-ray header is not one', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = await failingApp('boom').request('/v1/setup', { method: 'POST', headers: { 'cf-ray': 'not a ray <script>' }, body: '{}' }, env);
    expect(res.status).toBe(500);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
