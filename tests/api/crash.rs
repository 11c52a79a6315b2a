//! `kill -9` in the middle of a load, five times over one database: after each restart every
//! request the server answered 201 for, and every transition it answered 200 for, is there;
//! every audit chain verifies; every notice is still queued (or leased) or has been sent. At
//! the end the restarted server sends what the crashes interrupted, and every notice reaches
//! the mail folder.
//!
//! The server is the real binary in its own process; the load comes from this one.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::dsl::{exists, not};
use diesel::prelude::*;
use futures::stream::{self, StreamExt};
use recordsdesk::db::schema::{outbox, requests};
use recordsdesk::db::{DatabaseUrl, Db, DbError};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

/// Requesters filing and clerks taking up requests at the same time: 52 clients.
const SUBMITTERS: usize = 40;
const CLERKS: usize = 12;
const ROUNDS: usize = 5;

/// The `recordsdesk serve` process.
struct Server {
    child: Child,
    address: String,
}

impl Server {
    fn start(database_url: &str, data_dir: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_recordsdesk"))
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env("RECORDSDESK_DATABASE_URL", database_url)
            .env("RECORDSDESK_DATA_DIR", data_dir)
            .env("RECORDSDESK_MAIL_TRANSPORT", "file")
            .env("RECORDSDESK__LIMITS__SUBMISSIONS_PER_MINUTE", "100000000")
            // The shortest lease the dispatcher takes: what a crash left mid-send goes again.
            .env("RECORDSDESK__MAIL__LEASE_SECONDS", "30")
            .env("RUST_LOG", "info,actix_web::middleware::logger=warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start recordsdesk serve");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        // Reads the address from the log, then keeps draining it so the server never blocks.
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(address) = line.split("listening on ").nth(1) {
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(address.trim().to_string());
                    }
                }
            }
        });
        let address = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server says where it listens");
        Server { child, address }
    }

    /// SIGKILL: no shutdown hooks, no flushing, nothing the process gets to finish.
    fn kill(mut self) {
        self.child.kill().expect("kill -9");
        self.child.wait().expect("reap");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn cli(database_url: &str, data_dir: &Path, args: &[&str], stdin: &str) -> String {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_recordsdesk"))
        .args(args)
        .env("RECORDSDESK_DATABASE_URL", database_url)
        .env("RECORDSDESK_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run recordsdesk");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "recordsdesk {args:?}: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// What the server acknowledged during one round.
#[derive(Default)]
struct Acknowledged {
    filed: Vec<Filed>,
    /// Tracking number and the version the 200 reported.
    taken_up: Vec<(String, i64)>,
    /// Answers no client should ever get (a 5xx before the kill, say).
    unexpected: Vec<String>,
}

async fn load_then_kill(server: Server, clerk: &str, run_for: Duration) -> Acknowledged {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let acknowledged = Arc::new(Mutex::new(Acknowledged::default()));
    let killed = Arc::new(AtomicBool::new(false));
    let (filed_tx, filed_rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let filed_rx = Arc::new(tokio::sync::Mutex::new(filed_rx));
    let mut clients = Vec::new();

    for _ in 0..SUBMITTERS {
        let (client, url) = (
            client.clone(),
            format!("{}/api/v1/requests", server.address),
        );
        let (acknowledged, filed_tx) = (acknowledged.clone(), filed_tx.clone());
        clients.push(tokio::spawn(async move {
            // A transport error means the server is gone: this client's load is over.
            while let Ok(reply) = client.post(&url).json(&records_request()).send().await {
                let status = reply.status();
                let Ok(body) = reply.json::<serde_json::Value>().await else {
                    break;
                };
                if status != StatusCode::CREATED {
                    acknowledged
                        .lock()
                        .unwrap()
                        .unexpected
                        .push(format!("filing: {status} {body}"));
                    continue;
                }
                let filed = Filed {
                    tracking_number: body["tracking_number"].as_str().unwrap().into(),
                    token: body["access_token"].as_str().unwrap().into(),
                };
                let _ = filed_tx.send(filed.tracking_number.clone());
                acknowledged.lock().unwrap().filed.push(filed);
            }
        }));
    }
    drop(filed_tx);

    for _ in 0..CLERKS {
        let (client, address, clerk) = (client.clone(), server.address.clone(), clerk.to_owned());
        let (acknowledged, filed_rx, killed) =
            (acknowledged.clone(), filed_rx.clone(), killed.clone());
        clients.push(tokio::spawn(async move {
            while !killed.load(Ordering::SeqCst) {
                let next =
                    tokio::time::timeout(Duration::from_millis(50), filed_rx.lock().await.recv())
                        .await;
                let tracking_number = match next {
                    Ok(Some(tracking_number)) => tracking_number,
                    Ok(None) => break,
                    Err(_) => continue,
                };
                let url = format!("{address}/api/v1/requests/{tracking_number}/transitions");
                let sent = client
                    .post(&url)
                    .bearer_auth(&clerk)
                    .json(&json!({ "to": "under_review", "version": 1 }))
                    .send()
                    .await;
                let Ok(reply) = sent else { break };
                let status = reply.status();
                let Ok(body) = reply.json::<serde_json::Value>().await else {
                    break;
                };
                let mut acknowledged = acknowledged.lock().unwrap();
                match status {
                    StatusCode::OK => acknowledged
                        .taken_up
                        .push((tracking_number, body["version"].as_i64().unwrap())),
                    _ => acknowledged
                        .unexpected
                        .push(format!("transition: {status} {body}")),
                }
            }
        }));
    }

    // Kill once the load is under way (a busy machine starts slowly), at a different moment
    // in each round.
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        let (filed, taken_up) = {
            let seen = acknowledged.lock().unwrap();
            (seen.filed.len(), seen.taken_up.len())
        };
        if filed >= 20 && taken_up >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(run_for).await;
    tokio::task::spawn_blocking(move || server.kill())
        .await
        .unwrap();
    killed.store(true, Ordering::SeqCst);
    for client in clients {
        client.await.unwrap();
    }
    Arc::try_unwrap(acknowledged)
        .ok()
        .unwrap()
        .into_inner()
        .unwrap()
}

/// Notices by status, and requests that have none (an acknowledgement that was lost).
fn outbox_state(db: &Db) -> (HashMap<String, i64>, i64) {
    db.read(|conn| {
        let by_status: Vec<(String, i64)> = outbox::table
            .group_by(outbox::status)
            .select((outbox::status, diesel::dsl::count_star()))
            .load(conn)?;
        let without_notice: i64 = requests::table
            .filter(not(exists(
                outbox::table.filter(outbox::request_id.eq(requests::id.nullable())),
            )))
            .count()
            .get_result(conn)?;
        Ok::<_, DbError>((by_status.into_iter().collect(), without_notice))
    })
    .expect("read the outbox")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_acknowledged_is_lost_when_the_server_is_killed_mid_load_five_times() {
    let data_dir = tempfile::tempdir().unwrap();
    let (_pg, database_url) = fresh_database(data_dir.path());
    let dir = data_dir.path();
    cli(
        &database_url,
        dir,
        &[
            "staff",
            "add",
            "--email",
            "clerk@city.test",
            "--name",
            "Clerk",
            "--role",
            "clerk",
            "--password-stdin",
        ],
        &format!("{PASSWORD}\n"),
    );
    let db = Db::connect(&DatabaseUrl::parse(&database_url).unwrap(), 2).unwrap();
    let client = reqwest::Client::new();

    let mut server = Server::start(&database_url, dir);
    let clerk = client
        .post(format!("{}/api/v1/auth/login", server.address))
        .json(&json!({ "email": "clerk@city.test", "password": PASSWORD }))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap()["token"]
        .as_str()
        .expect("the clerk signs in")
        .to_string();

    let mut all_filed = 0;
    for round in 1..=ROUNDS {
        // A different moment in each round, so the kill lands in different places.
        let run_for = Duration::from_millis(300 * round as u64);
        let acknowledged = load_then_kill(server, &clerk, run_for).await;
        assert!(
            acknowledged.unexpected.is_empty(),
            "round {round}: {:?}",
            &acknowledged.unexpected[..acknowledged.unexpected.len().min(5)]
        );
        assert!(
            !acknowledged.filed.is_empty() && !acknowledged.taken_up.is_empty(),
            "round {round}: the load did not get going"
        );

        server = Server::start(&database_url, dir);
        let address = server.address.clone();
        let found_filed = stream::iter(&acknowledged.filed)
            .map(|filed| {
                let url = format!("{address}/api/v1/requests/{}", filed.tracking_number);
                let request = client.get(url).bearer_auth(&filed.token).send();
                async move { request.await.unwrap().status() == StatusCode::OK }
            })
            .buffer_unordered(16)
            .filter(|found| std::future::ready(*found))
            .count()
            .await;
        let found_taken_up = stream::iter(&acknowledged.taken_up)
            .map(|(tracking_number, version)| {
                let url = format!("{address}/api/v1/requests/{tracking_number}");
                let request = client.get(url).bearer_auth(&clerk).send();
                async move {
                    let case: serde_json::Value = request.await.unwrap().json().await.unwrap();
                    case["status"] == "under_review"
                        && case["version"].as_i64().unwrap() >= *version
                }
            })
            .buffer_unordered(16)
            .filter(|found| std::future::ready(*found))
            .count()
            .await;
        let verified = cli(&database_url, dir, &["audit", "verify"], "");
        let (notices, without_notice) = outbox_state(&db);
        let stored: i64 = db
            .read(|conn| Ok::<_, DbError>(requests::table.count().get_result(conn)?))
            .unwrap();
        all_filed += acknowledged.filed.len();

        println!(
            "round {round} (killed {} ms into the load): filings acknowledged {}, found {}; \
             transitions acknowledged {}, found {}; requests stored {stored} (acknowledged so far {all_filed}); \
             notices {notices:?}; {}",
            run_for.as_millis(),
            acknowledged.filed.len(),
            found_filed,
            acknowledged.taken_up.len(),
            found_taken_up,
            verified.trim()
        );
        assert_eq!(found_filed, acknowledged.filed.len(), "round {round}");
        assert_eq!(found_taken_up, acknowledged.taken_up.len(), "round {round}");
        assert!(stored >= all_filed as i64, "round {round}");
        assert!(verified.contains("every chain holds"), "{verified}");
        assert_eq!(
            without_notice, 0,
            "round {round}: a request lost its notices"
        );
        let unexpected: Vec<_> = notices
            .keys()
            .filter(|s| !["queued", "sending", "sent"].contains(&s.as_str()))
            .collect();
        assert!(unexpected.is_empty(), "round {round}: {notices:?}");
    }

    // The last server sends everything, including what the crashes left leased mid-send.
    let deadline = Instant::now() + Duration::from_secs(120);
    let notices = loop {
        let (notices, _) = outbox_state(&db);
        if notices.keys().all(|s| s == "sent") || Instant::now() > deadline {
            break notices;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    let delivered = notices.get("sent").copied().unwrap_or(0);
    assert_eq!(notices.len(), 1, "every notice is sent: {notices:?}");
    let message_ids: Vec<String> = db
        .read(|conn| {
            Ok::<_, DbError>(
                outbox::table
                    .select(outbox::message_id)
                    .load::<String>(conn)?,
            )
        })
        .unwrap();
    let mut in_folder = Vec::new();
    for file in std::fs::read_dir(dir.join("mail")).unwrap() {
        let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
        let id = text
            .lines()
            .find_map(|l| l.strip_prefix("Message-ID: "))
            .expect("a Message-ID header")
            .trim()
            .trim_matches(['<', '>'])
            .to_string();
        in_folder.push(id);
    }
    let distinct: HashSet<&str> = in_folder.iter().map(String::as_str).collect();
    let missing = message_ids
        .iter()
        .filter(|id| !distinct.contains(id.trim_matches(['<', '>'])))
        .count();
    println!(
        "after the last restart: {delivered} notices delivered, {} files in the mail folder, \
         {} sent twice (delivered just before a kill, recorded after it)",
        in_folder.len(),
        in_folder.len() - distinct.len()
    );
    assert_eq!(missing, 0, "notices recorded but never written");
    assert_eq!(distinct.len() as i64, delivered);
    drop(server);
}
