/** `node test/sandbox/main.ts --port 8790`: the sandbox alone, on the wall clock. */
import { parseArgs } from 'node:util';
import { DEMO_SELLERS, createSandbox } from './amazon.ts';
import { listen } from './listen.ts';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '8790' }, 'processing-ms': { type: 'string', default: '3000' } },
});
const port = Number(values.port);
const server = await listen(createSandbox({ now: Date.now, reportProcessingMs: Number(values['processing-ms']) }), { port, host: '127.0.0.1' });

console.log(`Sandbox Amazon 沙盒亚马逊: ${server.url}
Demo sellers (refresh tokens for LWA ${server.url}/auth/o2/token):`);
for (const [region, s] of Object.entries(DEMO_SELLERS)) console.log(`  ${region}  ${s.sellerId}  ${s.refreshToken}`);
console.log('Press Ctrl-C to stop.');

function stop(): void {
  void server.close().finally(() => process.exit(0));
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
