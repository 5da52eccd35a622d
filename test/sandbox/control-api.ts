/**
 * The sandbox's own control API under /_sandbox/ (JSON): read the world, set metrics, switch
 * faults, add sellers, change a seller's store name and marketplaces, reset. Used by the demo page and by tests; Amazon has nothing like it.
 */
import { isRecord, json, readJson } from './http.ts';
import { MARKETPLACES } from './marketplaces.ts';
import type { Region } from './marketplaces.ts';
import { POLICY_METRICS, RATE_METRICS, ahrScore, applyUpdate, healthyMetrics, policyCount, rateView } from './metrics.ts';
import type { MetricUpdate, RateMetric } from './metrics.ts';
import { FAULT_KINDS, isFaultKind } from './faults.ts';
import { sandboxOrderId } from './feedback.ts';
import { isOperation } from './rate-limits.ts';
import type { SandboxState, Seller } from './state.ts';

function bad(message: string): Response {
  return json(400, { error: message });
}

/** A buyer leaves feedback now: `{sellerId, marketplaceId, rating, comment?, orderId?, response?}`. */
function addFeedback(state: SandboxState, body: Record<string, unknown>): Response {
  const seller = state.sellers.get(String(body.sellerId));
  const marketplaceId = String(body.marketplaceId);
  if (!seller || !seller.marketplaceIds.includes(marketplaceId)) return bad('unknown sellerId/marketplaceId');
  const { rating, comment = '', response = '', orderId } = body;
  if (typeof rating !== 'number' || !Number.isInteger(rating) || rating < 1 || rating > 5) return bad('rating must be an integer 1-5');
  if (typeof comment !== 'string' || comment.length > 2000) return bad('comment must be text of at most 2000 characters');
  if (typeof response !== 'string' || response.length > 2000) return bad('response must be text of at most 2000 characters');
  if (orderId !== undefined && (typeof orderId !== 'string' || !/^\d{3}-\d{7}-\d{7}$/.test(orderId))) return bad('orderId must look like 111-2222222-3333333');
  const id = orderId ?? sandboxOrderId(state.nextOrderNumber++);
  if (seller.feedback.some((f) => f.marketplaceId === marketplaceId && f.orderId === id)) return bad('that order already has feedback');
  const row = { marketplaceId, orderId: id, rating, comment, response, at: state.now() };
  seller.feedback.push(row);
  return json(201, row);
}

/**
 * The seller changes how Amazon knows the store (what getMarketplaceParticipations answers):
 * `{sellerId, storeName?, marketplaceIds?, suspendedListings?}`. A marketplace added starts healthy.
 */
function changeIdentity(state: SandboxState, body: Record<string, unknown>): Response {
  const seller = state.sellers.get(String(body.sellerId));
  if (!seller) return bad('unknown sellerId');
  const { storeName, marketplaceIds, suspendedListings } = body;
  if (storeName !== undefined && (typeof storeName !== 'string' || storeName.length > 200)) return bad('storeName must be text of at most 200 characters');
  if (marketplaceIds !== undefined) {
    if (!Array.isArray(marketplaceIds) || marketplaceIds.length === 0) return bad('marketplaceIds must be a non-empty array');
    for (const id of marketplaceIds) {
      if (typeof id !== 'string' || MARKETPLACES.get(id)?.region !== seller.region) return bad(`marketplace ${String(id)} is not in region ${seller.region}`);
    }
  }
  const ids = (marketplaceIds ?? seller.marketplaceIds) as string[];
  if (suspendedListings !== undefined && (!Array.isArray(suspendedListings) || suspendedListings.some((id) => !ids.includes(id as string)))) {
    return bad('suspendedListings must list some of the marketplaces');
  }
  if (typeof storeName === 'string') seller.storeName = storeName;
  for (const id of ids) if (!seller.metrics.has(id)) seller.metrics.set(id, healthyMetrics(500));
  seller.marketplaceIds = ids;
  if (suspendedListings !== undefined) seller.suspendedListings = suspendedListings as string[];
  return json(200, { sellerId: seller.sellerId, storeName: seller.storeName, marketplaceIds: ids, suspendedListings: seller.suspendedListings ?? [] });
}

export function stateView(state: SandboxState): unknown {
  const now = state.now();
  return {
    now,
    faultKinds: FAULT_KINDS,
    sellers: [...state.sellers.values()].map((s) => ({
      sellerId: s.sellerId,
      region: s.region,
      refreshToken: s.refreshToken,
      storeName: s.storeName,
      revoked: state.faults.has(s.sellerId, 'revoke'),
      marketplaces: s.marketplaceIds.map((id) => {
        const m = s.metrics.get(id)!;
        const info = MARKETPLACES.get(id);
        return {
          id,
          countryCode: info?.countryCode ?? '??',
          name: info?.name ?? id,
          ahrScore: ahrScore(m, now),
          rates: Object.fromEntries((Object.keys(RATE_METRICS) as RateMetric[]).map((r) => [r, rateView(m, r, now)])),
          policies: Object.fromEntries(POLICY_METRICS.map((p) => [p, policyCount(m, p, now)])),
          feedback: s.feedback.filter((f) => f.marketplaceId === id).map((f) => ({ orderId: f.orderId, rating: f.rating, at: f.at })),
        };
      }),
    })),
    faults: state.faults.list(),
    reports: state.reports.size,
  };
}

export async function handleControl(state: SandboxState, req: Request, path: string, reset: () => void): Promise<Response> {
  const route = `${req.method} ${path}`;
  if (route === 'GET /_sandbox/state') return json(200, stateView(state));
  if (route === 'POST /_sandbox/reset') {
    reset();
    return json(200, { ok: true });
  }
  if (route === 'DELETE /_sandbox/faults') {
    state.faults.clear();
    return json(200, { ok: true });
  }
  const body = await readJson(req);
  if (!isRecord(body)) return bad('body must be a JSON object');
  if (route === 'POST /_sandbox/metrics') {
    const seller = state.sellers.get(String(body.sellerId));
    const metrics = seller?.metrics.get(String(body.marketplaceId));
    if (!metrics) return bad('unknown sellerId/marketplaceId');
    if (typeof body.metric !== 'string') return bad('metric is required');
    const error = applyUpdate(metrics, body as unknown as MetricUpdate, state.now());
    return error ? bad(error) : json(200, stateView(state));
  }
  if (route === 'POST /_sandbox/faults') {
    const sellerId = String(body.sellerId);
    if (!state.sellers.has(sellerId)) return bad('unknown sellerId');
    const fault = String(body.fault);
    if (!isFaultKind(fault)) return bad(`fault must be one of ${FAULT_KINDS.join(', ')}`);
    const count = body.count === undefined ? 1 : body.count;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) return bad('count must be a positive integer');
    const operation = body.operation;
    if (operation !== undefined && (typeof operation !== 'string' || !isOperation(operation))) return bad('unknown operation');
    const factor = body.factor === undefined ? 10 : body.factor;
    if (typeof factor !== 'number' || !(factor > 0)) return bad('factor must be a positive number');
    const inflatesTo = body.inflatesTo;
    if (inflatesTo !== undefined && (typeof inflatesTo !== 'number' || !Number.isInteger(inflatesTo) || inflatesTo < 1 || inflatesTo > 4 * 1024 ** 3)) return bad('inflatesTo must be a byte count up to 4 GiB');
    state.faults.add({
      sellerId,
      fault,
      remaining: count,
      ...(operation === undefined ? {} : { operation }),
      ...(fault === 'slow' ? { factor } : {}),
      ...(fault === 'gzip-bomb' && inflatesTo !== undefined ? { inflatesTo } : {}),
    });
    return json(200, { faults: state.faults.list() });
  }
  if (route === 'POST /_sandbox/feedback') return addFeedback(state, body);
  if (route === 'POST /_sandbox/identity') return changeIdentity(state, body);
  if (route === 'POST /_sandbox/sellers') {
    const { sellerId, region, refreshToken, marketplaceIds, storeName, suspendedListings } = body;
    if (typeof sellerId !== 'string' || !/^[A-Z0-9]{6,20}$/.test(sellerId)) return bad('sellerId must be 6-20 of A-Z0-9');
    if (region !== 'na' && region !== 'eu' && region !== 'fe') return bad('region must be na, eu or fe');
    if (typeof refreshToken !== 'string' || refreshToken === '') return bad('refreshToken is required');
    if ([...state.sellers.values()].some((s) => s.refreshToken === refreshToken && s.sellerId !== sellerId)) return bad('refreshToken in use');
    if (!Array.isArray(marketplaceIds) || marketplaceIds.length === 0) return bad('marketplaceIds must be a non-empty array');
    for (const id of marketplaceIds) {
      if (typeof id !== 'string' || MARKETPLACES.get(id)?.region !== region) return bad(`marketplace ${String(id)} is not in region ${region}`);
    }
    const ids = marketplaceIds as string[];
    if (suspendedListings !== undefined && (!Array.isArray(suspendedListings) || suspendedListings.some((id) => !ids.includes(id as string)))) {
      return bad('suspendedListings must list some of marketplaceIds');
    }
    const seller: Seller = {
      sellerId,
      region: region satisfies Region,
      refreshToken,
      storeName: typeof storeName === 'string' ? storeName : `Sandbox ${sellerId}`,
      marketplaceIds: ids,
      suspendedListings: (suspendedListings ?? []) as string[],
      nonRetail: false,
      metrics: new Map(ids.map((id) => [id, healthyMetrics(500)])),
      feedback: [],
    };
    state.sellers.set(sellerId, seller);
    return json(201, { sellerId });
  }
  return json(404, { error: `no control route ${route}` });
}
