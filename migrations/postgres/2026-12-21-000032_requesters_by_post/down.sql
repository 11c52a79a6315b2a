DROP INDEX requesters_by_post;
