-- Complaints (docs/PRODUCT.md, "Complaints"): a kind of its own with its own states, and what
-- only a complaint carries. Its subject, place and day are the complainant's; how it closed
-- (the agency it went to, what was found and done or why it was dismissed) is the department's.
ALTER TABLE requests DROP CONSTRAINT requests_kind_check;
ALTER TABLE requests ADD CONSTRAINT requests_kind_check
    CHECK (kind IN ('public_records', 'dataset_access', 'api_access', 'complaint'));
ALTER TABLE requests DROP CONSTRAINT requests_status_check;
ALTER TABLE requests ADD CONSTRAINT requests_status_check
    CHECK (status IN ('submitted', 'under_review', 'granted', 'denied', 'no_records',
                      'appealed', 'administrative_review', 'withdrawn', 'duplicate',
                      'received', 'investigating', 'resolved', 'referred', 'dismissed'));
ALTER TABLE requests ADD COLUMN subject TEXT;
ALTER TABLE requests ADD COLUMN location TEXT;
ALTER TABLE requests ADD COLUMN occurred_on DATE;
ALTER TABLE requests ADD COLUMN referred_to TEXT;
ALTER TABLE requests ADD COLUMN closing_note TEXT;
-- The reports count complaints by kind and month.
CREATE INDEX requests_kind_received ON requests (kind, received_at);
