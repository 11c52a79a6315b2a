-- The language of the letters to the requester (issue 27): chosen on the form, or sent with the
-- API call, or read from the browser's Accept-Language. Requests filed before it read English.
ALTER TABLE requests ADD COLUMN language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'es'));
