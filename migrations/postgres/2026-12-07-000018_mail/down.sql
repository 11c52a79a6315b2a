DROP TABLE mail_events;
DROP FUNCTION mail_events_fixed;
DROP TABLE inbound_mail;
DROP FUNCTION inbound_mail_decided;
ALTER TABLE outbox DROP COLUMN bounce;
ALTER TABLE requesters DROP COLUMN email_bounced_at;
