/**
 * The credential attacks on one route, per what guards it: none, malformed, revoked (or used, or
 * expired), the neighbour's, and a mere member's where owners keep the route. Each attack says
 * what the relay must answer; `own-scope` means the neighbour acts only inside its own workspace.
 */
import type { Tenants } from './abuse-fixtures.ts';
import type { RouteCase } from './abuse-routes.ts';
import { signedQuery } from './abuse-wechat.ts';
import { type CallOptions, WORLD_SECRETS } from './abuse-world.ts';

export type AttackKind = 'none' | 'malformed' | 'revoked' | 'neighbour' | 'member';

export type Expectation =
  | { kind: 'refused'; status: 400 | 401 | 403 | 404; code?: string; format: 'json' | 'html' | 'text' }
  | { kind: 'public' }
  | { kind: 'own-scope' };

export interface Attack {
  kind: AttackKind;
  what: string;
  path: string;
  options: CallOptions;
  expect: Expectation;
}

const withQuery = (path: string, query: string) => (query ? `${path}${path.includes('?') ? '&' : '?'}${query}` : path);

/** Authorization headers that name no live token; none may be mistaken for one. */
function malformedHeaders(t: Tenants): Array<[string, string]> {
  const good = t.a.owner.token;
  return [
    ['empty header', ''],
    ['scheme only', 'Bearer'],
    ['scheme and blank', 'Bearer    '],
    ['Basic scheme with a live token', `Basic ${good}`],
    ['token without scheme', good],
    ['live token one character short', `Bearer ${good.slice(0, -1)}`],
    ['live token with a character more', `Bearer ${good}A`],
    ['live token upper-cased', `Bearer ${good.toUpperCase()}`],
    ['two tokens', `Bearer ${good} ${good}`],
    ['a made-up sw_ token', `Bearer sw_${'x'.repeat(43)}`],
    ['a 4 KiB token', `Bearer ${'A'.repeat(4096)}`],
    ['the SETUP_TOKEN as an API token', `Bearer ${WORLD_SECRETS.setupToken}`],
    ['SQL in the token', `Bearer ' OR '1'='1`],
  ];
}

function apiTokenAttacks(route: RouteCase, t: Tenants, body: unknown): Attack[] {
  const path = route.path(t);
  const unauthorized: Expectation = { kind: 'refused', status: 401, code: 'unauthorized', format: 'json' };
  const attacks: Attack[] = [
    { kind: 'none', what: 'no Authorization header', path, options: { body }, expect: unauthorized },
    ...malformedHeaders(t)
      // An API token on the setup route is the malformed case there, not here.
      .filter(([what]) => what !== 'the SETUP_TOKEN as an API token' || route.guard !== 'setup')
      .map(([what, authorization]): Attack => ({ kind: 'malformed', what, path, options: { authorization, body }, expect: unauthorized })),
    { kind: 'revoked', what: 'a token revoked with DELETE /v1/tokens/current', path, options: { token: t.a.revokedToken.token, body }, expect: unauthorized },
    { kind: 'revoked', what: "a revoked member's live token", path, options: { token: t.a.revokedMember.token, body }, expect: unauthorized },
    {
      kind: 'neighbour',
      what: "workspace B's owner",
      path,
      options: { token: t.b.owner.token, body },
      expect: route.names ? { kind: 'refused', status: 404, code: 'not_found', format: 'json' } : { kind: 'own-scope' },
    },
  ];
  if (route.names === 'channel') {
    // Every kind of channel A has, not just the team's: each is as out of reach for the neighbour,
    // and another member's personal channel is out of reach for a member (it is not theirs to see).
    const others: Array<[string, string]> = [
      ["the member's ServerChan", t.a.memberChannelId],
      ["the other member's PushPlus", t.a.otherChannelId],
      ["the member's Official Account", t.a.oaChannelId],
    ];
    const notFound: Expectation = { kind: 'refused', status: 404, code: 'not_found', format: 'json' };
    for (const [what, id] of others) {
      attacks.push({ kind: 'neighbour', what: `workspace B's owner on ${what}`, path: path.replace(t.a.teamChannelId, id), options: { token: t.b.owner.token, body }, expect: notFound });
    }
    attacks.push({ kind: 'member', what: "a member on the other member's PushPlus", path: path.replace(t.a.teamChannelId, t.a.otherChannelId), options: { token: t.a.member.token, body }, expect: notFound });
  }
  if (route.names === 'device') {
    // A member may revoke their own devices, never another member's: that one reads as absent.
    attacks.push({ kind: 'member', what: "a member on the other member's device", path, options: { token: t.a.member.token, body }, expect: { kind: 'refused', status: 404, code: 'not_found', format: 'json' } });
  }
  if (route.guard === 'owner') {
    attacks.push({ kind: 'member', what: 'a member of A (not an owner)', path, options: { token: t.a.member.token, body }, expect: { kind: 'refused', status: 403, code: route.memberRefusal, format: 'json' } });
  }
  return attacks;
}

function setupAttacks(route: RouteCase, t: Tenants, body: unknown): Attack[] {
  const path = route.path(t);
  const unauthorized: Expectation = { kind: 'refused', status: 401, code: 'unauthorized', format: 'json' };
  const s = WORLD_SECRETS.setupToken;
  const malformed: Array<[string, string]> = [
    ['empty header', ''],
    ['scheme only', 'Bearer'],
    ['Basic scheme with the SETUP_TOKEN', `Basic ${s}`],
    ['SETUP_TOKEN without scheme', s],
    ['SETUP_TOKEN one character short', `Bearer ${s.slice(0, -1)}`],
    ['SETUP_TOKEN with a character more', `Bearer ${s}x`],
    ['SETUP_TOKEN upper-cased', `Bearer ${s.toUpperCase()}`],
    ['a 4 KiB token', `Bearer ${'A'.repeat(4096)}`],
  ];
  return [
    { kind: 'none', what: 'no Authorization header', path, options: { body }, expect: unauthorized },
    ...malformed.map(([what, authorization]): Attack => ({ kind: 'malformed', what, path, options: { authorization, body }, expect: unauthorized })),
    { kind: 'revoked', what: 'a revoked API token', path, options: { token: t.a.revokedToken.token, body }, expect: unauthorized },
    { kind: 'neighbour', what: "workspace B's owner token", path, options: { token: t.b.owner.token, body }, expect: unauthorized },
    { kind: 'member', what: "A's owner token (an API token is no SETUP_TOKEN)", path, options: { token: t.a.owner.token, body }, expect: unauthorized },
  ];
}

function pairAttacks(route: RouteCase, t: Tenants): Attack[] {
  const path = route.path(t);
  const refused = (code: string): Expectation => ({ kind: 'refused', status: 400, code, format: 'json' });
  const device = 'Mallory laptop';
  return [
    { kind: 'none', what: 'no code', path, options: { body: { device } }, expect: refused('invalid') },
    ...['', '!!!!!!!!', '0O1IL0O1', 'ZZZZZZZZ', `${t.a.liveInvite.slice(0, 7)}`, "' OR 1=1 --"].map(
      (code): Attack => ({ kind: 'malformed', what: `code ${JSON.stringify(code)}`, path, options: { body: { code, device } }, expect: refused('invite_invalid') }),
    ),
    { kind: 'revoked', what: 'a code already used', path, options: { body: { code: t.a.usedInvite, device } }, expect: refused('invite_invalid') },
    { kind: 'revoked', what: 'an expired code', path, options: { body: { code: t.a.expiredInvite, device } }, expect: refused('invite_invalid') },
    { kind: 'neighbour', what: "B's owner token with A's used code", path, options: { token: t.b.owner.token, body: { code: t.a.usedInvite, device } }, expect: refused('invite_invalid') },
    { kind: 'member', what: "A's member token with A's expired code", path, options: { token: t.a.member.token, body: { code: t.a.expiredInvite, device } }, expect: refused('invite_invalid') },
  ];
}

function oauthStateAttacks(route: RouteCase, t: Tenants): Attack[] {
  const base = route.path(t);
  const page: Expectation = { kind: 'refused', status: 400, format: 'html' };
  const q = (state: string) => new URLSearchParams({ state, selling_partner_id: 'A1MALLORY', spapi_oauth_code: 'code-ok-mallory' }).toString();
  return [
    { kind: 'none', what: 'no parameters', path: base, options: {}, expect: page },
    { kind: 'none', what: 'no state', path: withQuery(base, 'selling_partner_id=A1MALLORY&spapi_oauth_code=code-ok-mallory'), options: {}, expect: page },
    ...['made-up-state', 'x'.repeat(201), `${t.a.liveState}x`, t.a.liveState.slice(1)].map(
      (state): Attack => ({ kind: 'malformed', what: `state of ${state.length} characters`, path: withQuery(base, q(state)), options: {}, expect: page }),
    ),
    { kind: 'revoked', what: 'a used state', path: withQuery(base, q(t.a.usedState)), options: {}, expect: page },
    { kind: 'revoked', what: 'an expired state', path: withQuery(base, q(t.a.expiredState)), options: {}, expect: page },
    { kind: 'neighbour', what: "B's owner token with A's used state", path: withQuery(base, q(t.a.usedState)), options: { token: t.b.owner.token }, expect: page },
    { kind: 'member', what: "A's member token with A's expired state", path: withQuery(base, q(t.a.expiredState)), options: { token: t.a.member.token }, expect: page },
  ];
}

async function wechatAttacks(route: RouteCase, t: Tenants, nowS: number): Promise<Attack[]> {
  const base = route.path(t);
  const forbidden: Expectation = { kind: 'refused', status: 403, format: 'text' };
  const options = (extra: CallOptions = {}): CallOptions => (route.raw ? { raw: route.raw(t, nowS), headers: { 'content-type': 'text/xml' }, ...extra } : extra);
  const good = await signedQuery(WORLD_SECRETS.wechatToken, nowS);
  const signature = new URLSearchParams(good).get('signature')!;
  return [
    { kind: 'none', what: 'no signature', path: base, options: options(), expect: forbidden },
    { kind: 'malformed', what: 'a signature of zeros', path: withQuery(base, good.replace(signature, '0'.repeat(40))), options: options(), expect: forbidden },
    { kind: 'malformed', what: 'a signature one digit off', path: withQuery(base, good.replace(signature, `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`)), options: options(), expect: forbidden },
    { kind: 'malformed', what: 'a timestamp that is no number', path: withQuery(base, await signedQuery(WORLD_SECRETS.wechatToken, 'soon')), options: options(), expect: forbidden },
    { kind: 'malformed', what: 'a signature for another nonce', path: withQuery(base, good.replace('nonce=n0nce', 'nonce=other')), options: options(), expect: forbidden },
    { kind: 'revoked', what: 'a correct signature an hour old', path: withQuery(base, await signedQuery(WORLD_SECRETS.wechatToken, nowS - 3600)), options: options(), expect: forbidden },
    { kind: 'revoked', what: 'a correct signature six minutes ahead', path: withQuery(base, await signedQuery(WORLD_SECRETS.wechatToken, nowS + 360)), options: options(), expect: forbidden },
    { kind: 'neighbour', what: 'signed with a guessed token', path: withQuery(base, await signedQuery('guessed-token', nowS)), options: options(), expect: forbidden },
    { kind: 'member', what: "A's member token instead of a signature", path: base, options: options({ token: t.a.member.token }), expect: forbidden },
  ];
}

function publicAttacks(route: RouteCase, t: Tenants): Attack[] {
  const path = route.path(t);
  return [
    { kind: 'none', what: 'no token', path, options: {}, expect: { kind: 'public' } },
    { kind: 'malformed', what: 'a malformed token', path, options: { authorization: 'Bearer' }, expect: { kind: 'public' } },
    { kind: 'revoked', what: 'a revoked token', path, options: { token: t.a.revokedToken.token }, expect: { kind: 'public' } },
    { kind: 'neighbour', what: "B's owner token", path, options: { token: t.b.owner.token }, expect: { kind: 'public' } },
    { kind: 'member', what: "A's member token", path, options: { token: t.a.member.token }, expect: { kind: 'public' } },
  ];
}

export async function attacksOn(route: RouteCase, t: Tenants, nowS: number): Promise<Attack[]> {
  const body = route.body?.(t);
  switch (route.guard) {
    case 'member':
    case 'owner':
      return apiTokenAttacks(route, t, body);
    case 'setup':
      return setupAttacks(route, t, body);
    case 'pair':
      return pairAttacks(route, t);
    case 'oauth-state':
      return oauthStateAttacks(route, t);
    case 'wechat-signature':
      return wechatAttacks(route, t, nowS);
    case 'public':
      return publicAttacks(route, t);
  }
}
