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
  it('looks the token up once per request, though several sub-apps on /v1 guard every path', async () => {
    const owner = await setupWorkspace();
    const app = createApp(systemPlatform);
    // /v1/jobs/:id is mounted after the alert sub-apps, each of which guards '*'.
    for (const path of ['/v1/jobs/job_missing', '/v1/alerts', '/v1/stores']) {
      const seen: string[] = [];
      const res = await app.request(path, { headers: { authorization: `Bearer ${owner.token}` } }, { ...env, DB: recordingDb(seen) });
      expect(res.status, path).toBeLessThan(500);
      expect(seen.filter((sql) => sql.includes('FROM api_tokens')), path).toHaveLength(1);
    }
  });
});
