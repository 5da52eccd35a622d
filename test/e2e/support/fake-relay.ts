/**
 * A stand-in for the relay API v1, built from the shared contract, for the extension's tests:
 * a plain `(Request) => Response` handler (happy-dom tests call it as `fetch`, the end-to-end tests
 * serve it over node:http). Jobs advance one state per poll, so tests never wait on a clock.
 */
import type { AlertView, JobView, StoreOverview } from '../../../shared/api/index.ts';
import { demoStores } from './demo-data.ts';

export interface FakeRelayOptions {
  now: () => number;
  pairingCode?: string;
  role?: 'owner' | 'member';
}

const JOB_STATES: JobView['state'][] = ['queued', 'requesting', 'waiting', 'downloading', 'done'];

export function createFakeRelay(options: FakeRelayOptions) {
  const state = {
    pairingCode: options.pairingCode ?? 'ABCD2345',
    tokens: new Set<string>(),
    stores: demoStores(options.now()),
    alerts: [] as AlertView[],
    jobs: new Map<string, JobView & { polls: number; failWith: string | null; partial: string | null }>(),
    version: 1,
    /** Every request answers 503 while true (a relay that is up but broken). */
    broken: false,
    /** Answer the next refresh's job with this failure. */
    failNextJob: null as string | null,
    /** Finish the next refresh's job `done` with this error: some marketplaces got no data. */
    partialNextJob: null as string | null,
    /** Jobs stop at `waiting` (Amazon still generating) until this is false again. */
    holdJobs: false,
    /** Inside the relay's 2-minute cooldown: a refresh answers with the store's last job, not a new one. */
    cooldown: false,
    requests: [] as string[],
    nextId: 1,
    rules: { version: 0, rules: null as unknown },
  };

  const cors = {
    'access-control-allow-origin': '*',
    'access-control-allow-headers': 'authorization, content-type, if-none-match',
    'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'access-control-expose-headers': 'etag',
  };
  const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...cors, ...headers } });
  const error = (status: number, code: string, message: string) => json({ error: { code, message } }, status);
  const etag = () => `W/"v${state.version}"`;

  function finishJob(storeId: string): void {
    const store = state.stores.find((s) => s.id === storeId);
    if (!store) return;
    const at = options.now();
    store.lastCheckedAt = at;
    for (const m of store.marketplaces) m.fetchedAt = at;
    state.version++;
  }

  /** What the relay does inside its cooldown: the store's last job, finished a minute ago. */
  function lastJob(storeId: string): JobView {
    const last = [...state.jobs.values()].filter((j) => j.storeId === storeId).at(-1);
    if (last) return view(last);
    const at = options.now() - 60_000;
    const job = { id: `job-${state.nextId++}`, storeId, state: 'done' as const, error: null, startedAt: at, finishedAt: at + 20_000, polls: 0, failWith: null, partial: null };
    state.jobs.set(job.id, job);
    return view(job);
  }

  function startJob(storeId: string): JobView {
    if (state.cooldown) return lastJob(storeId);
    const job: JobView & { polls: number; failWith: string | null; partial: string | null } = {
      id: `job-${state.nextId++}`,
      storeId,
      state: 'queued',
      error: null,
      startedAt: options.now(),
      finishedAt: null,
      polls: 0,
      failWith: state.failNextJob,
      partial: state.partialNextJob,
    };
    state.failNextJob = null;
    state.partialNextJob = null;
    state.jobs.set(job.id, job);
    return view(job);
  }

  function view(job: JobView): JobView {
    return { id: job.id, storeId: job.storeId, state: job.state, error: job.error, startedAt: job.startedAt, finishedAt: job.finishedAt };
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname;
    const method = request.method;
    state.requests.push(`${method} ${path}`);
    if (method === 'OPTIONS') return new Response(null, { status: 204, headers: cors });
    if (state.broken) return error(503, 'internal', 'relay is broken (test)');
    if (method === 'POST' && path === '/v1/pair') {
      const body = (await request.json()) as { code?: string; device?: string };
      if (body.code !== state.pairingCode) return error(400, 'invite_invalid', 'this pairing code is unknown or expired');
      const token = `tok-${state.nextId++}`;
      state.tokens.add(token);
      return json({ token, workspaceId: 'ws-1', memberId: 'mb-1', role: options.role ?? 'owner' });
    }
    const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '';
    if (!state.tokens.has(token)) return error(401, 'unauthorized', 'a valid token is required');

    if (method === 'GET' && path === '/v1/me') return json({ workspaceId: 'ws-1', workspaceName: 'Demo Sellers', memberId: 'mb-1', name: 'Lin', role: options.role ?? 'owner' });
    if (method === 'GET' && path === '/v1/overview') {
      if (request.headers.get('if-none-match') === etag()) return new Response(null, { status: 304, headers: { ...cors, etag: etag() } });
      return json({ stores: state.stores }, 200, { etag: etag() });
    }
    if (method === 'GET' && path === '/v1/alerts') return json({ alerts: [...state.alerts].sort((a, b) => b.createdAt - a.createdAt), cursor: null });
    let m = /^\/v1\/alerts\/([^/]+)\/ack$/.exec(path);
    if (method === 'POST' && m) {
      const alert = state.alerts.find((a) => a.id === m![1]);
      if (!alert) return error(404, 'not_found', 'no such alert');
      alert.acknowledgedAt ??= options.now();
      return json({ alert });
    }
    m = /^\/v1\/stores\/([^/]+)\/refresh$/.exec(path);
    if (method === 'POST' && m) {
      if (!state.stores.some((s) => s.id === m![1])) return error(404, 'not_found', 'no such store');
      return json({ jobId: startJob(m[1]!).id }, 202);
    }
    if (method === 'POST' && path === '/v1/refresh') return json({ jobs: state.stores.map((s) => ({ storeId: s.id, jobId: startJob(s.id).id })) }, 202);
    m = /^\/v1\/jobs\/([^/]+)$/.exec(path);
    if (method === 'GET' && m) {
      const job = state.jobs.get(m[1]!);
      if (!job) return error(404, 'not_found', 'no such job');
      if (job.state !== 'done' && job.state !== 'failed' && !(state.holdJobs && job.state === 'waiting')) {
        job.polls++;
        if (job.failWith && job.polls >= 2) Object.assign(job, { state: 'failed', error: job.failWith, finishedAt: options.now() });
        else {
          job.state = JOB_STATES[Math.min(job.polls, JOB_STATES.length - 1)]!;
          if (job.state === 'done') {
            job.finishedAt = options.now();
            job.error = job.partial;
            finishJob(job.storeId);
          }
        }
      }
      return json(view(job));
    }
    // A merchant id seen on a page whose store was certain: recorded on the store (204), so the
    // overview carries it to every profile from then on.
    m = /^\/v1\/stores\/([^/]+)\/merchant-ids$/.exec(path);
    if (method === 'POST' && m) {
      const store = state.stores.find((s) => s.id === m![1]);
      if (!store) return error(404, 'not_found', 'no such store');
      const { merchantId } = (await request.json()) as { merchantId?: unknown };
      if (typeof merchantId !== 'string' || !/^[A-Z0-9]{8,20}$/.test(merchantId)) return error(400, 'invalid', 'merchantId: a merchant id');
      store.merchantIds = [...new Set([...(store.merchantIds ?? []), merchantId])];
      state.version++;
      return new Response(null, { status: 204, headers: cors });
    }
    m = /^\/v1\/stores\/([^/]+)\/history$/.exec(path);
    if (method === 'GET' && m) {
      const store = state.stores.find((s) => s.id === m![1]);
      const market = store?.marketplaces.find((x) => x.marketplaceId === url.searchParams.get('marketplaceId'));
      const metric = market?.metrics[url.searchParams.get('metric') ?? ''];
      if (!metric) return json({ points: [] });
      const now = options.now();
      const points = Array.from({ length: 8 }, (_, i) => ({ takenAt: now - (7 - i) * 7 * 86_400_000, value: (metric.value ?? 0) * (0.6 + i * 0.06), level: metric.level }));
      return json({ points });
    }
    if (method === 'GET' && path === '/v1/stores') {
      return json({
        stores: state.stores.map((s: StoreOverview) => ({
          id: s.id,
          name: s.name,
          region: s.region,
          sellerId: null,
          marketplaces: s.marketplaces.map((x) => ({ marketplaceId: x.marketplaceId, countryCode: x.countryCode })),
          pollIntervalMinutes: 60,
          paused: false,
          auth: s.auth,
          lastCheckedAt: s.lastCheckedAt,
          createdAt: 0,
        })),
      });
    }
    if (method === 'POST' && path === '/v1/oauth/start') return json({ url: 'https://sellercentral.amazon.com/apps/authorize/consent?state=test', expiresAt: options.now() + 600_000 });
    if (method === 'GET' && path === '/v1/channels') return json({ channels: [] });
    if (method === 'POST' && path === '/v1/wechat/qr') return error(503, 'not_configured', 'the Official Account is not set up');
    if (method === 'GET' && path === '/v1/prefs') return json({ prefs: { language: 'zh-CN', timeZone: 'Asia/Shanghai', quietHours: null, stores: 'all', channels: 'all' } });
    if (method === 'GET' && path === '/v1/rules') {
      return json({
        version: state.rules.version,
        rules: {
          kinds: { level_changed: true, headroom_low: true, policy_count_rose: true, account_status_changed: true, ahr_status_changed: true, auth_lost: true, reauth_due: true, data_stale: true, polling_failing: true },
          kindsByStore: {},
          kindsByMarketplace: {},
          thresholds: {},
          recoveryMessages: true,
          reminderIntervalHours: 24,
          staleAfterHours: 24,
        },
      });
    }
    return error(404, 'not_found', `no route ${method} ${path}`);
  }

  return {
    state,
    handle,
    /** As `fetch`: what the extension's relay client is given in happy-dom tests. */
    fetch: (input: RequestInfo | URL, init?: RequestInit) => handle(new Request(input, init)),
    /** Something changed on the relay's side (a new snapshot): the ETag moves. */
    touch(): void {
      state.version++;
    },
  };
}

export type FakeRelay = ReturnType<typeof createFakeRelay>;
