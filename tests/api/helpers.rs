//! Starts the real application on a random port against a fresh database, SQLite or
//! PostgreSQL as `RECORDSDESK_TEST_BACKEND` says, and talks to it over HTTP.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::PgConnection;
use recordsdesk::app::admin;
use recordsdesk::app::staff::RawStaffAccount;
use recordsdesk::config::Settings;
use recordsdesk::db::models::NewDataset;
use recordsdesk::db::schema::{audit_events, messages, outbox, requests};
use recordsdesk::db::{datasets, Conn, Db};
use recordsdesk::startup::{open_database, Application};
use reqwest::StatusCode;
use serde_json::{json, Value};

pub const PASSWORD: &str = "correct horse battery staple";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The backend under test. Asking for PostgreSQL and not reaching it fails the tests; it
/// never falls back to SQLite.
pub fn backend() -> Backend {
    match std::env::var("RECORDSDESK_TEST_BACKEND").as_deref() {
        Ok("postgres") => Backend::Postgres,
        Ok("sqlite") | Err(_) => Backend::Sqlite,
        Ok(other) => panic!("RECORDSDESK_TEST_BACKEND must be sqlite or postgres, not {other:?}"),
    }
}

fn pg_admin_url() -> String {
    std::env::var("RECORDSDESK_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable".into())
}

/// A PostgreSQL database made for one test and dropped after it.
pub struct PgDatabase {
    name: String,
}

impl PgDatabase {
    fn create() -> (PgDatabase, String) {
        let admin = pg_admin_url();
        let mut conn = PgConnection::establish(&admin)
            .unwrap_or_else(|e| panic!("PostgreSQL tests need a server at {admin}: {e}"));
        let name = format!("rd_test_{}", recordsdesk::secrets::random_hex(8));
        conn.batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create test database");
        let url = recordsdesk::db::postgres_url_for(&admin, &name)
            .expect("the admin URL names a database");
        (PgDatabase { name }, url)
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut conn) = PgConnection::establish(&pg_admin_url()) {
            let _ = conn.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// A new, empty database of the backend under test: a file in `data_dir`, or a PostgreSQL
/// database that is dropped with the returned guard.
pub fn fresh_database(data_dir: &std::path::Path) -> (Option<PgDatabase>, String) {
    match backend() {
        Backend::Sqlite => (
            None,
            format!("sqlite://{}/recordsdesk.db", data_dir.display()),
        ),
        Backend::Postgres => {
            let (db, url) = PgDatabase::create();
            (Some(db), url)
        }
    }
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub database_url: String,
    pub db: Db,
    pub settings: Settings,
    _data_dir: tempfile::TempDir,
    _pg: Option<PgDatabase>,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the app with settings adjusted by `tweak`.
pub async fn spawn_app_with(tweak: impl FnOnce(&mut Settings)) -> TestApp {
    let _ = env_logger::builder().is_test(true).try_init();
    let data_dir = tempfile::tempdir().expect("temp dir");
    let (pg, database_url) = fresh_database(data_dir.path());
    let mut settings = Settings::defaults();
    settings.data_dir = data_dir.path().to_path_buf();
    settings.server.bind = "127.0.0.1:0".into();
    settings.database.pool_size = 4;
    settings.database.url = database_url.clone().into();
    // Sending is tested on its own (tests/api/mail.rs); elsewhere notices stay queued, so
    // what a test counts does not change under it.
    settings.mail.dispatcher = false;
    // Tests file many requests from one address; tests/api/limits.rs checks the limits.
    settings.limits.submissions_per_minute = 100_000;
    tweak(&mut settings);
    let app = Application::build(&settings).expect("the application starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let db = open_database(&settings).expect("a second handle on the test database");
    TestApp {
        address,
        client: reqwest::Client::new(),
        database_url,
        db,
        settings,
        _data_dir: data_dir,
        _pg: pg,
    }
}

/// A reply: its status and its JSON body (Null when there is none).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
}

impl Reply {
    pub fn field_errors(&self) -> Vec<String> {
        self.body["fields"]
            .as_object()
            .map(|f| f.keys().cloned().collect())
            .unwrap_or_default()
    }
}

async fn reply(response: reqwest::Response) -> Reply {
    let status = response.status();
    let text = response.text().await.expect("a body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    Reply { status, body }
}

/// A filed request and its private token.
#[derive(Debug, Clone)]
pub struct Filed {
    pub tracking_number: String,
    pub token: String,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        let mut request = self.client.get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        reply(request.send().await.expect("GET")).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Reply {
        let mut request = self.client.post(self.url(path)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        reply(request.send().await.expect("POST")).await
    }

    pub async fn post_raw(
        &self,
        path: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> Reply {
        let request = self
            .client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body);
        reply(request.send().await.expect("POST")).await
    }

    /// Runs `f` on the test's own connection to the database.
    pub fn with_conn<T>(&self, f: impl FnOnce(&mut Conn) -> QueryResult<T>) -> T {
        self.db
            .read(|conn| f(conn).map_err(recordsdesk::db::DbError::from))
            .expect("database query")
    }

    /// Runs raw SQL as someone with direct database access would (to simulate time passing,
    /// or tampering).
    pub fn sql(&self, statements: &str) -> Result<(), String> {
        self.db
            .read(|conn| {
                conn.batch_execute(statements)
                    .map_err(recordsdesk::db::DbError::from)
            })
            .map_err(|e| e.to_string())
    }

    pub fn add_staff(&self, email: &str, name: &str, role: &str, department: Option<&str>) {
        if let Some(department) = department {
            self.ensure_department(department);
        }
        let raw = RawStaffAccount {
            email: email.into(),
            name: name.into(),
            role: role.into(),
            department: department.map(str::to_string),
            // Staff named responsible for a decision are named with their title.
            title: Some(format!("City {role}")),
            password: PASSWORD.into(),
        };
        admin::add_staff(&self.db, raw).unwrap_or_else(|e| panic!("add staff {email}: {e}"));
    }

    /// Adds a department to the directory unless it has one by that name (as an admin would
    /// on the Departments page).
    pub fn ensure_department(&self, name: &str) {
        self.db
            .write(|conn| {
                let directory = recordsdesk::db::directory::load(conn)?;
                if directory.by_name(name).is_none() {
                    let raw = recordsdesk::domain::directory::RawDepartment {
                        name: name.into(),
                        ..Default::default()
                    };
                    recordsdesk::app::departments::add(
                        conn,
                        &recordsdesk::audit::Actor::System,
                        &raw,
                    )
                    .map_err(|e| {
                        recordsdesk::db::DbError::Query(diesel::result::Error::QueryBuilderError(
                            e.to_string().into(),
                        ))
                    })?;
                }
                Ok::<_, recordsdesk::db::DbError>(())
            })
            .expect("add department");
    }

    /// Adds a staff member and signs them in; returns their bearer token.
    pub async fn staff(&self, email: &str, role: &str, department: Option<&str>) -> String {
        self.add_staff(email, &format!("Test {role}"), role, department);
        self.login(email).await
    }

    pub async fn login(&self, email: &str) -> String {
        let reply = self
            .post(
                "/api/v1/auth/login",
                None,
                &json!({ "email": email, "password": PASSWORD }),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "login {email}: {:?}",
            reply.body
        );
        reply.body["token"].as_str().expect("token").to_string()
    }

    /// A dataset in the catalog; `department` is the publisher its catalog names, which the
    /// directory places (a department's own name places it there).
    pub fn add_dataset(
        &self,
        id: &str,
        title: &str,
        steward_email: Option<&str>,
        department: Option<&str>,
    ) {
        let now = recordsdesk::db::now();
        self.db
            .write(|conn| {
                datasets::upsert(
                    conn,
                    &NewDataset {
                        id,
                        title,
                        steward_email,
                        department,
                        publisher: department,
                        access_level: "restricted public",
                        updated_at: now,
                        keywords: "[]",
                        distributions: "[]",
                        ..Default::default()
                    },
                )
                .map_err(recordsdesk::db::DbError::from)
            })
            .expect("add dataset");
    }

    pub async fn submit(&self, body: &Value) -> Filed {
        let reply = self.post("/api/v1/requests", None, body).await;
        assert_eq!(
            reply.status,
            StatusCode::CREATED,
            "submit: {:?}",
            reply.body
        );
        Filed {
            tracking_number: reply.body["tracking_number"].as_str().unwrap().to_string(),
            token: reply.body["access_token"].as_str().unwrap().to_string(),
        }
    }

    pub async fn submit_records_request(&self) -> Filed {
        self.submit(&records_request()).await
    }

    pub async fn case(&self, tracking_number: &str, token: &str) -> Value {
        let reply = self
            .get(&format!("/api/v1/requests/{tracking_number}"), Some(token))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        reply.body
    }

    pub async fn transition(&self, tracking_number: &str, token: &str, body: Value) -> Reply {
        self.post(
            &format!("/api/v1/requests/{tracking_number}/transitions"),
            Some(token),
            &body,
        )
        .await
    }

    /// Moves a request and insists it worked; returns the new case.
    pub async fn must_transition(
        &self,
        tracking_number: &str,
        token: &str,
        mut body: Value,
    ) -> Value {
        let version = self.case(tracking_number, token).await["version"].clone();
        body["version"] = version;
        let reply = self.transition(tracking_number, token, body.clone()).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "transition {body}: {:?}",
            reply.body
        );
        reply.body
    }

    /// Rows in the tables a refused call must leave alone.
    pub fn counts(&self) -> Counts {
        self.with_conn(|conn| {
            Ok(Counts {
                requests: requests::table.count().get_result(conn)?,
                audit_events: audit_events::table.count().get_result(conn)?,
                outbox: outbox::table.count().get_result(conn)?,
                messages: messages::table.count().get_result(conn)?,
            })
        })
    }

    /// The notices queued for a request: (notice, recipient, the stored message with its
    /// `subject`, `text` and `html`, as its request's chain keeps it: private token withheld).
    pub fn notices(&self, tracking_number: &str) -> Vec<(String, String, Value)> {
        let tn = tracking_number.to_string();
        self.with_conn(move |conn| {
            let id: i64 = requests::table
                .filter(requests::tracking_number.eq(&tn))
                .select(requests::id)
                .first(conn)?;
            let rows: Vec<(i64, String, String, String)> = outbox::table
                .filter(outbox::request_id.eq(id))
                .order(outbox::id)
                .select((
                    outbox::id,
                    outbox::notice,
                    outbox::recipient,
                    outbox::payload,
                ))
                .load(conn)?;
            // A request's letter is kept in its request's chain only, its private token
            // withheld; a row queued before that held it, token still to be filled.
            use recordsdesk::notify::outbox::{self as ob, Payload};
            let in_chain = ob::queued_messages(conn, recordsdesk::domain::ids::RequestId(id))?;
            Ok(rows
                .into_iter()
                .map(|(outbox_id, n, r, p)| {
                    let message = match ob::payload(&p).unwrap() {
                        Payload::Whole(_) => serde_json::from_str(&p).unwrap(),
                        Payload::InChain(_) | Payload::Sent => {
                            let kept = &in_chain[&recordsdesk::domain::ids::OutboxId(outbox_id)];
                            serde_json::json!({
                                "subject": kept.subject, "text": kept.text, "html": kept.html
                            })
                        }
                    };
                    (n, r, message)
                })
                .collect())
        })
    }

    /// SQLite's `EXPLAIN QUERY PLAN` of `sql`, a line a step (SQLite tests only).
    pub fn sqlite_plan(&self, sql: &str) -> Vec<String> {
        /// A line of the plan.
        #[derive(diesel::QueryableByName)]
        struct PlanLine {
            #[diesel(sql_type = diesel::sql_types::Text)]
            detail: String,
        }
        self.with_conn(|conn| match conn {
            Conn::Sqlite(c) => diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
                .load::<PlanLine>(c)
                .map(|lines| lines.into_iter().map(|l| l.detail).collect()),
            Conn::Postgres(_) => unreachable!("SQLite only"),
        })
    }

    /// Asserts that SQLite reads `table` in `sql` only by what `by` names (a part of a plan's
    /// line, such as `" INDEX requests_by_requester "`), and reads it at all: no other index,
    /// no scan of the table.
    pub fn assert_sqlite_reads(&self, sql: &str, table: &str, by: &str) {
        let plan = self.sqlite_plan(sql);
        let reads: Vec<&String> = plan
            .iter()
            .filter(|l| {
                l.starts_with(&format!("SEARCH {table} "))
                    || l.starts_with(&format!("SCAN {table}"))
            })
            .collect();
        assert!(
            !reads.is_empty() && reads.iter().all(|l| l.contains(by)),
            "{sql}\nreads {table} by {plan:?}, not only by {by:?}"
        );
    }

    /// A browser-like client signed in on the staff pages (through the sign-in form).
    pub async fn signed_in_pages(&self, email: &str) -> reqwest::Client {
        let client = page_client();
        let form = client.get(self.url("/staff/login")).send().await.unwrap();
        let csrf = csrf_in(&form.text().await.unwrap());
        let signed_in = client
            .post(self.url("/staff/login"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", email),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(signed_in.status(), StatusCode::SEE_OTHER, "sign in {email}");
        client
    }

    /// Runs the real `recordsdesk` binary against this test's database.
    pub async fn cli(&self, args: &[&str], stdin: Option<&str>) -> std::process::Output {
        self.cli_on(&self.database_url, args, stdin).await
    }

    /// Runs the real `recordsdesk` binary against another database (a restored backup).
    pub async fn cli_on(
        &self,
        database_url: &str,
        args: &[&str],
        stdin: Option<&str>,
    ) -> std::process::Output {
        self.cli_with(database_url, args, stdin, &[]).await
    }

    /// Runs the real `recordsdesk` binary with more environment variables (settings).
    pub async fn cli_with(
        &self,
        database_url: &str,
        args: &[&str],
        stdin: Option<&str>,
        env: &[(String, String)],
    ) -> std::process::Output {
        use tokio::io::AsyncWriteExt;
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_recordsdesk"));
        command
            .args(args)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .env("RECORDSDESK_DATABASE_URL", database_url)
            .env("RECORDSDESK_DATA_DIR", &self.settings.data_dir)
            .env("RUST_LOG", "warn")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = command.spawn().expect("run recordsdesk");
        let mut input = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).await.unwrap();
        }
        drop(input);
        child.wait_with_output().await.expect("recordsdesk output")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub requests: i64,
    pub audit_events: i64,
    pub outbox: i64,
    pub messages: i64,
}

/// A browser-like client: it keeps its cookies and does not follow redirects.
pub fn page_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A browser that opened the request's private link: it holds the request, as a requester's
/// does after following the link from an email.
pub async fn requester_browser(app: &TestApp, filed: &Filed) -> reqwest::Client {
    let client = page_client();
    let opened = client
        .get(app.url(&format!(
            "/requests/{}?token={}",
            filed.tracking_number, filed.token
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(
        opened.status(),
        StatusCode::SEE_OTHER,
        "the private link opens"
    );
    client
}

/// The text of a page as this client gets it.
pub async fn page_text(client: &reqwest::Client, url: String) -> String {
    client.get(url).send().await.unwrap().text().await.unwrap()
}

/// The CSRF token of the first form on a page.
pub fn csrf_in(page: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let at = page.find(marker).expect("the form carries a CSRF token") + marker.len();
    page[at..at + page[at..].find('"').unwrap()].to_string()
}

pub fn records_request() -> Value {
    json!({
        "kind": "public_records",
        "requester": { "name": "Jane Q. Public", "email": "jane@example.com", "phone": "(925) 555-0100" },
        "description": "All police incident logs for Todos Santos Plaza, March 2026.",
        "preferred_format": "PDF"
    })
}

pub fn access_request(dataset_id: &str) -> Value {
    json!({
        "kind": "api_access",
        "requester": { "name": "Dev Eloper", "email": "dev@example.org", "organization": "Civic Apps" },
        "description": "API access to the building permits dataset.",
        "dataset_id": dataset_id,
        "fields_needed": "permit number, address, valuation",
        "intended_use": "A public map of construction in Concord."
    })
}

/// A denial that carries all a denial must (docs/PRODUCT.md, "Determinations").
pub fn denial() -> Value {
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

/// When granted records will be available, as staff type it: two days from now at 4 PM in
/// the city's time.
pub fn records_due_at() -> String {
    let local = chrono::Utc::now().with_timezone(&chrono_tz::America::Los_Angeles);
    format!("{}T16:00", local.date_naive() + chrono::Days::new(2))
}

/// A grant in full.
pub fn grant(decision: &str) -> Value {
    json!({ "to": "granted", "decision": decision, "records_due_at": records_due_at() })
}

/// A grant in part, with what is withheld and who is responsible.
pub fn partial_grant() -> Value {
    json!({
        "to": "granted",
        "decision": "The logs are released with victims' names redacted.",
        "records_due_at": records_due_at(),
        "partial": true,
        "withheld": [{
            "item": "Victims' names",
            "exemption": "7927.705",
            "reason": "Protected by Penal Code §293, which §7927.705 brings in."
        }],
        "responsible": [{ "name": "Pat Records", "title": "Deputy City Clerk" }]
    })
}

/// A no-records answer.
pub fn no_records() -> Value {
    json!({
        "to": "no_records",
        "search": "The Clerk's files and the Police records system for March 2026."
    })
}

/// A date the API writes (`2026-12-07`) as the notices write it ("Monday, December 7, 2026").
pub fn long_date(iso: &str) -> String {
    let day = chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").expect("a date the API wrote");
    recordsdesk::notify::render::long_date(day)
}

/// A PDF as small as one can be: enough for the checks that tell a file by its bytes.
pub const PDF: &[u8] =
    b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// The SHA-256 of `bytes`, in lowercase hex, as the audit log writes it.
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// A multipart upload with a file part and optional text parts.
pub fn form(file_name: &str, bytes: Vec<u8>, extra: &[(&str, &str)]) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()),
    );
    for (name, value) in extra {
        form = form.text(name.to_string(), value.to_string());
    }
    form
}

/// A real S3-compatible server (`s3s-fs`) over a temporary folder, on a free port of
/// 127.0.0.1, with the bucket `bucket` made; stopped when its last clone is dropped. The
/// binary is named by `RECORDSDESK_TEST_S3_SERVER` (default `/opt/s3s/bin/s3s-fs`); without
/// it the test fails, it is never skipped. Each bucket is a folder, each object a file in it,
/// so a test can look at and change what the bucket holds.
#[derive(Clone)]
pub struct S3Server {
    pub endpoint: String,
    pub access_key: String,
    pub secret_key: String,
    /// The bucket `configure` names.
    pub bucket: String,
    process: std::sync::Arc<S3Process>,
}

struct S3Process {
    root: tempfile::TempDir,
    child: std::sync::Mutex<std::process::Child>,
}

impl S3Server {
    pub fn start() -> S3Server {
        let binary = std::env::var("RECORDSDESK_TEST_S3_SERVER")
            .unwrap_or_else(|_| "/opt/s3s/bin/s3s-fs".into());
        assert!(
            std::path::Path::new(&binary).is_file(),
            "the S3 test server {binary} is missing: install it with \
             `cargo install s3s-fs@0.14.1 --features binary --root /opt/s3s`, \
             or name it in RECORDSDESK_TEST_S3_SERVER"
        );
        let root = tempfile::tempdir().expect("temp dir");
        let (access_key, secret_key) = (
            "recordsdesk-test".to_string(),
            recordsdesk::secrets::random_hex(16),
        );
        // A port found free may be taken before the server binds it: try again.
        for _ in 0..5 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("a free port")
                .port();
            let mut child = std::process::Command::new(&binary)
                .args(["--host", "127.0.0.1", "--port", &port.to_string()])
                .args(["--access-key", &access_key, "--secret-key", &secret_key])
                .arg(root.path())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("starting the S3 test server {binary}: {e}"));
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
            while std::time::Instant::now() < deadline {
                if child.try_wait().expect("the S3 test server").is_some() {
                    break;
                }
                if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    let server = S3Server {
                        endpoint: format!("http://127.0.0.1:{port}"),
                        access_key,
                        secret_key,
                        bucket: "records".into(),
                        process: std::sync::Arc::new(S3Process {
                            root,
                            child: std::sync::Mutex::new(child),
                        }),
                    };
                    server.create_bucket(&server.bucket);
                    return server;
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("the S3 test server {binary} did not start");
    }

    /// Makes a bucket (a folder, to s3s-fs).
    pub fn create_bucket(&self, bucket: &str) {
        std::fs::create_dir_all(self.process.root.path().join(bucket)).expect("bucket folder");
    }

    /// The file holding an object's bytes.
    pub fn object_file(&self, bucket: &str, key: &str) -> std::path::PathBuf {
        self.process.root.path().join(bucket).join(key)
    }

    /// The keys of every object in the bucket, in order.
    pub fn objects(&self, bucket: &str) -> Vec<String> {
        fn walk(dir: &std::path::Path, prefix: &str, found: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).expect("bucket folder").flatten() {
                let name = entry.file_name().to_string_lossy().to_string();
                let key = format!("{prefix}{name}");
                if entry.file_type().unwrap().is_dir() {
                    walk(&entry.path(), &format!("{key}/"), found);
                } else {
                    found.push(key);
                }
            }
        }
        let mut found = Vec::new();
        walk(&self.process.root.path().join(bucket), "", &mut found);
        found.sort();
        found
    }

    /// Settings that keep the files in this server's `bucket`.
    pub fn configure(&self, settings: &mut Settings) {
        self.use_bucket(settings, &self.bucket);
    }

    /// Settings that keep the files in `bucket` of this server.
    pub fn use_bucket(&self, settings: &mut Settings, bucket: &str) {
        use recordsdesk::config::FileBackend;
        settings.files.backend = FileBackend::S3;
        let s3 = &mut settings.files.s3;
        s3.bucket = bucket.into();
        s3.endpoint = self.endpoint.clone();
        s3.region = "us-east-1".into();
        s3.access_key_id = self.access_key.clone();
        s3.secret_access_key = self.secret_key.clone().into();
        s3.allow_http = true;
    }

    /// The same settings as environment variables, for the CLI.
    pub fn env(&self, bucket: &str) -> Vec<(String, String)> {
        [
            ("BACKEND", "s3"),
            ("S3__BUCKET", bucket),
            ("S3__ENDPOINT", &self.endpoint),
            ("S3__ACCESS_KEY_ID", &self.access_key),
            ("S3__SECRET_ACCESS_KEY", &self.secret_key),
            ("S3__ALLOW_HTTP", "true"),
        ]
        .iter()
        .map(|(k, v)| (format!("RECORDSDESK__FILES__{k}"), v.to_string()))
        .collect()
    }
}

impl Drop for S3Process {
    fn drop(&mut self) {
        let child = self.child.get_mut().unwrap_or_else(|e| e.into_inner());
        let _ = child.kill();
        let _ = child.wait();
    }
}
