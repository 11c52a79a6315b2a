DROP TRIGGER documents_fixed ON documents;
DROP FUNCTION documents_fixed();
DROP TABLE documents;
