-- A request closed because it repeats another (docs/PRODUCT.md, "Duplicates"): its own state,
-- and the request it repeats, by tracking number (which never changes), so that the audit
-- chain's record of the step can be checked against the row as it is; the index lists a
-- request's repeats.
ALTER TABLE requests DROP CONSTRAINT requests_status_check;
ALTER TABLE requests ADD CONSTRAINT requests_status_check
    CHECK (status IN ('submitted', 'under_review', 'granted', 'denied', 'no_records',
                      'appealed', 'administrative_review', 'withdrawn', 'duplicate'));
ALTER TABLE requests ADD COLUMN duplicate_of TEXT REFERENCES requests (tracking_number);
CREATE INDEX requests_duplicate_of ON requests (duplicate_of) WHERE duplicate_of IS NOT NULL;
