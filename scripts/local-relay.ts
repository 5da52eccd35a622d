/**
 * Runs the relay locally with wrangler's own dev server: local workerd, local D1 (migrations
 * applied with wrangler's migration system) and local Queues. The Worker code is the deployed
 * code; two things differ, both outside it: `UPSTREAM_HOST_MAP` routes its outbound requests to
 * simulators, and a timer calls the scheduled handler (Miniflare runs no Cron Triggers).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';

export const STATE_DIR = '.wrangler/state';
const WRANGLER_ENV = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' };

/** Applies relay/migrations to the local D1 (idempotent: wrangler records what it applied). */
export function applyLocalMigrations(): void {
  const result = spawnSync('npx', ['wrangler', 'd1', 'migrations', 'apply', 'storewatch', '--local', '--persist-to', STATE_DIR], {
    encoding: 'utf8',
    env: WRANGLER_ENV,
  });
  if (result.status !== 0) throw new Error(`Applying D1 migrations failed:\n${result.stdout}\n${result.stderr}`);
}

export interface LocalRelay {
  url: string;
  /** Runs the Worker's `scheduled` handler once, as a Cron Trigger would. */
  tick(): Promise<void>;
  close(): void;
}

async function waitUntilUp(url: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${log()}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`The relay did not come up at ${url} within 60 s:\n${log()}`);
}

/** Starts `wrangler dev` on 127.0.0.1 with the given vars (written to a git-ignored env file). */
export async function startLocalRelay(options: { port: number; vars: Record<string, string> }): Promise<LocalRelay> {
  mkdirSync(STATE_DIR, { recursive: true });
  const envFile = `${STATE_DIR}/local.vars`;
  // Single quotes: dotenv takes the value literally (the host map is JSON full of double quotes).
  writeFileSync(envFile, Object.entries(options.vars).map(([k, v]) => `${k}='${v}'`).join('\n') + '\n', { mode: 0o600 });
  applyLocalMigrations();
  const child = spawn(
    'npx',
    ['wrangler', 'dev', '--local', '--ip', '127.0.0.1', '--port', String(options.port), '--persist-to', STATE_DIR, '--test-scheduled', '--env-file', envFile, '--show-interactive-dev-session=false'],
    // Its own process group, so closing stops wrangler and the workerd it starts, not just npx.
    { env: WRANGLER_ENV, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${options.port}`;
  await waitUntilUp(url, child, () => output);
  return {
    url,
    async tick() {
      await fetch(`${url}/__scheduled?cron=${encodeURIComponent('*/5 * * * *')}`);
    },
    close() {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    },
  };
}
