-- Fees (docs/PRODUCT.md, "Fees"): the estimates staff make for a granted request's copies,
-- each priced line by line from the fee schedule, and every payment, waiver and refund on
-- them. Money is whole cents. Both tables only grow: an estimate's answer is the one change
-- an estimate takes, and a later estimate replaces an earlier one by its status.
CREATE TABLE fee_estimates (
    id BIGSERIAL PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    -- 1 for a request's first estimate, 2 for the one that replaced it, …
    number INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('awaiting', 'accepted', 'declined', 'waived', 'replaced')),
    -- The priced lines as JSON (item, description, quantity, unit, amount, rule, form, …).
    lines TEXT NOT NULL,
    total_cents BIGINT NOT NULL CHECK (total_cents >= 0),
    note TEXT,
    issued_by BIGINT NOT NULL REFERENCES staff (id),
    issued_at TIMESTAMP NOT NULL,
    answered_at TIMESTAMP,
    UNIQUE (request_id, number)
);

CREATE TABLE fee_entries (
    id BIGSERIAL PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    estimate_id BIGINT NOT NULL REFERENCES fee_estimates (id),
    kind TEXT NOT NULL CHECK (kind IN ('payment', 'waiver', 'refund')),
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    -- A payment's or refund's: cash, check or card, and its reference (check number, card
    -- authorization, receipt number).
    method TEXT CHECK (method IS NULL OR method IN ('cash', 'check', 'card')),
    reference TEXT,
    -- A waiver's or refund's reason.
    reason TEXT,
    -- None: waived by the schedule's threshold, not by a person.
    recorded_by BIGINT REFERENCES staff (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX fee_entries_by_estimate ON fee_entries (estimate_id);
-- The reports sum fees by month.
CREATE INDEX fee_entries_by_time ON fee_entries (recorded_at);
CREATE INDEX fee_estimates_by_time ON fee_estimates (issued_at);

CREATE FUNCTION fee_entries_fixed() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'a fee entry stays as recorded';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER fee_entries_fixed BEFORE UPDATE OR DELETE ON fee_entries
    FOR EACH ROW EXECUTE FUNCTION fee_entries_fixed();
