-- Team safety (issue 14, findings 4, 6, 8, 11).

-- One-time facts about this relay's own data, e.g. that every channel secret is bound to its
-- channel (relay/crypto/key-check.ts): once recorded, the older unbound forms are refused for good.
CREATE TABLE relay_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

-- WeChat callback nonces seen within the signature window: the same timestamp + nonce with another
-- body is a replay (relay/routes/wechat.ts). body_hash is SHA-256 of the raw body.
CREATE TABLE wechat_nonces (
  timestamp TEXT NOT NULL,
  nonce TEXT NOT NULL,
  body_hash TEXT NOT NULL,
  seen_at INTEGER NOT NULL,
  PRIMARY KEY (timestamp, nonce)
);
CREATE INDEX wechat_nonces_by_seen ON wechat_nonces (seen_at);

-- A scanned QR code binds nothing until the member confirms it in options: the binding stays
-- 'pending' and keeps who scanned (sealed openid, its hash and masked form) until then.
ALTER TABLE oa_bindings ADD COLUMN scanned_openid TEXT;
ALTER TABLE oa_bindings ADD COLUMN scanned_hint TEXT;
ALTER TABLE oa_bindings ADD COLUMN scanned_openid_hash TEXT;
ALTER TABLE oa_bindings ADD COLUMN scanned_at INTEGER;

-- "Connect with Amazon" consent bound to the browser that started it (a cookie holds a secret whose
-- SHA-256 is browser_hash) and to the store being re-authorized, if any.
ALTER TABLE oauth_states ADD COLUMN browser_hash TEXT;
ALTER TABLE oauth_states ADD COLUMN store_id TEXT;
-- Between Amazon's redirect and the person's confirmation: the authorization code (sealed, cleared
-- when used) and the selling partner id Amazon named, so the confirmation form carries neither.
ALTER TABLE oauth_states ADD COLUMN pending_code TEXT;
ALTER TABLE oauth_states ADD COLUMN pending_seller TEXT;
