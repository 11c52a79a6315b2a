//! The hash-chained audit log: readable by staff, append-only, and `audit verify` catches edits.

use reqwest::StatusCode;
use serde_json::{json, Value};

use recordsdesk::db::{DatabaseUrl, Db, DbError};

use crate::helpers::*;

async fn request_with_history(app: &TestApp) -> (Filed, String) {
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.clone();
    app.must_transition(&tn, &clerk, json!({ "to": "under_review" }))
        .await;
    let body = json!({ "body": "Working on it." });
    app.post(
        &format!("/api/v1/requests/{tn}/messages"),
        Some(&clerk),
        &body,
    )
    .await;
    app.must_transition(&tn, &clerk, grant("Attached.")).await;
    (filed, clerk)
}

async fn audit_log(app: &TestApp, tn: &str, token: &str) -> Vec<Value> {
    let reply = app
        .get(&format!("/api/v1/requests/{tn}/audit"), Some(token))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["events"].as_array().unwrap().clone()
}

#[tokio::test]
async fn staff_read_a_requests_chain_in_order_with_linked_hashes() {
    let app = spawn_app().await;
    let (filed, clerk) = request_with_history(&app).await;
    let events = audit_log(&app, &filed.tracking_number, &clerk).await;

    assert_eq!(events[0]["prev_hash"], "0".repeat(64));
    for pair in events.windows(2) {
        assert_eq!(pair[1]["prev_hash"], pair[0]["hash"]);
        assert_eq!(
            pair[1]["seq"].as_i64().unwrap(),
            pair[0]["seq"].as_i64().unwrap() + 1
        );
    }

    let (steps, emails): (Vec<&Value>, Vec<&Value>) =
        events.iter().partition(|e| e["action"] != "notice_queued");
    let actions: Vec<&str> = steps
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "submitted",
            "link_issued",
            "transition",
            "message",
            "transition"
        ]
    );
    assert_eq!(steps[0]["actor"], "requester");
    // The filing's private link, by its hash only.
    assert_eq!(steps[1]["content"]["outbox_id"], Value::Null);
    assert!(!steps[1].to_string().contains(&filed.token));
    assert_eq!(steps[2]["actor"], "staff:clerk@city.test");
    assert_eq!(steps[2]["content"]["to"], "under_review");
    assert_eq!(steps[3]["content"]["body"], "Working on it.");

    // Every email is in the chain too, with its full text, but never the private token.
    let notices: Vec<&str> = emails
        .iter()
        .map(|e| e["content"]["notice"].as_str().unwrap())
        .collect();
    assert_eq!(
        notices,
        [
            "acknowledgement",
            "new_request",
            "accepted",
            "staff_message",
            "granted"
        ]
    );
    // The chain keeps each letter packed; the log shows its words beside it.
    for email in &emails {
        let packed = email["content"]["letter"].as_str().unwrap();
        assert!(packed.starts_with("z1:"), "{packed}");
        assert_eq!(email["content"]["text"], Value::Null);
    }
    let ack = &emails[0]["letter"];
    assert!(ack["text"]
        .as_str()
        .unwrap()
        .contains("[private token withheld]"));
    assert!(ack["html"].as_str().unwrap().contains("<a href="));
    assert!(!emails[0].to_string().contains(&filed.token));
    assert!(emails[3]["letter"]["text"]
        .as_str()
        .unwrap()
        .contains("Working on it."));
    assert!(steps.iter().all(|e| e.get("letter").is_none()));

    let by_requester = app
        .get(
            &format!("/api/v1/requests/{}/audit", filed.tracking_number),
            Some(&filed.token),
        )
        .await;
    assert_eq!(by_requester.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_audit_table_refuses_updates_and_deletes() {
    let app = spawn_app().await;
    request_with_history(&app).await;
    let before = app.counts().audit_events;
    assert!(
        app.sql("UPDATE audit_events SET action = 'x'").is_err(),
        "UPDATE must be refused"
    );
    assert!(
        app.sql("DELETE FROM audit_events").is_err(),
        "DELETE must be refused"
    );
    assert_eq!(app.counts().audit_events, before);
}

#[tokio::test]
async fn audit_verify_passes_then_names_the_event_edited_behind_its_back() {
    let app = spawn_app().await;
    let (filed, clerk) = request_with_history(&app).await;
    app.submit_records_request().await;

    let clean = app.cli(&["audit", "verify"], None).await;
    let stdout = String::from_utf8_lossy(&clean.stdout);
    assert!(
        clean.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&clean.stderr)
    );
    let total = app.counts().audit_events;
    assert!(
        stdout.contains(&format!("2 chains, {total} events")),
        "{stdout}"
    );

    // Rewrite the clerk's message as if it had said something else.
    let events = audit_log(&app, &filed.tracking_number, &clerk).await;
    let seq = events.iter().find(|e| e["action"] == "message").unwrap()["seq"]
        .as_i64()
        .unwrap();
    let disable = match backend() {
        Backend::Sqlite => "DROP TRIGGER audit_events_no_update;",
        Backend::Postgres => "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only;",
    };
    let tamper = format!(
        "{disable} UPDATE audit_events SET content = '{{\"body\":\"We will never send it.\"}}' \
         WHERE seq = {seq} AND request_id = (SELECT id FROM requests WHERE tracking_number = '{}');",
        filed.tracking_number
    );
    app.sql(&tamper).expect("tamper with the log");

    let broken = app.cli(&["audit", "verify"], None).await;
    let stdout = String::from_utf8_lossy(&broken.stdout);
    assert_eq!(broken.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!("BROKEN {} event seq {seq}", filed.tracking_number)),
        "{stdout}"
    );
    assert!(stdout.contains("1 broken"), "{stdout}");
}

#[tokio::test]
async fn messages_and_determinations_cannot_be_rewritten_either() {
    let app = spawn_app().await;
    request_with_history(&app).await;
    assert!(app
        .sql("UPDATE messages SET body = 'something else'")
        .is_err());
    assert!(app.sql("DELETE FROM messages").is_err());
    assert!(app
        .sql("UPDATE determinations SET decision = 'denied after all'")
        .is_err());
    assert!(app.sql("DELETE FROM determinations").is_err());
}

#[tokio::test]
async fn audit_verify_notices_a_request_removed_behind_its_back() {
    let app = spawn_app().await;
    let (filed, _) = request_with_history(&app).await;
    let remove = match backend() {
        Backend::Sqlite => "PRAGMA foreign_keys = OFF;",
        Backend::Postgres => "SET session_replication_role = replica;",
    };
    let tn = &filed.tracking_number;
    app.sql(&format!(
        "{remove} DELETE FROM requests WHERE tracking_number = '{tn}';"
    ))
    .expect("remove the request");
    let broken = app.cli(&["audit", "verify"], None).await;
    let stdout = String::from_utf8_lossy(&broken.stdout);
    assert_eq!(broken.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("deleted request"), "{stdout}");
}

/// A step of its own for the chain tests, told apart by the message id it names.
fn step_named(message_id: &str) -> recordsdesk::domain::step::Step {
    use recordsdesk::domain::ids::OutboxId;
    use recordsdesk::domain::notices::NoticeKind;
    use recordsdesk::domain::step::{NoticeRetried, Step};
    Step::NoticeRetried(NoticeRetried {
        outbox_id: OutboxId(999_999),
        message_id: message_id.into(),
        notice: NoticeKind::Accepted,
    })
}

#[tokio::test]
async fn a_chain_held_open_for_several_events_holds_and_one_left_unclosed_writes_nothing() {
    use diesel::Connection;
    use recordsdesk::audit::{self, Actor, OpenChain};
    let step = step_named;

    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let tn = app.submit_records_request().await.tracking_number;
    let id = app
        .with_conn(|c| recordsdesk::db::requests::by_tracking_number(c, &tn))
        .expect("the filed request")
        .id;
    let now = recordsdesk::db::now();

    // Two events through one open chain, then closed: the log links them and verify agrees.
    app.with_conn(|c| {
        c.transaction(|c| {
            let mut chain = OpenChain::open(c, id)?;
            chain.append(now, &Actor::System, &step("<test-first>"));
            chain.append(now, &Actor::System, &step("<test-second>"));
            chain.close(c)
        })
    });
    let events = audit_log(&app, &tn, &clerk).await;
    let named: Vec<&str> = events
        .iter()
        .map(|e| e["content"]["message_id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(&named[named.len() - 2..], ["<test-first>", "<test-second>"]);
    let report = app.with_conn(audit::verify_all);
    assert!(report.holds(), "{:?}", report.breaks);

    // A chain that appended but was not closed writes nothing: the events it linked are not
    // in the log, an append after it in the same transaction takes the next place, and the
    // chain still holds.
    app.with_conn(|c| {
        c.transaction(|c| {
            let mut chain = OpenChain::open(c, id)?;
            chain.append(now, &Actor::System, &step("<test-unclosed>"));
            drop(chain);
            audit::append(c, id, now, &Actor::System, &step("<test-after>"))
        })
    });
    let after = audit_log(&app, &tn, &clerk).await;
    assert_eq!(after.len(), events.len() + 1);
    assert_eq!(
        after.last().expect("an event")["content"]["message_id"],
        "<test-after>"
    );
    assert!(app.with_conn(audit::verify_all).holds());
}

#[tokio::test]
async fn several_chains_held_open_at_once_hold_and_a_head_moved_behind_them_is_refused() {
    use diesel::Connection;
    use recordsdesk::audit::{self, Actor, OpenChains};
    let step = step_named;
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let first = app.submit_records_request().await.tracking_number;
    let second = app.submit_records_request().await.tracking_number;
    let id = |tn: &str| {
        app.with_conn(|c| recordsdesk::db::requests::by_tracking_number(c, tn))
            .expect("the filed request")
            .id
    };
    let (a, b) = (id(&first), id(&second));
    let before_a = audit_log(&app, &first, &clerk).await.len();
    let before_b = audit_log(&app, &second, &clerk).await.len();
    let now = recordsdesk::db::now();

    // Events for two requests, interleaved, the second named first: each chain gets its own,
    // in the order appended, and verify agrees.
    app.with_conn(|c| {
        c.transaction(|c| {
            let mut chains = OpenChains::open(c, &[b, a, b])?;
            chains.append(b, now, &Actor::System, &step("<b-1>"))?;
            chains.append(a, now, &Actor::System, &step("<a-1>"))?;
            chains.append(b, now, &Actor::System, &step("<b-2>"))?;
            chains.close(c)
        })
    });
    let named = |events: &[serde_json::Value], from: usize| -> Vec<String> {
        events[from..]
            .iter()
            .map(|e| {
                e["content"]["message_id"]
                    .as_str()
                    .unwrap_or("")
                    .to_string()
            })
            .collect()
    };
    let log_a = audit_log(&app, &first, &clerk).await;
    let log_b = audit_log(&app, &second, &clerk).await;
    assert_eq!(named(&log_a, before_a), ["<a-1>"]);
    assert_eq!(named(&log_b, before_b), ["<b-1>", "<b-2>"]);
    assert!(app.with_conn(audit::verify_all).holds());

    // A head that moved after the chains were read (here, in the same transaction) refuses
    // the close, and the transaction leaves nothing behind.
    let refused = app.with_conn(|c| {
        Ok(c.transaction(|c| {
            let mut chains = OpenChains::open(c, &[a, b])?;
            chains.append(a, now, &Actor::System, &step("<a-late>"))?;
            chains.append(b, now, &Actor::System, &step("<b-late>"))?;
            audit::append(c, a, now, &Actor::System, &step("<a-between>"))?;
            chains.close(c)
        }))
    });
    assert!(refused.is_err(), "a close behind a moved head must fail");
    assert_eq!(audit_log(&app, &first, &clerk).await.len(), log_a.len());
    assert_eq!(audit_log(&app, &second, &clerk).await.len(), log_b.len());
    assert!(app.with_conn(audit::verify_all).holds());
}

// --- Tampering that needs no hashing: the row replayed from its chain, and the anchor. ---

/// An anchor interval no test waits out: no anchor is written but the first (of an empty
/// database: none) and the last.
const NEVER: u64 = 3_600_000;

/// What someone with full write access to the database runs before their changes: the
/// append-only triggers and the foreign keys out of the way (put back by `guarded`).
fn unguarded() -> &'static str {
    match backend() {
        Backend::Sqlite => {
            "DROP TRIGGER IF EXISTS audit_events_no_update; \
             DROP TRIGGER IF EXISTS audit_events_no_delete; PRAGMA foreign_keys = OFF;"
        }
        Backend::Postgres => "SET session_replication_role = replica;",
    }
}

fn guarded() -> &'static str {
    match backend() {
        Backend::Sqlite => "PRAGMA foreign_keys = ON;",
        Backend::Postgres => "RESET session_replication_role;",
    }
}

fn tamper(app: &TestApp, statements: &str) {
    app.sql(&format!("{} {statements} {}", unguarded(), guarded()))
        .expect("tamper with the database");
}

fn request_id(tn: &str) -> String {
    format!("(SELECT id FROM requests WHERE tracking_number = '{tn}')")
}

/// The head the request row records: (seq, hash).
fn head_of(app: &TestApp, tn: &str) -> (i64, String) {
    use diesel::prelude::*;
    use recordsdesk::db::schema::requests;
    let tn = tn.to_string();
    app.with_conn(move |c| {
        requests::table
            .filter(requests::tracking_number.eq(tn))
            .select((requests::audit_seq, requests::audit_head))
            .first(c)
    })
}

fn anchor_path(app: &TestApp) -> std::path::PathBuf {
    app.settings.anchor_path()
}

/// The anchored seq of a chain, if the anchor names it.
fn anchored(path: &std::path::Path, tn: &str) -> Option<i64> {
    recordsdesk::audit::Anchor::read(path)
        .expect("the anchor file is readable")
        .and_then(|a| a.head(tn).map(|(seq, _)| seq))
}

/// Waits until the anchor holds the chain at `seq`; answers how long that took.
async fn anchored_at(path: &std::path::Path, tn: &str, seq: i64) -> std::time::Duration {
    let started = std::time::Instant::now();
    while anchored(path, tn) != Some(seq) {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{tn} was not anchored at seq {seq}; the anchor holds {:?}",
            anchored(path, tn)
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    started.elapsed()
}

/// `recordsdesk audit verify` on `database_url`, with the anchor at `anchor` (a path that does
/// not exist: none): exit code and stdout.
pub(crate) async fn verify_with(
    database_url: &str,
    data_dir: &std::path::Path,
    anchor: Option<&std::path::Path>,
) -> (Option<i32>, String) {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_recordsdesk"));
    command
        .args(["audit", "verify"])
        .env("RECORDSDESK_DATABASE_URL", database_url)
        .env("RECORDSDESK_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn");
    if let Some(path) = anchor {
        command.env("RECORDSDESK__AUDIT__ANCHOR_PATH", path);
    }
    let output = command
        .output()
        .await
        .expect("run recordsdesk audit verify");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).to_string(),
    )
}

pub async fn verify(app: &TestApp) -> (Option<i32>, String) {
    verify_with(&app.database_url, &app.settings.data_dir, None).await
}

/// Fails, naming the request (and `what`).
pub fn assert_broken(found: &(Option<i32>, String), tn: &str, what: &str) {
    let (code, stdout) = found;
    assert_eq!(*code, Some(1), "{stdout}");
    let named = stdout
        .lines()
        .any(|l| l.starts_with(&format!("BROKEN {tn} ")) && l.contains(what));
    assert!(named, "expected BROKEN {tn} … {what}: {stdout}");
}

#[tokio::test]
async fn verify_names_each_request_whose_status_description_or_requester_email_was_changed() {
    let app = spawn_app_with(|s| s.audit.anchor_interval_milliseconds = NEVER).await;
    let status = app.submit_records_request().await.tracking_number;
    let description = app.submit_records_request().await.tracking_number;
    let email = app.submit_records_request().await.tracking_number;
    let untouched = app.submit_records_request().await.tracking_number;
    let clean = verify(&app).await;
    assert_eq!(clean.0, Some(0), "{}", clean.1);

    tamper(
        &app,
        &format!(
            "UPDATE requests SET status = 'granted' WHERE tracking_number = '{status}'; \
             UPDATE requests SET description = 'Nothing much' WHERE tracking_number = '{description}'; \
             UPDATE requesters SET email = 'someone.else@example.com' \
               WHERE id = (SELECT requester_id FROM requests WHERE tracking_number = '{email}');"
        ),
    );
    let found = verify(&app).await;
    assert_broken(
        &found,
        &status,
        "status is Granted but its chain makes it Submitted",
    );
    assert_broken(&found, &description, "description");
    assert_broken(&found, &email, "requesters.email");
    assert!(!found.1.contains(&untouched), "{}", found.1);
    assert!(found.1.contains("3 broken"), "{}", found.1);
}

#[tokio::test]
async fn verify_names_a_request_whose_last_steps_were_removed_and_head_reset_even_without_an_anchor(
) {
    let app = spawn_app_with(|s| s.audit.anchor_interval_milliseconds = NEVER).await;
    let (filed, clerk) = request_with_history(&app).await;
    let tn = &filed.tracking_number;
    let events = audit_log(&app, tn, &clerk).await;
    // Back to before the grant: the chain up to there holds, the head points at its end.
    let grant = events
        .iter()
        .rposition(|e| e["action"] == "transition")
        .unwrap();
    let kept = &events[grant - 1];
    let (seq, hash) = (
        kept["seq"].as_i64().unwrap(),
        kept["hash"].as_str().unwrap(),
    );
    tamper(
        &app,
        &format!(
            "DELETE FROM audit_events WHERE request_id = {id} AND seq > {seq}; \
             UPDATE requests SET audit_seq = {seq}, audit_head = '{hash}' WHERE tracking_number = '{tn}';",
            id = request_id(tn)
        ),
    );
    let found = verify(&app).await;
    assert!(found.1.contains(" 0 chains anchored"), "{}", found.1);
    // The row is granted; the chain left makes it under review.
    assert_broken(
        &found,
        tn,
        "status is Granted but its chain makes it UnderReview",
    );
}

#[tokio::test]
async fn verify_names_a_request_whose_whole_chain_was_removed_and_head_reset() {
    let app = spawn_app_with(|s| s.audit.anchor_interval_milliseconds = NEVER).await;
    let tn = app.submit_records_request().await.tracking_number;
    tamper(
        &app,
        &format!(
            "DELETE FROM audit_events WHERE request_id = {id}; \
             UPDATE requests SET audit_seq = 0, audit_head = '{genesis}' WHERE tracking_number = '{tn}';",
            id = request_id(&tn),
            genesis = "0".repeat(64)
        ),
    );
    assert_broken(
        &verify(&app).await,
        &tn,
        "does not begin with the request's submission",
    );
}

#[tokio::test]
async fn an_anchor_is_written_and_synced_within_the_interval_after_a_commit() {
    let app = spawn_app_with(|s| s.audit.anchor_interval_milliseconds = 300).await;
    let path = anchor_path(&app);
    assert_eq!(path, app.settings.data_dir.join("audit-anchor.jsonl"));
    let tn = app.submit_records_request().await.tracking_number;
    let (seq, _) = head_of(&app, &tn);
    let took = anchored_at(&path, &tn, seq).await;
    // One interval, and a little for the look itself on a busy machine.
    assert!(
        took < std::time::Duration::from_millis(300 + 700),
        "{took:?}"
    );

    let (code, stdout) = verify(&app).await;
    assert_eq!(code, Some(0), "{stdout}");
    assert!(
        stdout.contains("1 chains anchored; 0 events in 0 chains newer than the anchor"),
        "{stdout}"
    );
    // The file is the documented one: JSON lines, each linked to the one before.
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["prev"], "0".repeat(64));
    // Each line names chains by their heads: the administration chain (written at start, so
    // a first look may hold it alone) and the request's.
    let named: Vec<&str> = lines
        .iter()
        .flat_map(|line| line["heads"].as_array().unwrap())
        .map(|head| head[0].as_str().unwrap())
        .collect();
    assert!(named.contains(&tn.as_str()), "{named:?}");
    assert!(named.iter().all(|n| *n == "admin" || *n == tn), "{named:?}");
}

#[tokio::test]
async fn removing_anchored_events_is_detected_even_when_the_head_is_reset_consistently() {
    let app = spawn_app_with(|s| s.audit.anchor_interval_milliseconds = 100).await;
    let (filed, clerk) = request_with_history(&app).await;
    let tn = &filed.tracking_number;
    let path = anchor_path(&app);
    let (head, _) = head_of(&app, tn);
    anchored_at(&path, tn, head).await;

    // Only the last emails' events go: the row stays as its chain makes it, every hash holds.
    let events = audit_log(&app, tn, &clerk).await;
    let last_step = events
        .iter()
        .rposition(|e| e["action"] != "notice_queued")
        .unwrap();
    assert!(
        last_step + 1 < events.len(),
        "the grant queued notices after it"
    );
    let kept = &events[last_step];
    let (seq, hash) = (
        kept["seq"].as_i64().unwrap(),
        kept["hash"].as_str().unwrap(),
    );
    tamper(
        &app,
        &format!(
            "DELETE FROM audit_events WHERE request_id = {id} AND seq > {seq}; \
             UPDATE requests SET audit_seq = {seq}, audit_head = '{hash}' WHERE tracking_number = '{tn}';",
            id = request_id(tn)
        ),
    );
    assert_broken(
        &verify(&app).await,
        tn,
        &format!("the anchor holds this chain at seq {head}"),
    );

    // Without the anchor nothing shows it: this is what the anchor is for.
    let elsewhere = app.settings.data_dir.join("no-anchor-here.jsonl");
    let (code, stdout) =
        verify_with(&app.database_url, &app.settings.data_dir, Some(&elsewhere)).await;
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.contains("anchor: none"), "{stdout}");
}

#[tokio::test]
async fn a_removed_chain_and_its_request_are_named_by_the_anchor() {
    let app = spawn_app_with(|s| s.audit.anchor_interval_milliseconds = 100).await;
    let tn = app.submit_records_request().await.tracking_number;
    let other = app.submit_records_request().await.tracking_number;
    let path = anchor_path(&app);
    let (head, _) = head_of(&app, &tn);
    anchored_at(&path, &tn, head).await;
    let id = request_id(&tn);
    tamper(
        &app,
        &format!(
            "DELETE FROM audit_events WHERE request_id = {id}; \
             DELETE FROM outbox WHERE request_id = {id}; \
             DELETE FROM requesters WHERE id = (SELECT requester_id FROM requests WHERE tracking_number = '{tn}'); \
             DELETE FROM requests WHERE tracking_number = '{tn}';"
        ),
    );
    let found = verify(&app).await;
    assert_broken(&found, &tn, "the request is gone");
    assert!(!found.1.contains(&format!("BROKEN {other}")), "{}", found.1);
}

/// `recordsdesk serve` in its own process, stopped as an operator stops it (SIGTERM).
struct Serve {
    child: std::process::Child,
    address: String,
}

impl Serve {
    fn start(database_url: &str, data_dir: &std::path::Path) -> Serve {
        use std::io::BufRead;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_recordsdesk"))
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env("RECORDSDESK_DATABASE_URL", database_url)
            .env("RECORDSDESK_DATA_DIR", data_dir)
            .env(
                "RECORDSDESK__AUDIT__ANCHOR_INTERVAL_MILLISECONDS",
                NEVER.to_string(),
            )
            .env("RECORDSDESK__MAIL__DISPATCHER", "false")
            .env("RUST_LOG", "info,actix_web::middleware::logger=warn")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start recordsdesk serve");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                if let Some(address) = line.split("listening on ").nth(1) {
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(address.trim().to_string());
                    }
                }
            }
        });
        let address = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("the server says where it listens");
        Serve { child, address }
    }

    async fn file(&self) -> String {
        self.file_with_token().await.0
    }

    /// Files a request: its tracking number and its private token.
    async fn file_with_token(&self) -> (String, String) {
        let reply = reqwest::Client::new()
            .post(format!("{}/api/v1/requests", self.address))
            .json(&records_request())
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), StatusCode::CREATED);
        let body: Value = reply.json().await.unwrap();
        (
            body["tracking_number"].as_str().unwrap().to_string(),
            body["access_token"].as_str().unwrap().to_string(),
        )
    }

    /// The requester writes on their request.
    async fn write(&self, tn: &str, token: &str) {
        let reply = reqwest::Client::new()
            .post(format!("{}/api/v1/requests/{tn}/messages", self.address))
            .bearer_auth(token)
            .json(&serde_json::json!({ "body": "Any news?" }))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), StatusCode::OK);
    }

    fn stop(mut self) {
        let status = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill -TERM");
        assert!(status.success());
        let exit = self.child.wait().expect("serve stops");
        assert!(exit.success(), "serve stopped with {exit}");
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn serve_anchors_when_it_stops_and_verify_reports_what_is_newer_than_the_anchor() {
    let dir = tempfile::tempdir().unwrap();
    let (_pg, url) = fresh_database(dir.path());
    let path = dir.path().join("audit-anchor.jsonl");

    let serve = Serve::start(&url, dir.path());
    let (first, first_token) = serve.file_with_token().await;
    // No interval passes while it runs: nothing anchored yet.
    assert_eq!(anchored(&path, &first), None);
    serve.stop();
    let (seq, _) = {
        let db = Db::connect(&DatabaseUrl::parse(&url).unwrap(), 1).unwrap();
        let tn = first.clone();
        db.read(move |c| {
            use diesel::prelude::*;
            use recordsdesk::db::schema::requests;
            requests::table
                .filter(requests::tracking_number.eq(tn))
                .select((requests::audit_seq, requests::audit_head))
                .first::<(i64, String)>(c)
                .map_err(DbError::from)
        })
        .unwrap()
    };
    assert_eq!(
        anchored(&path, &first),
        Some(seq),
        "anchored when serve stopped"
    );

    // A second start anchors nothing new; what is filed now is newer than the anchor.
    let serve = Serve::start(&url, dir.path());
    let second = serve.file().await;
    let (code, stdout) = verify_with(&url, dir.path(), None).await;
    assert_eq!(code, Some(0), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "1 chains anchored; {seq} events in 1 chains newer than the anchor (not yet protected)"
        )),
        "{second}: {stdout}"
    );
    serve.stop();
    let (code, stdout) = verify_with(&url, dir.path(), None).await;
    assert_eq!(code, Some(0), "{stdout}");
    assert!(
        stdout.contains("2 chains anchored; 0 events in 0 chains newer"),
        "{stdout}"
    );
    assert!(
        stdout.contains("anchor: ") && !stdout.contains("latest never"),
        "the anchor's latest line is named: {stdout}"
    );

    // An anchored chain that moves on is newer than the anchor by what it added.
    let serve = Serve::start(&url, dir.path());
    serve.write(&first, &first_token).await;
    let (code, stdout) = verify_with(&url, dir.path(), None).await;
    assert_eq!(code, Some(0), "{stdout}");
    assert!(
        stdout.contains("2 chains anchored;") && stdout.contains("events in 1 chains newer"),
        "{stdout}"
    );
    serve.stop();
}

#[tokio::test]
async fn with_two_instances_on_one_postgresql_only_the_one_holding_the_lock_anchors() {
    if backend() != Backend::Postgres {
        return; // SQLite runs one instance.
    }
    let app = spawn_app_with(|s| s.audit.anchor_interval_milliseconds = 100).await;
    let other_dir = tempfile::tempdir().unwrap();
    let other = Serve::start(&app.database_url, other_dir.path());
    let tn = other.file().await;
    let (seq, _) = head_of(&app, &tn);
    // The first instance holds the lock: it anchors what the second one filed.
    anchored_at(&anchor_path(&app), &tn, seq).await;
    other.stop();
    // The second never held it: not even on stopping did it write.
    assert!(!other_dir.path().join("audit-anchor.jsonl").exists());
}

/// The mail chain (received email) is anchored like a request's: removing its last event
/// behind the service's back is named.
#[tokio::test]
async fn verify_names_mail_chain_events_removed_after_the_anchor_held_them() {
    const TOKEN: &str = "mail-token-for-the-anchor";
    let app = spawn_app_with(|s| {
        s.mail.ingest_token = TOKEN.to_string().into();
        s.audit.anchor_interval_milliseconds = 20;
    })
    .await;
    for n in 1..=2 {
        let kept = app
            .client
            .post(app.url("/api/v1/mail/inbound"))
            .bearer_auth(TOKEN)
            .body(format!(
                "From: someone@example.org\r\nTo: cityclerk@cityofconcord.org\r\n\
                 Subject: Question {n}\r\nMessage-ID: <q{n}@example.org>\r\n\r\nHello.\r\n"
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(kept.status(), 200);
    }
    let path = anchor_path(&app);
    anchored_at(&path, "mail", 2).await;
    let held = verify_with(&app.database_url, &app.settings.data_dir, Some(&path)).await;
    assert_eq!(held.0, Some(0), "{}", held.1);

    // On PostgreSQL `unguarded` turns the triggers off; SQLite's are dropped.
    let drop_trigger = match backend() {
        Backend::Sqlite => "DROP TRIGGER IF EXISTS mail_events_no_delete;",
        Backend::Postgres => "",
    };
    tamper(
        &app,
        &format!("{drop_trigger} DELETE FROM mail_events WHERE seq = 2;"),
    );
    let (code, stdout) = verify_with(&app.database_url, &app.settings.data_dir, Some(&path)).await;
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("MAIL mail chain: the anchor holds it at event 2")),
        "{stdout}"
    );
}

/// The administration chain (staff accounts, departments, holidays) is checked and anchored
/// like the others: an event altered behind the service's back is named, and so is one removed
/// after the anchor held it.
#[tokio::test]
async fn verify_names_administration_events_altered_or_removed_behind_the_services_back() {
    let app = spawn_app_with(|s| s.audit.anchor_interval_milliseconds = 20).await;
    // The directory seeded from config is event 1; adding the admin, 2; the invitation, 3.
    let admin = app.staff("admin@city.test", "admin", None).await;
    let invited = app
        .post(
            "/api/v1/admin/staff/new",
            Some(&admin),
            &json!({ "email": "new@city.test", "name": "New Clerk", "role": "clerk" }),
        )
        .await;
    assert_eq!(invited.status, 201, "{:?}", invited.body);
    let path = anchor_path(&app);
    anchored_at(&path, "admin", 3).await;
    let held = verify_with(&app.database_url, &app.settings.data_dir, Some(&path)).await;
    assert_eq!(held.0, Some(0), "{}", held.1);

    let (drop_update, drop_delete) = match backend() {
        Backend::Sqlite => (
            "DROP TRIGGER IF EXISTS admin_events_no_update;",
            "DROP TRIGGER IF EXISTS admin_events_no_delete;",
        ),
        Backend::Postgres => ("", ""),
    };
    // Someone makes the invitation an admin's after the fact.
    tamper(
        &app,
        &format!(
            "{drop_update} UPDATE admin_events SET content = replace(content, '\"clerk\"', '\"admin\"') WHERE seq = 3;"
        ),
    );
    let (code, stdout) = verify_with(&app.database_url, &app.settings.data_dir, Some(&path)).await;
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|l| l == "ADMIN admin chain: event 3 was altered after it was written"),
        "{stdout}"
    );
    tamper(
        &app,
        &format!("{drop_delete} DELETE FROM admin_events WHERE seq = 3;"),
    );
    let (code, stdout) = verify_with(&app.database_url, &app.settings.data_dir, Some(&path)).await;
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("ADMIN admin chain: the anchor holds it at event 3")),
        "{stdout}"
    );
}

/// `audit verify` reads with several connections at once. They must read one state: a
/// request filed between their first reads would be checked against a chain read at another
/// moment than its row. Each reader here counts the requests only after the first has counted
/// and requests went on being filed, so a reader whose view began later would count more.
#[tokio::test]
async fn the_readers_of_one_snapshot_see_one_state_while_requests_are_filed() {
    use diesel::prelude::*;
    use recordsdesk::db::schema::requests;
    use recordsdesk::db::Conn;

    let app = spawn_app().await;
    app.submit_records_request().await;
    let db = app.db.clone();
    let reading = tokio::task::spawn_blocking(move || {
        let count = |c: &mut Conn| requests::table.count().get_result::<i64>(c);
        let mut views = std::collections::BTreeSet::new();
        for _ in 0..25 {
            let counts = db
                .shared_snapshot(2, |conn, more| -> Result<Vec<i64>, DbError> {
                    assert_eq!(more.len(), 2, "both readers joined the snapshot");
                    let first = count(conn)?;
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    let mut counts = vec![first, count(conn)?];
                    for other in more.iter_mut() {
                        counts.push(count(other)?);
                    }
                    Ok(counts)
                })
                .expect("a shared snapshot");
            assert!(
                counts.iter().all(|c| *c == counts[0]),
                "the readers saw {counts:?} requests"
            );
            views.insert(counts[0]);
        }
        views
    });
    while !reading.is_finished() {
        app.submit_records_request().await;
    }
    let views = reading.await.expect("the reading thread");
    assert!(
        views.len() > 1,
        "requests were filed while the snapshots were read: {views:?}"
    );
}

/// With several readers each reads its own span of requests: every chain is checked once, and
/// breaks in every span are reported in request order, as one reader reports them.
#[tokio::test]
async fn several_readers_check_every_chain_once_and_report_breaks_in_request_order() {
    use recordsdesk::audit;
    let app = spawn_app().await;
    let mut filed = Vec::new();
    for _ in 0..9 {
        filed.push(app.submit_records_request().await.tracking_number);
    }
    // One request in each reader's span, the last of all among them.
    let broken = [&filed[1], &filed[4], &filed[8]];
    for tn in broken {
        tamper(
            &app,
            &format!(
                "UPDATE audit_events SET content = '{{\"changed\":true}}' \
                 WHERE seq = 1 AND request_id = {};",
                request_id(tn)
            ),
        );
    }
    let alone = app.with_conn(audit::verify_all);
    let shared = app
        .db
        .shared_snapshot(2, |conn, more| -> Result<_, DbError> {
            assert_eq!(more.len(), 2, "both readers joined the snapshot");
            Ok(audit::verify_anchored(conn, more, None)?)
        })
        .expect("verify with three readers");
    assert_eq!(shared.chains, alone.chains);
    assert_eq!(shared.events, alone.events);
    let named = |report: &audit::VerifyReport| -> Vec<String> {
        report
            .breaks
            .iter()
            .map(|b| b.tracking_number.clone())
            .collect()
    };
    assert_eq!(named(&shared), broken.map(|tn| tn.to_string()));
    assert_eq!(named(&shared), named(&alone));
}
