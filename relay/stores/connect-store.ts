/**
 * Adding a store, shared by the pasted refresh token and "Connect with Amazon": prove the token
 * with LWA, list the seller's retail marketplaces with Amazon's name of the store in each, then
 * seal the token and write everything in one batch. Any failure before the write leaves D1
 * untouched. Connecting a store again (re-authorization) reads Amazon's store names again.
 *
 * Before any call to Amazon, a workspace at its store cap (shared/api/limits.ts) is refused, and so
 * is a refresh token already pasted for a store of the workspace: polling one seller twice spends
 * its report quota twice. Neither Login with Amazon nor the Sellers API says which seller a pasted
 * token is (the official models carry no seller id), so a pasted token is recognised by its
 * fingerprint, the SHA-256 of workspace id and token; "Connect with Amazon" names the seller
 * (selling_partner_id), and a consent for a seller the workspace has is refused unless it is that
 * store's Reconnect.
 */
import type { CreatedStore } from '../../shared/api/stores.ts';
import type { ErrorCode } from '../../shared/api/errors.ts';
import { LIMITS, type LimitName, limitReached } from '../../shared/api/limits.ts';
import type { Region } from '../../shared/types.ts';
import { type LwaClient, exchangeRefreshToken, explainLwaRefusal } from '../amazon/lwa.ts';
import { amazonStoreName, listMarketplaceParticipations, retailMarketplaces } from '../amazon/sellers.ts';
import { hashSecret } from '../auth/tokens.ts';
import { type Keyring, refreshTokenContext, seal } from '../crypto/secrets.ts';
import { oauthMerchantIdStatement } from '../db/merchant-ids.ts';
import { findStoreBySeller, fingerprintStatement, insertStore, replaceStoreAuthorization, storeAdmission } from '../db/stores.ts';

export interface ConnectInput {
  workspaceId: string;
  /** The team's name for the store; absent = Amazon's store name (or `fallbackName`). */
  name?: string;
  /** When Amazon names no store and the caller gave no name (the OAuth flow's generated one). */
  fallbackName?: string;
  region: Region;
  sellerId: string | null;
  refreshToken: string;
  /** An access token already obtained with this refresh token (the OAuth code exchange gives one). */
  accessToken?: string;
  /**
   * "Connect with Amazon": the store being re-authorized (null: none). A seller already connected
   * in the workspace then replaces only that store's token; any other case is refused, so one
   * person's consent cannot overwrite another store's authorization.
   */
  consent?: { reauthorizing: { id: string; name: string; sellerId: string | null } | null };
}

export interface ConnectDeps {
  db: D1Database;
  keyring: Keyring;
  lwa: LwaClient;
  fetch: typeof fetch;
  now: number;
  newId: () => string;
}

export type ConnectResult =
  | { ok: true; store: CreatedStore; reauthorized: boolean }
  | { ok: false; status: 400 | 409 | 422 | 502; code: ErrorCode; message: string; limit?: LimitName };

/** The same token in the same workspace has the same fingerprint; across workspaces they differ. */
function tokenFingerprint(workspaceId: string, refreshToken: string): Promise<string> {
  return hashSecret(`${workspaceId}\n${refreshToken}`);
}

function limitReachedFields(name: LimitName): { code: 'limit_reached'; message: string; limit: LimitName } {
  const { code, message, limit } = limitReached(name);
  return { code, message, limit };
}

function alreadyConnected(holder: { id: string; name: string }): ConnectResult {
  return { ok: false, status: 409, code: 'store_exists', message: `this refresh token is already connected as store "${holder.name}" (${holder.id})` };
}

/** Whether the error is SQLite's unique constraint (a racing add of the same token won). */
function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && /UNIQUE constraint failed/i.test(error.message);
}

/** Why a consent may not write this seller's token, or null when it may. */
function consentRefusal(input: ConnectInput, existing: { id: string; name: string } | null): string | null {
  const target = input.consent?.reauthorizing ?? null;
  if (!input.consent) return null;
  if (target && (!existing || existing.id !== target.id)) {
    return `you signed in to Amazon as seller ${input.sellerId ?? '(unknown)'}, which is not the seller of store "${target.name}"; sign in as that store's seller to reconnect it`;
  }
  if (!target && existing) {
    return `Amazon seller ${input.sellerId ?? ''} is already connected in this workspace as store "${existing.name}"; to renew its authorization, use Reconnect on that store`;
  }
  return null;
}

export async function connectStore(input: ConnectInput, deps: ConnectDeps): Promise<ConnectResult> {
  // Checked before any call to Amazon: a refused consent, a token already connected and a full
  // workspace cost nothing and write nothing.
  const known = input.sellerId ? await findStoreBySeller(deps.db, input.workspaceId, input.region, input.sellerId) : null;
  const refusal = consentRefusal(input, known);
  if (refusal) return { ok: false, status: 409, code: 'store_exists', message: refusal };
  const fingerprint = await tokenFingerprint(input.workspaceId, input.refreshToken);
  if (!known) {
    const admission = await storeAdmission(deps.db, input.workspaceId, fingerprint);
    if (admission.holder) return alreadyConnected(admission.holder);
    if (admission.stores >= LIMITS.storesPerWorkspace) return { ok: false, status: 409, ...limitReachedFields('storesPerWorkspace') };
  }

  let accessToken = input.accessToken;
  if (!accessToken) {
    const lwa = await exchangeRefreshToken({ ...deps.lwa, refreshToken: input.refreshToken }, deps.fetch);
    if (!lwa.ok && lwa.kind === 'refused') return { ok: false, status: 422, code: 'amazon_authorization_failed', message: explainLwaRefusal(lwa.error, lwa.description) };
    if (!lwa.ok) return { ok: false, status: 502, code: 'amazon_unavailable', message: `Login with Amazon is not answering (${lwa.description}); try again shortly` };
    accessToken = lwa.accessToken;
  }

  const listed = await listMarketplaceParticipations(input.region, accessToken, deps.fetch);
  if (!listed.ok) {
    if (listed.status === 401 || listed.status === 403) {
      return {
        ok: false,
        status: 422,
        code: 'amazon_authorization_failed',
        message: `Amazon accepted the token but refused the Sellers API in region ${input.region} (${listed.description}): check the region, and that the app has the Selling Partner Insights role`,
      };
    }
    return { ok: false, status: 502, code: 'amazon_unavailable', message: `The Sellers API answered HTTP ${listed.status} (${listed.description}); try again shortly` };
  }
  const marketplaces = retailMarketplaces(listed.participations, input.region);
  if (marketplaces.length === 0) {
    return { ok: false, status: 422, code: 'no_marketplaces', message: `this seller sells in no retail marketplace of region ${input.region}: is the region right?` };
  }

  const amazonName = amazonStoreName(marketplaces);
  const existing = input.sellerId ? await findStoreBySeller(deps.db, input.workspaceId, input.region, input.sellerId) : null;
  const name = existing?.name ?? input.name ?? amazonName ?? input.fallbackName;
  if (name === undefined) {
    return { ok: false, status: 400, code: 'invalid', message: 'name: Amazon gives this seller no store name, so the store needs one: send "name"' };
  }
  const storeId = existing?.id ?? deps.newId();
  const token = await seal(deps.keyring, input.refreshToken, refreshTokenContext(input.workspaceId, storeId));
  // An OAuth-connected store starts with its selling partner id as a merchant id: the id Seller
  // Central's addresses carry as mons_sel_mcid for that seller.
  const merchant = input.sellerId ? [oauthMerchantIdStatement(deps.db, { workspaceId: input.workspaceId, region: input.region, merchantId: input.sellerId, storeId }, deps.now)] : [];
  if (existing) {
    await replaceStoreAuthorization(deps.db, { id: storeId, workspaceId: input.workspaceId, region: input.region, token, marketplaces }, deps.now, merchant);
  } else {
    try {
      await insertStore(deps.db, { id: storeId, workspaceId: input.workspaceId, name, region: input.region, sellerId: input.sellerId, token, marketplaces }, deps.now, [
        ...merchant,
        fingerprintStatement(deps.db, storeId, fingerprint),
      ]);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const holder = (await storeAdmission(deps.db, input.workspaceId, fingerprint)).holder;
      return holder ? alreadyConnected(holder) : { ok: false, status: 409, code: 'store_exists', message: 'this seller was connected a moment ago by someone else' };
    }
  }
  return {
    ok: true,
    reauthorized: existing !== null,
    store: {
      id: storeId,
      name,
      region: input.region,
      sellerId: input.sellerId,
      marketplaces: marketplaces.map((m) => ({ marketplaceId: m.marketplaceId, countryCode: m.countryCode })),
      amazonStoreName: amazonName,
    },
  };
}
