-- The grants awaiting production, for the queue page, its counts and the reminders (issue 25;
-- docs/PERFORMANCE.md, "The queue page's grants"). SQLite has no statistics here, and its
-- planner took `requests_status_due` (status = ?) over the partial indexes for
-- `status = 'granted' AND produced_at IS NULL`: every load of the queue page read every grant
-- ever made to find the few still awaiting production. These lead with the columns the
-- condition fixes, so it is an equality on more of their columns than on any other index's,
-- and the planner takes them. They hold the same few rows as before. PostgreSQL's planner,
-- which has statistics, takes its partial indexes as they are.
DROP INDEX requests_in_production;
DROP INDEX requests_in_production_due;
CREATE INDEX requests_in_production ON requests (queue, status, produced_at, due_on, id)
    WHERE status = 'granted' AND produced_at IS NULL;
CREATE INDEX requests_in_production_due ON requests (status, produced_at, due_on, id)
    WHERE status = 'granted' AND produced_at IS NULL;
-- "Assigned to me": else `requests_assignee_status_due`, every grant of the assignee.
CREATE INDEX requests_in_production_assignee
    ON requests (assignee_id, status, produced_at, due_on, id)
    WHERE status = 'granted' AND produced_at IS NULL;
