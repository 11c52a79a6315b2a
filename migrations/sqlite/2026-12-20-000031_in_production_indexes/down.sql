DROP INDEX requests_in_production_assignee;
DROP INDEX requests_in_production_due;
DROP INDEX requests_in_production;
CREATE INDEX requests_in_production ON requests (queue, due_on, id)
    WHERE status = 'granted' AND produced_at IS NULL;
CREATE INDEX requests_in_production_due ON requests (due_on, id)
    WHERE status = 'granted' AND produced_at IS NULL;
