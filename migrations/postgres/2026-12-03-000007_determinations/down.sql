-- Back to the earlier shape. A request or determination with no records cannot be written
-- in it: it is recorded as denied (its search description kept as the reason). Determinations
-- are append-only, so their trigger is set aside for the rewrite.
ALTER TABLE staff DROP COLUMN title;

ALTER TABLE determinations DISABLE TRIGGER determinations_append_only;
UPDATE determinations SET outcome = 'denied', reason = COALESCE(reason, search)
    WHERE outcome = 'no_records';
ALTER TABLE determinations ENABLE TRIGGER determinations_append_only;
ALTER TABLE determinations DROP COLUMN review;
ALTER TABLE determinations DROP COLUMN records_due_at;
ALTER TABLE determinations DROP COLUMN search;
ALTER TABLE determinations DROP COLUMN segregability;
ALTER TABLE determinations DROP COLUMN withheld_items;
ALTER TABLE determinations DROP CONSTRAINT determinations_outcome_check;
ALTER TABLE determinations ADD CONSTRAINT determinations_outcome_check
    CHECK (outcome IN ('granted', 'denied'));

DROP INDEX requests_in_production_due;
DROP INDEX requests_in_production;
UPDATE requests SET status = 'denied' WHERE status = 'no_records';
UPDATE requests SET determined_by = NULL WHERE status <> 'denied';
ALTER TABLE requests DROP COLUMN due_reckoning;
ALTER TABLE requests DROP COLUMN reopened;
ALTER TABLE requests DROP COLUMN produced_at;
ALTER TABLE requests DROP COLUMN records_due_at;
ALTER TABLE requests DROP COLUMN responsible_ids;
ALTER TABLE requests DROP COLUMN partial;
ALTER TABLE requests RENAME CONSTRAINT requests_decision_final_check TO requests_denial_final_check;
ALTER TABLE requests RENAME COLUMN decision_final TO denial_final;
ALTER TABLE requests RENAME COLUMN determined_by TO denied_by;
ALTER TABLE requests DROP CONSTRAINT requests_status_check;
ALTER TABLE requests ADD CONSTRAINT requests_status_check
    CHECK (status IN ('submitted', 'under_review', 'granted', 'denied',
                      'appealed', 'administrative_review', 'withdrawn'));
