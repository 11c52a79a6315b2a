//! A fresh database for a property, on the backend `RECORDSDESK_TEST_BACKEND` names, made the
//! way tests/api/helpers.rs makes one: a temp SQLite file, or a new PostgreSQL database that
//! is dropped afterwards.

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use recordsdesk::config::Settings;
use recordsdesk::db::Db;
use recordsdesk::startup::open_database;

pub struct TestDb {
    pub db: Db,
    pub settings: Settings,
    pub backend: &'static str,
    pg_database: Option<String>,
    _data_dir: tempfile::TempDir,
}

fn pg_admin_url() -> String {
    std::env::var("RECORDSDESK_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable".into())
}

impl TestDb {
    /// Asking for PostgreSQL and not reaching it fails; it never falls back to SQLite.
    pub fn open() -> TestDb {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let (backend, pg_database, url) = match std::env::var("RECORDSDESK_TEST_BACKEND").as_deref()
        {
            Ok("postgres") => {
                let admin = pg_admin_url();
                let mut conn = PgConnection::establish(&admin)
                    .unwrap_or_else(|e| panic!("PostgreSQL tests need a server at {admin}: {e}"));
                let name = format!("rd_prop_{}", recordsdesk::secrets::random_hex(8));
                conn.batch_execute(&format!("CREATE DATABASE {name}"))
                    .expect("create test database");
                let url = recordsdesk::db::postgres_url_for(&admin, &name)
                    .expect("the admin URL names a database");
                ("postgres", Some(name), url)
            }
            Ok("sqlite") | Err(_) => (
                "sqlite",
                None,
                format!("sqlite://{}/recordsdesk.db", data_dir.path().display()),
            ),
            Ok(other) => {
                panic!("RECORDSDESK_TEST_BACKEND must be sqlite or postgres, not {other:?}")
            }
        };
        let mut settings = Settings::defaults();
        settings.data_dir = data_dir.path().to_path_buf();
        settings.database.url = url.into();
        settings.database.pool_size = 2;
        let db = open_database(&settings).expect("the test database opens");
        TestDb {
            db,
            settings,
            backend,
            pg_database,
            _data_dir: data_dir,
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(name) = &self.pg_database else {
            return;
        };
        if let Ok(mut conn) = PgConnection::establish(&pg_admin_url()) {
            let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}
