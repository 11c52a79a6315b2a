-- Files a requester sends the City with a message (docs/PRODUCT.md, "Files from requesters"):
-- kept in the same content-addressed store as response documents, by SHA-256, and named by the
-- audit event of the message they came with. They are the requester's, never released or
-- withheld, and like the events that name them they never change and are never removed.
CREATE TABLE requester_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    message_id BIGINT NOT NULL REFERENCES messages (id),
    -- What the file is called on pages and in downloads (its name, made safe).
    title TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    added_at TIMESTAMP NOT NULL
);
CREATE INDEX requester_files_by_request ON requester_files (request_id, id);

CREATE TRIGGER requester_files_fixed BEFORE UPDATE ON requester_files
BEGIN
    SELECT RAISE(ABORT, 'a file from the requester is kept as it came');
END;
CREATE TRIGGER requester_files_no_delete BEFORE DELETE ON requester_files
BEGIN
    SELECT RAISE(ABORT, 'files from the requester are never removed');
END;
