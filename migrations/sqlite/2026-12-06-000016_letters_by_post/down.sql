DROP TABLE posted_letters;
ALTER TABLE requesters DROP COLUMN postal_address;
