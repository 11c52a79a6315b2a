DROP TRIGGER determinations_append_only ON determinations;
DROP TRIGGER messages_append_only ON messages;
DROP FUNCTION records_refuse_change();
