-- Determinations as the CPRA requires them (docs/PRODUCT.md, "Determinations"): a no-records
-- answer, production after a grant, the persons responsible and the withheld items of a
-- determination, final review decisions, and due dates that keep how they were counted.
--
-- SQLite cannot change a CHECK constraint in place, so `requests` and `determinations` are
-- rebuilt. The rows that refer to a request are left alone: the foreign keys are checked
-- once, at commit, when `requests` exists again with every id it had.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE requests_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tracking_number TEXT NOT NULL UNIQUE,
    access_token_hash TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('public_records', 'dataset_access', 'api_access')),
    status TEXT NOT NULL CHECK (status IN ('submitted', 'under_review', 'granted', 'denied',
                                           'no_records', 'appealed', 'administrative_review',
                                           'withdrawn')),
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
    -- Who made the determination now standing, and the staff named responsible for it: none
    -- of them may review its appeal.
    determined_by BIGINT REFERENCES staff (id),
    decision_final INTEGER NOT NULL DEFAULT 0 CHECK (decision_final IN (0, 1)),
    appeal_deadline DATE,
    appeal_grounds TEXT,
    appealed_at TIMESTAMP,
    reviewer_id BIGINT REFERENCES staff (id),
    withdraw_reason TEXT,
    closed_at TIMESTAMP,
    audit_seq BIGINT NOT NULL DEFAULT 0,
    audit_head TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    -- A grant in part: something is withheld, so it may be appealed.
    partial INTEGER NOT NULL DEFAULT 0 CHECK (partial IN (0, 1)),
    -- Staff ids, comma-separated.
    responsible_ids TEXT NOT NULL DEFAULT '',
    -- A grant's estimated availability (Gov. Code §7922.535(a)), and when the records were
    -- produced; a grant stays in the queue until then.
    records_due_at TIMESTAMP,
    produced_at TIMESTAMP,
    -- How often a produced grant went back to production.
    reopened INTEGER NOT NULL DEFAULT 0,
    -- How each due date was counted, as a JSON list.
    due_reckoning TEXT NOT NULL DEFAULT '[]'
);

INSERT INTO requests_new (
    id, tracking_number, access_token_hash, kind, status, version, requester_id, description,
    dataset_id, fields_needed, intended_use, preferred_format, queue, assignee_id, received_at,
    determination_due, extension_days, extension_circumstance, extension_reason, due_on,
    determined_by, decision_final, appeal_deadline, appeal_grounds, appealed_at, reviewer_id,
    withdraw_reason, closed_at, audit_seq, audit_head, updated_at, produced_at)
SELECT
    id, tracking_number, access_token_hash, kind, status, version, requester_id, description,
    dataset_id, fields_needed, intended_use, preferred_format, queue, assignee_id, received_at,
    determination_due, extension_days, extension_circumstance, extension_reason, due_on,
    denied_by, denial_final, appeal_deadline, appeal_grounds, appealed_at, reviewer_id,
    withdraw_reason, closed_at, audit_seq, audit_head, updated_at,
    -- A grant made before production was tracked is taken as produced when it was made.
    CASE WHEN status = 'granted' THEN closed_at END
FROM requests;

DROP TABLE requests;
ALTER TABLE requests_new RENAME TO requests;

CREATE INDEX requests_queue_status_due ON requests (queue, status, due_on, id);
CREATE INDEX requests_status_due ON requests (status, due_on, id);
CREATE INDEX requests_assignee_status_due ON requests (assignee_id, status, due_on, id);
CREATE INDEX requests_received_at ON requests (received_at);
-- Grants awaiting production, for the queue and the reminders: the produced ones, most
-- grants, are not in these at all.
CREATE INDEX requests_in_production ON requests (queue, due_on, id)
    WHERE status = 'granted' AND produced_at IS NULL;
CREATE INDEX requests_in_production_due ON requests (due_on, id)
    WHERE status = 'granted' AND produced_at IS NULL;

CREATE TABLE determinations_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    stage TEXT NOT NULL CHECK (stage IN ('initial', 'review')),
    outcome TEXT NOT NULL CHECK (outcome IN ('granted', 'denied', 'no_records')),
    decision TEXT,
    reason TEXT,
    partial INTEGER NOT NULL DEFAULT 0 CHECK (partial IN (0, 1)),
    withheld TEXT,
    legal_basis TEXT NOT NULL,
    responsible TEXT NOT NULL,
    decided_by BIGINT NOT NULL REFERENCES staff (id),
    decided_at TIMESTAMP NOT NULL,
    -- Each withheld item with its exemption and reason, as a JSON list.
    withheld_items TEXT NOT NULL DEFAULT '[]',
    -- A denial in full: why no reasonably segregable portion can be released (§7922.525).
    segregability TEXT,
    -- A no-records answer: how and where the search was made.
    search TEXT,
    records_due_at TIMESTAMP,
    -- A review decision: upheld, overturned or revised.
    review TEXT CHECK (review IN ('upheld', 'overturned', 'revised'))
);
INSERT INTO determinations_new (id, request_id, stage, outcome, decision, reason, partial,
                                withheld, legal_basis, responsible, decided_by, decided_at)
SELECT id, request_id, stage, outcome, decision, reason, partial,
       withheld, legal_basis, responsible, decided_by, decided_at
FROM determinations;
DROP TABLE determinations;
ALTER TABLE determinations_new RENAME TO determinations;
CREATE INDEX determinations_request ON determinations (request_id, id);
CREATE TRIGGER determinations_no_update BEFORE UPDATE ON determinations
BEGIN
    SELECT RAISE(ABORT, 'determinations are append-only');
END;
CREATE TRIGGER determinations_no_delete BEFORE DELETE ON determinations
BEGIN
    SELECT RAISE(ABORT, 'determinations are append-only');
END;

-- Staff titles, for the persons responsible named in letters (Gov. Code §7922.540(b)).
ALTER TABLE staff ADD COLUMN title TEXT;
