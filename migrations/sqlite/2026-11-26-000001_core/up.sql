-- The core workflow: staff, requests, determinations, messages, the audit chain, the outbox.
-- Booleans are INTEGER 0/1 and ids BIGINT so one diesel schema serves SQLite and PostgreSQL.

CREATE TABLE staff (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('clerk', 'steward', 'reviewer', 'admin')),
    department TEXT,
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE staff_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    staff_id BIGINT NOT NULL REFERENCES staff (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

CREATE TABLE datasets (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    steward_email TEXT,
    department TEXT,
    access_level TEXT NOT NULL DEFAULT 'public',
    withdrawn INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE counters (
    name TEXT PRIMARY KEY NOT NULL,
    value BIGINT NOT NULL
);

CREATE TABLE requesters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    organization TEXT,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tracking_number TEXT NOT NULL UNIQUE,
    access_token_hash TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('public_records', 'dataset_access', 'api_access')),
    status TEXT NOT NULL CHECK (status IN ('submitted', 'under_review', 'granted', 'denied',
                                           'appealed', 'administrative_review', 'withdrawn')),
    version INTEGER NOT NULL,
    requester_id BIGINT NOT NULL REFERENCES requesters (id),
    description TEXT NOT NULL,
    dataset_id TEXT REFERENCES datasets (id),
    fields_needed TEXT,
    intended_use TEXT,
    preferred_format TEXT,
    queue TEXT NOT NULL,
    assignee_id BIGINT REFERENCES staff (id),
    received_at TIMESTAMP NOT NULL,
    determination_due DATE NOT NULL,
    extension_days INTEGER,
    extension_circumstance TEXT,
    extension_reason TEXT,
    due_on DATE NOT NULL,
    denied_by BIGINT REFERENCES staff (id),
    denial_final INTEGER NOT NULL DEFAULT 0 CHECK (denial_final IN (0, 1)),
    appeal_deadline DATE,
    appeal_grounds TEXT,
    appealed_at TIMESTAMP,
    reviewer_id BIGINT REFERENCES staff (id),
    withdraw_reason TEXT,
    closed_at TIMESTAMP,
    audit_seq BIGINT NOT NULL DEFAULT 0,
    audit_head TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- The queue page: filter by queue and status, sort by due date, page by (due_on, id).
CREATE INDEX requests_queue_status_due ON requests (queue, status, due_on, id);
CREATE INDEX requests_status_due ON requests (status, due_on, id);
CREATE INDEX requests_assignee_status_due ON requests (assignee_id, status, due_on, id);

CREATE TABLE determinations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    stage TEXT NOT NULL CHECK (stage IN ('initial', 'review')),
    outcome TEXT NOT NULL CHECK (outcome IN ('granted', 'denied')),
    decision TEXT,
    reason TEXT,
    partial INTEGER NOT NULL DEFAULT 0 CHECK (partial IN (0, 1)),
    withheld TEXT,
    legal_basis TEXT NOT NULL,
    responsible TEXT NOT NULL,
    decided_by BIGINT NOT NULL REFERENCES staff (id),
    decided_at TIMESTAMP NOT NULL
);
CREATE INDEX determinations_request ON determinations (request_id, id);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    author TEXT NOT NULL CHECK (author IN ('requester', 'staff')),
    staff_id BIGINT REFERENCES staff (id),
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX messages_request ON messages (request_id, id);

CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    seq BIGINT NOT NULL,
    at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    content TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (request_id, seq)
);

-- The audit log is append-only.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id BIGINT REFERENCES requests (id),
    notice TEXT NOT NULL,
    recipient TEXT NOT NULL,
    audience TEXT NOT NULL CHECK (audience IN ('requester', 'staff')),
    payload TEXT NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id);
CREATE INDEX outbox_request ON outbox (request_id, id);

CREATE TABLE idempotency_keys (
    key TEXT PRIMARY KEY NOT NULL,
    fingerprint TEXT NOT NULL,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    created_at TIMESTAMP NOT NULL
);
