/**
 * Record and replay of what the Worker's bindings answer, so the Worker's own CPU can be read in
 * Node. workerd stops its clocks while JavaScript runs (a Spectre mitigation), so the relay's CPU
 * cannot be timed there; and timing it in Node against live D1 would bill the Miniflare proxy's
 * HTTP round trips to the Worker. So an invocation runs twice: once against real local D1 (through
 * wrangler's platform proxy) and the scripted Amazon, recording every answer as the bytes a
 * binding would hand the isolate; then again against that tape, where each D1 call costs what it
 * costs the Worker - serializing its statement and parsing D1's JSON answer - and each fetch
 * hands back a fresh Response to read. D1's SQL time and Amazon's time are not the Worker's CPU.
 *
 * The recording side also counts what the free plan limits: subrequests (each D1 call or batch,
 * each fetch, each queue send) and D1's own `meta.rows_written`, by table.
 */
import { serialize } from 'node:v8';

export interface Tape {
  d1: Array<{ sql: string; json: string }>;
  fetches: Array<{ status: number; headers: Array<[string, string]>; body: Uint8Array }>;
}

export interface Meter {
  subrequests: number;
  d1Calls: number;
  fetches: number;
  queueSends: number;
  queueMessages: number;
  rowsWritten: number;
  /** rows_written by the table a statement writes (its INSERT / UPDATE / DELETE target). */
  rowsWrittenByTable: Record<string, number>;
}

export function newMeter(): Meter {
  return { subrequests: 0, d1Calls: 0, fetches: 0, queueSends: 0, queueMessages: 0, rowsWritten: 0, rowsWrittenByTable: {} };
}

export function newTape(): Tape {
  return { d1: [], fetches: [] };
}

interface Statement {
  sql: string;
  params: unknown[];
}

type Meta = { rows_written?: number };
type Result = { results?: unknown[]; meta?: Meta };

function tableOf(sql: string): string {
  const m = /^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+(\w+)/i.exec(sql);
  return m?.[1] ?? 'other';
}

function countWrites(meter: Meter, sql: string, result: Result): void {
  const n = result.meta?.rows_written ?? 0;
  meter.rowsWritten += n;
  if (n > 0) meter.rowsWrittenByTable[tableOf(sql)] = (meter.rowsWrittenByTable[tableOf(sql)] ?? 0) + n;
}

/** A statement object with D1's shape whose terminal calls go to `run`. */
function statement(s: Statement, exec: (kind: 'first' | 'all' | 'run', s: Statement, column?: string) => Promise<unknown>, statements: WeakMap<object, Statement>): D1PreparedStatement {
  const wrapped = {
    bind: (...values: unknown[]) => statement({ sql: s.sql, params: values }, exec, statements),
    first: (column?: string) => exec('first', s, column),
    all: () => exec('all', s),
    run: () => exec('run', s),
    raw: () => Promise.reject(new Error('raw() is not taped: the relay does not use it')),
  } as unknown as D1PreparedStatement;
  statements.set(wrapped, s);
  return wrapped;
}

function tapeDb(exec: (kind: 'first' | 'all' | 'run', s: Statement, column?: string) => Promise<unknown>, batch: (list: Statement[]) => Promise<unknown>): D1Database {
  const statements = new WeakMap<object, Statement>();
  return {
    prepare: (sql: string) => statement({ sql, params: [] }, exec, statements),
    batch: (list: D1PreparedStatement[]) =>
      batch(
        list.map((w) => {
          const s = statements.get(w);
          if (!s) throw new Error('a batch was handed a statement from another database');
          return s;
        }),
      ),
    exec: () => Promise.reject(new Error('exec() is not taped: the relay does not use it')),
    withSession: () => {
      throw new Error('withSession() is not taped: the relay does not use it');
    },
    dump: () => Promise.reject(new Error('dump() is not taped')),
  } as unknown as D1Database;
}

/** Real D1 behind a recorder: every answer goes on the tape, every call on the meter. */
export function recordingDb(real: D1Database, tape: Tape, meter: Meter): D1Database {
  const realStatement = (s: Statement) => real.prepare(s.sql).bind(...s.params);
  return tapeDb(
    async (kind, s, column) => {
      meter.subrequests++;
      meter.d1Calls++;
      // first() runs as all() here only to see meta.rows_written (first() hides it); same SQL, same rows.
      const result = (await realStatement(s).all()) as Result;
      countWrites(meter, s.sql, result);
      const row = (result.results?.[0] ?? null) as Record<string, unknown> | null;
      const answer = kind !== 'first' ? result : column === undefined ? row : (row?.[column] ?? null);
      const json = JSON.stringify(answer);
      tape.d1.push({ sql: s.sql, json });
      return JSON.parse(json) as unknown;
    },
    async (list) => {
      meter.subrequests++;
      meter.d1Calls++;
      const results = (await real.batch(list.map(realStatement))) as Result[];
      results.forEach((r, i) => countWrites(meter, list[i]!.sql, r));
      const json = JSON.stringify(results);
      tape.d1.push({ sql: list.map((s) => s.sql).join('\n;\n'), json });
      return JSON.parse(json) as unknown;
    },
  );
}

/** An outbound fetch recorded: its answer is read to the end and kept as bytes. */
export function recordingFetch(real: typeof fetch, tape: Tape, meter: Meter): typeof fetch {
  return async (input, init) => {
    meter.subrequests++;
    meter.fetches++;
    const res = await real(input, init);
    const body = new Uint8Array(await res.arrayBuffer());
    const headers: Array<[string, string]> = [];
    res.headers.forEach((value, name) => headers.push([name, value]));
    tape.fetches.push({ status: res.status, headers, body });
    return new Response(body.slice(), { status: res.status, headers: res.headers });
  };
}

/**
 * The bindings from the tape: D1 (the Worker's side of each call - send the statement, parse the
 * answer - no SQL) and fetch (a fresh Response over the recorded bytes). `leftOver` counts the
 * recorded calls the replay did not make: anything but 0 means it did less work than the recording.
 */
export function replayer(tape: Tape): { db: D1Database; fetch: typeof fetch; leftOver(): number } {
  const used = new Set<number>();
  const answer = (sql: string): unknown => {
    // The first unused answer to the same SQL: calls that run side by side (a cron tick's parts)
    // may start in another order than they did against real D1, where answers took real time.
    const index = tape.d1.findIndex((e, i) => !used.has(i) && e.sql === sql);
    // The replay must make the very calls the recording made, or its CPU is not the same work.
    if (index < 0) throw new Error(`replay diverged: D1 call not recorded: ${sql.slice(0, 80)}`);
    used.add(index);
    return JSON.parse(tape.d1[index]!.json) as unknown;
  };
  const db = tapeDb(
    async (_kind, s) => {
      JSON.stringify({ sql: s.sql, params: s.params });
      return answer(s.sql);
    },
    async (list) => {
      JSON.stringify(list);
      return answer(list.map((s) => s.sql).join('\n;\n'));
    },
  );
  let fetched = 0;
  const fetcher: typeof fetch = async () => {
    const entry = tape.fetches[fetched++];
    if (!entry) throw new Error(`replay diverged: fetch ${fetched} was not recorded`);
    return new Response(entry.body.slice(), { status: entry.status, headers: entry.headers });
  };
  return { db, fetch: fetcher, leftOver: () => tape.d1.length - used.size + tape.fetches.length - fetched };
}

/**
 * A queue producer that keeps what it is sent (the bench decides when each message runs). Each
 * message is structured-cloned as the binding would, so the serialization counts as Worker CPU.
 */
export function recordingQueue<T>(meter: Meter | null, sent: Array<{ body: T; delaySeconds: number }>): Queue {
  return {
    async send(body: T, options?: { delaySeconds?: number }) {
      serialize(body);
      if (meter) {
        meter.subrequests++;
        meter.queueSends++;
        meter.queueMessages++;
      }
      sent.push({ body, delaySeconds: options?.delaySeconds ?? 0 });
    },
    async sendBatch(messages: Iterable<{ body: T; delaySeconds?: number }>, options?: { delaySeconds?: number }) {
      const list = [...messages];
      serialize(list);
      if (meter) {
        meter.subrequests++;
        meter.queueSends++;
        meter.queueMessages += list.length;
      }
      for (const m of list) sent.push({ body: m.body, delaySeconds: m.delaySeconds ?? options?.delaySeconds ?? 0 });
    },
  } as unknown as Queue;
}

/** CPU milliseconds (user + system) of this process while `work` runs. */
export async function cpuMs(work: () => Promise<unknown>): Promise<number> {
  const start = process.cpuUsage();
  await work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}
