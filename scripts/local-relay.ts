/**
 * Runs the relay on local workerd through wrangler's own programmatic dev server
 * (`unstable_startWorker`): the Worker from wrangler.toml, bundled as `wrangler deploy` would,
 * with a local D1 (migrations applied by wrangler's migration system, persisted under
 * .wrangler/state) and local Queues. Two things differ from production, both outside the Worker:
 * every outbound fetch goes to `outbound` (Miniflare's outboundService - the host map of
 * scripts/upstream-map.ts), and Miniflare runs no Cron Triggers, so `tick()` calls the Worker's
 * `scheduled` handler (the runner does it every minute).
 */
import { spawnSync } from 'node:child_process';
import { unstable_startWorker } from 'wrangler';
import { DEFAULT_OA_CONFIG } from '../test/sandbox/official-account.ts';

export const STATE_DIR = '.wrangler/state';

/**
 * No telemetry, no prompts, no fetch of Cloudflare's `Request.cf` sample from the internet, and
 * only wrangler's warnings and errors (the Worker's own errors included), not a line per request.
 */
export function quietWranglerEnv(): void {
  process.env.WRANGLER_LOG ??= 'warn';
  process.env.WRANGLER_SEND_METRICS = 'false';
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';
  process.env.CI ??= 'true';
}

/** Applies relay/migrations to the local D1 (idempotent: wrangler records what it applied). */
export function applyLocalMigrations(persistTo: string = STATE_DIR): string {
  // Its own log level: the report below is read from what it prints.
  const result = spawnSync('npx', ['wrangler', 'd1', 'migrations', 'apply', 'storewatch', '--local', '--persist-to', persistTo], { encoding: 'utf8', env: { ...process.env, WRANGLER_LOG: 'log' } });
  if (result.status !== 0) throw new Error(`Applying the D1 migrations failed:\n${result.stdout}\n${result.stderr}`);
  if (result.stdout.includes('No migrations to apply')) return 'up to date';
  // wrangler lists what it is about to apply in a table before applying it.
  const listed = result.stdout.split('Migrations to be applied:')[1]?.split('About to apply')[0] ?? '';
  return `applied ${[...new Set(listed.match(/\d{4}_[\w-]+\.sql/g) ?? [])].join(', ') || 'the migrations'}`;
}

/**
 * The relay's settings when its Amazon and WeChat are the sandbox (npm start, the benchmarks, the
 * end-to-end test of the whole stack): everything but the secrets of the deployment itself.
 */
export function sandboxRelayVars(relayUrl: string, sandboxUrl: string): Record<string, string> {
  return {
    // The sandbox's Login with Amazon accepts any app credentials.
    LWA_CLIENT_ID: 'amzn1.application-oa2-client.storewatch-local',
    LWA_CLIENT_SECRET: 'storewatch-local-secret',
    SPAPI_APP_ID: 'amzn1.sp.solution.storewatch-local',
    OAUTH_REDIRECT_URL: `${relayUrl}/v1/oauth/callback`,
    // An unpacked extension's id differs per machine: admit any while running locally.
    ALLOW_ANY_EXTENSION_ORIGIN: '1',
    // The demo workspace and one of your own side by side (a deployment creates only its first).
    ALLOW_MORE_WORKSPACES: 'true',
    // A stand-in Amazon (UPSTREAM_OVERRIDES) may link its report documents on 127.0.0.1.
    ALLOW_LOOPBACK_UPSTREAMS: '1',
    // The sandbox's Official Account (test/sandbox/official-account.ts); the browser loads its QR images from the sandbox.
    WECHAT_APP_ID: DEFAULT_OA_CONFIG.appId,
    WECHAT_APP_SECRET: DEFAULT_OA_CONFIG.appSecret,
    WECHAT_TOKEN: DEFAULT_OA_CONFIG.callbackToken,
    WECHAT_TEMPLATE_ID: DEFAULT_OA_CONFIG.templateIds[0]!,
    WECHAT_QR_IMAGE_BASE: sandboxUrl,
  };
}

export interface LocalRelay {
  url: string;
  /** Runs the Worker's `scheduled` handler once, as a Cron Trigger would. */
  tick(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the relay on 127.0.0.1:`port` with the given vars and secrets. */
export async function startLocalRelay(options: {
  port: number;
  persistTo?: string;
  vars: Record<string, string>;
  outbound: (request: Request) => Promise<Response>;
}): Promise<LocalRelay> {
  const worker = await unstable_startWorker({
    config: 'wrangler.toml',
    bindings: Object.fromEntries(Object.entries(options.vars).map(([name, value]) => [name, { type: 'secret_text' as const, value }])),
    dev: {
      server: { hostname: '127.0.0.1', port: options.port },
      persist: options.persistTo ?? STATE_DIR,
      inspector: false,
      watch: false,
      liveReload: false,
      // Exposes /__scheduled, which `tick` calls: Miniflare has no cron scheduler of its own.
      testScheduled: true,
      outboundService: options.outbound,
    },
  });
  await worker.ready;
  const url = `http://127.0.0.1:${options.port}`;
  return {
    url,
    async tick() {
      const res = await fetch(`${url}/__scheduled?cron=${encodeURIComponent('*/5 * * * *')}`);
      if (!res.ok) throw new Error(`the scheduled handler answered HTTP ${res.status}: ${await res.text()}`);
    },
    close: () => worker.dispose(),
  };
}
