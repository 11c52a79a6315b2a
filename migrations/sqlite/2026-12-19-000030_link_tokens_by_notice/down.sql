DROP INDEX link_tokens_outbox;
