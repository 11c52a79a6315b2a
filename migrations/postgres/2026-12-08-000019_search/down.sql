DROP INDEX requests_by_requester;
DROP INDEX requesters_by_email;
DROP TABLE search_indexes;
DROP TABLE request_words;
