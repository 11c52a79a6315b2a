-- Letters by post (docs/PRODUCT.md, "Letters by post"): a requester staff recorded with a
-- postal address and no email is sent every letter on paper. Which letters are due comes
-- from the audit log (each step's letters to the requester); this table keeps which of them
-- staff have posted, and like the log it is never changed.
ALTER TABLE requesters ADD COLUMN postal_address TEXT;

CREATE TABLE posted_letters (
    id BIGSERIAL PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    -- The audit event whose step the letter tells of, and which of its letters it is.
    event_seq BIGINT NOT NULL,
    notice TEXT NOT NULL,
    posted_by BIGINT NOT NULL REFERENCES staff (id),
    posted_at TIMESTAMP NOT NULL,
    UNIQUE (request_id, event_seq, notice)
);

CREATE FUNCTION posted_letters_fixed() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'a posted letter stays posted';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER posted_letters_fixed BEFORE UPDATE OR DELETE ON posted_letters
    FOR EACH ROW EXECUTE FUNCTION posted_letters_fixed();
