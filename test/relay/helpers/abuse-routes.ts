/**
 * Every route of the relay, as the abuse suite attacks it: what guards it, which of workspace A's
 * objects it names, and a request it would accept from the right caller. `appRoutes` reads the
 * routes off the real app, so a route added without an entry here fails the suite.
 */
import type { Hono } from 'hono';
import type { Tenants } from './abuse-fixtures.ts';
import { subscribeXml } from './abuse-wechat.ts';
import { US, WECOM_KEY } from './abuse-world.ts';

/**
 * What a caller must present: an API token (`member`, `owner`), the deployment's SETUP_TOKEN, a
 * pairing code, an OAuth state, WeChat's signature, or nothing at all (`public`).
 */
export type Guard = 'public' | 'setup' | 'pair' | 'oauth-state' | 'wechat-signature' | 'member' | 'owner';

export interface RouteCase {
  /** As the app lists it: method and path pattern, e.g. `PATCH /v1/stores/:id{[0-9a-f-]{36}}`. */
  route: string;
  guard: Guard;
  /** Which of A's objects the path names (a neighbour must get 404 for it). */
  names?: 'store' | 'channel' | 'alert' | 'job' | 'member' | 'device';
  path: (t: Tenants) => string;
  /** A body the route accepts from the right caller (so a refusal is the credential's doing). */
  body?: (t: Tenants) => unknown;
  /** Raw body (the WeChat callback's XML), given the clock in seconds. */
  raw?: (t: Tenants, nowS: number) => string;
  /** The route parses a JSON body (the fuzz targets). */
  readsJson?: boolean;
  /** Fields a valid body cannot do without. */
  required?: readonly string[];
  /** What a member of A (not an owner) gets, for the routes owners keep to themselves. */
  memberRefusal?: 'owners_only' | 'forbidden';
  /** The request spends the caller's token (a neighbour uses a spare one). */
  spendsToken?: boolean;
}

const storePath = (t: Tenants) => `/v1/stores/${t.a.storeId}`;
const channelPath = (t: Tenants) => `/v1/channels/${t.a.teamChannelId}`;

export const ROUTE_CASES: readonly RouteCase[] = [
  { route: 'GET /healthz', guard: 'public', path: () => '/healthz' },
  { route: 'POST /v1/setup', guard: 'setup', path: () => '/v1/setup', body: () => ({ workspace: 'Mallory Inc', owner: 'Mallory' }), readsJson: true, required: ['workspace', 'owner'] },
  { route: 'POST /v1/pair', guard: 'pair', path: () => '/v1/pair', body: (t) => ({ code: t.a.liveInvite, device: 'Mallory laptop' }), readsJson: true, required: ['code', 'device'] },
  { route: 'POST /v1/oauth/start', guard: 'owner', path: () => '/v1/oauth/start', body: () => ({ region: 'na' }), readsJson: true, required: ['region'], memberRefusal: 'owners_only' },
  { route: 'GET /v1/oauth/start', guard: 'owner', path: () => '/v1/oauth/start?region=na', memberRefusal: 'owners_only' },
  { route: 'GET /v1/oauth/callback', guard: 'oauth-state', path: () => '/v1/oauth/callback' },
  // The relay's start page: the state is its capability, and it works for one browser only.
  { route: 'GET /v1/oauth/begin', guard: 'oauth-state', path: () => '/v1/oauth/begin' },
  // The confirmation form: nothing without the start page's cookie and the token derived from it.
  { route: 'POST /v1/oauth/callback', guard: 'oauth-state', path: () => '/v1/oauth/callback' },
  { route: 'GET /wechat/callback', guard: 'wechat-signature', path: () => '/wechat/callback?echostr=echo-me' },
  {
    route: 'POST /wechat/callback',
    guard: 'wechat-signature', path: () => '/wechat/callback',
    // A bind for the other member's pending QR: were a forgery let through, a channel would appear.
    raw: (t, nowS) => subscribeXml('oMalloryOpenid', `qrscene_${t.a.pendingScene}`, nowS),
  },
  // A member may enrol devices for themself only: a code for two profiles of someone new is the owners'.
  { route: 'POST /v1/invites', guard: 'owner', path: () => '/v1/invites', body: () => ({ devices: 2 }), readsJson: true, memberRefusal: 'owners_only' },
  { route: 'GET /v1/members', guard: 'owner', path: () => '/v1/members', memberRefusal: 'owners_only' },
  { route: 'DELETE /v1/members/:id{[0-9a-f-]{36}}', guard: 'owner', names: 'member', path: (t) => `/v1/members/${t.a.other.memberId}`, memberRefusal: 'owners_only' },
  // A member may revoke their own devices; the one named here is the other member's.
  { route: 'DELETE /v1/devices/:id{[0-9a-f-]{36}}', guard: 'member', names: 'device', path: (t) => `/v1/devices/${t.a.other.deviceId}` },
  { route: 'GET /v1/me', guard: 'member', path: () => '/v1/me' },
  { route: 'DELETE /v1/tokens/current', guard: 'member', path: () => '/v1/tokens/current', spendsToken: true },
  {
    route: 'POST /v1/stores',
    guard: 'owner',
    path: () => '/v1/stores',
    body: () => ({ name: 'Mallory US', region: 'na', refreshToken: 'Atzr|good-abuse-mallory' }),
    readsJson: true,
    // Without a name the store takes Amazon's.
    required: ['region', 'refreshToken'],
    memberRefusal: 'owners_only',
  },
  { route: 'GET /v1/stores', guard: 'member', path: () => '/v1/stores' },
  { route: 'PATCH /v1/stores/:id{[0-9a-f-]{36}}', guard: 'owner', names: 'store', path: storePath, body: () => ({ name: 'taken over' }), readsJson: true, memberRefusal: 'owners_only' },
  { route: 'DELETE /v1/stores/:id{[0-9a-f-]{36}}', guard: 'owner', names: 'store', path: storePath, memberRefusal: 'owners_only' },
  {
    route: 'POST /v1/stores/:id{[0-9a-f-]{36}}/merchant-ids',
    guard: 'member',
    names: 'store',
    path: (t) => `${storePath(t)}/merchant-ids`,
    body: () => ({ merchantId: 'A3EXAMPLE12345' }),
    readsJson: true,
    required: ['merchantId'],
  },
  { route: 'GET /v1/overview', guard: 'member', path: () => '/v1/overview' },
  { route: 'GET /v1/stores/:id{[0-9a-f-]{36}}/history', guard: 'member', names: 'store', path: (t) => `${storePath(t)}/history?marketplaceId=${US}&metric=odrMfn` },
  { route: 'GET /v1/rules', guard: 'member', path: () => '/v1/rules' },
  { route: 'PUT /v1/rules', guard: 'owner', path: () => '/v1/rules', body: () => ({ version: 0, rules: { recoveryMessages: false } }), readsJson: true, required: ['version', 'rules'], memberRefusal: 'owners_only' },
  { route: 'GET /v1/prefs', guard: 'member', path: () => '/v1/prefs' },
  { route: 'PUT /v1/prefs', guard: 'member', path: () => '/v1/prefs', body: () => ({ language: 'en', timeZone: 'Asia/Shanghai' }), readsJson: true },
  { route: 'GET /v1/channels', guard: 'member', path: () => '/v1/channels' },
  {
    route: 'POST /v1/channels',
    guard: 'owner',
    path: () => '/v1/channels',
    body: () => ({ type: 'wecom', name: 'Mallory 群', secret: WECOM_KEY }),
    readsJson: true,
    required: ['type', 'name', 'secret'],
    memberRefusal: 'owners_only',
  },
  { route: 'PATCH /v1/channels/:id', guard: 'owner', names: 'channel', path: channelPath, body: () => ({ name: 'taken over' }), readsJson: true, memberRefusal: 'forbidden' },
  { route: 'DELETE /v1/channels/:id', guard: 'owner', names: 'channel', path: channelPath, memberRefusal: 'forbidden' },
  // A member may test the team's channel (it is theirs to see); it still sends nothing for an outsider.
  { route: 'POST /v1/channels/:id/test', guard: 'member', names: 'channel', path: (t) => `${channelPath(t)}/test`, body: () => ({}) },
  { route: 'GET /v1/alerts', guard: 'member', path: () => '/v1/alerts' },
  { route: 'POST /v1/alerts/:id/ack', guard: 'member', names: 'alert', path: (t) => `/v1/alerts/${t.a.alertId}/ack`, body: () => ({}) },
  { route: 'POST /v1/wechat/qr', guard: 'member', path: () => '/v1/wechat/qr', body: () => ({}) },
  { route: 'GET /v1/wechat/binding', guard: 'member', path: () => '/v1/wechat/binding' },
  // Each caller confirms only their own scan: nothing waits for an outsider, so nothing binds.
  { route: 'POST /v1/wechat/binding/confirm', guard: 'member', path: () => '/v1/wechat/binding/confirm', body: () => ({}) },
  { route: 'POST /v1/stores/:id{[0-9a-f-]{36}}/refresh', guard: 'member', names: 'store', path: (t) => `${storePath(t)}/refresh`, body: () => ({}) },
  { route: 'POST /v1/refresh', guard: 'member', path: () => '/v1/refresh', body: () => ({}) },
  { route: 'GET /v1/jobs/:id', guard: 'member', names: 'job', path: (t) => `/v1/jobs/${t.a.jobId}` },
];

/** The app's own list of routes: `METHOD path` for each handler, middleware (`ALL`) left out. */
export function appRoutes(app: Hono<never> | { routes: ReadonlyArray<{ method: string; path: string }> }): string[] {
  return [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))].sort();
}
