/** Contract of `/v1/stores` and `/v1/oauth/start`. A refresh token goes in and never comes out. */
import * as v from 'valibot';

export const RegionSchema = v.picklist(['na', 'eu', 'fe'], 'a region: na, eu or fe');
const Name = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(60));

/** Amazon's LWA refresh tokens start `Atzr|`; anything else is a paste of the wrong thing. */
const RefreshToken = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(8),
  v.maxLength(2048),
  v.startsWith('Atzr|', 'a Login with Amazon refresh token starts with "Atzr|"'),
);

/** Without `name` the store is named as Amazon names it (the Sellers API's `storeName`). */
export const CreateStoreRequest = v.strictObject({ name: v.optional(Name), region: RegionSchema, refreshToken: RefreshToken });
export type CreateStoreRequest = v.InferOutput<typeof CreateStoreRequest>;

export const POLL_INTERVAL_MIN = 15;
export const POLL_INTERVAL_MAX = 1440;

export const PatchStoreRequest = v.pipe(
  v.strictObject({
    name: v.optional(Name),
    pollIntervalMinutes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(POLL_INTERVAL_MIN), v.maxValue(POLL_INTERVAL_MAX))),
    paused: v.optional(v.boolean()),
  }),
  v.check((p) => p.name !== undefined || p.pollIntervalMinutes !== undefined || p.paused !== undefined, 'nothing to change'),
);
export type PatchStoreRequest = v.InferOutput<typeof PatchStoreRequest>;

export const StoreMarketplace = v.object({ marketplaceId: v.string(), countryCode: v.string() });
export type StoreMarketplace = v.InferOutput<typeof StoreMarketplace>;

export const CreatedStore = v.object({
  id: v.string(),
  name: v.string(),
  region: RegionSchema,
  /** Known when the store came through "Connect with Amazon"; a pasted token does not say. */
  sellerId: v.nullable(v.string()),
  marketplaces: v.array(StoreMarketplace),
  /** Amazon's own name of the store (Sellers API `storeName`), beside the team's `name`. */
  amazonStoreName: v.optional(v.nullable(v.string())),
});
export type CreatedStore = v.InferOutput<typeof CreatedStore>;

export const StoreView = v.object({
  ...CreatedStore.entries,
  pollIntervalMinutes: v.number(),
  paused: v.boolean(),
  /** `lost`: Amazon refused the token (revoked, expired); the seller must authorize again. */
  auth: v.picklist(['ok', 'lost']),
  lastCheckedAt: v.nullable(v.number()),
  createdAt: v.number(),
});
export type StoreView = v.InferOutput<typeof StoreView>;

export const StoresResponse = v.object({ stores: v.array(StoreView) });
export type StoresResponse = v.InferOutput<typeof StoresResponse>;

/**
 * `storeId`: the store being re-authorized. Without it, a consent for a seller already connected in
 * the workspace is refused, so a consent cannot quietly replace another store's token.
 */
export const OAuthStartRequest = v.strictObject({ region: RegionSchema, storeId: v.optional(v.pipe(v.string(), v.regex(/^[0-9a-f-]{36}$/, 'a store id'))) });
export type OAuthStartRequest = v.InferOutput<typeof OAuthStartRequest>;

export const OAuthStartResponse = v.object({ url: v.string(), expiresAt: v.number() });
export type OAuthStartResponse = v.InferOutput<typeof OAuthStartResponse>;

/** The relay's own confirmation form, posted back to `POST /v1/oauth/callback`: the state and a CSRF token. */
export const OAuthConfirmForm = v.object({
  state: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  csrf: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'a form token')),
});

/** What Amazon puts on the redirect back to us after consent. */
export const OAuthCallbackQuery = v.object({
  state: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  selling_partner_id: v.pipe(v.string(), v.regex(/^[A-Z0-9]{5,40}$/, 'a selling partner id')),
  spapi_oauth_code: v.pipe(v.string(), v.minLength(1), v.maxLength(1000)),
});

/**
 * `POST /v1/stores/:id/merchant-ids`: a merchant id seen on a Seller Central page whose store was
 * certain, bare (the page writes it `mons_sel_mcid=amzn1.merchant.o.<id>`; the prefix is dropped).
 */
export const RecordMerchantIdRequest = v.strictObject({
  merchantId: v.pipe(
    v.string(),
    v.check((s) => !s.startsWith('amzn1.'), 'give the bare id, without the amzn1.merchant.o. prefix'),
    v.regex(/^[A-Z0-9]{8,20}$/, 'a merchant id is 8-20 capital letters and digits, e.g. A3EXAMPLE12345'),
  ),
});
export type RecordMerchantIdRequest = v.InferOutput<typeof RecordMerchantIdRequest>;
