-- Limits several instances share (issue 26): each `serve` on this database counts filings per
-- address and sign-in tries in these tables, so N instances hold the limits of one. Times are
-- seconds since 1970 read from this server's clock (`clock_timestamp()`), one clock for every
-- instance. Rows nobody touched for longer than the limits remember are deleted as they are
-- passed (src/db/limits.rs); nothing here is a record of the city.

-- A token bucket per address (or IPv6 /64): `tokens` as of `at`. UNLOGGED: no write-ahead
-- log, so a filing's token costs no second wait for the disk. A crash (or a failover to a
-- standby, which never receives it) empties it: every address then has its full minute's
-- filings again, no more.
CREATE UNLOGGED TABLE limit_buckets (
    key TEXT PRIMARY KEY,
    tokens DOUBLE PRECISION NOT NULL,
    at DOUBLE PRECISION NOT NULL
);

-- A streak of sign-in tries, per account and address ("pair ...") or per account ("account ...").
-- Logged, as the next table: sign-ins are few, and a crash must not reset a guesser's wait.
CREATE TABLE sign_in_streaks (
    key TEXT PRIMARY KEY,
    tries INTEGER NOT NULL,
    last_at DOUBLE PRECISION NOT NULL,
    not_before DOUBLE PRECISION NOT NULL
);

-- Addresses an account has signed in from, which the account's own streak never holds up.
CREATE TABLE sign_in_known (
    key TEXT PRIMARY KEY,
    seen_at DOUBLE PRECISION NOT NULL
);
