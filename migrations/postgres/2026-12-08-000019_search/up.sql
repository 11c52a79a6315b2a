-- Search (docs/PRODUCT.md, "Search"). Each request's words, folded by the service itself
-- (domain::search::fold) so SQLite and PostgreSQL index the same words; the 'simple'
-- configuration only splits them (no stemming, no stop words), as SQLite's FTS5 does.
CREATE TABLE request_words (
    request_id BIGINT PRIMARY KEY REFERENCES requests (id),
    words TSVECTOR NOT NULL
);
-- New entries wait in the index's pending list until it is merged; every search reads the
-- whole list, so it is kept short (256 kB, not the default 4 MB: at a million requests a
-- full list cost a two-word search 6 ms of its 7).
CREATE INDEX request_words_search ON request_words USING GIN (words)
    WITH (gin_pending_list_limit = 256);

-- Which indexes have been filled from what was stored before they existed: the service
-- fills each once, at start (db::search::fill_missing).
CREATE TABLE search_indexes (
    name TEXT PRIMARY KEY NOT NULL,
    filled_at TIMESTAMP NOT NULL
);

-- Every request filed from one address: the address without regard to case, then its
-- requests.
CREATE INDEX requesters_by_email ON requesters (lower(email)) WHERE email IS NOT NULL;
CREATE INDEX requests_by_requester ON requests (requester_id);
