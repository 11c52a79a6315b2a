DROP INDEX requests_received_at;
