DROP TRIGGER staff_deactivated_ends_sessions ON staff;
DROP FUNCTION staff_deactivated_ends_sessions();
DROP INDEX staff_tokens_staff;
ALTER TABLE staff_tokens DROP COLUMN last_used_at;
