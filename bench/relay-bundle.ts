/**
 * Section "relay bundle" of `npm run bench`: the size of the Worker wrangler would upload
 * (`wrangler deploy --dry-run`, which bundles without contacting Cloudflare), gzip, against the
 * Worker size limit after compression (Cloudflare's Workers limits page: 3 MB on Workers Free,
 * 10 MB on Workers Paid). Reported, no budget of our own (docs/architecture.md#performance-budgets).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { quietWranglerEnv } from '../scripts/local-relay.ts';
import { gzipBytes } from './extension-support/bundle-sizes.ts';
import type { BenchRow, BenchSection } from './rows.ts';

const ROOT = resolve(import.meta.dirname, '..');
const FREE_PLAN_LIMIT_KB = 3 * 1024;

async function run(): Promise<BenchRow[]> {
  quietWranglerEnv();
  const outdir = mkdtempSync(join(tmpdir(), 'storewatch-relay-bundle-'));
  try {
    execFileSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', outdir], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    const scripts = readdirSync(outdir).filter((f) => f.endsWith('.js'));
    if (scripts.length === 0) throw new Error(`wrangler deploy --dry-run wrote no script to ${outdir}`);
    const kb = scripts.reduce((sum, f) => sum + gzipBytes(outdir, f), 0) / 1024;
    return [
      {
        name: 'relay bundle (wrangler deploy --dry-run), gzip',
        value: Math.round(kb * 10) / 10,
        unit: 'KB',
        baseline: { name: 'Worker size limit after compression, Workers Free', value: FREE_PLAN_LIMIT_KB },
        note: `for information: ${scripts.join(', ')}, gzip -9; Workers Paid allows 10 MB`,
      },
    ];
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export const relayBundle: BenchSection = { name: 'relay bundle', run };
