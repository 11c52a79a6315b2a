DROP TRIGGER determinations_no_delete;
DROP TRIGGER determinations_no_update;
DROP TRIGGER messages_no_delete;
DROP TRIGGER messages_no_update;
