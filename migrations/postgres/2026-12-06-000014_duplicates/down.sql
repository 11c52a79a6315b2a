UPDATE requests SET status = 'withdrawn' WHERE status = 'duplicate';
DROP INDEX requests_duplicate_of;
ALTER TABLE requests DROP COLUMN duplicate_of;
ALTER TABLE requests DROP CONSTRAINT requests_status_check;
ALTER TABLE requests ADD CONSTRAINT requests_status_check
    CHECK (status IN ('submitted', 'under_review', 'granted', 'denied', 'no_records',
                      'appealed', 'administrative_review', 'withdrawn'));
