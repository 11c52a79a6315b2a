-- The dispatcher claims the oldest due notices in id order (issue 25). Without this index it
-- read every waiting notice on each claim, so a deep outbox (a burst of filings) was drained
-- ever more slowly; here it walks only the notices still waiting, oldest first, and stops at
-- the batch. Sent and dead notices, the most of the table, are not in it.
CREATE INDEX outbox_pending ON outbox (id) WHERE status IN ('queued', 'sending');
