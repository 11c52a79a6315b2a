//! The hand-kept diesel schema matches both migrated databases, and migrations reverse.

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use recordsdesk::db::schema::*;

use crate::helpers::*;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Selecting every declared column proves each exists; comparing counts proves none is missing.
macro_rules! check_table {
    ($conn:expr, $table:ident, $name:literal, $columns:expr) => {{
        $table::table.select($table::all_columns).limit(0).execute($conn).expect(concat!("columns of ", $name));
        let sql = match backend() {
            Backend::Sqlite => format!("SELECT COUNT(*) AS n FROM pragma_table_info('{}')", $name),
            Backend::Postgres => format!(
                "SELECT COUNT(*) AS n FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '{}'",
                $name
            ),
        };
        let count: Count = diesel::sql_query(sql).get_result($conn).expect("column count");
        assert_eq!(count.n, $columns, "{} has columns the schema does not declare", $name);
    }};
}

#[tokio::test]
async fn the_diesel_schema_matches_the_migrated_database() {
    let app = spawn_app().await;
    app.with_conn(|conn| {
        check_table!(conn, staff, "staff", 9);
        check_table!(conn, staff_tokens, "staff_tokens", 5);
        check_table!(conn, datasets, "datasets", 20);
        check_table!(conn, counters, "counters", 2);
        check_table!(conn, requesters, "requesters", 8);
        check_table!(conn, requests, "requests", 46);
        check_table!(conn, determinations, "determinations", 17);
        check_table!(conn, messages, "messages", 6);
        check_table!(conn, audit_events, "audit_events", 9);
        check_table!(conn, outbox, "outbox", 14);
        check_table!(conn, idempotency_keys, "idempotency_keys", 4);
        check_table!(conn, reminders, "reminders", 4);
        check_table!(conn, api_keys, "api_keys", 11);
        check_table!(conn, documents, "documents", 15);
        check_table!(conn, link_tokens, "link_tokens", 6);
        check_table!(conn, requester_files, "requester_files", 8);
        check_table!(conn, posted_letters, "posted_letters", 6);
        check_table!(conn, inbound_mail, "inbound_mail", 15);
        check_table!(conn, mail_events, "mail_events", 8);
        check_table!(conn, search_indexes, "search_indexes", 2);
        check_table!(conn, departments, "departments", 8);
        check_table!(conn, department_names, "department_names", 4);
        check_table!(conn, department_signers, "department_signers", 2);
        check_table!(conn, holiday_changes, "holiday_changes", 5);
        check_table!(conn, staff_links, "staff_links", 6);
        check_table!(conn, admin_events, "admin_events", 8);
        check_table!(conn, fee_estimates, "fee_estimates", 10);
        check_table!(conn, fee_entries, "fee_entries", 10);
        check_table!(conn, publications, "publications", 9);
        check_table!(conn, document_texts, "document_texts", 6);
        Ok(())
    });
}

#[tokio::test]
async fn every_migration_reverts_and_reapplies_cleanly() {
    use diesel_migrations::{FileBasedMigrations, MigrationHarness};
    use recordsdesk::db::Conn;

    let app = spawn_app().await;
    let folder = match backend() {
        Backend::Sqlite => "migrations/sqlite",
        Backend::Postgres => "migrations/postgres",
    };
    let migrations = || FileBasedMigrations::from_path(folder).expect("migrations folder");
    app.with_conn(|conn| {
        match conn {
            Conn::Sqlite(c) => {
                c.revert_all_migrations(migrations()).expect("down.sql");
                c.run_pending_migrations(migrations())
                    .expect("up.sql again");
            }
            Conn::Postgres(c) => {
                c.revert_all_migrations(migrations()).expect("down.sql");
                c.run_pending_migrations(migrations())
                    .expect("up.sql again");
            }
        }
        Ok(())
    });
    // The service still works on the re-created schema.
    app.submit_records_request().await;
}
