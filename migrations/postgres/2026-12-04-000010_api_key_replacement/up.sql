-- A lost API key is replaced (docs/PRODUCT.md, "API keys"): a request may now hold several
-- keys over time, the newest its current one.
ALTER TABLE api_keys DROP CONSTRAINT api_keys_request_id_key;
-- When the requester said this key was lost and asked for a new one.
ALTER TABLE api_keys ADD COLUMN replacement_asked_at TIMESTAMP;
-- The key this one replaces: revoked when this one is claimed.
ALTER TABLE api_keys ADD COLUMN replaces BIGINT REFERENCES api_keys (id);
CREATE INDEX api_keys_request ON api_keys (request_id, id);
-- At most one key waiting to be claimed per request.
CREATE UNIQUE INDEX api_keys_one_offer ON api_keys (request_id)
    WHERE key_hash IS NULL AND revoked_at IS NULL;
