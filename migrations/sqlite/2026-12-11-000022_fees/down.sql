DROP TABLE fee_entries;
DROP TABLE fee_estimates;
