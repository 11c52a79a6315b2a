DROP TABLE sign_in_known;
DROP TABLE sign_in_streaks;
DROP TABLE limit_buckets;
