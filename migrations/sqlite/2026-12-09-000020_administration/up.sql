-- Administration in the browser (docs/PRODUCT.md, "Administration"): the department
-- directory routing reads, holidays changed over the computed calendar, one-time links that
-- let staff set a password, and the administration chain that `audit verify` checks.

CREATE TABLE departments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    -- The slug of the name when the department was made; requests are filed under it.
    queue TEXT NOT NULL UNIQUE,
    email TEXT,
    phone TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- The publisher names and host names a department's datasets carry in catalogs, each
-- claimed by one department only (`folded` is the name in lower case, spaces closed up).
CREATE TABLE department_names (
    folded TEXT PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL
);
CREATE INDEX department_names_by_department ON department_names (department_id);

-- Who may sign an extension for a department's requests (Gov. Code §7922.535(b)).
CREATE TABLE department_signers (
    department_id BIGINT NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
    staff_id BIGINT NOT NULL REFERENCES staff(id),
    PRIMARY KEY (department_id, staff_id)
);

-- Days changed over the calendar the rules compute: closed (with the name requesters see)
-- or open on a day the rules close.
CREATE TABLE holiday_changes (
    day DATE PRIMARY KEY,
    closed INTEGER NOT NULL,
    name TEXT,
    changed_at TIMESTAMP NOT NULL,
    changed_by BIGINT REFERENCES staff(id)
);

-- One-time links to set a password: an invitation or a reset. Only the token's hash is kept.
CREATE TABLE staff_links (
    token_hash TEXT PRIMARY KEY,
    staff_id BIGINT NOT NULL REFERENCES staff(id),
    purpose TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX staff_links_by_staff ON staff_links (staff_id);

CREATE TABLE admin_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    seq BIGINT NOT NULL UNIQUE,
    at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    content TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER admin_events_no_update BEFORE UPDATE ON admin_events
BEGIN
    SELECT RAISE(ABORT, 'the administration chain is append-only');
END;
CREATE TRIGGER admin_events_no_delete BEFORE DELETE ON admin_events
BEGIN
    SELECT RAISE(ABORT, 'the administration chain is append-only');
END;
