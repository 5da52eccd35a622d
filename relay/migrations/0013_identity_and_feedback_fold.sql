-- Amazon's store identity kept current, and one message per negative feedback.
-- Times are epoch milliseconds.

-- When the store's Sellers API answer (store names, marketplaces, suspended listings) is next read
-- again (relay/pipeline/identity.ts): once a day on the store's phase; 0 = at the next tick.
ALTER TABLE stores ADD COLUMN next_identity_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX stores_identity_due ON stores (auth_state, paused, next_identity_at);
-- Stores from before: the first re-read at their phase within the next day, not all in one tick.
UPDATE stores SET next_identity_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000
  + (((poll_phase - CAST(strftime('%s', 'now') AS INTEGER) * 1000) % 86400000) + 86400000) % 86400000;

-- Negative feedback heard from two sides (shared/alerts/feedback-fold.ts): an `order` row is a
-- per-order `negative_feedback` alert, a `count` row an `odr_defects_rose` alert for the ODR's
-- negativeFeedback count (units = how much it rose). `open` is what the other side has not matched
-- yet; `alerted` = 1 once the row's own event sent a message (what it matches then stays silent);
-- `hold_until` is set while a count rise waits for the feedback report to name the order. No
-- foreign key: an alert decided for a store deleted meanwhile must not fail; retention prunes rows.
CREATE TABLE feedback_folds (
  event_key TEXT PRIMARY KEY,
  store_id TEXT NOT NULL,
  marketplace_id TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('order', 'count')),
  open INTEGER NOT NULL CHECK (open >= 0),
  alerted INTEGER NOT NULL CHECK (alerted IN (0, 1)),
  hold_until INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX feedback_folds_open ON feedback_folds (store_id, marketplace_id, source, created_at) WHERE open > 0;
CREATE INDEX feedback_folds_by_time ON feedback_folds (created_at);
