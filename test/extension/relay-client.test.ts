import { describe, expect, it } from 'vitest';
import { createRelayClient } from '../../extension/lib/relay/relay-client.ts';
import { fakeRelay, json } from './helpers/fake-relay.ts';
import { NOW, threeStores } from './helpers/overview-fixtures.ts';

function client(routes: Parameters<typeof fakeRelay>[0], token: string | null = 'tok') {
  const relay = fakeRelay(routes);
  return { relay, api: createRelayClient({ baseUrl: 'https://relay.test/', token, fetch: relay.fetch }) };
}

describe('relay client', () => {
  it('answers a 304 as "unchanged" without reading a body', async () => {
    const { api, relay } = client({ 'GET /v1/overview': () => new Response(null, { status: 304 }) });
    expect(await api.overview('"v7"')).toEqual({ ok: true, value: { changed: false } });
    expect(relay.calls[0]?.headers['if-none-match']).toBe('"v7"');
  });

  it('returns a changed overview with the ETag to send next time', async () => {
    const { api } = client({ 'GET /v1/overview': () => json({ stores: threeStores() }, 200, { etag: '"v8"' }) });
    const r = await api.overview(null);
    expect(r.ok && r.value.changed && r.value.etag).toBe('"v8"');
  });

  it('reports a body that breaks the shared contract as invalid, naming the field', async () => {
    const broken = threeStores().map((s) => ({ ...s, level: 'catastrophic' }));
    const { api } = client({ 'GET /v1/overview': () => json({ stores: broken }) });
    expect(await api.overview(null)).toMatchObject({ ok: false, failure: { kind: 'invalid' } });
  });

  it('records a merchant id seen on a page at POST /v1/stores/:id/merchant-ids, taking the 204 as done', async () => {
    const { api, relay } = client({
      'POST /v1/stores/st%201/merchant-ids': () => new Response(null, { status: 204 }),
      'POST /v1/stores/st-2/merchant-ids': () => json({ error: { code: 'invalid', message: 'merchantId: a merchant id' } }, 400),
    });
    expect(await api.recordMerchantId('st 1', 'AAGBKF49IVH4X')).toMatchObject({ ok: true });
    expect(relay.calls[0]).toMatchObject({ method: 'POST', body: { merchantId: 'AAGBKF49IVH4X' }, headers: { authorization: 'Bearer tok' } });
    expect(await api.recordMerchantId('st-2', 'x')).toMatchObject({ ok: false, failure: { kind: 'http', status: 400, code: 'invalid' } });
  });

  it('reports no answer at all as offline', async () => {
    const { api, relay } = client({});
    relay.setDown(true);
    const r = await api.me();
    expect(!r.ok && r.failure.kind).toBe('offline');
  });

  it('reports a refused token as unauthorized, with the relay message', async () => {
    const { api } = client({ 'GET /v1/me': () => json({ error: { code: 'unauthorized', message: 'token revoked' } }, 401) });
    expect(await api.me()).toEqual({ ok: false, failure: { kind: 'unauthorized', message: 'token revoked' } });
  });

  it('keeps the relay error code and message for other failures', async () => {
    const { api } = client({ 'POST /v1/stores/s1/refresh': () => json({ error: { code: 'rate_limited', message: 'refreshed moments ago' } }, 429) });
    expect(await api.refresh('s1')).toEqual({ ok: false, failure: { kind: 'http', status: 429, code: 'rate_limited', message: 'refreshed moments ago' } });
  });

  it('follows one job per store for refresh all, skipping nothing the relay listed', async () => {
    const { api, relay } = client({ 'POST /v1/refresh': () => json({ jobs: [{ storeId: 'a', jobId: 'j1' }, { storeId: 'b', jobId: 'j2' }] }, 202) });
    expect(await api.refresh(null)).toEqual({ ok: true, value: [{ storeId: 'a', jobId: 'j1' }, { storeId: 'b', jobId: 'j2' }] });
    expect(relay.calls[0]?.path).toBe('/v1/refresh');
  });

  it('reads a job and sends the bearer token, never a token for pairing', async () => {
    const { api, relay } = client({
      'GET /v1/jobs/j1': () => json({ id: 'j1', storeId: 'a', state: 'waiting', error: null, startedAt: NOW, finishedAt: null }),
    });
    const r = await api.job('j1');
    expect(r.ok && r.value.state).toBe('waiting');
    expect(relay.calls[0]?.headers.authorization).toBe('Bearer tok');
  });

  it('asks for history since a given instant for one store, marketplace and metric', async () => {
    const { api, relay } = client({ 'GET /v1/stores/s%201/history': () => json({ points: [{ takenAt: NOW, value: 0.01, level: 'warn' }] }) });
    const r = await api.history('s 1', 'ATVPDKIKX0DER', 'odrMfn', NOW - 1000);
    expect(r.ok && r.value.points).toHaveLength(1);
    expect(relay.calls[0]?.path).toBe(`/v1/stores/s%201/history?marketplaceId=ATVPDKIKX0DER&metric=odrMfn&since=${NOW - 1000}`);
  });
});

describe('relay client: refresh all', () => {
  it('passes on the stores the relay could not start, with the reason, beside the started ones', async () => {
    const { api } = client({
      'POST /v1/refresh': () => json({ jobs: [{ storeId: 'a', jobId: 'j1' }, { storeId: 'b', jobId: null, error: 'refreshed moments ago' }] }, 202),
    });
    expect(await api.refresh(null)).toEqual({
      ok: true,
      value: [
        { storeId: 'a', jobId: 'j1' },
        { storeId: 'b', jobId: null, error: 'refreshed moments ago' },
      ],
    });
  });
});
