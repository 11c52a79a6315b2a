-- Letters by post (docs/PRODUCT.md, "Letters by post"): a requester staff recorded with a
-- postal address and no email is sent every letter on paper. Which letters are due comes
-- from the audit log (each step's letters to the requester); this table keeps which of them
-- staff have posted, and like the log it is never changed.
ALTER TABLE requesters ADD COLUMN postal_address TEXT;

CREATE TABLE posted_letters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    -- The audit event whose step the letter tells of, and which of its letters it is.
    event_seq BIGINT NOT NULL,
    notice TEXT NOT NULL,
    posted_by BIGINT NOT NULL REFERENCES staff (id),
    posted_at TIMESTAMP NOT NULL,
    UNIQUE (request_id, event_seq, notice)
);

CREATE TRIGGER posted_letters_fixed BEFORE UPDATE ON posted_letters
BEGIN
    SELECT RAISE(ABORT, 'a posted letter stays posted');
END;
CREATE TRIGGER posted_letters_no_delete BEFORE DELETE ON posted_letters
BEGIN
    SELECT RAISE(ABORT, 'a posted letter stays posted');
END;
