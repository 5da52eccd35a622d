-- The polling pipeline (issue 4, relay/pipeline/). Times are epoch milliseconds.

-- Report jobs: the state of shared/report-job.ts, one row per store poll or refresh. `data` is the
-- whole job as JSON (per-marketplace progress, attempts, polls); the columns beside it are what
-- queries need. Every step is saved with a compare-and-set on `version`; `step_token` names the
-- consumer whose save won, so the writes that ride along with a step (snapshots, events, the
-- store's status) happen for that one only.
CREATE TABLE report_jobs (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  store_id TEXT NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
  trigger TEXT NOT NULL CHECK (trigger IN ('schedule', 'refresh')),
  state TEXT NOT NULL CHECK (state IN ('queued', 'requesting', 'waiting', 'downloading', 'done', 'failed')),
  version INTEGER NOT NULL,
  step_token TEXT,
  data TEXT NOT NULL,
  error TEXT,
  -- When the next step may run; the cron re-sends the message of a job whose step is long overdue.
  not_before INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  updated_at INTEGER NOT NULL
);
-- The newest job of a store (refresh joins it or answers with it).
CREATE INDEX report_jobs_by_store ON report_jobs (store_id, started_at);
-- At most one unfinished job per store: a refresh or a second cron message joins the running job.
CREATE UNIQUE INDEX report_jobs_one_active ON report_jobs (store_id) WHERE finished_at IS NULL;
-- The cron's look for stalled jobs (a lost queue message) reads only unfinished ones.
CREATE INDEX report_jobs_overdue ON report_jobs (not_before) WHERE finished_at IS NULL;
-- Pruning old jobs (written once, at insert: started_at never changes).
CREATE INDEX report_jobs_by_start ON report_jobs (started_at);

-- LWA access tokens, sealed like refresh tokens, reused until a minute before they expire.
CREATE TABLE access_tokens (
  store_id TEXT PRIMARY KEY REFERENCES stores (id) ON DELETE CASCADE,
  ciphertext TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);

-- Polling health of a store: failed polls in a row (for the "polling failing" event) and the last reason.
ALTER TABLE stores ADD COLUMN poll_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stores ADD COLUMN last_poll_error TEXT;

-- History retention prunes by age (relay/pipeline/retention.ts); the subject index cannot serve that.
CREATE INDEX snapshots_by_time ON snapshots (taken_at);
