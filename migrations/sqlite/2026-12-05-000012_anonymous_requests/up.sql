-- Anonymous public records requests (docs/PRODUCT.md, "Anonymous requests"): a requester may
-- give no name and no email address. SQLite cannot drop NOT NULL in place, so `requesters` is
-- rebuilt; the requests that refer to it are checked once, at commit.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE requesters_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT,
    email TEXT,
    phone TEXT,
    organization TEXT,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO requesters_new (id, name, email, phone, organization, created_at)
    SELECT id, name, email, phone, organization, created_at FROM requesters;
DROP TABLE requesters;
ALTER TABLE requesters_new RENAME TO requesters;
