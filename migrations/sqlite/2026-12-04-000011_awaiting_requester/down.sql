ALTER TABLE requests DROP COLUMN awaiting_requester_since;
