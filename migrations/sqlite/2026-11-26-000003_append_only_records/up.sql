-- Messages and determinations are records of what was said and decided: like the audit log,
-- they are never changed or removed.
CREATE TRIGGER messages_no_update BEFORE UPDATE ON messages
BEGIN
    SELECT RAISE(ABORT, 'messages are append-only');
END;
CREATE TRIGGER messages_no_delete BEFORE DELETE ON messages
BEGIN
    SELECT RAISE(ABORT, 'messages are append-only');
END;
CREATE TRIGGER determinations_no_update BEFORE UPDATE ON determinations
BEGIN
    SELECT RAISE(ABORT, 'determinations are append-only');
END;
CREATE TRIGGER determinations_no_delete BEFORE DELETE ON determinations
BEGIN
    SELECT RAISE(ABORT, 'determinations are append-only');
END;
