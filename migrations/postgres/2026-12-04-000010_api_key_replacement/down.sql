DROP INDEX api_keys_one_offer;
DROP INDEX api_keys_request;
DELETE FROM api_keys WHERE replaces IS NOT NULL;
ALTER TABLE api_keys DROP COLUMN replaces;
ALTER TABLE api_keys DROP COLUMN replacement_asked_at;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_request_id_key UNIQUE (request_id);
