-- The requests whose records were produced, by assignee and time, for the staff list of those
-- ready for the reading room (docs/PERFORMANCE.md, "The ready list in pages"). The list looked
-- for them by a scan of every request (an admin's list) or by the assignee index, reading every
-- unassigned request of any status (a clerk's): both grew with the history. This index holds
-- only the produced ones, and the columns the list reads. (The list's other query, of files
-- released, is not served by it.)
CREATE INDEX requests_produced ON requests (assignee_id, produced_at, tracking_number)
    WHERE produced_at IS NOT NULL;
