/**
 * The outbound handler of the relay tests (miniflare `outboundService` in vitest.config.ts): every
 * request the Worker makes lands here, in Node, and nothing reaches the network. It answers Login
 * with Amazon and the Sellers API as docs/domain/amazon-limits.md describes them, keyed by token names:
 * `Atzr|good-*` is a live refresh token, `Atzr|lwa-down` meets an LWA outage, `Atzr|good-wrongregion`
 * is refused by the Sellers API outside na, `Atzr|good-noretail` sells in no retail marketplace,
 * `Atzr|good-nostorename` has a blank `storeName` everywhere, `Atzr|good-suspended` has suspended
 * listings in Canada, anything else is refused with `invalid_grant`; authorization codes `code-ok*`
 * are valid. The participations follow Amazon's model (sellers.json `MarketplaceParticipation`:
 * marketplace, participation{isParticipating, hasSuspendedListings}, storeName).
 */

export const STAND_IN = {
  clientId: 'amzn1.application-oa2-client.storewatch-test',
  clientSecret: 'lwa-secret-for-tests',
  redirectUri: 'https://relay.test/v1/oauth/callback',
} as const;

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const market = (id: string, countryCode: string, name: string, isParticipating = true) => ({
  marketplace: { id, name, countryCode, defaultCurrencyCode: 'USD', defaultLanguageCode: 'en_US', domainName: `www.${name}` },
  participation: { isParticipating, hasSuspendedListings: false },
  storeName: 'Stand-in Store',
});

const PARTICIPATIONS: Record<string, ReturnType<typeof market>[]> = {
  na: [
    market('ATVPDKIKX0DER', 'US', 'amazon.com'),
    market('A2EUQ1WTGCTBG2', 'CA', 'amazon.ca'),
    market('A1AM78C64UM0Y8', 'MX', 'amazon.com.mx', false),
    // A non-retail marketplace the Sellers API also lists: the relay must leave it out.
    market('A3H6HPSLHAK3XG', 'US', 'Non-Amazon'),
  ],
  eu: [market('A1PA6795UKMFR9', 'DE', 'amazon.de'), market('A1F83G8C2ARO7P', 'GB', 'amazon.co.uk'), market('A13V1IB3VIYZZH', 'FR', 'amazon.fr', false)],
  fe: [market('A1VC38T7YXB528', 'JP', 'amazon.co.jp')],
};

const invalidGrant = (parameter: string) => json({ error: 'invalid_grant', error_description: `The request has an invalid grant parameter : ${parameter}` }, 400);

function lwa(form: URLSearchParams): Response {
  if (form.get('client_id') !== STAND_IN.clientId || form.get('client_secret') !== STAND_IN.clientSecret) {
    return json({ error: 'invalid_client', error_description: 'Client authentication failed' }, 401);
  }
  const grant = form.get('grant_type');
  if (grant === 'refresh_token') {
    const token = form.get('refresh_token') ?? '';
    if (token === 'Atzr|lwa-down') return new Response('Service Unavailable', { status: 503 });
    if (!token.startsWith('Atzr|good-')) return invalidGrant('refresh_token');
    return json({ access_token: `Atza|for:${token}`, token_type: 'bearer', expires_in: 3600 });
  }
  if (grant === 'authorization_code') {
    const code = form.get('code') ?? '';
    if (!code.startsWith('code-ok') || form.get('redirect_uri') !== STAND_IN.redirectUri) return invalidGrant('code');
    return json({ access_token: `Atza|for:Atzr|good-${code}`, refresh_token: `Atzr|good-${code}`, token_type: 'bearer', expires_in: 3600 });
  }
  return json({ error: 'unsupported_grant_type', error_description: 'Invalid grant_type' }, 400);
}

/** The same seller under another token: what differs is the Sellers API's identity fields. */
function identityOf(refresh: string, list: ReturnType<typeof market>[]): ReturnType<typeof market>[] {
  if (refresh === 'Atzr|good-nostorename') return list.map((p) => ({ ...p, storeName: ' ' }));
  if (refresh === 'Atzr|good-suspended') {
    return list.map((p) => (p.marketplace.countryCode === 'CA' ? { ...p, participation: { ...p.participation, hasSuspendedListings: true } } : p));
  }
  return list;
}

function sellers(url: URL, request: Request): Response {
  const region = /^sellingpartnerapi-(na|eu|fe)\.amazon\.com$/.exec(url.hostname)?.[1];
  const token = request.headers.get('x-amz-access-token') ?? '';
  const refresh = token.startsWith('Atza|for:') ? token.slice('Atza|for:'.length) : null;
  if (!region || !refresh || (refresh === 'Atzr|good-wrongregion' && region !== 'na')) {
    return json({ errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: '' }] }, 403);
  }
  const payload = refresh === 'Atzr|good-noretail' ? PARTICIPATIONS.na!.slice(3) : PARTICIPATIONS[region]!;
  return json({ payload: identityOf(refresh, payload) });
}

export async function amazonStandIn(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.hostname === 'api.amazon.com' && url.pathname === '/auth/o2/token') return lwa(new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer()))); // .text() on a form body makes workerd warn
  if (url.pathname === '/sellers/v1/marketplaceParticipations') return sellers(url, request);
  return new Response(`The relay tests reach no network: no stand-in for ${url.host}${url.pathname}`, { status: 502 });
}
