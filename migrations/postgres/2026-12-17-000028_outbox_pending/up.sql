-- The dispatcher claims the oldest due notices in id order (issue 25). Without this index it
-- read every waiting notice on each claim, so a deep outbox (a burst of filings) was drained
-- ever more slowly; here it walks only the notices still waiting, oldest first, and stops at
-- the batch. Sent and dead notices, the most of the table, are not in it. It holds each
-- notice's next attempt too, so notices waiting out a retry are passed over in the index alone.
CREATE INDEX outbox_pending ON outbox (id, next_attempt_at) WHERE status IN ('queued', 'sending');
