-- Reminders already sent, so each is sent once per due date (a new due date may remind again).
CREATE TABLE reminders (
    request_id BIGINT NOT NULL REFERENCES requests (id),
    kind TEXT NOT NULL CHECK (kind IN ('due_soon', 'overdue')),
    due_on DATE NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (request_id, kind, due_on)
);

-- The dispatcher claims the oldest due notice per recipient of each request.
CREATE INDEX outbox_request_recipient ON outbox (request_id, recipient, id);
