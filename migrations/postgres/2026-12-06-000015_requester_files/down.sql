DROP TABLE requester_files;
DROP FUNCTION requester_files_fixed();
