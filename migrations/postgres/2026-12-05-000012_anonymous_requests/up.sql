-- Anonymous public records requests (docs/PRODUCT.md, "Anonymous requests"): a requester may
-- give no name and no email address.
ALTER TABLE requesters ALTER COLUMN name DROP NOT NULL;
ALTER TABLE requesters ALTER COLUMN email DROP NOT NULL;
