-- Mail received at the reply and bounce addresses (docs/PRODUCT.md, "Replies by email"). Each
-- message is kept whole in the file store (by the SHA-256 of its raw bytes) and once only: a
-- message given again under the same Message-ID is the one already kept. A reply filed to
-- its request becomes a message there; any other waits for staff as unmatched mail, which
-- staff attach to a request or discard. What happened to each is also an event in the mail
-- chain (mail_events), which `audit verify` checks like a request's chain.
CREATE TABLE inbound_mail (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The Message-ID header, or the raw message's SHA-256 when it has none.
    message_key TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    from_address TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    -- What the sender wrote, quoted text trimmed.
    body TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('filed', 'unmatched', 'attached', 'discarded', 'bounce')),
    -- Why it was not filed, or why staff discarded it.
    reason TEXT,
    request_id BIGINT REFERENCES requests (id),
    -- The requester's message it became, filed or attached.
    message_id BIGINT REFERENCES messages (id),
    decided_by BIGINT REFERENCES staff (id),
    decided_at TIMESTAMP
);
CREATE INDEX inbound_mail_by_state ON inbound_mail (state, id);
CREATE INDEX inbound_mail_by_request ON inbound_mail (request_id);

-- Only an unmatched message changes, once, by a staff decision; none is ever removed.
CREATE TRIGGER inbound_mail_decided BEFORE UPDATE ON inbound_mail
WHEN OLD.state <> 'unmatched' OR NEW.state NOT IN ('attached', 'discarded')
    OR NEW.message_key <> OLD.message_key OR NEW.sha256 <> OLD.sha256 OR NEW.body <> OLD.body
BEGIN
    SELECT RAISE(ABORT, 'received mail is changed only by a staff decision on unmatched mail');
END;
CREATE TRIGGER inbound_mail_no_delete BEFORE DELETE ON inbound_mail
BEGIN
    SELECT RAISE(ABORT, 'received mail is never removed');
END;

CREATE TABLE mail_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    seq BIGINT NOT NULL UNIQUE,
    at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    content TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER mail_events_no_update BEFORE UPDATE ON mail_events
BEGIN
    SELECT RAISE(ABORT, 'the mail chain is append-only');
END;
CREATE TRIGGER mail_events_no_delete BEFORE DELETE ON mail_events
BEGIN
    SELECT RAISE(ABORT, 'the mail chain is append-only');
END;

-- Bounces: a notice whose delivery failed, as a delivery status notification to its own
-- return path told; a requester's address that failed for good is flagged, and their letters
-- go by post or stay on the tracking page.
ALTER TABLE outbox ADD COLUMN bounce TEXT;
ALTER TABLE requesters ADD COLUMN email_bounced_at TIMESTAMP;
