/**
 * `npm run deploy`: the relay on your own Cloudflare account, from nothing or as an upgrade, with
 * the `wrangler` CLI (log in first: `npx wrangler login`). Each step looks before it acts, so a
 * second run creates nothing that is there and re-puts no secret:
 *
 * 1. the D1 database of wrangler.toml: found by name (`d1 list --json`) or created, and its id
 *    recorded in wrangler.toml;
 * 2. every queue wrangler.toml names (producers, consumers, dead-letter): created when missing;
 * 3. the D1 migrations not yet applied (`d1 migrations apply --remote`);
 * 4. the secrets the Worker lacks: `SETUP_TOKEN` and `TOKEN_ENCRYPTION_KEY` generated here, the
 *    SP-API app's credentials asked for (or read from the environment variables of the same names:
 *    `LWA_CLIENT_ID`, `LWA_CLIENT_SECRET`, `SPAPI_APP_ID`);
 * 5. `wrangler deploy`.
 *
 * Generated secrets are never printed: the setup token is written to .wrangler/deploy/SETUP_TOKEN
 * (readable by you only) for `POST /v1/setup`.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { databaseIdIn, isWorkerNotFound, queueNamesIn, recordDatabaseId, relayResources, secretNamesIn } from './deploy/wrangler-output.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const configPath = join(root, 'wrangler.toml');
/** `queues list` shows one page at a time; an account with more queues than this is not ours to scan. */
const MAX_QUEUE_PAGES = 50;

interface Ran {
  ok: boolean;
  output: string;
}

/** One wrangler command; `input` goes to its stdin (a secret's value), never to a log. */
function wrangler(args: string[], input?: string): Ran {
  const result = spawnSync('wrangler', args, {
    cwd: root,
    input: input ?? '',
    encoding: 'utf8',
    // npm.cmd-style shims on Windows only start through a shell.
    shell: process.platform === 'win32',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw new Error(`could not run wrangler: ${result.error.message}`);
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

function must(args: string[], input?: string): string {
  const ran = wrangler(args, input);
  if (!ran.ok) throw new Error(`wrangler ${args.join(' ')} failed:\n${ran.output.trim()}`);
  return ran.output;
}

function step(message: string): void {
  console.log(`· ${message}`);
}

function ensureDatabase(name: string, recordedId: string | null): string {
  let id = databaseIdIn(must(['d1', 'list', '--json']), name);
  if (id === null) {
    must(['d1', 'create', name]);
    // The id comes from the list, not from create's printed snippet (its format follows the config file's).
    id = databaseIdIn(must(['d1', 'list', '--json']), name);
    if (id === null) throw new Error(`wrangler d1 create ${name} succeeded but the database is not listed`);
    step(`D1 database ${name}: created`);
  } else {
    step(`D1 database ${name}: exists`);
  }
  if (recordedId !== id) {
    writeFileSync(configPath, recordDatabaseId(readFileSync(configPath, 'utf8'), id));
    step(`wrangler.toml: database_id recorded`);
  }
  return id;
}

function existingQueues(): Set<string> {
  const names = new Set<string>();
  for (let page = 1; page <= MAX_QUEUE_PAGES; page++) {
    const onPage = queueNamesIn(must(['queues', 'list', '--page', String(page)]));
    const before = names.size;
    for (const name of onPage) names.add(name);
    // An empty page, or one that brought nothing new (the API repeating itself), is the end.
    if (onPage.length === 0 || names.size === before) break;
  }
  return names;
}

function ensureQueues(queues: string[]): void {
  const existing = existingQueues();
  for (const queue of queues) {
    if (existing.has(queue)) {
      step(`queue ${queue}: exists`);
    } else {
      must(['queues', 'create', queue]);
      step(`queue ${queue}: created`);
    }
  }
}

function existingSecrets(workerName: string): Set<string> {
  const ran = wrangler(['secret', 'list', '--format', 'json']);
  if (ran.ok) return new Set(secretNamesIn(ran.output));
  // Before the first deploy the Worker does not exist; `secret put` creates it.
  if (isWorkerNotFound(ran.output, workerName)) return new Set();
  throw new Error(`wrangler secret list failed:\n${ran.output.trim()}`);
}

/** Questions on the terminal, through one reader so that lines typed ahead are not lost. */
function terminalPrompter(): { ask(question: string, hidden: boolean): Promise<string>; close(): void } {
  let muted = false;
  // What readline echoes passes through here: muted while a hidden answer is typed.
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const reader = createInterface({ input: process.stdin, output, terminal: true });
  return {
    async ask(question, hidden) {
      const answer = reader.question(question);
      muted = hidden;
      try {
        return (await answer).trim();
      } finally {
        if (hidden) process.stdout.write('\n');
        muted = false;
      }
    },
    close: () => reader.close(),
  };
}

interface AskedSecret {
  name: string;
  question: string;
  hidden: boolean;
}

/** What only you know: your SP-API app's credentials (Seller Central -> Develop Apps). */
const ASKED: AskedSecret[] = [
  { name: 'LWA_CLIENT_ID', question: "Your SP-API app's LWA client id (amzn1.application-oa2-client...): ", hidden: false },
  { name: 'LWA_CLIENT_SECRET', question: "Your SP-API app's LWA client secret: ", hidden: true },
  { name: 'SPAPI_APP_ID', question: 'Your SP-API app id (amzn1.sp.solution...): ', hidden: false },
];

async function valueFor(secret: AskedSecret, prompter: () => ReturnType<typeof terminalPrompter>): Promise<string> {
  const fromEnv = process.env[secret.name];
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) throw new Error(`${secret.name} is not set: set it in the environment, or run npm run deploy in a terminal to be asked`);
  for (let attempt = 0; attempt < 3; attempt++) {
    const value = await prompter().ask(secret.question, secret.hidden);
    if (value !== '') return value;
  }
  throw new Error(`${secret.name} is required`);
}

function keepSetupToken(token: string): string {
  const dir = join(root, '.wrangler', 'deploy');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'SETUP_TOKEN');
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

async function ensureSecrets(workerName: string): Promise<void> {
  const existing = existingSecrets(workerName);
  const generated: Array<{ name: string; make: () => string }> = [
    { name: 'SETUP_TOKEN', make: () => randomBytes(32).toString('base64url') },
    // AES-256-GCM key, base64 of 32 bytes, as relay/crypto reads it.
    { name: 'TOKEN_ENCRYPTION_KEY', make: () => randomBytes(32).toString('base64') },
  ];
  // Ask first, so a missing credential stops the run before anything is put.
  const asked: Array<{ name: string; value: string }> = [];
  // Opened on the first question only: a run with nothing to ask never touches the terminal.
  const opened: { reader: ReturnType<typeof terminalPrompter> | null } = { reader: null };
  const prompter = (): ReturnType<typeof terminalPrompter> => (opened.reader ??= terminalPrompter());
  try {
    for (const secret of ASKED) {
      if (!existing.has(secret.name)) asked.push({ name: secret.name, value: await valueFor(secret, prompter) });
    }
  } finally {
    opened.reader?.close();
  }
  for (const secret of generated) {
    if (existing.has(secret.name)) {
      step(`secret ${secret.name}: exists, kept`);
      continue;
    }
    const value = secret.make();
    must(['secret', 'put', secret.name], value);
    if (secret.name === 'SETUP_TOKEN') step(`secret SETUP_TOKEN: generated and put; your copy is in ${keepSetupToken(value)}`);
    else step(`secret ${secret.name}: generated and put`);
  }
  for (const secret of ASKED) {
    const answer = asked.find((entry) => entry.name === secret.name);
    if (!answer) {
      step(`secret ${secret.name}: exists, kept`);
      continue;
    }
    must(['secret', 'put', secret.name], answer.value);
    step(`secret ${secret.name}: put`);
  }
}

async function main(): Promise<void> {
  const resources = relayResources(readFileSync(configPath, 'utf8'));
  ensureDatabase(resources.databaseName, resources.databaseId);
  ensureQueues(resources.queues);
  must(['d1', 'migrations', 'apply', resources.databaseName, '--remote']);
  step(`D1 migrations: applied (those not applied before)`);
  await ensureSecrets(resources.workerName);
  const deployed = must(['deploy']);
  const url = /https:\/\/\S+\.workers\.dev/.exec(deployed)?.[0];
  step(`deployed ${resources.workerName}${url ? ` at ${url}` : ''}`);
  console.log(
    [
      '',
      'Next: in wrangler.toml set ALLOWED_ORIGINS to your extension (chrome-extension://<id>) and',
      'OAUTH_REDIRECT_URL to https://<relay>/v1/oauth/callback (also your SP-API app\'s redirect URI),',
      'run npm run deploy again, then create your workspace with POST /v1/setup and the setup token',
      '(README, "Deploy the relay").',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(`deploy stopped: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
