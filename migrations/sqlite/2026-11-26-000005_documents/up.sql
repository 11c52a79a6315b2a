-- Response documents staff attach to a request: a file kept in the content-addressed store
-- under the data directory (by its SHA-256), or a link (a dataset export). The requester sees
-- one only once it is released.
CREATE TABLE documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    -- 'file' or 'link'
    kind TEXT NOT NULL,
    -- What the document is called on pages and in downloads (a file name, sanitised).
    title TEXT NOT NULL,
    sha256 TEXT,
    size_bytes BIGINT,
    content_type TEXT,
    url TEXT,
    -- What was redacted or withheld from it, and under which exemption.
    redaction_note TEXT,
    exemption TEXT,
    added_by BIGINT NOT NULL REFERENCES staff (id),
    added_at TIMESTAMP NOT NULL,
    released_by BIGINT REFERENCES staff (id),
    released_at TIMESTAMP
);
CREATE INDEX documents_by_request ON documents (request_id, id);
