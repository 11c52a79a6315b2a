ALTER TABLE datasets DROP COLUMN source;
