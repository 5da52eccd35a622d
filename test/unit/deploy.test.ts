import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const CREDENTIALS = { LWA_CLIENT_ID: 'amzn1.application-oa2-client.test', LWA_CLIENT_SECRET: 'lwa-secret-for-tests', SPAPI_APP_ID: 'amzn1.sp.solution.test' };

interface FakeAccount {
  databases: Array<{ uuid: string; name: string }>;
  queues: string[];
  workers: Record<string, { secrets: Record<string, string>; deployments: number }>;
  migrationsApplied: number;
}

/** A copy of the deploy script beside the real wrangler.toml, and a fake `wrangler` first on PATH. */
function project(): { dir: string; state: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'storewatch-deploy-'));
  mkdirSync(join(dir, 'scripts', 'deploy'), { recursive: true });
  copyFileSync(join(repo, 'scripts', 'deploy.ts'), join(dir, 'scripts', 'deploy.ts'));
  copyFileSync(join(repo, 'scripts', 'deploy', 'wrangler-output.ts'), join(dir, 'scripts', 'deploy', 'wrangler-output.ts'));
  copyFileSync(join(repo, 'wrangler.toml'), join(dir, 'wrangler.toml'));
  const bin = join(dir, 'fake-bin');
  const state = join(dir, 'account');
  mkdirSync(bin);
  mkdirSync(state);
  writeFileSync(join(bin, 'wrangler'), `#!/bin/sh\nexec "${process.execPath}" "${join(repo, 'test', 'support', 'fake-wrangler.ts')}" "$@"\n`);
  chmodSync(join(bin, 'wrangler'), 0o755);
  return { dir, state, env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, FAKE_WRANGLER_STATE: state } };
}

function deploy(p: { dir: string; env: NodeJS.ProcessEnv }, env: Record<string, string> = {}): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [join(p.dir, 'scripts', 'deploy.ts')], { cwd: p.dir, env: { ...p.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const account = (state: string): FakeAccount => JSON.parse(readFileSync(join(state, 'account.json'), 'utf8')) as FakeAccount;
const calls = (state: string): string[] => readFileSync(join(state, 'calls.log'), 'utf8').trim().split('\n');

// Each run starts a dozen Node processes (the fake wrangler is one per call): seconds on a busy machine.
describe('npm run deploy (scripts/deploy.ts) against a fake wrangler', { timeout: 60_000 }, () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  function fresh(): ReturnType<typeof project> {
    const p = project();
    dirs.push(p.dir);
    return p;
  }

  it('on a fresh account creates the database and the four queues, records the id, migrates, puts five secrets and deploys', () => {
    const p = fresh();
    const run = deploy(p, CREDENTIALS);
    expect(run.output).toContain('deployed storewatch-relay at https://storewatch-relay.example.workers.dev');
    expect(run.status).toBe(0);

    const after = account(p.state);
    expect(after.databases.map((db) => db.name)).toEqual(['storewatch']);
    expect(after.queues.sort()).toEqual(['storewatch-deliveries', 'storewatch-digests', 'storewatch-jobs', 'storewatch-jobs-dlq']);
    expect(after.migrationsApplied).toBe(1);
    const relay = after.workers['storewatch-relay']!;
    expect(relay.deployments).toBe(1);
    expect(Object.keys(relay.secrets).sort()).toEqual(['LWA_CLIENT_ID', 'LWA_CLIENT_SECRET', 'SETUP_TOKEN', 'SPAPI_APP_ID', 'TOKEN_ENCRYPTION_KEY']);
    expect(relay.secrets.LWA_CLIENT_SECRET).toBe('lwa-secret-for-tests');
    expect(Buffer.from(relay.secrets.TOKEN_ENCRYPTION_KEY!, 'base64')).toHaveLength(32);

    const toml = readFileSync(join(p.dir, 'wrangler.toml'), 'utf8');
    expect(toml).toContain(`database_id = "${after.databases[0]!.uuid}"`);
    expect(toml).not.toContain('00000000-0000-0000-0000-000000000000');

    // The setup token is the person's to keep, in a file only they can read, never on screen.
    const tokenFile = join(p.dir, '.wrangler', 'deploy', 'SETUP_TOKEN');
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(relay.secrets.SETUP_TOKEN);
    expect(run.output).not.toContain(relay.secrets.SETUP_TOKEN!);
    expect(run.output).not.toContain(relay.secrets.TOKEN_ENCRYPTION_KEY!);
    expect(run.output).not.toContain('lwa-secret-for-tests');
    expect(calls(p.state).join('\n')).not.toContain(relay.secrets.SETUP_TOKEN!);
  });

  it('run again, creates nothing, re-puts no secret and asks for nothing: it only migrates and deploys', () => {
    const p = fresh();
    expect(deploy(p, CREDENTIALS).status).toBe(0);
    const first = account(p.state);
    const tomlAfterFirst = readFileSync(join(p.dir, 'wrangler.toml'), 'utf8');
    writeFileSync(join(p.state, 'calls.log'), '');

    // No credentials in the environment and no terminal: asking for one would fail the run.
    const again = deploy(p);
    expect(again.output).toContain('deployed storewatch-relay');
    expect(again.status).toBe(0);
    const changing = calls(p.state).filter((call) => !/^(d1 list|queues list|secret list)\b/.test(call));
    expect(changing).toEqual(['d1 migrations apply storewatch --remote', 'deploy']);
    const second = account(p.state);
    expect(second.workers['storewatch-relay']!.secrets).toEqual(first.workers['storewatch-relay']!.secrets);
    expect(second.migrationsApplied).toBe(2);
    expect(readFileSync(join(p.dir, 'wrangler.toml'), 'utf8')).toBe(tomlAfterFirst);
  });

  it('finds what another run (or a person) already made: an existing database is recorded, not created again', () => {
    const p = fresh();
    writeFileSync(
      join(p.state, 'account.json'),
      JSON.stringify({ databases: [{ uuid: 'aaaaaaaa-1111-2222-3333-444444444444', name: 'storewatch', created_at: '2026-01-01' }], queues: ['storewatch-jobs'], workers: {}, migrationsApplied: 0 }),
    );
    expect(deploy(p, CREDENTIALS).status).toBe(0);
    const creations = calls(p.state).filter((call) => call.startsWith('d1 create') || call.startsWith('queues create'));
    expect(creations.sort()).toEqual(['queues create storewatch-deliveries', 'queues create storewatch-digests', 'queues create storewatch-jobs-dlq']);
    expect(readFileSync(join(p.dir, 'wrangler.toml'), 'utf8')).toContain('database_id = "aaaaaaaa-1111-2222-3333-444444444444"');
  });

  it('without the SP-API credentials and no terminal to ask on, stops before putting any secret and says which is missing', () => {
    const p = fresh();
    const run = deploy(p, { LWA_CLIENT_ID: 'id-only' });
    expect(run.status).toBe(1);
    expect(run.output).toContain('LWA_CLIENT_SECRET is not set');
    expect(calls(p.state).some((call) => call.startsWith('secret put') || call === 'deploy')).toBe(false);
  });
});
