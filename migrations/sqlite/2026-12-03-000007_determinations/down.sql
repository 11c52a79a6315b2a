-- Back to the earlier shape. A request or determination with no records cannot be written
-- in it: it is recorded as denied (its search description kept as the reason).
PRAGMA defer_foreign_keys = ON;

ALTER TABLE staff DROP COLUMN title;

CREATE TABLE determinations_old (
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
INSERT INTO determinations_old
SELECT id, request_id, stage,
       CASE outcome WHEN 'no_records' THEN 'denied' ELSE outcome END,
       decision, COALESCE(reason, search), partial, withheld, legal_basis, responsible,
       decided_by, decided_at
FROM determinations;
DROP TABLE determinations;
ALTER TABLE determinations_old RENAME TO determinations;
CREATE INDEX determinations_request ON determinations (request_id, id);
CREATE TRIGGER determinations_no_update BEFORE UPDATE ON determinations
BEGIN
    SELECT RAISE(ABORT, 'determinations are append-only');
END;
CREATE TRIGGER determinations_no_delete BEFORE DELETE ON determinations
BEGIN
    SELECT RAISE(ABORT, 'determinations are append-only');
END;

CREATE TABLE requests_old (
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
INSERT INTO requests_old
SELECT id, tracking_number, access_token_hash, kind,
       CASE status WHEN 'no_records' THEN 'denied' ELSE status END,
       version, requester_id, description,
       dataset_id, fields_needed, intended_use, preferred_format, queue, assignee_id, received_at,
       determination_due, extension_days, extension_circumstance, extension_reason, due_on,
       CASE WHEN status IN ('denied', 'no_records') THEN determined_by END,
       decision_final, appeal_deadline, appeal_grounds, appealed_at, reviewer_id,
       withdraw_reason, closed_at, audit_seq, audit_head, updated_at
FROM requests;
DROP TABLE requests;
ALTER TABLE requests_old RENAME TO requests;
CREATE INDEX requests_queue_status_due ON requests (queue, status, due_on, id);
CREATE INDEX requests_status_due ON requests (status, due_on, id);
CREATE INDEX requests_assignee_status_due ON requests (assignee_id, status, due_on, id);
CREATE INDEX requests_received_at ON requests (received_at);
