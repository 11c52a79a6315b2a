DROP TRIGGER documents_no_delete;
DROP TRIGGER documents_fixed;
DROP TABLE documents;
