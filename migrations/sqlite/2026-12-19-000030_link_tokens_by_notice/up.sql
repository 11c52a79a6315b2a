-- A request's notice settled as sent on SQLite is written anew (REPLACE: the row deleted and
-- inserted again, so the page its letter took is freed; src/notify/outbox.rs, `sent_anew`).
-- Deleting an outbox row makes SQLite look for the private links that name it
-- (`link_tokens.outbox_id REFERENCES outbox`): without an index each look is a scan of every
-- link ever given, which at a million requests made recording a delivery take tens of
-- milliseconds. Only links given with a notice name one.
CREATE INDEX link_tokens_outbox ON link_tokens (outbox_id) WHERE outbox_id IS NOT NULL;
