/**
 * Stores for the benchmarks: each one a seller of its own in the sandbox (so no two samples share
 * a seller's rate-limit buckets) added to the relay through its own API, as a person would paste
 * a refresh token (POST /v1/stores: the relay proves it with LWA and lists the marketplaces).
 */
import type { Sandbox } from '../../test/sandbox/amazon.ts';
import { CA, US } from '../../test/sandbox/marketplaces.ts';
import { type RelayApi, mapLimit } from '../../scripts/relay-api.ts';

export interface BenchStore {
  storeId: string;
  name: string;
  sellerId: string;
  marketplaceIds: string[];
}

/** The two North American marketplaces: each store is two reports per poll. */
export const BENCH_MARKETPLACES = [US, CA];

async function control(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await sandbox.handle(new Request(`http://sandbox${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }));
  const json: unknown = await res.json();
  if (!res.ok) throw new Error(`sandbox ${method} ${path} answered HTTP ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

/**
 * Adds `count` stores whose sellers are numbered from `first` (ids stay unique across calls when
 * `first` does). A few at a time: each one costs the relay an LWA exchange and a Sellers API call.
 */
export async function addStores(sandbox: Sandbox, owner: RelayApi, first: number, count: number, tag: string): Promise<BenchStore[]> {
  const numbers = Array.from({ length: count }, (_, i) => first + i);
  return mapLimit(numbers, 16, async (n) => {
    const sellerId = `A${tag}${String(n).padStart(8, '0')}`;
    const refreshToken = `Atzr|bench-${sellerId}`;
    await control(sandbox, 'POST', '/_sandbox/sellers', { sellerId, region: 'na', refreshToken, marketplaceIds: BENCH_MARKETPLACES, storeName: `Bench ${n}` });
    const name = `Bench ${tag} ${n}`;
    const store = await owner.call('POST', '/v1/stores', { name, region: 'na', refreshToken });
    return { storeId: String(store.id), name, sellerId, marketplaceIds: BENCH_MARKETPLACES };
  });
}

/** Puts a seller's US Order Defect Rate over its 1 % target (6 of 500 orders = 1.2 %). */
export async function breachOrderDefectRate(sandbox: Sandbox, sellerId: string): Promise<void> {
  await control(sandbox, 'POST', '/_sandbox/metrics', { sellerId, marketplaceId: US, metric: 'orderDefectRate', defects: 6, total: 500 });
}

export interface DeliveredMessage {
  at: number;
  channel: string;
  text: string;
}

/** What the sandbox's WeChat side received, newest first (`at` is when it arrived). */
export async function deliveredMessages(sandbox: Sandbox): Promise<DeliveredMessage[]> {
  const body = (await control(sandbox, 'GET', '/_sandbox/messages')) as { messages: DeliveredMessage[] };
  return body.messages;
}
