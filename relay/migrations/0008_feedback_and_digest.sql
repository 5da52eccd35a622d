-- Negative feedback order by order, and the daily digest (issue 13 items 5 and 6).
-- Times are epoch milliseconds.

-- Report jobs of two kinds: the account-health report and the feedback report, each at its own
-- cadence. A store may run one of each at once, never two of a kind.
ALTER TABLE report_jobs ADD COLUMN report_type TEXT NOT NULL DEFAULT 'performance' CHECK (report_type IN ('performance', 'feedback'));
DROP INDEX report_jobs_one_active;
CREATE UNIQUE INDEX report_jobs_one_active ON report_jobs (store_id, report_type) WHERE finished_at IS NULL;

-- When the store's feedback report is next due (relay/pipeline/schedule.ts); 0 = at the next tick.
ALTER TABLE stores ADD COLUMN next_feedback_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX stores_feedback_due ON stores (auth_state, paused, next_feedback_at);

-- Negative feedback already seen, per store and marketplace: a feedback is news only the first
-- time its order appears (relay/pipeline/feedback-writes.ts).
CREATE TABLE feedback_seen (
  store_id TEXT NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
  marketplace_id TEXT NOT NULL,
  order_id TEXT NOT NULL,
  rating INTEGER NOT NULL,
  feedback_date TEXT,
  seen_at INTEGER NOT NULL,
  PRIMARY KEY (store_id, marketplace_id, order_id)
);
-- Retention prunes rows long past the report's window.
CREATE INDEX feedback_seen_by_time ON feedback_seen (seen_at);

-- The last reading per marketplace: negative feedback inside the ODR window (the overview shows
-- it). A row also says "looked before": without one, a first document is learned, not announced.
CREATE TABLE feedback_counts (
  store_id TEXT NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
  workspace_id TEXT NOT NULL,
  marketplace_id TEXT NOT NULL,
  window_count INTEGER NOT NULL,
  window_days INTEGER NOT NULL,
  checked_at INTEGER NOT NULL,
  PRIMARY KEY (store_id, marketplace_id)
);
CREATE INDEX feedback_counts_by_workspace ON feedback_counts (workspace_id);

-- The daily digest of a channel. NULL settings mean the defaults (on for WeCom robots, 09:00, the
-- channel's own time zone); digest_last_day is the local day last sent; digest_next_at when the
-- sweep should look again (NULL: work it out at the next tick).
ALTER TABLE channels ADD COLUMN digest_enabled INTEGER CHECK (digest_enabled IN (0, 1));
ALTER TABLE channels ADD COLUMN digest_hour INTEGER CHECK (digest_hour BETWEEN 0 AND 23);
ALTER TABLE channels ADD COLUMN digest_time_zone TEXT;
ALTER TABLE channels ADD COLUMN digest_last_day TEXT;
ALTER TABLE channels ADD COLUMN digest_next_at INTEGER;
CREATE INDEX channels_digest_due ON channels (digest_next_at);

-- One digest per channel and local day: the primary key is the once-a-day guarantee, whatever
-- the ticks do. Its message is composed when it falls due and kept until sent.
CREATE TABLE digests (
  channel_id TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  day TEXT NOT NULL,
  workspace_id TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'dead')),
  message TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  claim_token TEXT,
  last_error TEXT,
  sent_at INTEGER,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (channel_id, day)
);
CREATE INDEX digests_open ON digests (state, next_attempt_at) WHERE state IN ('pending', 'sending');
