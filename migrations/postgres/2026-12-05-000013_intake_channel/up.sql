-- How a request reached the office (docs/PRODUCT.md, "Requests taken by staff"): the web form
-- or API, or email, mail, phone, fax or the counter, recorded by staff.
ALTER TABLE requests ADD COLUMN channel TEXT NOT NULL DEFAULT 'web'
    CHECK (channel IN ('web', 'email', 'mail', 'phone', 'fax', 'in_person'));
