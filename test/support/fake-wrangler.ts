/**
 * A stand-in for the `wrangler` CLI that `npm run deploy`'s test puts first on PATH: a Cloudflare
 * account kept as JSON in $FAKE_WRANGLER_STATE/account.json, every call appended to
 * $FAKE_WRANGLER_STATE/calls.log, answers printed in wrangler 4's formats (the shapes are listed in
 * scripts/deploy/wrangler-output.ts). Secret values arrive on stdin, as with the real one, and are
 * kept but never logged.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Account {
  databases: Array<{ uuid: string; name: string; created_at: string }>;
  queues: string[];
  /** Worker name -> secret name -> value; a Worker exists once it has been deployed or given a secret. */
  workers: Record<string, { secrets: Record<string, string>; deployments: number }>;
  migrationsApplied: number;
}

const stateDir = process.env.FAKE_WRANGLER_STATE;
if (!stateDir) throw new Error('FAKE_WRANGLER_STATE is not set');
const accountPath = join(stateDir, 'account.json');
const WORKER = process.env.FAKE_WRANGLER_WORKER ?? 'storewatch-relay';

function load(): Account {
  if (!existsSync(accountPath)) return { databases: [], queues: [], workers: {}, migrationsApplied: 0 };
  return JSON.parse(readFileSync(accountPath, 'utf8')) as Account;
}

function save(account: Account): void {
  writeFileSync(accountPath, JSON.stringify(account, null, 2));
}

function fail(message: string): never {
  // wrangler's UserError: a red "✘ [ERROR]" line on stderr, exit code 1.
  process.stderr.write(`\n✘ [ERROR] ${message}\n\n`);
  process.exit(1);
}

/** cli-table3's default box, as wrangler's logger.table draws it without colour. */
function table(rows: Array<Record<string, string>>): string {
  const head = rows.length === 0 ? [] : Object.keys(rows[0]!);
  const widths = head.map((key) => Math.max(key.length, ...rows.map((row) => (row[key] ?? '').length)) + 2);
  const line = (left: string, mid: string, right: string): string => `${left}${widths.map((w) => '─'.repeat(w)).join(mid)}${right}`;
  const cells = (values: string[]): string => `│${values.map((value, i) => ` ${value.padEnd(widths[i]! - 1)}`).join('│')}│`;
  if (head.length === 0) return `${line('┌', '┬', '┐')}\n${line('└', '┴', '┘')}`;
  return [line('┌', '┬', '┐'), cells(head), line('├', '┼', '┤'), ...rows.map((row) => cells(head.map((key) => row[key] ?? ''))), line('└', '┴', '┘')].join('\n');
}

const args = process.argv.slice(2);
function readStdin(): string {
  try {
    return process.stdin.isTTY ? '' : readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}
const stdin = readStdin();
appendFileSync(join(stateDir, 'calls.log'), `${args.join(' ')}\n`);
const account = load();
const worker = account.workers[WORKER];
const QUEUES_PER_PAGE = 2;

switch (args.slice(0, 2).join(' ')) {
  case 'd1 list': {
    console.log(JSON.stringify(account.databases.map((db) => ({ ...db, version: 'production', num_tables: 0, file_size: 12288 })), null, 2));
    break;
  }
  case 'd1 create': {
    const name = args[2] ?? fail('Not enough non-option arguments');
    if (account.databases.some((db) => db.name === name)) fail(`A database with that name already exists [code: 7502]`);
    const uuid = `6f1c${String(account.databases.length).padStart(4, '0')}-7b2a-4c1e-9d3f-2a5b8c9d0e1f`;
    account.databases.push({ uuid, name, created_at: '2026-12-06T12:00:00.000Z' });
    save(account);
    console.log(`✅ Successfully created DB '${name}' in region WEUR\nCreated your new D1 database.\n`);
    console.log(`To access your new D1 Database in your Worker, add the following snippet to your configuration file:\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "${name}"\ndatabase_id = "${uuid}"`);
    break;
  }
  case 'd1 migrations': {
    if (args[2] !== 'apply' || !args.includes('--remote')) fail(`unexpected: ${args.join(' ')}`);
    if (!account.databases.some((db) => db.name === args[3])) fail(`Couldn't find a D1 DB with the name or binding '${args[3]}' in your wrangler.toml file.`);
    account.migrationsApplied++;
    save(account);
    console.log('✅ No migrations to apply!');
    break;
  }
  case 'queues list': {
    const pageAt = args.indexOf('--page');
    const page = pageAt >= 0 ? Number(args[pageAt + 1]) : 1;
    const onPage = account.queues.slice((page - 1) * QUEUES_PER_PAGE, page * QUEUES_PER_PAGE);
    console.log(table(onPage.map((name, i) => ({ id: `q${page}${i}`, name, created_on: '2026-12-06T12:00:00Z', modified_on: '2026-12-06T12:00:00Z', producers: '0', consumers: '0' }))));
    break;
  }
  case 'queues create': {
    const name = args[2] ?? fail('Not enough non-option arguments');
    if (account.queues.includes(name)) fail(`A queue with this name already exists [code: 11009]`);
    account.queues.push(name);
    save(account);
    console.log(`🌀 Creating queue '${name}'\n✅ Created queue '${name}'`);
    break;
  }
  case 'secret list': {
    if (!worker) fail(`Worker "${WORKER}" not found.\n\nIf this is a new Worker, run \`wrangler deploy\` first to create it.`);
    console.log(JSON.stringify(Object.keys(worker.secrets).map((name) => ({ name, type: 'secret_text' })), null, '  '));
    break;
  }
  case 'secret put': {
    const name = args[2] ?? fail('Not enough non-option arguments');
    if (stdin.trim() === '') fail('Secret value is empty');
    const target = worker ?? { secrets: {}, deployments: 0 };
    target.secrets[name] = stdin.trim();
    account.workers[WORKER] = target;
    save(account);
    console.log(`🌀 Creating the secret for the Worker "${WORKER}"\n✨ Success! Uploaded secret ${name}`);
    break;
  }
  default: {
    if (args[0] === 'deploy') {
      const target = worker ?? { secrets: {}, deployments: 0 };
      target.deployments++;
      account.workers[WORKER] = target;
      save(account);
      console.log(`Uploaded ${WORKER} (1.00 sec)\nDeployed ${WORKER} triggers (0.50 sec)\n  https://${WORKER}.example.workers.dev\n  schedule: */5 * * * *`);
      break;
    }
    fail(`the fake wrangler does not know: ${args.join(' ')}`);
  }
}
