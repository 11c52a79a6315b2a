-- Limits several instances share (issue 26): each `serve` on this database counts filings per
-- address and sign-in tries in these tables, so N instances hold the limits of one. Times are
-- seconds since 1970 read from this server's clock (`clock_timestamp()`), one clock for every
-- instance. Rows nobody touched for longer than the limits remember are deleted as they are
-- passed (src/db/limits.rs); nothing here is a record of the city. The tables are UNLOGGED:
-- no write-ahead log, so a filing's token costs no second wait for the disk (a crash empties
-- them, which only forgets who filed in the last minute).

-- A token bucket per address (or IPv6 /64): `tokens` as of `at`.
CREATE UNLOGGED TABLE limit_buckets (
    key TEXT PRIMARY KEY,
    tokens DOUBLE PRECISION NOT NULL,
    at DOUBLE PRECISION NOT NULL
);

-- A streak of sign-in tries, per account and address ("pair ...") or per account ("account ...").
CREATE UNLOGGED TABLE sign_in_streaks (
    key TEXT PRIMARY KEY,
    tries INTEGER NOT NULL,
    last_at DOUBLE PRECISION NOT NULL,
    not_before DOUBLE PRECISION NOT NULL
);

-- Addresses an account has signed in from, which the account's own streak never holds up.
CREATE UNLOGGED TABLE sign_in_known (
    key TEXT PRIMARY KEY,
    seen_at DOUBLE PRECISION NOT NULL
);
