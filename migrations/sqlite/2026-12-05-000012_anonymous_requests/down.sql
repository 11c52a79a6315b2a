PRAGMA defer_foreign_keys = ON;

CREATE TABLE requesters_old (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    organization TEXT,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO requesters_old (id, name, email, phone, organization, created_at)
    SELECT id, COALESCE(name, ''), COALESCE(email, ''), phone, organization, created_at
    FROM requesters;
DROP TABLE requesters;
ALTER TABLE requesters_old RENAME TO requesters;
