-- A lost API key is replaced (docs/PRODUCT.md, "API keys"): a request may now hold several
-- keys over time, the newest its current one. SQLite cannot drop a UNIQUE constraint, so the
-- table is rebuilt without the one on request_id.
CREATE TABLE api_keys_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    -- Null until the requester claims the key; then the SHA-256 of the key, never the key.
    key_hash TEXT UNIQUE,
    scopes TEXT NOT NULL,
    rate_limit INTEGER NOT NULL,
    expires_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    claimed_at TIMESTAMP,
    revoked_at TIMESTAMP,
    -- When the requester said this key was lost and asked for a new one.
    replacement_asked_at TIMESTAMP,
    -- The key this one replaces: revoked when this one is claimed.
    replaces BIGINT REFERENCES api_keys_new (id)
);
INSERT INTO api_keys_new (id, request_id, key_hash, scopes, rate_limit, expires_at, created_at,
                          claimed_at, revoked_at)
    SELECT id, request_id, key_hash, scopes, rate_limit, expires_at, created_at, claimed_at,
           revoked_at
    FROM api_keys;
DROP TABLE api_keys;
ALTER TABLE api_keys_new RENAME TO api_keys;
CREATE INDEX api_keys_request ON api_keys (request_id, id);
-- At most one key waiting to be claimed per request.
CREATE UNIQUE INDEX api_keys_one_offer ON api_keys (request_id)
    WHERE key_hash IS NULL AND revoked_at IS NULL;
