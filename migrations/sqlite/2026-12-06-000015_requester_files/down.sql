DROP TABLE requester_files;
