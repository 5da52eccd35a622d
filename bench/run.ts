/**
 * `npm run bench`: every section in turn on this machine, then bench/results.json and a table.
 * A benchmark, not a test: nothing here fails on a slow machine; budgets are reported met or missed.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { cronTick } from './cost-cron.ts';
import { costPerPoll } from './cost-poll.ts';
import { extensionSection } from './extension.ts';
import { refreshLatency } from './latency-refresh.ts';
import { reportToWechat } from './latency-wechat.ts';
import { relayBundle } from './relay-bundle.ts';
import { overviewLoad } from './load-overview.ts';
import { refreshAllStandIn } from './refresh-all.ts';
import { type BenchRow, type BenchSection, formatTable } from './rows.ts';
import { storageGrowth } from './storage-growth.ts';
import { throughput } from './throughput.ts';

const sections: BenchSection[] = [
  refreshLatency,
  reportToWechat,
  throughput,
  costPerPoll,
  cronTick,
  overviewLoad,
  refreshAllStandIn,
  storageGrowth,
  relayBundle,
  extensionSection,
];

const only = process.argv.slice(2);
const rows: BenchRow[] = [];
const started = Date.now();
for (const section of sections) {
  if (only.length > 0 && !only.includes(section.name)) continue;
  const t0 = Date.now();
  console.info(`bench: ${section.name} ...`);
  rows.push(...(await section.run()));
  console.info(`bench: ${section.name} done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
writeFileSync('bench/results.json', `${JSON.stringify({ machine, seconds: Math.round((Date.now() - started) / 1000), rows }, null, 2)}\n`);
console.info(`\n${machine}\n\n${formatTable(rows)}`);
