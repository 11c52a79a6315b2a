-- The requesters whose letters go by post (docs/PRODUCT.md, "Letters by post"): recorded with
-- a postal address and no working email. The page of letters to post starts from them; it
-- read every requester the city ever had to find them (a scan of `requesters`, one row per
-- filing), however few there were (docs/PERFORMANCE.md, "Letters to post"). This index
-- holds only them.
CREATE INDEX requesters_by_post ON requesters (id)
    WHERE (email IS NULL OR email_bounced_at IS NOT NULL) AND postal_address IS NOT NULL;
