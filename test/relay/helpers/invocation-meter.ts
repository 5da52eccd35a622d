/**
 * Counts what one Worker invocation spends against Cloudflare's per-invocation limits: every
 * outgoing fetch, and every call to a binding (a D1 statement run, a D1 batch, an exec; a queue
 * send or sendBatch). Local workerd enforces none of these limits, so the budget tests hand the
 * relay a metered env and a metered fetch and read the tally after the invocation (including
 * whatever it left running under `waitUntil`).
 *
 * The figures (docs/operations.md, "Per-invocation budgets"): Workers Free allows 50 subrequests
 * per invocation, Paid 10,000; calls to Cloudflare's own services count against 1,000 per
 * invocation; D1's own limits page lists 50 queries per invocation on Free. We hold every worst
 * case to BUDGET, which keeps a fifth of each free figure in reserve.
 */
import { type Counter, countingDb } from './counting-db.ts';

export interface QueuedMessage {
  body: unknown;
  delaySeconds: number;
}

export interface Tally {
  /** Outgoing HTTP requests (Amazon, WeChat, push services), by `host/path`. */
  fetches: string[];
  /** D1 round trips: each run/first/all/raw, each batch, each exec. */
  d1: Counter;
  /** Queue calls: each send, each sendBatch. */
  queue: Counter;
  /** Messages the queue calls carried, by queue binding name. */
  messages: Record<string, QueuedMessage[]>;
}

/** What a worst case may spend in one invocation: the free figures less a fifth in reserve. */
export const BUDGET = {
  /** Workers Free: 50 subrequests per invocation. */
  fetches: 40,
  /** D1's Free figure, 50 queries per invocation; the Cloudflare-services budget (1,000) is looser. */
  d1: 40,
  /** D1 and Queue calls together, against the 1,000 calls to Cloudflare services per invocation. */
  bindingCalls: 800,
} as const;

export function newTally(): Tally {
  return { fetches: [], d1: { n: 0 }, queue: { n: 0 }, messages: {} };
}

export function bindingCalls(t: Tally): number {
  return t.d1.n + t.queue.n;
}

/** One line for a test's log: what the invocation spent. */
export function describeTally(kind: string, t: Tally): string {
  return `${kind}: ${t.fetches.length} fetches, ${t.d1.n} D1 calls, ${t.queue.n} queue calls`;
}

/** A fetch that counts each request before handing it to `inner`. */
export function meteredFetch(inner: typeof fetch, tally: Tally): typeof fetch {
  return async (input, init) => {
    const url = new URL(new Request(input, init).url);
    tally.fetches.push(`${url.host}${url.pathname}`);
    return inner(input, init);
  };
}

/** A queue that counts each call and keeps the messages instead of sending them anywhere. */
export function meteredQueue(name: string, tally: Tally): Queue {
  const kept = (tally.messages[name] ??= []);
  const queue = {
    async send(body: unknown, options?: { delaySeconds?: number }) {
      tally.queue.n++;
      kept.push({ body, delaySeconds: options?.delaySeconds ?? 0 });
    },
    async sendBatch(messages: Iterable<{ body: unknown; delaySeconds?: number }>) {
      tally.queue.n++;
      const list = [...messages];
      // Cloudflare refuses more than 100 messages in one sendBatch.
      if (list.length > 100) throw new Error(`sendBatch of ${list.length} messages: Queues take at most 100`);
      kept.push(...list.map((m) => ({ body: m.body, delaySeconds: m.delaySeconds ?? 0 })));
    },
  };
  return queue as unknown as Queue; // only send/sendBatch are used by the relay
}

/** `env` with D1 and every queue metered into `tally`. */
export function meteredEnv<E extends { DB: D1Database; JOBS: Queue; DELIVERIES: Queue; DIGESTS: Queue }>(env: E, tally: Tally): E {
  return { ...env, DB: countingDb(env.DB, tally.d1), JOBS: meteredQueue('JOBS', tally), DELIVERIES: meteredQueue('DELIVERIES', tally), DIGESTS: meteredQueue('DIGESTS', tally) };
}

/** The worst case's tally against BUDGET: the names of the budgets it passed (empty when within). */
export function overBudget(t: Tally): string[] {
  const over: string[] = [];
  if (t.fetches.length > BUDGET.fetches) over.push(`fetches ${t.fetches.length} > ${BUDGET.fetches}`);
  if (t.d1.n > BUDGET.d1) over.push(`D1 calls ${t.d1.n} > ${BUDGET.d1}`);
  if (bindingCalls(t) > BUDGET.bindingCalls) over.push(`binding calls ${bindingCalls(t)} > ${BUDGET.bindingCalls}`);
  return over;
}
