-- Response documents staff attach to a request: a file kept in the content-addressed store
-- under the data directory (by its SHA-256), or a link (a dataset export). The requester sees
-- one only once it is released.
CREATE TABLE documents (
    id BIGSERIAL PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    kind TEXT NOT NULL CHECK (kind IN ('file', 'link')),
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
    released_at TIMESTAMP,
    -- A file is kept here (its hash, size and type); a link points elsewhere.
    CHECK ((kind = 'file' AND sha256 IS NOT NULL AND size_bytes IS NOT NULL
            AND content_type IS NOT NULL AND url IS NULL)
        OR (kind = 'link' AND url IS NOT NULL AND sha256 IS NULL))
);
CREATE INDEX documents_by_request ON documents (request_id, id);

-- What was attached is a record, like the audit events that name it: it never changes and is
-- never removed. The one change allowed is its release, once.
CREATE FUNCTION documents_fixed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'documents are never removed';
    END IF;
    IF NEW.request_id IS DISTINCT FROM OLD.request_id OR NEW.kind IS DISTINCT FROM OLD.kind
        OR NEW.title IS DISTINCT FROM OLD.title OR NEW.sha256 IS DISTINCT FROM OLD.sha256
        OR NEW.size_bytes IS DISTINCT FROM OLD.size_bytes
        OR NEW.content_type IS DISTINCT FROM OLD.content_type
        OR NEW.url IS DISTINCT FROM OLD.url
        OR NEW.redaction_note IS DISTINCT FROM OLD.redaction_note
        OR NEW.exemption IS DISTINCT FROM OLD.exemption
        OR NEW.added_by IS DISTINCT FROM OLD.added_by
        OR NEW.added_at IS DISTINCT FROM OLD.added_at OR OLD.released_at IS NOT NULL THEN
        RAISE EXCEPTION 'a document is fixed once attached; it can only be released, once';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER documents_fixed BEFORE UPDATE OR DELETE ON documents
    FOR EACH ROW EXECUTE FUNCTION documents_fixed();
