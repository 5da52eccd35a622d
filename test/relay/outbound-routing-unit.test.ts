import { describe, expect, it } from 'vitest';
import { defaultRouteDeps } from '../../relay/app.ts';
import { defaultAlertDeps } from '../../relay/alerts/deps.ts';
import type { Env } from '../../relay/env.ts';
import { defaultPipelineDeps } from '../../relay/pipeline/deps.ts';
import { buildHostMap, hostMapToJson } from '../../relay/upstream-map.ts';

// npm start points the relay at the sandbox through UPSTREAM_HOST_MAP; every outbound path of the
// relay (routes, pipeline, alerts) must honour it, or a local run would try the real Amazon/WeChat.
const env = { UPSTREAM_HOST_MAP: hostMapToJson(buildHostMap('http://127.0.0.1:9')), TOKEN_ENCRYPTION_KEY: btoa('k'.repeat(32)) } as unknown as Env;

describe('outbound routing in local runs', () => {
  it.each([
    ['API routes', () => defaultRouteDeps.fetch(env)],
    ['the report pipeline', () => defaultPipelineDeps(env).fetch],
    ['alert delivery', () => defaultAlertDeps(env).fetch],
  ])('%s refuse a host outside UPSTREAM_HOST_MAP instead of reaching the internet', async (_name, outbound) => {
    const res = await outbound()('https://example.com/');
    expect(res.status).toBe(502);
    expect(await res.text()).toContain('No upstream for example.com');
  });
});
