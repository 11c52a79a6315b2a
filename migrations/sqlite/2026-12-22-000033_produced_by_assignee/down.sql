DROP INDEX requests_produced;
