-- Report jobs: the state of shared/report-job.ts per store poll or refresh. Saved with a
-- compare-and-set on `version`; `step_token` names the consumer that applied the last step, so
-- writes that ride along with a step (snapshots, events) happen only for the one that won.
CREATE TABLE report_jobs (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  store_id TEXT NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
  trigger TEXT NOT NULL CHECK (trigger IN ('schedule', 'refresh')),
  state TEXT NOT NULL,
  version INTEGER NOT NULL,
  step_token TEXT,
  data TEXT NOT NULL,
  error TEXT,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  updated_at INTEGER NOT NULL
);
CREATE INDEX report_jobs_by_store ON report_jobs (store_id, started_at);
-- At most one unfinished job per store: a refresh joins the running job instead of starting one.
CREATE UNIQUE INDEX report_jobs_one_active ON report_jobs (store_id) WHERE finished_at IS NULL;

-- LWA access tokens, encrypted like refresh tokens, reused until a minute before they expire.
CREATE TABLE access_tokens (
  store_id TEXT PRIMARY KEY REFERENCES stores (id) ON DELETE CASCADE,
  ciphertext TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);

-- Polling health of a store, for the "polling failing repeatedly" event.
ALTER TABLE stores ADD COLUMN poll_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stores ADD COLUMN last_poll_error TEXT;
