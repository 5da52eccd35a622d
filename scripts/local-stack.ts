/**
 * A throw-away copy of the local stack, for the benchmarks and the end-to-end test of the whole
 * product: the sandbox Amazon + WeChat in this process and the relay on local workerd exactly as
 * `npm start` runs it (scripts/local-relay.ts: wrangler's unstable_startWorker, local D1 and
 * Queues, Miniflare's outboundService routing every Amazon and WeChat host to the sandbox). Two
 * things differ from `npm start`, so that it never disturbs a person's local relay: the D1 state
 * lives in a fresh temporary directory (deleted on close), and both servers take free ports on
 * 127.0.0.1.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyLocalMigrations, quietWranglerEnv, sandboxRelayVars, startLocalRelay } from './local-relay.ts';
import { buildHostMap, outboundService } from './upstream-map.ts';
import { type Sandbox, createSandbox } from '../test/sandbox/amazon.ts';
import { listen } from '../test/sandbox/listen.ts';
import { isDocumentPath } from '../test/sandbox/report-download.ts';
import { type RelayApi, relayApi } from './relay-api.ts';

export interface LocalStack {
  sandbox: Sandbox;
  sandboxUrl: string;
  relayUrl: string;
  /** The first workspace's owner's API client. */
  owner: RelayApi;
  /** The owner's bearer token, for timing raw requests. */
  ownerToken: string;
  /** Wall-clock times (Date.now) at which the sandbox finished serving a report document, in order. */
  documentsServedAt: number[];
  /** Runs the relay's `scheduled` handler once, as the Cron Trigger would. */
  tick(): Promise<void>;
  /**
   * Another workspace on the same relay (a relay hosting several teams, ALLOW_MORE_WORKSPACES);
   * its owner's API client. The relay allows 10 setups in 10 minutes from one address.
   */
  addWorkspace(name: string): Promise<RelayApi>;
  close(): Promise<void>;
}

/** A port nobody listens on right now (the OS picks it; a race with another process is unlikely). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the sandbox (reports take `reportProcessingMs` from createReport to DONE) and the relay,
 * and creates the workspace. About 10 s on a 2-core machine, most of it wrangler and workerd.
 * `upstreamOverrides` (JSON, as `UPSTREAM_OVERRIDES`) sends hosts elsewhere, e.g. Amazon's to a
 * stand-in, while the rest stay on the sandbox.
 */
export async function startLocalStack(options: { reportProcessingMs: number; upstreamOverrides?: string }): Promise<LocalStack> {
  quietWranglerEnv();
  const sandbox = createSandbox({ now: Date.now, reportProcessingMs: options.reportProcessingMs });
  const documentsServedAt: number[] = [];
  // The moment a report document left the sandbox is "report processed" for the WeChat figure.
  const timed: Sandbox = {
    ...sandbox,
    async handle(request) {
      const response = await sandbox.handle(request);
      if (response.ok && isDocumentPath(new URL(request.url).pathname)) documentsServedAt.push(Date.now());
      return response;
    },
  };
  const listening = await listen(timed, { port: 0, host: '127.0.0.1' });
  const persistTo = mkdtempSync(join(tmpdir(), 'storewatch-local-stack-'));
  const cleanup = async () => {
    await listening.close().catch(() => undefined);
    rmSync(persistTo, { recursive: true, force: true });
  };
  try {
    applyLocalMigrations(persistTo);
    const port = await freePort();
    const setupToken = randomBytes(18).toString('base64url');
    const relay = await startLocalRelay({
      port,
      persistTo,
      outbound: outboundService(buildHostMap(listening.url, options.upstreamOverrides)),
      // The same settings as `npm start`, with secrets made for this run only.
      vars: { SETUP_TOKEN: setupToken, TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'), ...sandboxRelayVars(`http://127.0.0.1:${port}`, listening.url) },
    });
    try {
      const setup = async (workspace: string) => String((await relayApi(relay.url, setupToken).call('POST', '/v1/setup', { workspace, owner: 'Owner' })).token);
      const ownerToken = await setup('Local stack');
      const owner = relayApi(relay.url, ownerToken);
      return {
        sandbox: timed,
        sandboxUrl: listening.url,
        relayUrl: relay.url,
        owner,
        ownerToken,
        documentsServedAt,
        tick: () => relay.tick(),
        addWorkspace: async (name) => relayApi(relay.url, await setup(name)),
        async close() {
          await relay.close().catch(() => undefined);
          await cleanup();
        },
      };
    } catch (error) {
      await relay.close().catch(() => undefined);
      throw error;
    }
  } catch (error) {
    await cleanup();
    throw error;
  }
}
