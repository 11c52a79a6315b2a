DROP INDEX requests_follows;
ALTER TABLE requests DROP COLUMN follows;
