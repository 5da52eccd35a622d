import { describe, expect, it } from 'vitest';
import { buildHostMap, hostMapToJson, rerouteUrl, upstreamFetch, upstreamFor } from '../../relay/upstream-map.ts';
import { describeHostMap, outboundService } from '../../scripts/upstream-map.ts';

const SANDBOX = 'http://127.0.0.1:8790';

describe('upstream host map', () => {
  it('sends every Amazon and WeChat host to the sandbox by default, keeping path and query', () => {
    const map = buildHostMap(SANDBOX);
    expect(rerouteUrl(map, new URL('https://sellingpartnerapi-eu.amazon.com/reports/2021-06-30/reports?x=1'))?.href).toBe(
      'http://127.0.0.1:8790/reports/2021-06-30/reports?x=1',
    );
    for (const host of ['api.amazon.com', 'tortuga-prod-na.s3-external-1.amazonaws.com', 'qyapi.weixin.qq.com', 'api.weixin.qq.com', 'sctapi.ftqq.com', '12.push.ft07.com', 'www.pushplus.plus']) {
      expect(upstreamFor(map, host)?.origin, host).toBe(SANDBOX);
    }
  });

  it('routes nothing else: an unknown host has no upstream', () => {
    expect(upstreamFor(buildHostMap(SANDBOX), 'example.com')).toBeNull();
  });

  it('lets UPSTREAM_OVERRIDES replace an exact host or a suffix, the most specific winning', () => {
    const map = buildHostMap(SANDBOX, JSON.stringify({ 'api.amazon.com': 'http://127.0.0.1:9001/lwa', '*.amazonaws.com': 'http://127.0.0.1:9002' }));
    expect(rerouteUrl(map, new URL('https://api.amazon.com/auth/o2/token'))?.href).toBe('http://127.0.0.1:9001/lwa/auth/o2/token');
    expect(upstreamFor(map, 'bucket.s3.amazonaws.com')?.href).toBe('http://127.0.0.1:9002/');
    expect(upstreamFor(map, 'sellingpartnerapi-na.amazon.com')?.origin).toBe(SANDBOX);
  });

  it.each([
    ['not JSON', '{nope', /not valid JSON/],
    ['an array', '[]', /must be a JSON object/],
    ['a bad host', '{"not a host":"http://127.0.0.1:1"}', /"not a host" is not a host name/],
    ['a bad URL', '{"api.amazon.com":"nowhere"}', /"nowhere" \(for "api.amazon.com"\) is not a URL/],
    ['a non-http URL', '{"api.amazon.com":"ftp://127.0.0.1"}', /must be http or https/],
  ])('refuses overrides that are %s, naming what is wrong', (_name, json, message) => {
    expect(() => buildHostMap(SANDBOX, json)).toThrow(message);
  });
});

describe('upstreamFetch', () => {
  const seen: Request[] = [];
  const fake: typeof fetch = async (input, init) => {
    seen.push(new Request(input, init));
    return new Response('ok');
  };

  it('is the platform fetch untouched when no host map is set (production)', () => {
    expect(upstreamFetch(undefined, fake)).toBe(fake);
  });

  it('sends a request to its simulator with the original host in X-Forwarded-Host', async () => {
    const f = upstreamFetch(hostMapToJson(buildHostMap(SANDBOX)), fake);
    await f('https://api.amazon.com/auth/o2/token', { method: 'POST', body: 'grant_type=refresh_token' });
    const sent = seen.at(-1)!;
    expect(sent.url).toBe('http://127.0.0.1:8790/auth/o2/token');
    expect(sent.headers.get('x-forwarded-host')).toBe('api.amazon.com');
    expect(await sent.text()).toBe('grant_type=refresh_token');
  });

  it('refuses a host outside the map instead of reaching the internet', async () => {
    const res = await upstreamFetch(hostMapToJson(buildHostMap(SANDBOX)), fake)('https://example.com/');
    expect(res.status).toBe(502);
  });
});

describe("the host map as Miniflare's outboundService (npm start)", () => {
  function recorder(answer: () => Promise<Response> = async () => new Response('ok')) {
    const seen: Request[] = [];
    return { seen, send: async (r: Request) => (seen.push(r), answer()) };
  }

  it('sends a request to its simulator with path, query, method, headers, body, and the original host in X-Forwarded-Host', async () => {
    const { seen, send } = recorder();
    const res = await outboundService(buildHostMap(SANDBOX), send)(
      new Request('https://api.amazon.com/auth/o2/token?v=1', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=refresh_token' }),
    );
    expect(res.status).toBe(200);
    const sent = seen[0]!;
    expect([sent.method, sent.url, sent.headers.get('x-forwarded-host'), sent.headers.get('content-type')]).toEqual([
      'POST',
      'http://127.0.0.1:8790/auth/o2/token?v=1',
      'api.amazon.com',
      'application/x-www-form-urlencoded',
    ]);
    expect(await sent.text()).toBe('grant_type=refresh_token');
  });

  it('refuses a host outside the map with a 502 naming it, instead of reaching the internet', async () => {
    const { seen, send } = recorder();
    const res = await outboundService(buildHostMap(SANDBOX), send)(new Request('https://example.com/x'));
    expect(res.status).toBe(502);
    expect(await res.text()).toContain('example.com');
    expect(seen).toEqual([]);
  });

  it('lets a loopback URL through as it is: a stand-in may link its report documents on 127.0.0.1', async () => {
    const { seen, send } = recorder();
    const res = await outboundService(buildHostMap(SANDBOX), send)(new Request('http://127.0.0.1:9100/documents/d1?sig=x'));
    expect(res.status).toBe(200);
    expect(seen.map((r) => [r.url, r.headers.get('x-forwarded-host')])).toEqual([['http://127.0.0.1:9100/documents/d1?sig=x', null]]);
  });

  it('answers 502 when the simulator is down, as a dead network would look to the relay', async () => {
    const { send } = recorder(() => Promise.reject(new Error('ECONNREFUSED')));
    const res = await outboundService(buildHostMap(SANDBOX), send)(new Request('https://sellingpartnerapi-na.amazon.com/x'));
    expect(res.status).toBe(502);
    expect(await res.text()).toContain('ECONNREFUSED');
  });

  it('lists the map for the start-up lines, overrides included', () => {
    expect(describeHostMap(buildHostMap(SANDBOX, '{"api.amazon.com":"http://127.0.0.1:9001"}'))).toContain('api.amazon.com -> http://127.0.0.1:9001/');
  });
});
