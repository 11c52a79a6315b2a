DROP TABLE posted_letters;
DROP FUNCTION posted_letters_fixed();
ALTER TABLE requesters DROP COLUMN postal_address;
