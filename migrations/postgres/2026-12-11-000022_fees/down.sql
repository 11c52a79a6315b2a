DROP TABLE fee_entries;
DROP FUNCTION fee_entries_fixed();
DROP TABLE fee_estimates;
