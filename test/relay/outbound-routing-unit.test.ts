import { describe, expect, it } from 'vitest';
import type { Env } from '../../relay/env.ts';
import { pipelineDeps } from '../../relay/pipeline/deps.ts';
import { platformDeps, systemPlatform } from '../../relay/platform-deps.ts';
import { buildHostMap, hostMapToJson } from '../../relay/upstream-map.ts';

// npm start points the relay at the sandbox through UPSTREAM_HOST_MAP; every outbound path of the
// relay (routes and alert delivery take platformDeps' fetch, the pipeline wraps it) must honour it, or a local run would try the real Amazon/WeChat.
const env = { UPSTREAM_HOST_MAP: hostMapToJson(buildHostMap('http://127.0.0.1:9')), TOKEN_ENCRYPTION_KEY: btoa('k'.repeat(32)) } as unknown as Env;

describe('outbound routing in local runs', () => {
  it.each([
    ['API routes and alert delivery', () => platformDeps(env, systemPlatform).fetch],
    ['the report pipeline', () => pipelineDeps(platformDeps(env, systemPlatform)).fetch],
  ])('%s refuse a host outside UPSTREAM_HOST_MAP instead of reaching the internet', async (_name, outbound) => {
    const res = await outbound()('https://example.com/');
    expect(res.status).toBe(502);
    expect(await res.text()).toContain('No upstream for example.com');
  });
});
