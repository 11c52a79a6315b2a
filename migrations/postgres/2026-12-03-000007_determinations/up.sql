-- Determinations as the CPRA requires them (docs/PRODUCT.md, "Determinations"): a no-records
-- answer, production after a grant, the persons responsible and the withheld items of a
-- determination, final review decisions, and due dates that keep how they were counted.
ALTER TABLE requests DROP CONSTRAINT requests_status_check;
ALTER TABLE requests ADD CONSTRAINT requests_status_check
    CHECK (status IN ('submitted', 'under_review', 'granted', 'denied', 'no_records',
                      'appealed', 'administrative_review', 'withdrawn'));
-- Who made the determination now standing, and the staff named responsible for it: none of
-- them may review its appeal.
ALTER TABLE requests RENAME COLUMN denied_by TO determined_by;
ALTER TABLE requests RENAME COLUMN denial_final TO decision_final;
ALTER TABLE requests RENAME CONSTRAINT requests_denial_final_check TO requests_decision_final_check;
-- A grant in part: something is withheld, so it may be appealed.
ALTER TABLE requests ADD COLUMN partial INTEGER NOT NULL DEFAULT 0 CHECK (partial IN (0, 1));
-- Staff ids, comma-separated.
ALTER TABLE requests ADD COLUMN responsible_ids TEXT NOT NULL DEFAULT '';
-- A grant's estimated availability (Gov. Code §7922.535(a)), and when the records were
-- produced; a grant stays in the queue until then.
ALTER TABLE requests ADD COLUMN records_due_at TIMESTAMP;
ALTER TABLE requests ADD COLUMN produced_at TIMESTAMP;
-- How often a produced grant went back to production.
ALTER TABLE requests ADD COLUMN reopened INTEGER NOT NULL DEFAULT 0;
-- How each due date was counted, as a JSON list.
ALTER TABLE requests ADD COLUMN due_reckoning TEXT NOT NULL DEFAULT '[]';
-- A grant made before production was tracked is taken as produced when it was made.
UPDATE requests SET produced_at = closed_at WHERE status = 'granted';

-- Grants awaiting production, for the queue and the reminders: the produced ones, most
-- grants, are not in these at all.
CREATE INDEX requests_in_production ON requests (queue, due_on, id)
    WHERE status = 'granted' AND produced_at IS NULL;
CREATE INDEX requests_in_production_due ON requests (due_on, id)
    WHERE status = 'granted' AND produced_at IS NULL;

ALTER TABLE determinations DROP CONSTRAINT determinations_outcome_check;
ALTER TABLE determinations ADD CONSTRAINT determinations_outcome_check
    CHECK (outcome IN ('granted', 'denied', 'no_records'));
-- Each withheld item with its exemption and reason, as a JSON list.
ALTER TABLE determinations ADD COLUMN withheld_items TEXT NOT NULL DEFAULT '[]';
-- A denial in full: why no reasonably segregable portion can be released (§7922.525).
ALTER TABLE determinations ADD COLUMN segregability TEXT;
-- A no-records answer: how and where the search was made.
ALTER TABLE determinations ADD COLUMN search TEXT;
ALTER TABLE determinations ADD COLUMN records_due_at TIMESTAMP;
-- A review decision: upheld, overturned or revised.
ALTER TABLE determinations ADD COLUMN review TEXT
    CHECK (review IN ('upheld', 'overturned', 'revised'));

-- Staff titles, for the persons responsible named in letters (Gov. Code §7922.540(b)).
ALTER TABLE staff ADD COLUMN title TEXT;
