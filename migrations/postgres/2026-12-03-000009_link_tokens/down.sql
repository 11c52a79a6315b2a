ALTER TABLE requests ADD COLUMN access_token_hash TEXT NOT NULL DEFAULT '';
UPDATE requests SET access_token_hash = COALESCE(
    (SELECT token_hash FROM link_tokens l WHERE l.request_id = requests.id ORDER BY l.id LIMIT 1), '');
DROP TABLE link_tokens;
