-- Private links (docs/PRODUCT.md, "Private links"): every link a requester is given carries its
-- own token, kept here only as its SHA-256, so one can be revoked without the others.
CREATE TABLE link_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    token_hash TEXT NOT NULL UNIQUE,
    -- The notice that carried it; none for the link given when the request was filed.
    outbox_id BIGINT REFERENCES outbox (id),
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX link_tokens_request ON link_tokens (request_id, id);

-- The one token a request had becomes its first link.
INSERT INTO link_tokens (request_id, token_hash, created_at)
    SELECT id, access_token_hash, received_at FROM requests;
ALTER TABLE requests DROP COLUMN access_token_hash;
