/**
 * Issue 14, finding 7: SETUP_TOKEN creates the first workspace only, unless the operator opts in
 * with ALLOW_MORE_WORKSPACES=true; refused setups write nothing.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../relay/app.ts';
import type { Env } from '../../relay/env.ts';
import { systemPlatform } from '../../relay/platform-deps.ts';

const SETUP_TOKEN = 'setup-token-for-tests';

async function setup(vars: Partial<Env>, ip: string): Promise<Response> {
  const app = createApp(systemPlatform);
  const ctx = createExecutionContext();
  const request = new Request('https://relay.test/v1/setup', {
    method: 'POST',
    headers: { authorization: `Bearer ${SETUP_TOKEN}`, 'content-type': 'application/json', 'cf-connecting-ip': ip },
    body: JSON.stringify({ workspace: 'Acme', owner: 'Lin' }),
  });
  const res = await app.fetch(request, { ...env, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

async function count(table: string): Promise<number> {
  return (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>())?.n ?? -1;
}

beforeEach(async () => {
  await env.DB.batch(['api_tokens', 'members', 'workspaces', 'rate_limits'].map((t) => env.DB.prepare(`DELETE FROM ${t}`)));
});

describe('POST /v1/setup', () => {
  it('creates the first workspace, then answers 403 setup_closed and writes nothing', async () => {
    const byDefault = { ALLOW_MORE_WORKSPACES: undefined };
    expect((await setup(byDefault, '10.0.0.1')).status).toBe(201);
    const again = await setup(byDefault, '10.0.0.2');
    expect(again.status).toBe(403);
    const body = (await again.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('setup_closed');
    expect(body.error.message).toContain('ALLOW_MORE_WORKSPACES=true');
    expect([await count('workspaces'), await count('members'), await count('api_tokens')]).toEqual([1, 1, 1]);
  });

  it('creates more workspaces only with the exact opt-in ALLOW_MORE_WORKSPACES=true', async () => {
    expect((await setup({ ALLOW_MORE_WORKSPACES: undefined }, '10.0.1.1')).status).toBe(201);
    expect((await setup({ ALLOW_MORE_WORKSPACES: '1' }, '10.0.1.2')).status).toBe(403);
    expect((await setup({ ALLOW_MORE_WORKSPACES: 'true' }, '10.0.1.3')).status).toBe(201);
    expect(await count('workspaces')).toBe(2);
  });

  it('lets only one of two racing first setups through', async () => {
    const answers = await Promise.all([setup({ ALLOW_MORE_WORKSPACES: undefined }, '10.0.2.1'), setup({ ALLOW_MORE_WORKSPACES: undefined }, '10.0.2.2')]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 403]);
    expect(await count('workspaces')).toBe(1);
  });

  it('writes no rate-limit row for a refused attempt: the eleventh try from one address leaves the count at ten', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await setup({ ALLOW_MORE_WORKSPACES: 'true' }, '10.0.3.1')).status);
    expect(statuses.slice(10)).toEqual([429, 429]);
    const row = await env.DB.prepare("SELECT count FROM rate_limits WHERE bucket = 'setup:10.0.3.1'").first<{ count: number }>();
    expect(row?.count).toBe(10);
  });
});
