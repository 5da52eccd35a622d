/**
 * `npm start`: the whole of Storewatch on this machine - the sandbox Amazon and WeChat, the relay on
 * local workerd (D1, Queues, a local cron), a demo workspace with three stores, and the extension
 * built for loading unpacked - then the few lines a person needs.
 *
 * Environment: PORT (relay, default 8787), SANDBOX_PORT (default 8790), SETUP_TOKEN (default: one
 * generated and kept in .wrangler/state), STOREWATCH_DEMO=0 (no demo data), UPSTREAM_OVERRIDES
 * (JSON host or *.suffix -> base URL, to point the relay at other simulators).
 */
import { spawnSync } from 'node:child_process';
import { listen } from '../test/sandbox/listen.ts';
import { createSandbox } from '../test/sandbox/amazon.ts';
import { buildHostMap, hostMapToJson } from '../relay/upstream-map.ts';
import { startLocalRelay } from './local-relay.ts';
import { localSecrets } from './local-secrets.ts';
import { seedDemo } from './seed-demo.ts';

const port = Number(process.env.PORT ?? 8787);
const sandboxPort = Number(process.env.SANDBOX_PORT ?? 8790);
const CRON_EVERY_MS = 60_000;

const sandbox = await listen(createSandbox({ now: Date.now, reportProcessingMs: 3000 }), { port: sandboxPort, host: '127.0.0.1' });
const hostMap = buildHostMap(sandbox.url, process.env.UPSTREAM_OVERRIDES);
const secrets = localSecrets(process.env.SETUP_TOKEN);
const relay = await startLocalRelay({
  port,
  vars: {
    ...secrets,
    LWA_CLIENT_ID: 'amzn1.application-oa2-client.sandbox',
    LWA_CLIENT_SECRET: 'sandbox-client-secret',
    SPAPI_APP_ID: 'amzn1.sp.solution.sandbox',
    OAUTH_REDIRECT_URL: `http://127.0.0.1:${port}/v1/oauth/callback`,
    ALLOW_ANY_EXTENSION_ORIGIN: '1',
    UPSTREAM_HOST_MAP: hostMapToJson(hostMap),
    WECHAT_APP_ID: 'wx-sandbox',
    WECHAT_APP_SECRET: 'sandbox-secret',
    WECHAT_TOKEN: 'sandbox-callback-token',
    WECHAT_TEMPLATE_ID: 'sandbox-template',
  },
});

const cron = setInterval(() => void relay.tick().catch((error: unknown) => console.error('cron tick failed:', error)), CRON_EVERY_MS);

const build = spawnSync('npx', ['wxt', 'build'], { encoding: 'utf8' });
if (build.status !== 0) console.error(`Building the extension failed:\n${build.stdout}\n${build.stderr}`);

const seeded = process.env.STOREWATCH_DEMO === '0' ? null : await seedDemo(relay.url, secrets.SETUP_TOKEN);
await relay.tick();

console.log(`
Storewatch is running.
  Relay:      ${relay.url}
  Sandbox:    ${sandbox.url}   (Amazon + WeChat simulator: demo stores, fault switches, delivered messages)
  Extension:  .output/chrome-mv3  (chrome://extensions -> Developer mode -> Load unpacked)
${seeded ? `  Pair the extension: open its options, Relay URL ${relay.url}, Pairing code ${seeded.pairingCode}
  Owner token (for curl): ${seeded.ownerToken}` : `  SETUP_TOKEN: ${secrets.SETUP_TOKEN}  (POST ${relay.url}/v1/setup)`}
Press Ctrl-C to stop.`);

function stop(): void {
  clearInterval(cron);
  relay.close();
  void sandbox.close().finally(() => process.exit(0));
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
