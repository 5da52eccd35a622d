import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { databaseIdIn, isWorkerNotFound, queueNamesIn, recordDatabaseId, relayResources, secretNamesIn } from '../../scripts/deploy/wrangler-output.ts';

const toml = readFileSync(new URL('../../wrangler.toml', import.meta.url), 'utf8');

describe("reading wrangler.toml and wrangler's answers for npm run deploy", () => {
  it('takes the Worker, the D1 database and every queue (with the dead-letter queue) from wrangler.toml; the zero id is no id', () => {
    const resources = relayResources(toml);
    expect(resources.workerName).toBe('storewatch-relay');
    expect(resources.databaseName).toBe('storewatch');
    expect(resources.databaseId).toBeNull();
    expect([...resources.queues].sort()).toEqual(['storewatch-deliveries', 'storewatch-digests', 'storewatch-jobs', 'storewatch-jobs-dlq']);
  });

  it('records the database id in place of the placeholder and its hint, leaving the rest of the file as it was', () => {
    const recorded = recordDatabaseId(toml, '6f1c0000-7b2a-4c1e-9d3f-2a5b8c9d0e1f');
    expect(relayResources(recorded).databaseId).toBe('6f1c0000-7b2a-4c1e-9d3f-2a5b8c9d0e1f');
    expect(recorded).toMatch(/^database_id = "6f1c0000-7b2a-4c1e-9d3f-2a5b8c9d0e1f"$/m);
    expect(recorded.split('\n').length).toBe(toml.split('\n').length);
  });

  it('finds a database by name in d1 list --json', () => {
    const output = JSON.stringify([{ uuid: 'u-1', name: 'other', created_at: '2026-01-01T00:00:00Z', version: 'production', num_tables: 3, file_size: 1 }, { uuid: 'u-2', name: 'storewatch' }], null, 2);
    expect(databaseIdIn(output, 'storewatch')).toBe('u-2');
    expect(databaseIdIn('[]', 'storewatch')).toBeNull();
  });

  it("reads the name column of queues list's table, coloured or not", () => {
    const output = [
      '┌──────┬────────────────┬────────────┐',
      '│ id   │ name           │ producers  │',
      '├──────┼────────────────┼────────────┤',
      '│ a1   │ storewatch-jobs │ 1         │',
      '│ b2   │ \u001b[90mother-queue\u001b[39m │ 0 │',
      '└──────┴────────────────┴────────────┘',
    ].join('\n');
    expect(queueNamesIn(output)).toEqual(['storewatch-jobs', 'other-queue']);
    expect(queueNamesIn('┌┐\n└┘')).toEqual([]);
  });

  it('reads secret names from secret list --format json, and knows a never-deployed Worker from other failures', () => {
    expect(secretNamesIn('[\n  { "name": "SETUP_TOKEN", "type": "secret_text" }\n]')).toEqual(['SETUP_TOKEN']);
    expect(isWorkerNotFound('✘ [ERROR] Worker "storewatch-relay" not found.\n\nIf this is a new Worker, run `wrangler deploy` first', 'storewatch-relay')).toBe(true);
    expect(isWorkerNotFound('✘ [ERROR] Authentication error [code: 10000]', 'storewatch-relay')).toBe(false);
  });
});
