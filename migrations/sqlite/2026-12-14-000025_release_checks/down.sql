ALTER TABLE documents DROP COLUMN public;
