-- The requesters whose letters go by post (docs/PRODUCT.md, "Letters by post"): recorded with
-- a postal address and no working email. The page of letters to post starts from them. It
-- found them by a join that SQLite walked from `requests`, every request the city ever had,
-- looking up each one's requester, however few wrote by post (docs/PERFORMANCE.md, "Letters
-- to post"). This index holds only them.
CREATE INDEX requesters_by_post ON requesters (id)
    WHERE (email IS NULL OR email_bounced_at IS NOT NULL) AND postal_address IS NOT NULL;
