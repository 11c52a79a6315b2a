DROP INDEX determinations_report;
CREATE INDEX determinations_request ON determinations (request_id, id);
DROP INDEX requests_report;
CREATE INDEX requests_kind_received ON requests (kind, received_at);
