-- Back to one key per request: the first each request was granted.
CREATE TABLE api_keys_old (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id BIGINT NOT NULL UNIQUE REFERENCES requests (id),
    key_hash TEXT UNIQUE,
    scopes TEXT NOT NULL,
    rate_limit INTEGER NOT NULL,
    expires_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    claimed_at TIMESTAMP,
    revoked_at TIMESTAMP
);
INSERT INTO api_keys_old (id, request_id, key_hash, scopes, rate_limit, expires_at, created_at,
                          claimed_at, revoked_at)
    SELECT id, request_id, key_hash, scopes, rate_limit, expires_at, created_at, claimed_at,
           revoked_at
    FROM api_keys WHERE replaces IS NULL;
DROP TABLE api_keys;
ALTER TABLE api_keys_old RENAME TO api_keys;
