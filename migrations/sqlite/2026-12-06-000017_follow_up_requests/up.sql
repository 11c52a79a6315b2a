-- A request staff recorded because a clarification made an earlier request, in substance, a
-- new one (docs/PRODUCT.md, "Duty to assist"): the earlier request, by tracking number; the
-- index lists what followed a request.
ALTER TABLE requests ADD COLUMN follows TEXT REFERENCES requests (tracking_number);
CREATE INDEX requests_follows ON requests (follows) WHERE follows IS NOT NULL;
