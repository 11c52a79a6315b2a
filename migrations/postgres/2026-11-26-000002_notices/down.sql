DROP INDEX outbox_request_recipient;
DROP TABLE reminders;
