ALTER TABLE requests DROP COLUMN language;
