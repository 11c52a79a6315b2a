-- Reports (issue 25) read every request of a period and every determination of those
-- requests: covering indexes let them read the index alone, never the wide rows. Each takes
-- the place of the index it extends, so there are no more indexes than before; but a step
-- that changes a column the report reads (status, queue, an extension, an appeal, production,
-- closing) now rewrites the request's entry here too. Steps already rewrote an index on
-- status, so none of them was a heap-only update on PostgreSQL before either.
-- The citations stay out: a B-tree entry has a size limit a long list could pass.
DROP INDEX requests_kind_received;
CREATE INDEX requests_report ON requests (kind, received_at) INCLUDE (
    id, status, queue, determination_due, extension_days, extension_circumstance, appealed_at,
    produced_at, reopened, closed_at
);
DROP INDEX determinations_request;
CREATE INDEX determinations_report ON determinations (request_id, id) INCLUDE (
    stage, outcome, partial, decided_at, review
);
