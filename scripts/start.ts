/**
 * `npm start`: the whole of Storewatch on this machine - the sandbox Amazon and WeChat, the relay
 * on local workerd (local D1 and Queues, a cron tick every minute), a demo workspace with three
 * stores, and the extension built for loading unpacked - then the few lines a person needs.
 *
 * Environment:
 *   PORT                 the relay's port (default 8787)
 *   SANDBOX_PORT         the sandbox's port (default 8790)
 *   SETUP_TOKEN          the deployment's setup secret (default: one generated and kept in .wrangler/state)
 *   STOREWATCH_DEMO=0    no demo workspace: set it up yourself with POST /v1/setup
 *   UPSTREAM_OVERRIDES   JSON {"host or *.suffix": "base URL"}: send those hosts elsewhere than the
 *                        sandbox, e.g. another Amazon simulator on loopback (scripts/upstream-map.ts)
 *
 * Everything binds 127.0.0.1; Ctrl-C stops it all.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createSandbox } from '../test/sandbox/amazon.ts';
import { listen } from '../test/sandbox/listen.ts';
import { type LocalRelay, applyLocalMigrations, quietWranglerEnv, sandboxRelayVars, startLocalRelay } from './local-relay.ts';
import { localSecrets } from './local-secrets.ts';
import { type DemoWorkspace, seedDemo } from './seed-demo.ts';
import { buildHostMap, describeHostMap, outboundService } from './upstream-map.ts';

const CRON_EVERY_MS = 60_000;
/** The sandbox's report generation time: long enough to watch the job move, short enough not to wait. */
const REPORT_PROCESSING_MS = 3000;

function portFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  const port = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name} must be a port number, not "${raw}"`);
  return port;
}

function step(message: string): void {
  console.log(`· ${message}`);
}

/** `npx wxt build`, in the background while the relay starts; resolves to an error text or null. */
function buildExtension(): { child: ChildProcess; done: Promise<string | null> } {
  const child = spawn('npx', ['wxt', 'build'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000)));
  const done = new Promise<string | null>((resolveDone) => {
    child.on('error', (error) => resolveDone(error.message));
    child.on('exit', (code) => resolveDone(code === 0 ? null : `wxt build exited with ${code}:\n${output}`));
  });
  return { child, done };
}

async function main(): Promise<void> {
  quietWranglerEnv();
  const port = portFrom('PORT', 8787);
  const sandboxPort = portFrom('SANDBOX_PORT', 8790);
  const demo = process.env.STOREWATCH_DEMO !== '0';

  // A QR scan on the sandbox page posts the signed subscribe event to the relay, as WeChat would.
  const oaCallbackUrl = `http://127.0.0.1:${port}/wechat/callback`;
  const sandbox = await listen(createSandbox({ now: Date.now, reportProcessingMs: REPORT_PROCESSING_MS, officialAccount: { callbackUrl: oaCallbackUrl } }), {
    port: sandboxPort,
    host: '127.0.0.1',
  });
  const hostMap = buildHostMap(sandbox.url, process.env.UPSTREAM_OVERRIDES);
  step(`sandbox Amazon + WeChat on ${sandbox.url}`);
  if (process.env.UPSTREAM_OVERRIDES) for (const line of describeHostMap(hostMap)) step(`  outbound ${line}`);

  const extension = buildExtension();
  let relay: LocalRelay | null = null;
  let cron: NodeJS.Timeout | null = null;
  let stopping = false;
  async function stop(code: number): Promise<void> {
    if (stopping) return;
    stopping = true;
    if (cron) clearInterval(cron);
    if (extension.child.exitCode === null) extension.child.kill('SIGTERM');
    await relay?.close().catch(() => undefined);
    await sandbox.close().catch(() => undefined);
    process.exit(code);
  }
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    step(`local D1 under .wrangler/state: ${applyLocalMigrations()}`);
    const secrets = localSecrets(process.env.SETUP_TOKEN || undefined);
    relay = await startLocalRelay({
      port,
      outbound: outboundService(hostMap),
      vars: { ...secrets, ...sandboxRelayVars(`http://127.0.0.1:${port}`, sandbox.url) },
    });
    step(`relay on ${relay.url} (local workerd, D1 and Queues)`);
    const tick = () => relay?.tick().catch((error: unknown) => console.error(`cron tick failed: ${error instanceof Error ? error.message : String(error)}`));
    cron = setInterval(tick, CRON_EVERY_MS);

    let workspace: DemoWorkspace | null = null;
    if (demo) {
      // The demo's refresh tokens are the sandbox's: with Amazon sent elsewhere they may be refused,
      // and the relay is still worth running for the person who set that up.
      try {
        workspace = await seedDemo(relay.url, secrets.SETUP_TOKEN);
        step(`demo workspace with ${workspace.stores.length} stores (${workspace.stores.map((s) => s.region).join(', ')})`);
      } catch (error) {
        if (!process.env.UPSTREAM_OVERRIDES) throw error;
        step(`no demo workspace: UPSTREAM_OVERRIDES sends Amazon elsewhere and it refused the sandbox's tokens (${error instanceof Error ? error.message : String(error)})`);
      }
    }
    await tick(); // the first poll of due stores now, not in a minute

    step('building the extension (wxt build)...');
    const buildError = await extension.done;
    const outputDir = resolve('.output/chrome-mv3');
    const r = relay.url;
    const lines = [
      '',
      workspace
        ? `Open chrome://extensions, Load unpacked ${outputDir}, then in the extension's options enter relay ${r} and pairing code ${workspace.ownerCode} (as the owner) or ${workspace.pairingCode} (as a member).`
        : `Create your workspace: curl -X POST ${r}/v1/setup -H 'authorization: Bearer ${secrets.SETUP_TOKEN}' -H 'content-type: application/json' -d '{"workspace":"My team","owner":"Me"}'`,
      `  Relay       ${r}`,
      `  Sandbox     ${sandbox.url}   (simulated Amazon and WeChat: demo metrics, fault switches, delivered messages)`,
      buildError ? `  Extension   build failed - ${buildError.split('\n')[0]}` : `  Extension   ${outputDir}`,
      ...(workspace ? [`  Owner code  ${workspace.ownerCode}   (pairs one browser as the owner, for 24 hours)`, `  Pairing     ${workspace.pairingCode}   (a new member; single use, short-lived: POST ${r}/v1/invites for another)`, `  Owner token ${workspace.ownerToken}   (curl -H 'authorization: Bearer ...')`] : []),
      `  SETUP_TOKEN ${secrets.SETUP_TOKEN}`,
      'Ctrl-C stops everything.',
    ];
    console.log(lines.join('\n'));
    if (buildError) console.error(buildError);
  } catch (error) {
    console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
    await stop(1);
  }
}

await main();
