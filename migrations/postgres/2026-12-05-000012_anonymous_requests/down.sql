UPDATE requesters SET name = '' WHERE name IS NULL;
UPDATE requesters SET email = '' WHERE email IS NULL;
ALTER TABLE requesters ALTER COLUMN name SET NOT NULL;
ALTER TABLE requesters ALTER COLUMN email SET NOT NULL;
