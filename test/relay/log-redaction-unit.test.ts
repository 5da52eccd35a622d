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
    [
      'a pre-signed document URL',
      'fetch https://tortuga-prod-na.s3-external-1.amazonaws.com/ab/amzn1.tortuga.4.na.x?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=9f1e failed',
      'fetch https://tortuga-prod-na.s3-external-1.amazonaws.com/ab/amzn1.tortuga.4.na.x?[redacted] failed',
    ],
    ['a WeCom webhook key', 'POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=0b1c2d3e-4f50 timed out', 'POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?[redacted] timed out'],
    ['a bare signature parameter', 'X-Amz-Signature=9f1e&X-Amz-Credential=AKIA/2026', 'X-Amz-Signature=[redacted]&X-Amz-Credential=[redacted]'],
    ['a ServerChan SendKey in the path', 'https://sctapi.ftqq.com/SCT123abcDEF.send refused', 'https://sctapi.ftqq.com/[redacted].send refused'],
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

describe('the report pipeline log', () => {
  it('logs a failed job step without the tokens or signed URLs its error carried', async () => {
    const { createExecutionContext, createMessageBatch } = await import('cloudflare:test');
    const { handleJobQueue } = await import('../../relay/pipeline/consumer.ts');
    const logged: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
    const leaky = 'D1 failed near Atzr|IwEBIleaked and https://tortuga-prod-na.s3.amazonaws.com/doc?X-Amz-Signature=9f1e0d';
    const brokenDb = {
      prepare() {
        throw new Error(leaky);
      },
    } as unknown as D1Database;
    const batch = createMessageBatch('storewatch-jobs', [{ id: 'm1', timestamp: new Date(0), attempts: 1, body: { kind: 'poll', storeId: 's1', workspaceId: 'w1' } }]);
    const deps = { now: () => 0, newId: () => 'job-1', fetch, accessToken: async () => ({ token: 'x' }), fanOut: async () => undefined } as unknown as Parameters<typeof handleJobQueue>[3];
    await handleJobQueue(batch, { ...env, DB: brokenDb }, createExecutionContext(), deps);
    const line = logged.find((l) => l.includes('a report job step failed'));
    expect(line).toContain('D1 failed near [redacted] and https://tortuga-prod-na.s3.amazonaws.com/doc?[redacted]');
    expect(logged.join('\n')).not.toContain('IwEBIleaked');
    expect(logged.join('\n')).not.toContain('9f1e0d');
  });
});
