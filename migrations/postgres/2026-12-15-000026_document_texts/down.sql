DROP TABLE publication_words;
DROP TABLE document_texts;
