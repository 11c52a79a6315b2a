-- Nothing on PostgreSQL: a sent notice's row is updated in place there, its key unchanged, so
-- no link is looked up by it. SQLite's migration of the same number indexes the links by
-- notice for its REPLACE. This file keeps the two histories numbered alike.
SELECT 1;
