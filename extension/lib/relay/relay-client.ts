/**
 * The one typed client of the relay API v1. Every response is checked against the shared contract
 * (shared/api) before anyone sees it, and every failure comes back as a value - offline, refused
 * token, the relay's own `{error:{code,message}}`, or a body that broke the contract - so callers
 * decide with a `switch` instead of guessing from exceptions.
 */
import * as v from 'valibot';
import {
  AckResponse,
  AlertsResponse,
  ApiError,
  ChannelsResponse,
  ChannelTestResponse,
  CreatedStore,
  HistoryResponse,
  InviteResponse,
  JobView,
  MeResponse,
  MembersResponse,
  OAuthStartResponse,
  OverviewResponse,
  PairResponse,
  RefreshAllResponse,
  RefreshStoreResponse,
  StoresResponse,
  WechatQrResponse,
  WechatBindingResponse,
  HealthResponse,
} from '../../../shared/api/index.ts';
import type { CreateChannelRequest, CreateStoreRequest, InviteRequest, MemberPrefsInput, PatchStoreRequest, PutRulesRequest } from '../../../shared/api/index.ts';
import type { AlertRules, MemberPrefs } from '../../../shared/alerts/rules.ts';
import type { Region } from '../../../shared/types.ts';

export type RelayFailure =
  /** No answer at all: the relay is down, the address is wrong, or the network is. */
  | { kind: 'offline'; message: string }
  /** 401: the token was revoked or never valid - pair again. */
  | { kind: 'unauthorized'; message: string }
  /** Any other non-2xx, with the relay's own code when it sent one. */
  | { kind: 'http'; status: number; code: string; message: string }
  /** A 2xx whose body does not match the contract. */
  | { kind: 'invalid'; message: string };

export type RelayResult<T> = { ok: true; value: T } | { ok: false; failure: RelayFailure };

const RulesResponse = v.object({ version: v.number(), rules: v.record(v.string(), v.unknown()) });
const PrefsResponse = v.object({ prefs: v.record(v.string(), v.unknown()) });

/** A refresh the relay started: which job follows which store. */
export interface StartedJob {
  storeId: string;
  jobId: string;
}

/** A store "refresh all" could not start (refreshed moments ago, authorization lost...), with why. */
export interface RefusedJob {
  storeId: string;
  jobId: null;
  error: string;
}

export type OverviewFetch = { changed: false } | { changed: true; overview: OverviewResponse; etag: string | null };

export interface RelayClientOptions {
  /** Base URL without the `/v1`, e.g. `https://storewatch.example.workers.dev`. */
  baseUrl: string;
  token: string | null;
  fetch: typeof fetch;
}

function fail(failure: RelayFailure): { ok: false; failure: RelayFailure } {
  return { ok: false, failure };
}

export function describeFailure(failure: RelayFailure): string {
  return failure.kind === 'http' ? `${failure.status} ${failure.code}: ${failure.message}` : failure.message;
}

/** @example const relay = createRelayClient({ baseUrl, token, fetch: globalThis.fetch.bind(globalThis) }); */
export function createRelayClient(options: RelayClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');

  async function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RelayResult<Response>> {
    const init: RequestInit = { method, headers: { ...headers }, cache: 'no-store' };
    const h = init.headers as Record<string, string>;
    if (options.token) h.authorization = `Bearer ${options.token}`;
    if (body !== undefined) {
      h['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    try {
      return { ok: true, value: await options.fetch(`${base}${path}`, init) };
    } catch (error) {
      return fail({ kind: 'offline', message: error instanceof Error ? error.message : String(error) });
    }
  }

  async function failureOf(response: Response): Promise<RelayFailure> {
    let parsed: ApiError | null = null;
    try {
      const r = v.safeParse(ApiError, await response.json());
      if (r.success) parsed = r.output;
    } catch {
      // Not JSON: a proxy's error page or a relay that is not ours; the status says enough.
    }
    const message = parsed?.error.message ?? `${response.status} ${response.statusText}`.trim();
    if (response.status === 401) return { kind: 'unauthorized', message };
    return { kind: 'http', status: response.status, code: parsed?.error.code ?? 'http_error', message };
  }

  async function call<S extends v.GenericSchema>(schema: S, method: string, path: string, body?: unknown): Promise<RelayResult<v.InferOutput<S>>> {
    const sent = await send(method, path, body);
    if (!sent.ok) return sent;
    const response = sent.value;
    if (!response.ok) return fail(await failureOf(response));
    let json: unknown;
    try {
      json = response.status === 204 ? {} : await response.json();
    } catch {
      return fail({ kind: 'invalid', message: `${method} ${path}: the body is not JSON` });
    }
    const parsed = v.safeParse(schema, json);
    if (!parsed.success) {
      const issue = parsed.issues[0];
      const where = issue?.path?.map((p) => String(p.key)).join('.') ?? '';
      return fail({ kind: 'invalid', message: `${method} ${path}: ${where ? `${where}: ` : ''}${issue?.message ?? 'unexpected body'}` });
    }
    return { ok: true, value: parsed.output };
  }

  const Empty = v.unknown();

  return {
    pair: (code: string, device: string) => call(PairResponse, 'POST', '/v1/pair', { code, device }),
    me: () => call(MeResponse, 'GET', '/v1/me'),

    /** Members and devices (issue 12): owners list everyone; anyone revokes their own devices. */
    members: () => call(MembersResponse, 'GET', '/v1/members'),
    createInvite: (body: InviteRequest) => call(InviteResponse, 'POST', '/v1/invites', body),
    revokeDevice: (deviceId: string) => call(Empty, 'DELETE', `/v1/devices/${encodeURIComponent(deviceId)}`),
    removeMember: (memberId: string) => call(Empty, 'DELETE', `/v1/members/${encodeURIComponent(memberId)}`),
    /** The token in use, for a relay that does not say its device id (older pairings). */
    revokeCurrentToken: () => call(Empty, 'DELETE', '/v1/tokens/current'),

    /** `If-None-Match` with the last ETag: an unchanged overview costs a 304 and no parsing. */
    async overview(etag: string | null): Promise<RelayResult<OverviewFetch>> {
      const sent = await send('GET', '/v1/overview', undefined, etag ? { 'if-none-match': etag } : {});
      if (!sent.ok) return sent;
      const response = sent.value;
      if (response.status === 304) return { ok: true, value: { changed: false } };
      if (!response.ok) return fail(await failureOf(response));
      let json: unknown;
      try {
        json = await response.json();
      } catch {
        return fail({ kind: 'invalid', message: 'GET /v1/overview: the body is not JSON' });
      }
      const parsed = v.safeParse(OverviewResponse, json);
      if (!parsed.success) return fail({ kind: 'invalid', message: `GET /v1/overview: ${parsed.issues[0]?.message ?? 'unexpected body'}` });
      return { ok: true, value: { changed: true, overview: parsed.output, etag: response.headers.get('etag') } };
    },

    history: (storeId: string, marketplaceId: string, metric: string, since: number) =>
      call(
        HistoryResponse,
        'GET',
        `/v1/stores/${encodeURIComponent(storeId)}/history?${new URLSearchParams({ marketplaceId, metric, since: String(Math.floor(since)) })}`,
      ),

    /** One store (`POST /v1/stores/:id/refresh`) or all (`POST /v1/refresh`), per shared/api/jobs.ts. */
    async refresh(storeId: string | null): Promise<RelayResult<(StartedJob | RefusedJob)[]>> {
      if (storeId) {
        const r = await call(RefreshStoreResponse, 'POST', `/v1/stores/${encodeURIComponent(storeId)}/refresh`);
        return r.ok ? { ok: true, value: [{ storeId, jobId: r.value.jobId }] } : r;
      }
      const r = await call(RefreshAllResponse, 'POST', '/v1/refresh');
      if (!r.ok) return r;
      return {
        ok: true,
        value: r.value.jobs.map((j): StartedJob | RefusedJob =>
          j.jobId === null ? { storeId: j.storeId, jobId: null, error: j.error ?? 'not_started' } : { storeId: j.storeId, jobId: j.jobId },
        ),
      };
    },

    job: (jobId: string) => call(JobView, 'GET', `/v1/jobs/${encodeURIComponent(jobId)}`),

    alerts: (cursor: string | null) => call(AlertsResponse, 'GET', `/v1/alerts${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`),
    ack: (alertId: string) => call(AckResponse, 'POST', `/v1/alerts/${encodeURIComponent(alertId)}/ack`),

    stores: () => call(StoresResponse, 'GET', '/v1/stores'),
    createStore: (body: CreateStoreRequest) => call(CreatedStore, 'POST', '/v1/stores', body),
    patchStore: (id: string, body: PatchStoreRequest) => call(Empty, 'PATCH', `/v1/stores/${encodeURIComponent(id)}`, body),
    removeStore: (id: string) => call(Empty, 'DELETE', `/v1/stores/${encodeURIComponent(id)}`),
    /** A merchant id seen on a page whose store was certain (204), so every profile resolves it from the address. */
    recordMerchantId: (storeId: string, merchantId: string) => call(Empty, 'POST', `/v1/stores/${encodeURIComponent(storeId)}/merchant-ids`, { merchantId }),
    /** `storeId`: reconnect that store (a consent for a seller already connected is refused otherwise). */
    oauthStart: (region: Region, storeId?: string) => call(OAuthStartResponse, 'POST', '/v1/oauth/start', storeId ? { region, storeId } : { region }),

    channels: () => call(ChannelsResponse, 'GET', '/v1/channels'),
    createChannel: (body: CreateChannelRequest) => call(Empty, 'POST', '/v1/channels', body),
    removeChannel: (id: string) => call(Empty, 'DELETE', `/v1/channels/${encodeURIComponent(id)}`),
    testChannel: (id: string) => call(ChannelTestResponse, 'POST', `/v1/channels/${encodeURIComponent(id)}/test`),
    wechatQr: () => call(WechatQrResponse, 'POST', '/v1/wechat/qr'),
    wechatBinding: () => call(WechatBindingResponse, 'GET', '/v1/wechat/binding'),
    confirmWechatBinding: () => call(WechatBindingResponse, 'POST', '/v1/wechat/binding/confirm'),

    /** `GET /healthz`: read whatever its status (503 carries the reason), for the options banner. */
    async health(): Promise<RelayResult<HealthResponse>> {
      const sent = await send('GET', '/healthz');
      if (!sent.ok) return sent;
      try {
        const parsed = v.safeParse(HealthResponse, await sent.value.json());
        return parsed.success ? { ok: true, value: parsed.output } : fail({ kind: 'invalid', message: 'GET /healthz: unexpected body' });
      } catch {
        return fail({ kind: 'invalid', message: 'GET /healthz: the body is not JSON' });
      }
    },

    async rules(): Promise<RelayResult<{ version: number; rules: AlertRules }>> {
      const r = await call(RulesResponse, 'GET', '/v1/rules');
      // The relay fills defaults (shared/alerts/rules.ts withDefaults), so the record is complete.
      return r.ok ? { ok: true, value: { version: r.value.version, rules: r.value.rules as unknown as AlertRules } } : r;
    },
    putRules: (body: PutRulesRequest) => call(RulesResponse, 'PUT', '/v1/rules', body),
    async prefs(): Promise<RelayResult<MemberPrefs>> {
      const r = await call(PrefsResponse, 'GET', '/v1/prefs');
      // Merged over DEFAULT_PREFS by the relay (relay/alerts/settings.ts), so every field is there.
      return r.ok ? { ok: true, value: r.value.prefs as unknown as MemberPrefs } : r;
    },
    putPrefs: (body: MemberPrefsInput) => call(PrefsResponse, 'PUT', '/v1/prefs', body),
  };
}

export type RelayClient = ReturnType<typeof createRelayClient>;
