DROP TABLE mail_events;
DROP TABLE inbound_mail;
ALTER TABLE outbox DROP COLUMN bounce;
ALTER TABLE requesters DROP COLUMN email_bounced_at;
