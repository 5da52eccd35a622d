-- Teams on fingerprint browsers (issue 12): Amazon's own store identity, merchant ids learned from
-- Seller Central addresses, enrolment codes that pair many browser profiles as one member, and
-- when each device (API token) was last seen. Times are epoch milliseconds.

-- What the Sellers API says per marketplace (getMarketplaceParticipations: `storeName` and
-- `participation.hasSuspendedListings`); NULL until the store is next connected or re-authorized.
ALTER TABLE store_marketplaces ADD COLUMN store_name TEXT;
ALTER TABLE store_marketplaces ADD COLUMN has_suspended_listings INTEGER CHECK (has_suspended_listings IN (0, 1));

-- Merchant ids (`mons_sel_mcid=amzn1.merchant.o.<id>` on Seller Central addresses) that name a
-- store: the selling partner id of an OAuth-connected store, and ids recorded from pages whose
-- store was certain. One store per merchant id and region in a workspace.
CREATE TABLE store_merchant_ids (
  workspace_id TEXT NOT NULL,
  region TEXT NOT NULL CHECK (region IN ('na', 'eu', 'fe')),
  merchant_id TEXT NOT NULL,
  store_id TEXT NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
  source TEXT NOT NULL CHECK (source IN ('oauth', 'page')),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, region, merchant_id)
);
CREATE INDEX store_merchant_ids_by_store ON store_merchant_ids (store_id);

-- Enrolment codes: `devices` pairings at most (`uses` so far), each adding a token to `member_id`.
-- A code for a new member carries the id it will create (so two profiles pairing at once join
-- one member) and `new_member` = 1; `member_name` names that member. Old rows (NULL member_id)
-- keep the single-use, new-member behaviour. `attempts` now counts refused presentations only.
ALTER TABLE invites ADD COLUMN devices INTEGER NOT NULL DEFAULT 1 CHECK (devices BETWEEN 1 AND 200);
ALTER TABLE invites ADD COLUMN uses INTEGER NOT NULL DEFAULT 0;
ALTER TABLE invites ADD COLUMN member_id TEXT;
ALTER TABLE invites ADD COLUMN new_member INTEGER NOT NULL DEFAULT 1 CHECK (new_member IN (0, 1));
ALTER TABLE invites ADD COLUMN member_name TEXT;

-- When a device last called the relay, written at most once per few minutes per token.
ALTER TABLE api_tokens ADD COLUMN last_seen_at INTEGER;
