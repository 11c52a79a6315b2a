-- Whose move it is (docs/PRODUCT.md, "Duty to assist"): set when staff ask the requester to
-- clarify, cleared when the requester answers or the request is decided. A marker, not a state:
-- the CPRA clock keeps running.
ALTER TABLE requests ADD COLUMN awaiting_requester_since TIMESTAMP;
