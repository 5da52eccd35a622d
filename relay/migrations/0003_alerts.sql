-- Alerts (issue 5): rules, member preferences, channels, Official Account binding, alerts and the
-- delivery outbox. Times are epoch milliseconds. Rows of other owners' tables (workspaces, members,
-- stores, events) are referred to by id without foreign keys, so this file does not depend on
-- their shape or order.

-- One JSON document of rules per workspace (shared/alerts/rules.ts AlertRules), versioned so two
-- owners editing at once cannot overwrite each other (PUT /v1/rules sends the version it read).
CREATE TABLE alert_rules (
  workspace_id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  rules TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by TEXT
);

-- A member's quiet hours, time zone, language, followed stores and channels (MemberPrefs JSON).
CREATE TABLE member_prefs (
  member_id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  prefs TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

-- Where messages go. member_id NULL = a team channel (a WeCom group robot); otherwise the
-- member's own (Official Account binding, ServerChan, PushPlus). The secret (robot key, SendKey,
-- token, openid) is AES-GCM encrypted; only a masked hint is ever shown. lease_* is the
-- per-channel send lease: one sender per channel at a time, so one batch per message.
CREATE TABLE channels (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  member_id TEXT,
  type TEXT NOT NULL CHECK (type IN ('wecom', 'oa', 'serverchan', 'pushplus')),
  name TEXT NOT NULL,
  secret TEXT NOT NULL,
  secret_hint TEXT NOT NULL,
  language TEXT NOT NULL DEFAULT 'zh-CN',
  time_zone TEXT NOT NULL DEFAULT 'Asia/Shanghai',
  state TEXT NOT NULL DEFAULT 'ok' CHECK (state IN ('ok', 'broken')),
  broken_reason TEXT,
  broken_at INTEGER,
  next_send_at INTEGER NOT NULL DEFAULT 0,
  lease_token TEXT,
  lease_until INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX channels_by_workspace ON channels (workspace_id);

-- One Official Account binding per member: the QR scene they were shown, then their openid
-- (kept encrypted in the channel's secret; openid_hash, a SHA-256, finds it on unsubscribe).
CREATE TABLE oa_bindings (
  member_id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  scene TEXT NOT NULL UNIQUE,
  scene_expires_at INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'bound', 'disabled')),
  openid_hash TEXT,
  channel_id TEXT,
  updated_at INTEGER NOT NULL
);
CREATE INDEX oa_bindings_by_openid ON oa_bindings (openid_hash);

-- WeChat retries a callback up to 3 times: FromUserName + CreateTime identifies one event.
CREATE TABLE wechat_callbacks_seen (
  from_user TEXT NOT NULL,
  create_time TEXT NOT NULL,
  seen_at INTEGER NOT NULL,
  PRIMARY KEY (from_user, create_time)
);

-- The Official Account's stable access token, cached centrally: fetching another one invalidates
-- the previous after 5 minutes, so every Worker instance must share this one
-- (docs/domain/wechat.md).
CREATE TABLE oa_tokens (
  app_id TEXT PRIMARY KEY,
  access_token TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  fetched_at INTEGER NOT NULL
);

-- Which events the fan-out has decided (alert or not), so the sweeper re-finds only the rest.
CREATE TABLE alert_fanouts (
  event_key TEXT PRIMARY KEY,
  alerted INTEGER NOT NULL,
  decided_at INTEGER NOT NULL
);

-- Events that passed the rules. event_key UNIQUE: a replayed fan-out creates nothing twice.
CREATE TABLE alerts (
  id INTEGER PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  store_id TEXT NOT NULL,
  marketplace_id TEXT,
  event_key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  severity TEXT NOT NULL,
  category TEXT NOT NULL CHECK (category IN ('problem', 'recovery')),
  metric TEXT,
  from_value TEXT,
  to_value TEXT,
  payload TEXT NOT NULL,
  remind INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  acknowledged_at INTEGER,
  acknowledged_by TEXT,
  resolved_at INTEGER,
  last_reminded_at INTEGER
);
CREATE INDEX alerts_feed ON alerts (workspace_id, id);
CREATE INDEX alerts_subject ON alerts (store_id, marketplace_id, metric, kind);
CREATE INDEX alerts_open_reminders ON alerts (created_at)
  WHERE remind = 1 AND acknowledged_at IS NULL AND resolved_at IS NULL;

-- The outbox: one row per alert x channel (x reminder number). dedupe_key UNIQUE makes every
-- insert replay-safe; state/claim_* drive shared/alerts/outbox.ts; message_key is the id of the
-- message a row went out in (the Official Account's client_msg_id).
CREATE TABLE deliveries (
  id INTEGER PRIMARY KEY,
  alert_id INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  channel_id TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  purpose TEXT NOT NULL DEFAULT 'alert' CHECK (purpose IN ('alert', 'reminder')),
  dedupe_key TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  claim_token TEXT,
  claimed_at INTEGER,
  message_key TEXT,
  last_error TEXT,
  sent_at INTEGER,
  message_id TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX deliveries_by_channel ON deliveries (channel_id, state, next_attempt_at);
CREATE INDEX deliveries_by_alert ON deliveries (alert_id);
CREATE INDEX deliveries_open ON deliveries (state, next_attempt_at) WHERE state IN ('pending', 'failed', 'sending');
