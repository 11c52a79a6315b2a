-- The full catalog entry of each dataset (DCAT-US), and API keys granted through requests.
ALTER TABLE datasets ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE datasets ADD COLUMN keywords TEXT NOT NULL DEFAULT '[]';
ALTER TABLE datasets ADD COLUMN publisher TEXT;
ALTER TABLE datasets ADD COLUMN contact_name TEXT;
ALTER TABLE datasets ADD COLUMN license TEXT;
ALTER TABLE datasets ADD COLUMN rights TEXT;
ALTER TABLE datasets ADD COLUMN accrual_periodicity TEXT;
ALTER TABLE datasets ADD COLUMN modified TEXT;
ALTER TABLE datasets ADD COLUMN described_by TEXT;
ALTER TABLE datasets ADD COLUMN landing_page TEXT;
ALTER TABLE datasets ADD COLUMN distributions TEXT NOT NULL DEFAULT '[]';
-- A hash of the entry as imported, so a re-import can tell unchanged entries apart.
ALTER TABLE datasets ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX datasets_title ON datasets (withdrawn, title, id);

CREATE TABLE api_keys (
    id BIGSERIAL PRIMARY KEY,
    request_id BIGINT NOT NULL UNIQUE REFERENCES requests (id),
    -- Null until the requester claims the key; then the SHA-256 of the key, never the key.
    key_hash TEXT UNIQUE,
    scopes TEXT NOT NULL,
    rate_limit INTEGER NOT NULL,
    expires_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    claimed_at TIMESTAMP,
    revoked_at TIMESTAMP
);
