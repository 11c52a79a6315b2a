-- Release checks (docs/PRODUCT.md, "Release checks"): each released document is private to the
-- requester (0) or public in the reading room too (1), chosen per document at release and fixed
-- with it (the documents_fixed trigger refuses any change once a document is released).
-- Documents released before this migration were published with their request, every released
-- file alike, so existing rows read 1: the reading room keeps showing what it showed. Every new
-- row is written with its own value (0 until it is released as public), never this default.
ALTER TABLE documents ADD COLUMN public INTEGER NOT NULL DEFAULT 1 CHECK (public IN (0, 1));
