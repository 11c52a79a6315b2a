//! What a request costs on disk (issue 25, target 4): the real server in this process, with
//! the notice dispatcher on as in production (the file transport), takes N requests through a
//! full life over the JSON API (filed, accepted for review, denied, appealed, taken up by
//! another reviewer, upheld), waits until every notice is sent, and prints the bytes each
//! table holds (with its indexes) per request, against the same database measured before the
//! first request (its migrations, two staff accounts and the directory: the baseline).
//!
//! `cargo bench --bench storage` or `cargo bench --bench storage -- 500` (requests).
//! `--postgres[=ADMIN_URL]` uses a new PostgreSQL database on that server (dropped at the
//! end), measured after `VACUUM FULL` so dead row versions are not counted; `--keep` keeps the
//! SQLite file or the PostgreSQL database. On SQLite each table's pages in use are counted
//! (`dbstat`: the file's growth, less pages on the free list), and again in a copy written
//! compactly (`VACUUM INTO`, as a backup is written): SQLite never merges pages when rows
//! shrink, so the two differ by the room left on pages by rows that did.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel::{Connection, PgConnection};
use reqwest::StatusCode;
use serde_json::{json, Value};

use recordsdesk::app::admin;
use recordsdesk::app::staff::RawStaffAccount;
use recordsdesk::config::Settings;
use recordsdesk::db::{Conn, Db};
use recordsdesk::startup::{open_database, Application};

#[path = "support/pg.rs"]
mod pg;
use pg::{flag, PgDatabase};

const PASSWORD: &str = "a long bench password";
/// Lives run at once.
const AT_ONCE: usize = 8;

#[derive(QueryableByName)]
struct TableBytes {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = BigInt)]
    bytes: i64,
}

/// The bytes each table holds, its indexes (and on PostgreSQL its TOAST) included.
fn table_bytes(db: &Db, url: &str) -> BTreeMap<String, i64> {
    let rows: Vec<TableBytes> = if url.starts_with("postgres") {
        // VACUUM runs outside a transaction, so on a connection of its own.
        let mut c = PgConnection::establish(url).expect("the PostgreSQL database");
        c.batch_execute("VACUUM FULL").expect("VACUUM FULL");
        diesel::sql_query(
            "SELECT c.relname::text AS name, pg_total_relation_size(c.oid)::bigint AS bytes \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = current_schema() AND c.relkind = 'r'",
        )
        .load(&mut c)
        .expect("the sizes of the tables")
    } else {
        db.read(|conn| match conn {
            Conn::Sqlite(c) => diesel::sql_query(SQLITE_TABLE_BYTES)
                .load(c)
                .map_err(recordsdesk::db::DbError::from),
            Conn::Postgres(_) => unreachable!("a SQLite URL"),
        })
        .expect("the sizes of the tables")
    };
    rows.into_iter().map(|r| (r.name, r.bytes)).collect()
}

/// What each table of the SQLite database at `url` would take written compactly, as a
/// backup (`VACUUM INTO`) or a `VACUUM` writes it: no room left on a page by rows that shrank.
fn compacted_bytes(url: &str) -> BTreeMap<String, i64> {
    let path = url.trim_start_matches("sqlite://");
    let copy = format!("{path}.compacted");
    let _ = std::fs::remove_file(&copy);
    diesel::SqliteConnection::establish(path)
        .expect("the SQLite database")
        .batch_execute(&format!("VACUUM INTO '{}'", copy.replace('\'', "''")))
        .expect("VACUUM INTO");
    let rows: Vec<TableBytes> = diesel::sql_query(SQLITE_TABLE_BYTES)
        .load(&mut diesel::SqliteConnection::establish(&copy).expect("the copy"))
        .expect("the sizes of the tables");
    let _ = std::fs::remove_file(&copy);
    rows.into_iter().map(|r| (r.name, r.bytes)).collect()
}

/// The pages each SQLite table and its indexes use.
const SQLITE_TABLE_BYTES: &str = "SELECT m.tbl_name AS name, CAST(SUM(s.pgsize) AS BIGINT) AS \
     bytes FROM dbstat AS s JOIN sqlite_schema AS m ON m.name = s.name GROUP BY m.tbl_name";

/// Notices not yet sent; a dead-lettered one stops the bench.
fn waiting(db: &Db) -> i64 {
    use recordsdesk::db::schema::outbox;
    let (unsent, dead) = db
        .read(|conn| {
            let dead = outbox::table
                .filter(outbox::status.eq("dead"))
                .count()
                .get_result::<i64>(conn)?;
            let unsent = outbox::table
                .filter(outbox::status.ne("sent"))
                .count()
                .get_result::<i64>(conn)?;
            Ok::<_, recordsdesk::db::DbError>((unsent, dead))
        })
        .expect("the outbox");
    assert_eq!(dead, 0, "a notice was dead-lettered");
    unsent
}

struct Api {
    client: reqwest::Client,
    base: String,
}

impl Api {
    async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Value {
        let mut call = self.client.post(format!("{}{path}", self.base)).json(body);
        if let Some(token) = token {
            call = call.bearer_auth(token);
        }
        let reply = call.send().await.expect("the server answers");
        let status = reply.status();
        let body: Value = reply.json().await.unwrap_or(Value::Null);
        assert!(
            status == StatusCode::OK || status == StatusCode::CREATED,
            "POST {path}: {status} {body}"
        );
        body
    }

    async fn login(&self, email: &str) -> String {
        let body = json!({ "email": email, "password": PASSWORD });
        let reply = self.post("/api/v1/auth/login", None, &body).await;
        reply["token"].as_str().expect("a token").to_string()
    }

    /// Moves a request from `version` and answers the version it is at now.
    async fn transition(&self, tn: &str, token: &str, mut body: Value, version: &Value) -> Value {
        body["version"] = version.clone();
        let path = format!("/api/v1/requests/{tn}/transitions");
        self.post(&path, Some(token), &body).await["version"].clone()
    }
}

fn denial() -> Value {
    json!({
        "to": "denied",
        "reason": "The records are investigative files of an ongoing case.",
        "withheld": [{
            "item": "Investigation file 2026-114",
            "exemption": "7923.600",
            "reason": "The investigation is open; releasing the file would endanger it."
        }],
        "responsible": [{ "name": "Pat Records", "title": "Deputy City Clerk" }],
        "segregability": "Every page describes the investigation; nothing can be separated."
    })
}

/// One request's whole life, as issue 25 measures it.
async fn full_life(api: &Api, clerk: &str, reviewer: &str, n: usize) {
    let filed = api
        .post(
            "/api/v1/requests",
            None,
            &json!({
                "kind": "public_records",
                "requester": {
                    "name": "Jane Q. Public",
                    "email": format!("jane{n}@example.com"),
                    "phone": "(925) 555-0100"
                },
                "description": "All police incident logs for Todos Santos Plaza, March 2026.",
                "preferred_format": "PDF"
            }),
        )
        .await;
    let tn = filed["tracking_number"]
        .as_str()
        .expect("a tracking number");
    let token = filed["access_token"].as_str().expect("a private link");
    let version = filed["version"].clone();
    let version = api
        .transition(tn, clerk, json!({ "to": "under_review" }), &version)
        .await;
    api.transition(tn, clerk, denial(), &version).await;
    let appealed = api
        .post(
            &format!("/api/v1/requests/{tn}/appeal"),
            Some(token),
            &json!({ "grounds": "The case closed in 2025." }),
        )
        .await;
    let version = api
        .transition(
            tn,
            reviewer,
            json!({ "to": "administrative_review" }),
            &appealed["version"],
        )
        .await;
    let mut upholding = denial();
    upholding["decision"] = json!("The investigation is still open.");
    api.transition(tn, reviewer, upholding, &version).await;
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let keep = flag("--keep").is_some();
    let lives: usize = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);

    let dir = tempfile::tempdir().unwrap();
    let mut settings = Settings::defaults();
    settings.data_dir = dir.path().to_path_buf();
    settings.database.url = format!("sqlite://{}/storage.db", dir.path().display()).into();
    let mut _pg = None;
    if let Some(admin) = flag("--postgres") {
        let (pg, url) = PgDatabase::create(admin, "rd_storage", keep);
        settings.database.url = url.into();
        _pg = Some(pg);
    }
    let dir = if keep {
        let files = dir.keep();
        eprintln!(
            "the database: {}, its files in {}",
            settings.database.url.expose(),
            files.display()
        );
        None
    } else {
        Some(dir)
    };
    settings.server.bind = "127.0.0.1:0".into();
    // As in production: notices are sent while the requests go through (to files).
    settings.mail.dispatcher = true;
    settings.mail.transport = "file".into();
    settings.limits.submissions_per_minute = 1_000_000;

    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(measure(settings, lives));
    drop(dir);
}

async fn measure(settings: Settings, lives: usize) {
    let app = Application::build(&settings).expect("the server starts");
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let db = open_database(&settings).unwrap();
    for (email, role) in [
        ("clerk@city.test", "admin"),
        ("reviewer@city.test", "reviewer"),
    ] {
        let account = RawStaffAccount {
            email: email.into(),
            name: format!("Bench {role}"),
            role: role.into(),
            department: None,
            title: Some(format!("City {role}")),
            password: PASSWORD.into(),
        };
        admin::add_staff(&db, account).expect("a staff account");
    }
    let api = std::sync::Arc::new(Api {
        client: reqwest::Client::new(),
        base,
    });
    let clerk = api.login("clerk@city.test").await;
    let reviewer = api.login("reviewer@city.test").await;
    let url = settings.database.url.expose().to_string();
    let sqlite = !url.starts_with("postgres");
    let before = table_bytes(&db, &url);
    let before_compacted = if sqlite {
        compacted_bytes(&url)
    } else {
        before.clone()
    };

    let started = Instant::now();
    let mut running = tokio::task::JoinSet::new();
    for n in 0..lives {
        if running.len() == AT_ONCE {
            running.join_next().await.unwrap().expect("a life");
        }
        let (api, clerk, reviewer) = (api.clone(), clerk.clone(), reviewer.clone());
        running.spawn(async move { full_life(&api, &clerk, &reviewer, n).await });
    }
    while let Some(done) = running.join_next().await {
        done.expect("a life");
    }
    let lived = started.elapsed();
    let mut left = waiting(&db);
    for _ in 0..600 {
        if left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        left = waiting(&db);
    }
    assert_eq!(left, 0, "notices not sent after a minute");
    let after = table_bytes(&db, &url);
    let after_compacted = if sqlite {
        compacted_bytes(&url)
    } else {
        after.clone()
    };

    let per = |bytes: i64| bytes as f64 / lives as f64 / 1024.0;
    let grown = |after: &BTreeMap<String, i64>, before: &BTreeMap<String, i64>| {
        let mut names: Vec<&String> = after.keys().chain(before.keys()).collect();
        names.sort();
        names.dedup();
        names
            .into_iter()
            .map(|name| {
                let grew =
                    after.get(name).copied().unwrap_or(0) - before.get(name).copied().unwrap_or(0);
                (name.clone(), grew)
            })
            .collect::<BTreeMap<String, i64>>()
    };
    let stored = grown(&after, &before);
    let compacted = grown(&after_compacted, &before_compacted);
    let mut rows: Vec<(&String, i64, i64)> = stored
        .iter()
        .map(|(name, &grew)| (name, grew, compacted.get(name).copied().unwrap_or(0)))
        .filter(|(_, grew, compact)| *grew != 0 || *compact != 0)
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    println!(
        "{lives} full lives in {:.1} s ({}), notices all sent; baseline {:.0} KB",
        lived.as_secs_f64(),
        if sqlite { "sqlite" } else { "postgres" },
        before.values().sum::<i64>() as f64 / 1024.0,
    );
    if sqlite {
        println!("| table (with its indexes) | KB per request, pages in use | written compactly |");
        println!("|---|---:|---:|");
        for (name, grew, compact) in &rows {
            println!("| {name} | {:.2} | {:.2} |", per(*grew), per(*compact));
        }
        println!(
            "| **all** | **{:.2}** | **{:.2}** |",
            per(stored.values().sum()),
            per(compacted.values().sum())
        );
    } else {
        println!("| table (with its indexes), after VACUUM FULL | KB per request |");
        println!("|---|---:|");
        for (name, grew, _) in &rows {
            println!("| {name} | {:.2} |", per(*grew));
        }
        println!("| **all** | **{:.2}** |", per(stored.values().sum()));
    }
}
