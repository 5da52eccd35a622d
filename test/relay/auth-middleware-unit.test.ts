import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../relay/app.ts';
import { systemPlatform } from '../../relay/platform-deps.ts';
import { setupWorkspace } from './helpers/relay-client.ts';

/** env.DB with every prepared SQL text recorded. */
function recordingDb(seen: string[]): D1Database {
  return new Proxy(env.DB, {
    get(target, property) {
      if (property === 'prepare') {
        return (sql: string) => {
          seen.push(sql);
          return target.prepare(sql);
        };
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('the bearer token check', () => {
  it('looks the token up once per request, whichever route it guards', async () => {
    const owner = await setupWorkspace();
    const app = createApp(systemPlatform);
    for (const path of ['/v1/jobs/job_missing', '/v1/alerts', '/v1/stores']) {
      const seen: string[] = [];
      const res = await app.request(path, { headers: { authorization: `Bearer ${owner.token}` } }, { ...env, DB: recordingDb(seen) });
      expect(res.status, path).toBeLessThan(500);
      expect(seen.filter((sql) => sql.includes('FROM api_tokens')), path).toHaveLength(1);
    }
  });

  it('guards each route on its own: an unknown path answers 404 and the public routes need no token', async () => {
    const app = createApp(systemPlatform);
    const unknown = await app.request('/v1/no-such-route', {}, env);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'not_found' } });
    // Setup is public (its own SETUP_TOKEN check answers), however the routes are mounted.
    const setup = await app.request('/v1/setup', { method: 'POST', body: '{}' }, env);
    expect(setup.status).toBe(401);
    expect(await setup.json()).toMatchObject({ error: { message: expect.stringContaining('SETUP_TOKEN') } });
    expect((await app.request('/v1/alerts', {}, env)).status).toBe(401);
  });
});
