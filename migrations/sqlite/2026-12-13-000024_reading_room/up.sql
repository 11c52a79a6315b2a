-- The reading room (docs/PRODUCT.md, "Reading room"): what staff decided about publishing a
-- request's released records. One row a request; its status moves published → withdrawn, or
-- is kept_out. Each change is also a step in the request's audit chain.
CREATE TABLE publications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id BIGINT NOT NULL UNIQUE REFERENCES requests (id),
    status TEXT NOT NULL CHECK (status IN ('published', 'kept_out', 'withdrawn')),
    -- What the public reads: the staff's summary (checked for the requester's contact details).
    summary TEXT,
    -- 'granted' or 'granted_in_part', as published.
    outcome TEXT,
    -- Why a request is kept out or withdrawn.
    reason TEXT,
    published_at TIMESTAMP,
    changed_at TIMESTAMP NOT NULL,
    staff_id BIGINT NOT NULL REFERENCES staff (id)
);
CREATE INDEX publications_by_status ON publications (status, published_at);
