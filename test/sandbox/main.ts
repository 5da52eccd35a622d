/**
 * `node test/sandbox/main.ts --port 8790 [--processing-ms 3000] [--oa-callback URL] [--seed N]`:
 * the sandbox alone, on the wall clock, bound to 127.0.0.1.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_OA_CONFIG } from './official-account.ts';
import { DEMO_SELLERS, createSandbox } from './amazon.ts';
import { listen } from './listen.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8790' },
    'processing-ms': { type: 'string', default: '3000' },
    'oa-callback': { type: 'string' },
    seed: { type: 'string', default: '1' },
  },
});
const port = Number(values.port);
const callbackUrl = values['oa-callback'] ?? null;
const sandbox = createSandbox({
  now: Date.now,
  reportProcessingMs: Number(values['processing-ms']),
  seed: Number(values.seed),
  officialAccount: { callbackUrl },
});
const server = await listen(sandbox, { port, host: '127.0.0.1' });

console.log(`Sandbox Amazon + WeChat 沙盒: ${server.url}   (open it: demo stores, fault switches, phone view)
Demo sellers (refresh tokens for LWA ${server.url}/auth/o2/token, any client id/secret):`);
for (const [region, s] of Object.entries(DEMO_SELLERS)) console.log(`  ${region}  ${s.sellerId}  ${s.refreshToken}`);
console.log(`WeChat: any UUID is a WeCom robot key; Official Account appid ${DEFAULT_OA_CONFIG.appId} secret ${DEFAULT_OA_CONFIG.appSecret} template ${DEFAULT_OA_CONFIG.templateIds.join(',')} callback token ${DEFAULT_OA_CONFIG.callbackToken}, callback ${callbackUrl ?? 'none (set with --oa-callback or POST /_sandbox/wechat/oa/config)'}`);
console.log('Press Ctrl-C to stop.');

function stop(): void {
  void server.close().finally(() => process.exit(0));
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
