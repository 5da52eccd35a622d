-- When the sweep should next look at an open alert for a reminder (relay/alerts/sweep.ts). Without
-- it the sweep read the oldest open alerts first every time, and 200 that were not due (a workspace
-- with reminders off, or a daily reminder sent an hour ago) hid every other alert behind them.
ALTER TABLE alerts ADD COLUMN remind_check_at INTEGER NOT NULL DEFAULT 0;
DROP INDEX alerts_open_reminders;
CREATE INDEX alerts_reminder_checks ON alerts (remind_check_at)
  WHERE remind = 1 AND acknowledged_at IS NULL AND resolved_at IS NULL;
