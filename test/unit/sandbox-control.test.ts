import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { DEMO_SELLERS, US_ODR_DRIFT_MS, createSandbox } from '../sandbox/amazon.ts';
import { BASE, accessToken, control, spRequest } from '../sandbox/client.ts';
import { listen } from '../sandbox/listen.ts';

const START = Date.UTC(2026, 10, 1);
const US = 'ATVPDKIKX0DER';
const NA = DEMO_SELLERS.na.sellerId;

interface RateView {
  n: number;
  total: number;
  rate: number;
  status: string;
}
interface StateView {
  sellers: Array<{ sellerId: string; region: string; refreshToken: string; marketplaces: Array<{ id: string; rates: Record<string, RateView>; policies: Record<string, number> }> }>;
  faults: Array<{ fault: string }>;
}

function world() {
  let t = START;
  const sandbox = createSandbox({ now: () => t, reportProcessingMs: 30_000 });
  const state = async () => (await (await sandbox.handle(control('GET', 'state'))).json()) as StateView;
  const usOdr = async () => (await state()).sellers.find((s) => s.sellerId === NA)!.marketplaces.find((m) => m.id === US)!.rates.orderDefectRate!;
  return { sandbox, state, usOdr, advance: (ms: number) => (t += ms) };
}

describe('sandbox demo sellers and control API', () => {
  it('seeds na (US/CA/MX), eu (UK/DE/FR/IT/ES) and fe (JP/AU) with their refresh tokens', async () => {
    const { state } = world();
    const s = await state();
    expect(s.sellers.map((x) => [x.sellerId, x.region, x.refreshToken, x.marketplaces.length])).toEqual([
      ['A1DEMONA0001', 'na', 'Atzr|sandbox-na', 3],
      ['A1DEMOEU0001', 'eu', 'Atzr|sandbox-eu', 5],
      ['A1DEMOFE0001', 'fe', 'Atzr|sandbox-fe', 2],
    ]);
  });

  it('drifts the US ODR from 1/250: near the 1 % target after one step, over it after two', async () => {
    const { usOdr, advance } = world();
    expect(await usOdr()).toMatchObject({ n: 1, total: 250, rate: 0.004, status: 'GOOD' });
    advance(US_ODR_DRIFT_MS);
    expect(await usOdr()).toMatchObject({ n: 2, rate: 0.008, status: 'GOOD' });
    advance(US_ODR_DRIFT_MS);
    expect(await usOdr()).toMatchObject({ n: 3, rate: 0.012, status: 'BAD' });
    expect(2 * US_ODR_DRIFT_MS).toBeLessThanOrEqual(10 * 60_000);
  });

  it('sets a metric exactly (ODR 3 of 252) and stops its drift', async () => {
    const { sandbox, usOdr, advance } = world();
    const res = await sandbox.handle(control('POST', 'metrics', { sellerId: NA, marketplaceId: US, metric: 'orderDefectRate', defects: 3, total: 252 }));
    expect(res.status).toBe(200);
    advance(10 * US_ODR_DRIFT_MS);
    expect(await usOdr()).toMatchObject({ n: 3, total: 252, rate: 0.0119, status: 'BAD' });
  });

  it('sets good-counted metrics and policy counts, and rejects nonsense with 400', async () => {
    const { sandbox, state } = world();
    const post = (body: Record<string, unknown>) => sandbox.handle(control('POST', 'metrics', { sellerId: NA, marketplaceId: US, ...body }));
    expect((await post({ metric: 'validTrackingRate', good: 90, total: 100 })).status).toBe(200);
    expect((await post({ metric: 'listingPolicyViolations', count: 2 })).status).toBe(200);
    const us = (await state()).sellers[0]!.marketplaces[0]!;
    expect(us.rates.validTrackingRate).toMatchObject({ rate: 0.9, status: 'BAD' });
    expect(us.policies.listingPolicyViolations).toBe(2);
    for (const body of [{ metric: 'vibes', count: 1 }, { metric: 'orderDefectRate', defects: 5, total: 4 }, { metric: 'orderDefectRate', defects: -1 }]) {
      expect((await post(body)).status).toBe(400);
    }
    expect((await sandbox.handle(control('POST', 'metrics', { sellerId: NA, marketplaceId: 'A1PA6795UKMFR9', metric: 'orderDefectRate', defects: 1 }))).status).toBe(400);
  });

  it('adds a seller that can then get tokens and list its marketplaces', async () => {
    const { sandbox } = world();
    const res = await sandbox.handle(control('POST', 'sellers', { sellerId: 'A2NEWSELLER01', region: 'eu', refreshToken: 'Atzr|new', marketplaceIds: ['A1805IZSGTT6HS'] }));
    expect(res.status).toBe(201);
    const token = await accessToken(sandbox, 'Atzr|new');
    const list = (await (await sandbox.handle(spRequest(token, 'GET', '/sellers/v1/marketplaceParticipations', { region: 'eu' }))).json()) as {
      payload: Array<{ marketplace: { countryCode: string } }>;
    };
    expect(list.payload.map((p) => p.marketplace.countryCode)).toEqual(['NL']);
    expect((await sandbox.handle(control('POST', 'sellers', { sellerId: 'A2X', region: 'eu', refreshToken: 'x', marketplaceIds: [US] }))).status).toBe(400);
  });

  it('resets sellers, metrics and faults', async () => {
    const { sandbox, state, usOdr } = world();
    await sandbox.handle(control('POST', 'metrics', { sellerId: NA, marketplaceId: US, metric: 'orderDefectRate', defects: 9 }));
    await sandbox.handle(control('POST', 'faults', { sellerId: NA, fault: 'fatal' }));
    expect((await state()).faults).toHaveLength(1);
    expect((await sandbox.handle(control('POST', 'reset'))).status).toBe(200);
    expect((await state()).faults).toHaveLength(0);
    expect((await usOdr()).n).toBe(1);
  });

  it('serves a self-contained bilingual page at / that builds its DOM with textContent', async () => {
    const { sandbox } = world();
    const res = await sandbox.handle(new Request(`${BASE}/`));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const text = await res.text();
    expect(text).toContain('沙盒亚马逊 Sandbox Amazon');
    expect(text).toContain('/_sandbox/state');
    expect(text).not.toMatch(/innerHTML|<link |src="http/);
  });
});

describe('sandbox listen()', () => {
  it('binds 127.0.0.1 on a free port, serves / and the API over HTTP, then closes', async () => {
    const server = await listen(createSandbox({ now: () => START }), { port: 0, host: '127.0.0.1' });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const get = (path: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(`${server.url}${path}`, { headers, agent: false }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Sandbox Amazon');
    expect((await get('/sellers/v1/marketplaceParticipations')).status).toBe(403);
    await server.close();
    await expect(get('/')).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('sandbox WeChat side', () => {
  const post = (sandbox: ReturnType<typeof createSandbox>, host: string, path: string, body: unknown) =>
    sandbox.handle(new Request(`http://sandbox.test${path}`, { method: 'POST', headers: { 'x-forwarded-host': host, 'content-type': 'application/json' }, body: JSON.stringify(body) }));

  it('delivers a WeCom markdown message to any well-formed robot key and shows it on the phone', async () => {
    let t = Date.UTC(2026, 10, 23);
    const sandbox = createSandbox({ now: () => t });
    const key = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
    const res = await post(sandbox, 'qyapi.weixin.qq.com', `/cgi-bin/webhook/send?key=${key}`, { msgtype: 'markdown', markdown: { content: '**ODR 已超标**' } });
    expect(await res.json()).toEqual({ errcode: 0, errmsg: 'ok' });
    t += 1000;
    const phone = (await (await sandbox.handle(new Request('http://sandbox.test/_sandbox/messages'))).json()) as { messages: Array<{ channel: string; text: string; at: number }> };
    expect(phone.messages).toMatchObject([{ at: Date.UTC(2026, 10, 23), channel: 'wecom', to: key, text: '**ODR 已超标**', format: 'markdown' }]);
  });

  it('answers 93000 for a key the control API broke, as for a deleted robot', async () => {
    const sandbox = createSandbox({ now: () => 0 });
    const key = '11111111-2222-3333-4444-555555555555';
    await sandbox.handle(new Request('http://sandbox.test/_sandbox/wecom-keys/break', { method: 'POST', body: JSON.stringify({ key }) }));
    const res = await post(sandbox, 'qyapi.weixin.qq.com', `/cgi-bin/webhook/send?key=${key}`, { msgtype: 'text', text: { content: 'hi' } });
    expect(((await res.json()) as { errcode: number }).errcode).toBe(93000);
  });
});
