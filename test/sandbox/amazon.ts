/**
 * The sandbox (never deployed): the simulated Amazon - LWA, Sellers and Reports APIs, the S3
 * document host - and WeChat (wechat.ts), with a control API and a page, on WHATWG
 * Request/Response so tests call `handle` without a socket.
 *
 * Every Amazon host is routed to one base URL; the relay keeps path + query and adds
 * `X-Forwarded-Host: <original host>`, which picks the SP-API region (absent -> na).
 */
import { randomBytes } from 'node:crypto';
import { handleControl, stateView } from './control-api.ts';
import { demoSellers } from './demo-sellers.ts';
import { createFaults } from './faults.ts';
import { json, spError, withRequestId } from './http.ts';
import { authenticate, handleConfirm, handleConsent, handleToken } from './lwa.ts';
import { regionOfHost } from './marketplaces.ts';
import { page } from './page.ts';
import { OPERATION_LIMITS, createRateLimiter } from './rate-limits.ts';
import type { Operation } from './rate-limits.ts';
import { isDocumentPath, serveDocument } from './report-download.ts';
import { createReport, getReport, getReportDocument } from './reports-api.ts';
import { getMarketplaceParticipations } from './sellers-api.ts';
import { createWechatSide } from './wechat.ts';
import type { WechatOptions, WechatSide } from './wechat.ts';
import type { SandboxState, Seller } from './state.ts';

export { DEMO_SELLERS, US_ODR_DRIFT_MS } from './demo-sellers.ts';

export interface SandboxOptions {
  /** The clock everything runs on (token life, report progress, rate limits, URL expiry, drift). */
  now?: () => number;
  /** How long a report takes from createReport to DONE (default 3000 ms). */
  reportProcessingMs?: number;
  /** Where the consent page sends the seller when the request names no redirect_uri. */
  defaultRedirectUri?: string;
  /** Seeds the identifiers the WeChat side makes up (openids, QR tickets, message ids). */
  seed?: WechatOptions['seed'];
  /** How Official Account callback events are posted (tests pass a fake; default: global fetch). */
  fetch?: WechatOptions['fetch'];
  /** App id/secret, template ids, callback URL and token of the simulated Official Account. */
  officialAccount?: WechatOptions['officialAccount'];
}

export interface Sandbox {
  handle(req: Request): Promise<Response>;
  /** The live WeChat side (phone messages, keys, followers), for tests that look inside. */
  wechat: WechatSide;
  control: {
    /** Same JSON as GET /_sandbox/state. */
    state(): unknown;
    reset(): void;
  };
}

const REPORTS = '/reports/2021-06-30';

interface SpRoute {
  op: Operation;
  run: (seller: Seller) => Response | Promise<Response>;
}

function spRoute(state: SandboxState, req: Request, path: string): SpRoute | 'not-found' | null {
  if (path === '/sellers/v1/marketplaceParticipations') {
    return req.method === 'GET' ? { op: 'getMarketplaceParticipations', run: getMarketplaceParticipations } : 'not-found';
  }
  if (!path.startsWith(`${REPORTS}/`)) return null;
  if (path === `${REPORTS}/reports` && req.method === 'POST') return { op: 'createReport', run: (s) => createReport(state, s, req) };
  const report = new RegExp(`^${REPORTS}/reports/([^/]+)$`).exec(path);
  if (report && req.method === 'GET') return { op: 'getReport', run: (s) => getReport(state, s, decodeURIComponent(report[1]!)) };
  const doc = new RegExp(`^${REPORTS}/documents/([^/]+)$`).exec(path);
  if (doc && req.method === 'GET') return { op: 'getReportDocument', run: (s) => getReportDocument(state, s, decodeURIComponent(doc[1]!)) };
  return 'not-found';
}

/** Auth, region, injected faults and the rate limit, in the order Amazon's front door applies them. */
async function spApi(state: SandboxState, req: Request, route: SpRoute): Promise<Response> {
  const seller = authenticate(state, req);
  const region = regionOfHost(req.headers.get('x-forwarded-host'));
  // A token is only good at its own region's endpoint (docs/domain/amazon-limits.md: one consent
  // per region).
  if (!seller || seller.region !== region) {
    return spError(403, 'Unauthorized', 'Access to requested resource is denied.', '');
  }
  if (state.faults.take(seller.sellerId, 'server-error', route.op)) {
    return spError(500, 'InternalFailure', 'We encountered an internal error. Please try again.');
  }
  if (state.faults.take(seller.sellerId, 'throttle', route.op) || !state.limits.take(seller.sellerId, route.op)) {
    return spError(429, 'QuotaExceeded', 'You exceeded your quota for the requested resource.');
  }
  const res = await route.run(seller);
  // Best effort like Amazon: on 2xx/400/404, never on 429 (docs/domain/amazon-limits.md).
  if (res.status < 300 || res.status === 400 || res.status === 404) {
    res.headers.set('x-amzn-RateLimit-Limit', String(OPERATION_LIMITS[route.op].rate));
  }
  return res;
}

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const now = options.now ?? Date.now;
  const state: SandboxState = {
    now,
    reportProcessingMs: options.reportProcessingMs ?? 3000,
    defaultRedirectUri: options.defaultRedirectUri,
    signingKey: randomBytes(32).toString('hex'),
    sellers: new Map(),
    accessTokens: new Map(),
    authCodes: new Map(),
    reports: new Map(),
    documents: new Map(),
    documentPaths: new Map(),
    nextReportNumber: 50_000_000_001,
    faults: createFaults(),
    limits: createRateLimiter(now),
  };

  const wechat = createWechatSide(now, { seed: options.seed, fetch: options.fetch, officialAccount: options.officialAccount });

  function reset(): void {
    wechat.reset();
    state.sellers = new Map(demoSellers(now()).map((s) => [s.sellerId, s]));
    state.accessTokens.clear();
    state.authCodes.clear();
    state.reports.clear();
    state.documents.clear();
    state.documentPaths.clear();
    state.faults.clear();
    state.limits.reset();
  }
  reset();

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const path = url.pathname;
    try {
      if (path === '/' && req.method === 'GET') return page(wechat.messages());
      // Browsers ask for it on every page load; answer quietly instead of a 404 in the console.
      if (path === '/favicon.ico') return new Response(null, { status: 204 });
      if (wechat.owns(req)) return await wechat.handle(req);
      if (path.startsWith('/_sandbox/')) return (await wechat.control(req, path)) ?? (await handleControl(state, req, path, reset));
      if (path === '/auth/o2/token') {
        return req.method === 'POST' ? await handleToken(state, req) : json(405, { error: 'invalid_request', error_description: 'POST only' });
      }
      if (path === '/apps/authorize/consent' && req.method === 'GET') return handleConsent(state, url);
      if (path === '/apps/authorize/confirm' && req.method === 'GET') return handleConfirm(state, url);
      if (isDocumentPath(path) && req.method === 'GET') return serveDocument(state, url);
      const route = spRoute(state, req, path);
      if (route === 'not-found') return withRequestId(spError(404, 'NotFound', `Resource ${path} not found.`));
      if (route) return withRequestId(await spApi(state, req, route));
      return json(404, { error: `sandbox has no route for ${req.method} ${path}` });
    } catch (error) {
      // A sandbox bug should show up as a 500 with a reason, never hang the caller.
      return json(500, { error: error instanceof Error ? error.message : String(error) });
    }
  }

  return { handle, wechat, control: { state: () => stateView(state), reset } };
}
