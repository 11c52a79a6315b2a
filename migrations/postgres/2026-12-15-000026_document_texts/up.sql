-- The text of released files (docs/PRODUCT.md, "Reading room"), read once when the file is
-- released: PDF, TXT and CSV. One row a document; a file whose text could not be read is
-- kept as 'unreadable' with the reason, so staff see it is published without its text.
CREATE TABLE document_texts (
    document_id BIGINT PRIMARY KEY NOT NULL REFERENCES documents (id),
    status TEXT NOT NULL CHECK (status IN ('extracted', 'empty', 'unreadable', 'not_text')),
    body TEXT,
    -- Why the text could not be read; for staff.
    note TEXT,
    -- Characters of text the file held, before any was cut at the limit.
    characters BIGINT NOT NULL,
    extracted_at TIMESTAMP NOT NULL
);

-- The reading room's own index: each published request's summary, description, and its
-- public documents' titles and text, folded as the requests' index is (domain::search::fold)
-- and split only ('simple'), as SQLite's FTS5 does. Withdrawing an item removes its entry.
CREATE TABLE publication_words (
    request_id BIGINT PRIMARY KEY REFERENCES requests (id),
    words TSVECTOR NOT NULL
);
CREATE INDEX publication_words_search ON publication_words USING GIN (words);
