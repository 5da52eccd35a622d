/**
 * A local D1 for the cost benchmarks: wrangler's platform proxy over Miniflare (the same D1 that
 * `npm start` and the relay tests use), in a throw-away directory, with relay/migrations applied.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getPlatformProxy } from 'wrangler';
import { quietWranglerEnv } from '../../scripts/local-relay.ts';

export interface LocalD1 {
  db: D1Database;
  close(): Promise<void>;
}

export async function localD1(): Promise<LocalD1> {
  quietWranglerEnv();
  const dir = mkdtempSync(join(tmpdir(), 'storewatch-bench-d1-'));
  const proxy = await getPlatformProxy<{ DB: D1Database }>({ configPath: 'wrangler.toml', persist: { path: dir } });
  const db = proxy.env.DB;
  for (const file of readdirSync('relay/migrations').filter((f) => f.endsWith('.sql')).sort()) {
    // D1's exec() takes one statement per line: comments out, each statement joined onto one line.
    const sql = readFileSync(join('relay/migrations', file), 'utf8').replace(/--.*$/gm, '');
    const statements = sql.split(/;\s*\n/).map((s) => s.replace(/\s+/g, ' ').trim()).filter(Boolean);
    await db.batch(statements.map((s) => db.prepare(s)));
  }
  return {
    db,
    async close() {
      await proxy.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
