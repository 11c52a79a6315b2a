-- Messages and determinations are records of what was said and decided: like the audit log,
-- they are never changed or removed.
CREATE FUNCTION records_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER messages_append_only BEFORE UPDATE OR DELETE ON messages
    FOR EACH ROW EXECUTE FUNCTION records_refuse_change();
CREATE TRIGGER determinations_append_only BEFORE UPDATE OR DELETE ON determinations
    FOR EACH ROW EXECUTE FUNCTION records_refuse_change();
