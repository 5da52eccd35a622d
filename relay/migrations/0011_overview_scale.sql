-- 500 stores in a workspace, 5,000 on a relay (issue 15): a compact overview served from fragments
-- made once per snapshot, a change cursor for delta sync, and a stable per-store poll offset.

-- The marketplace's compact overview entry (shared/overview-summary.ts), written with the snapshot,
-- so GET /v1/overview never parses full evaluations. NULL for rows written before this migration:
-- the overview then makes it from the evaluation.
ALTER TABLE snapshots ADD COLUMN summary TEXT;

-- Every change the overview shows takes the workspace's next number and stamps the store with it
-- (relay/db/overview-changes.ts); `GET /v1/overview?since=N` lists the stores stamped after N.
ALTER TABLE workspaces ADD COLUMN overview_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stores ADD COLUMN overview_seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX stores_by_overview_seq ON stores (workspace_id, overview_seq);

-- Deleted stores, so a delta can say which to drop; stamped from the same sequence.
CREATE TABLE store_removals (
  workspace_id TEXT NOT NULL,
  store_id TEXT NOT NULL,
  overview_seq INTEGER NOT NULL,
  removed_at INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, store_id)
);
CREATE INDEX store_removals_by_seq ON store_removals (workspace_id, overview_seq);

-- Each store's stable point in the day (shared/poll-plan.ts pollPhase, set when the store is added):
-- its polls fall on it modulo the interval, spread over the interval instead of all at one time.
-- Stores from before get a random one, which is as good and as stable once written.
ALTER TABLE stores ADD COLUMN poll_phase INTEGER NOT NULL DEFAULT 0;
UPDATE stores SET poll_phase = abs(random() % 86400000);
