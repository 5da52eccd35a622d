/**
 * Login with Amazon's token endpoint, `POST https://api.amazon.com/auth/o2/token`, form-encoded
 * (LWA "Access Token" docs and Amazon's SP-API "Connecting to the Selling Partner API" guide):
 * `grant_type=refresh_token` with `refresh_token`, `client_id`, `client_secret` answers
 * `{access_token, token_type: "bearer", expires_in: 3600}`; access tokens start `Atza|` and are
 * 350 characters or more. An unknown refresh token is 400 `invalid_grant`; wrong app credentials
 * 401 `invalid_client`; any other grant 400 `unsupported_grant_type` (RFC 6749 section 5.2, which
 * LWA follows).
 */
import type { Region } from './marketplaces.ts';
import type { Random } from './prng.ts';
import { json } from './replies.ts';

export const ACCESS_TOKEN_SECONDS = 3600;

export interface TokenHolder {
  sellerId: string;
  region: Region;
}

export interface AccessGrant extends TokenHolder {
  expiresAt: number;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export interface Lwa {
  handle(request: Request, now: number): Promise<Response>;
  /** Who an access token belongs to, while it is valid; `expired` when it was once. */
  grant(accessToken: string, now: number): AccessGrant | 'expired' | null;
}

export function lwa(input: { random: Random; holders: (refreshToken: string) => TokenHolder | undefined; client: { id: string; secret: string } | null }): Lwa {
  const grants = new Map<string, AccessGrant>();
  const newToken = () => `Atza|${Array.from({ length: 360 }, () => ALPHABET[input.random.int(0, ALPHABET.length - 1)]).join('')}`;
  return {
    async handle(request, now) {
      const url = new URL(request.url);
      if (request.method !== 'POST' || url.pathname !== '/auth/o2/token') return json(404, { error: 'not_found', error_description: 'Unknown path' });
      const form = new URLSearchParams(await request.text());
      if (input.client && (form.get('client_id') !== input.client.id || form.get('client_secret') !== input.client.secret)) {
        return json(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
      }
      if (form.get('grant_type') !== 'refresh_token') return json(400, { error: 'unsupported_grant_type', error_description: 'The authorization grant type is not supported by the authorization server' });
      const holder = input.holders(form.get('refresh_token') ?? '');
      if (!holder) return json(400, { error: 'invalid_grant', error_description: 'The request has an invalid grant parameter : refresh_token' });
      const token = newToken();
      grants.set(token, { ...holder, expiresAt: now + ACCESS_TOKEN_SECONDS * 1000 });
      return json(200, { access_token: token, token_type: 'bearer', expires_in: ACCESS_TOKEN_SECONDS });
    },
    grant(accessToken, now) {
      const grant = grants.get(accessToken);
      if (!grant) return null;
      return grant.expiresAt > now ? grant : 'expired';
    },
  };
}
