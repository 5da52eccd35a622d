/**
 * Reading what `npm run deploy` needs from wrangler.toml and from wrangler's answers, and recording
 * the database id back. Pure text in, values out: scripts/deploy.ts runs the commands.
 *
 * The answer shapes are wrangler 4's (read in its source, wrangler-dist/cli.js, and the command
 * pages at developers.cloudflare.com/workers/wrangler/commands/):
 * - `d1 list --json` prints `JSON.stringify(databases, null, 2)`: an array of
 *   `{ uuid, name, created_at, version, num_tables, file_size, ... }`, no banner;
 * - `queues list [--page N]` has no JSON output: it prints a cli-table3 box with the columns
 *   `id | name | created_on | modified_on | producers | consumers` (and `jurisdiction` when any
 *   queue has one), one page of the account's queues at a time;
 * - `secret list --format json` prints an array of `{ name, type: "secret_text" }`; for a Worker
 *   not deployed yet it fails with `Worker "<name>" not found.`.
 */

export interface RelayResources {
  workerName: string;
  databaseName: string;
  databaseId: string | null;
  /** Every queue the relay produces to, consumes from or dead-letters into. */
  queues: string[];
}

/** Placeholder ids (all zeros) count as no id: the committed file has one until the first deploy. */
const PLACEHOLDER_ID = /^0{8}-0{4}-0{4}-0{4}-0{12}$/;

function quoted(toml: string, key: string): string[] {
  return [...toml.matchAll(new RegExp(`^\\s*${key}\\s*=\\s*"([^"]*)"`, 'gm'))].map((match) => match[1]!);
}

/** What wrangler.toml says the relay needs (one D1 database; its queues). */
export function relayResources(toml: string): RelayResources {
  const [workerName] = quoted(toml, 'name');
  const [databaseName] = quoted(toml, 'database_name');
  const [databaseId] = quoted(toml, 'database_id');
  if (!workerName || !databaseName) throw new Error('wrangler.toml names no Worker or no D1 database (name, database_name)');
  const queues = [...new Set([...quoted(toml, 'queue'), ...quoted(toml, 'dead_letter_queue')])];
  return { workerName, databaseName, databaseId: databaseId && !PLACEHOLDER_ID.test(databaseId) ? databaseId : null, queues };
}

/** wrangler.toml with the D1 database's id recorded (and the "replace with" hint gone). */
export function recordDatabaseId(toml: string, databaseId: string): string {
  if (!/^\s*database_id\s*=/m.test(toml)) throw new Error('wrangler.toml has no database_id line to record the id in');
  return toml.replace(/^(\s*)database_id\s*=\s*"[^"]*"[^\n]*$/m, `$1database_id = "${databaseId}"`);
}

/** The first JSON value in wrangler's output (a banner or warning may precede it). */
function jsonIn(output: string): unknown {
  const start = output.search(/[[{]/);
  if (start < 0) throw new Error(`wrangler printed no JSON: ${output.slice(0, 200)}`);
  return JSON.parse(output.slice(start));
}

/** `d1 list --json`: the id of the database called `name`, or null. */
export function databaseIdIn(output: string, name: string): string | null {
  const databases = jsonIn(output);
  if (!Array.isArray(databases)) throw new Error('wrangler d1 list --json did not print an array');
  const found = databases.find((db: { name?: unknown }) => db.name === name) as { uuid?: unknown } | undefined;
  return typeof found?.uuid === 'string' ? found.uuid : null;
}

// Colours and the box's characters: cli-table3 draws with │ (or | when asked for ASCII).
// eslint-disable-next-line no-control-regex -- ANSI colour codes are control characters by nature.
const ANSI = /\u001b\[[0-9;]*m/g;

/** `queues list`: the names in its table's `name` column (none for an empty page). */
export function queueNamesIn(output: string): string[] {
  const rows = output
    .replace(ANSI, '')
    .split('\n')
    .filter((line) => /^\s*[│|]/.test(line))
    .map((line) => line.trim().replace(/^[│|]|[│|]$/g, '').split(/[│|]/).map((cell) => cell.trim()));
  const header = rows[0];
  const column = header ? header.indexOf('name') : -1;
  if (column < 0) return [];
  return rows.slice(1).map((row) => row[column] ?? '').filter((name) => name !== '');
}

/** `secret list --format json`: the secret names. */
export function secretNamesIn(output: string): string[] {
  const secrets = jsonIn(output);
  if (!Array.isArray(secrets)) throw new Error('wrangler secret list did not print an array');
  return secrets.map((secret: { name?: unknown }) => String(secret.name));
}

/** True when `secret list` failed only because the Worker was never deployed (so it has no secrets). */
export function isWorkerNotFound(output: string, workerName: string): boolean {
  return output.includes(`Worker "${workerName}"`) && /not found/.test(output);
}
