-- The relay's core schema (issue 3): tenancy, auth, stores and their health data. Times are epoch
-- milliseconds (INTEGER), ids are TEXT. Every row carries workspace_id so every query can be scoped
-- by it; D1 enforces foreign keys, so deleting a store or workspace cascades to what hangs off it.

-- A tenant: the boundary no request may cross.
CREATE TABLE workspaces (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- A person (or device) in a workspace; revoked members keep their row for the alert history.
CREATE TABLE members (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('owner', 'member')),
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX members_by_workspace ON members (workspace_id);

-- Bearer tokens: only the SHA-256 of the token is kept; the token is shown once.
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  device TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX api_tokens_by_member ON api_tokens (member_id);

-- Pairing codes: SHA-256 of the code, single use, short-lived; attempts counts presentations.
CREATE TABLE invites (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  created_by TEXT NOT NULL,
  code_hash TEXT NOT NULL UNIQUE,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  used_by TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);

-- "Connect with Amazon" state: SHA-256 of the state, single use, expiring, bound to a member.
CREATE TABLE oauth_states (
  state_hash TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  region TEXT NOT NULL CHECK (region IN ('na', 'eu', 'fe')),
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  created_at INTEGER NOT NULL
);

-- A seller account in one region. The refresh token is AES-GCM ciphertext (relay/crypto/secrets.ts)
-- bound to workspace + store; key_id names the key so keys can rotate.
CREATE TABLE stores (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  region TEXT NOT NULL CHECK (region IN ('na', 'eu', 'fe')),
  seller_id TEXT,
  refresh_token_ciphertext TEXT NOT NULL,
  refresh_token_iv TEXT NOT NULL,
  refresh_token_key_id TEXT NOT NULL,
  poll_interval_minutes INTEGER NOT NULL DEFAULT 60 CHECK (poll_interval_minutes BETWEEN 15 AND 1440),
  paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
  auth_state TEXT NOT NULL DEFAULT 'ok' CHECK (auth_state IN ('ok', 'lost')),
  auth_error TEXT,
  last_checked_at INTEGER,
  next_poll_at INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX stores_by_workspace ON stores (workspace_id);
-- The cron tick's question: which authorized, unpaused stores are due (relay/pipeline/schedule.ts).
CREATE INDEX stores_due ON stores (auth_state, paused, next_poll_at);
-- One store per seller and region in a workspace (NULL seller ids - pasted tokens - do not collide).
CREATE UNIQUE INDEX stores_seller ON stores (workspace_id, region, seller_id);

-- The retail marketplaces a store participates in (Sellers API, filtered to the known table).
CREATE TABLE store_marketplaces (
  store_id TEXT NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
  workspace_id TEXT NOT NULL,
  marketplace_id TEXT NOT NULL,
  country_code TEXT NOT NULL,
  PRIMARY KEY (store_id, marketplace_id)
);
CREATE INDEX store_marketplaces_by_workspace ON store_marketplaces (workspace_id);

-- One report's reading of one marketplace: the parsed content (MarketplaceSnapshot) and its
-- evaluation (MarketplaceEvaluation), as JSON. Written by the pipeline only when the content changed;
-- read by GET /v1/overview (newest per store/marketplace) and GET /v1/stores/:id/history.
CREATE TABLE snapshots (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  store_id TEXT NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
  marketplace_id TEXT NOT NULL,
  taken_at INTEGER NOT NULL,
  fetched_at INTEGER NOT NULL,
  content TEXT NOT NULL,
  evaluation TEXT NOT NULL
);
-- One reading per store/marketplace/instant: a replayed write conflicts and is dropped. Also the
-- index behind "newest per marketplace" and history ranges.
CREATE UNIQUE INDEX snapshots_by_subject ON snapshots (store_id, marketplace_id, taken_at);

-- Health events derived by diff (shared/diff.ts); key makes a replayed step write nothing new.
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  store_id TEXT NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
  key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  severity TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX events_by_created ON events (created_at);
CREATE INDEX events_by_store ON events (store_id, created_at);

-- Fixed-window counters for setup and pairing (relay/db/rate-limits.ts).
CREATE TABLE rate_limits (
  bucket TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (bucket, window_start)
);
