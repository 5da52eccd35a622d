-- Staying inside the limits (issue 14).

-- A channel test goes through the channel's lease and spacing, and at most once a minute:
-- the time of the last one (relay/alerts/channel-test.ts).
ALTER TABLE channels ADD COLUMN last_test_at INTEGER;
CREATE INDEX channels_by_member ON channels (workspace_id, member_id);

-- A pasted refresh token recognised when it is pasted again: the SHA-256 of workspace id and token
-- (relay/stores/connect-store.ts). NULL for stores added before this migration.
ALTER TABLE stores ADD COLUMN refresh_token_fingerprint TEXT;
CREATE UNIQUE INDEX stores_token_fingerprint ON stores (workspace_id, refresh_token_fingerprint);

-- What the retention pass deletes by age (relay/retention.ts).
CREATE INDEX rate_limits_by_window ON rate_limits (window_start);
CREATE INDEX invites_by_expiry ON invites (expires_at);
CREATE INDEX oauth_states_by_expiry ON oauth_states (expires_at);
CREATE INDEX alerts_by_created ON alerts (created_at);
CREATE INDEX deliveries_settled ON deliveries (created_at) WHERE state IN ('sent', 'dead');
CREATE INDEX api_tokens_revoked ON api_tokens (revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX members_revoked ON members (revoked_at) WHERE revoked_at IS NOT NULL;
