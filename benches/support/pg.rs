//! A PostgreSQL database a bench makes for its own run (`reports`, `storage`): created on the
//! server `--postgres[=ADMIN_URL]` names, dropped when the bench ends unless kept.

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

/// The server used when `--postgres` names none.
pub const PG_ADMIN: &str = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable";

/// A PostgreSQL database made for this run, dropped when done unless kept.
pub struct PgDatabase {
    admin: String,
    name: String,
    keep: bool,
}

impl PgDatabase {
    /// Creates `{prefix}_{process id}` on the server `admin` (empty: [`PG_ADMIN`]); answers it
    /// with its URL.
    pub fn create(admin: String, prefix: &str, keep: bool) -> (PgDatabase, String) {
        let admin = if admin.is_empty() {
            PG_ADMIN.to_string()
        } else {
            admin
        };
        let name = format!("{prefix}_{}", std::process::id());
        PgConnection::establish(&admin)
            .expect("the PostgreSQL server")
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("a new database");
        let url =
            recordsdesk::db::postgres_url_for(&admin, &name).expect("a URL that names a database");
        (PgDatabase { admin, name, keep }, url)
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if self.keep {
            eprintln!("kept the PostgreSQL database {}", self.name);
        } else if let Ok(mut admin) = PgConnection::establish(&self.admin) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// The value of `--name=value` among the command's arguments, "" for a bare `--name`, None when
/// absent.
pub fn flag(name: &str) -> Option<String> {
    std::env::args().skip(1).find_map(|arg| {
        let rest = arg.strip_prefix(name)?;
        if rest.is_empty() {
            Some(String::new())
        } else {
            rest.strip_prefix('=').map(str::to_string)
        }
    })
}
