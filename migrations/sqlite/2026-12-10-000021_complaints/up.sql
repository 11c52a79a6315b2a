-- Complaints (docs/PRODUCT.md, "Complaints"): a kind of its own with its own states, and what
-- only a complaint carries. Its subject, place and day are the complainant's; how it closed
-- (the agency it went to, what was found and done or why it was dismissed) is the department's.
--
-- SQLite cannot change a CHECK constraint in place, so `requests` is rebuilt as the duplicates
-- migration rebuilt it (with the columns and indexes added since): the rows that refer to a
-- request are left alone, and the foreign keys are checked once, at commit.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE requests_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tracking_number TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('public_records', 'dataset_access', 'api_access',
                                       'complaint')),
    status TEXT NOT NULL CHECK (status IN ('submitted', 'under_review', 'granted', 'denied',
                                           'no_records', 'appealed', 'administrative_review',
                                           'withdrawn', 'duplicate',
                                           'received', 'investigating', 'resolved',
                                           'referred', 'dismissed')),
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
    due_reckoning TEXT NOT NULL DEFAULT '[]',
    -- Staff asked the requester to clarify and wait for their answer (a marker).
    awaiting_requester_since TIMESTAMP,
    -- How the request reached the office.
    channel TEXT NOT NULL DEFAULT 'web'
        CHECK (channel IN ('web', 'email', 'mail', 'phone', 'fax', 'in_person')),
    -- Closed as a duplicate: the request it repeats.
    duplicate_of TEXT REFERENCES requests_new (tracking_number),
    -- A follow-up request: the earlier one whose clarification made it.
    follows TEXT REFERENCES requests_new (tracking_number),
    -- A complaint: what it is about, where and when, as the complainant gave them.
    subject TEXT,
    location TEXT,
    occurred_on DATE,
    -- A complaint closed: the agency it was referred to; what was found and done, or why it
    -- was dismissed.
    referred_to TEXT,
    closing_note TEXT
);

INSERT INTO requests_new (
    id, tracking_number, kind, status, version, requester_id, description,
    dataset_id, fields_needed, intended_use, preferred_format, queue, assignee_id, received_at,
    determination_due, extension_days, extension_circumstance, extension_reason, due_on,
    determined_by, decision_final, appeal_deadline, appeal_grounds, appealed_at, reviewer_id,
    withdraw_reason, closed_at, audit_seq, audit_head, updated_at, partial, responsible_ids,
    records_due_at, produced_at, reopened, due_reckoning, awaiting_requester_since, channel, duplicate_of, follows)
SELECT
    id, tracking_number, kind, status, version, requester_id, description,
    dataset_id, fields_needed, intended_use, preferred_format, queue, assignee_id, received_at,
    determination_due, extension_days, extension_circumstance, extension_reason, due_on,
    determined_by, decision_final, appeal_deadline, appeal_grounds, appealed_at, reviewer_id,
    withdraw_reason, closed_at, audit_seq, audit_head, updated_at, partial, responsible_ids,
    records_due_at, produced_at, reopened, due_reckoning, awaiting_requester_since, channel, duplicate_of, follows
FROM requests;

DROP TABLE requests;
ALTER TABLE requests_new RENAME TO requests;

CREATE INDEX requests_queue_status_due ON requests (queue, status, due_on, id);
CREATE INDEX requests_status_due ON requests (status, due_on, id);
CREATE INDEX requests_assignee_status_due ON requests (assignee_id, status, due_on, id);
CREATE INDEX requests_received_at ON requests (received_at);
-- Grants awaiting production, for the queue and the reminders.
CREATE INDEX requests_in_production ON requests (queue, due_on, id)
    WHERE status = 'granted' AND produced_at IS NULL;
CREATE INDEX requests_in_production_due ON requests (due_on, id)
    WHERE status = 'granted' AND produced_at IS NULL;
CREATE INDEX requests_duplicate_of ON requests (duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE INDEX requests_follows ON requests (follows) WHERE follows IS NOT NULL;
CREATE INDEX requests_by_requester ON requests (requester_id);
-- The reports count complaints by kind and month.
CREATE INDEX requests_kind_received ON requests (kind, received_at);
