-- Staff sign-ins end when unused for auth.staff_idle_minutes (last_used_at), at sign-out, when
-- all of a staff member's sessions are revoked, and when the account is deactivated — by any
-- means, a direct UPDATE included (the trigger).
ALTER TABLE staff_tokens ADD COLUMN last_used_at TIMESTAMP;
UPDATE staff_tokens SET last_used_at = created_at;
ALTER TABLE staff_tokens ALTER COLUMN last_used_at SET NOT NULL;
CREATE INDEX staff_tokens_staff ON staff_tokens (staff_id);

CREATE FUNCTION staff_deactivated_ends_sessions() RETURNS trigger AS $$
BEGIN
    DELETE FROM staff_tokens WHERE staff_id = NEW.id;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER staff_deactivated_ends_sessions AFTER UPDATE OF active ON staff
    FOR EACH ROW WHEN (NEW.active = 0) EXECUTE FUNCTION staff_deactivated_ends_sessions();
