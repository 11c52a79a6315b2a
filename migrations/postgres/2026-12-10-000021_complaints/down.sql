DROP INDEX requests_kind_received;
ALTER TABLE requests DROP COLUMN closing_note;
ALTER TABLE requests DROP COLUMN referred_to;
ALTER TABLE requests DROP COLUMN occurred_on;
ALTER TABLE requests DROP COLUMN location;
ALTER TABLE requests DROP COLUMN subject;
DELETE FROM requests WHERE kind = 'complaint';
ALTER TABLE requests DROP CONSTRAINT requests_status_check;
ALTER TABLE requests ADD CONSTRAINT requests_status_check
    CHECK (status IN ('submitted', 'under_review', 'granted', 'denied', 'no_records',
                      'appealed', 'administrative_review', 'withdrawn', 'duplicate'));
ALTER TABLE requests DROP CONSTRAINT requests_kind_check;
ALTER TABLE requests ADD CONSTRAINT requests_kind_check
    CHECK (kind IN ('public_records', 'dataset_access', 'api_access'));
