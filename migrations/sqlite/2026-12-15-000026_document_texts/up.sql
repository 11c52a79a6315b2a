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
-- public documents' titles and text, folded as the requests' index is (domain::search::fold).
-- The row id is the request's id; withdrawing an item removes its entry.
CREATE VIRTUAL TABLE publication_words USING fts5(
    words,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
