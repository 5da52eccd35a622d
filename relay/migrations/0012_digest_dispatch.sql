-- The daily digest at relay scale (issue 15): the cron only picks the channels whose digest may be
-- due and queues one message each; the digest consumer composes and sends.
--
-- The pick reads `coalesce(digest_next_at, 0) <= now` among the channels that want a digest
-- (working, and on - or on by default for WeCom robots), oldest first. NULL means "work it out at
-- the next look", so it sorts first as 0. An index on that expression, holding only those channels,
-- makes the pick one range search however many channels have the digest off.
DROP INDEX IF EXISTS channels_digest_due;
CREATE INDEX channels_digest_look ON channels (coalesce(digest_next_at, 0))
  WHERE state = 'ok' AND (digest_enabled = 1 OR (digest_enabled IS NULL AND type = 'wecom'));

-- A digest queued by the old in-cron sweep and not yet sent: its channel's next look pointed at the
-- next morning, since that sweep found open digests by themselves. Look at it at the next tick.
UPDATE channels SET digest_next_at = NULL
  WHERE id IN (SELECT channel_id FROM digests WHERE state IN ('pending', 'sending'));
