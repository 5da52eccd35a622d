import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../relay/app.ts';
import worker from '../../relay/index.ts';
import { SETUP_TOKEN } from './helpers/relay-client.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('an unexpected failure inside a route', () => {
  it('answers 500 with the envelope and no internals, and logs the failure for the operator', async () => {
    const logged: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => {
      logged.push(String(line));
    });
    const app = createApp({
      now: () => {
        throw new Error('D1 exploded at /secret/path');
      },
      fetch,
      newId: () => crypto.randomUUID(),
    });
    const res = await app.request('/v1/setup', { method: 'POST', headers: { authorization: `Bearer ${SETUP_TOKEN}` }, body: '{}' }, env);
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({ error: { code: 'internal', message: expect.any(String) } });
    expect(body).not.toContain('exploded');
    expect(logged.join('\n')).toContain('D1 exploded');
  });
});

describe('the Worker entry', () => {
  it('serves /healthz through exports.default.fetch', async () => {
    expect((await exports.default.fetch('https://relay.test/healthz')).status).toBe(200);
  });

  it('hands storewatch-jobs messages to the report-job consumer, which drops a malformed one', async () => {
    const batch = createMessageBatch<unknown>('storewatch-jobs', [{ id: 'm1', timestamp: new Date(0), attempts: 1, body: { storeId: 's' } }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(['m1']);
  });
});
