-- Search (docs/PRODUCT.md, "Search"). Each request's words, folded by the service itself
-- (domain::search::fold) so SQLite and PostgreSQL index the same words. Contentless: the
-- words are kept only as the index needs them; `contentless_delete` lets a request's entry
-- be replaced when a message adds words to it. The row id is the request's id.
CREATE VIRTUAL TABLE request_words USING fts5(
    words,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

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
