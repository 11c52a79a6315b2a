//! How fast the dispatcher drains the outbox, against the storage ceiling measured in the
//! same run: one durable single-row write transaction per notice (the fsync-bound floor of
//! "mark it sent and record it in the chain").
//!
//! `cargo bench --bench notices` (SQLite in a temp folder), or with
//! `RECORDSDESK_BENCH_DATABASE_URL=postgres://…/db` against an empty PostgreSQL database.
//! Mail goes to the in-memory transport, so this measures recordsdesk, not an SMTP server.

use std::time::Instant;

use recordsdesk::app::staff::RawStaffAccount;
use recordsdesk::app::submit::{self, FileRequest, RawRequester, RawSubmission};
use recordsdesk::app::{admin, Ctx};
use recordsdesk::config::Settings;
use recordsdesk::db::DbError;
use recordsdesk::notify::{DispatchSettings, Dispatcher, Mailer};
use recordsdesk::startup::open_database;

/// Requests filed (each queues two notices); `RECORDSDESK_BENCH_REQUESTS` sets another number
/// (a few hundred under callgrind).
fn requests() -> usize {
    std::env::var("RECORDSDESK_BENCH_REQUESTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000)
}

fn main() {
    let requests = requests();
    let dir = tempfile::tempdir().unwrap();
    let mut settings = Settings::defaults();
    settings.data_dir = dir.path().to_path_buf();
    if let Ok(url) = std::env::var("RECORDSDESK_BENCH_DATABASE_URL") {
        settings.database.url = url.into();
    }
    let db = open_database(&settings).expect("database");
    let ctx = Ctx::from_settings(&settings).unwrap();
    let clerk = RawStaffAccount {
        email: "clerk@city.test".into(),
        name: "Clerk".into(),
        role: "clerk".into(),
        department: None,
        title: Some("Deputy City Clerk".into()),
        password: "a long bench password".into(),
    };
    admin::add_staff(&db, clerk).expect("a clerk to notify");

    let raw = RawSubmission {
        kind: Some("public_records".into()),
        requester: Some(RawRequester {
            name: Some("Bench Requester".into()),
            email: Some("bench@example.com".into()),
            ..Default::default()
        }),
        description: Some("Council minutes for 2025, all meetings.".into()),
        ..Default::default()
    };
    let request = FileRequest {
        submission: raw.parse().unwrap(),
        idempotency: None,
    };
    let seeded = Instant::now();
    for _ in 0..requests {
        submit::file(&db, &ctx, &request).expect("submit");
    }
    let seed_secs = seeded.elapsed().as_secs_f64();
    let notices = requests * 2;

    let (mailer, sent) = Mailer::memory();
    let dispatcher = Dispatcher::new(
        db.clone(),
        mailer,
        settings.mail.from.clone(),
        DispatchSettings::from_settings(&settings),
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let started = Instant::now();
    let drained = runtime.block_on(dispatcher.drain()).expect("drain");
    let dispatch_secs = started.elapsed().as_secs_f64();
    assert_eq!(sent.lock().unwrap().len(), notices);
    assert!(drained >= notices);

    let baseline = Instant::now();
    for _ in 0..notices {
        db.write(|conn| {
            use diesel::connection::SimpleConnection;
            conn.batch_execute("UPDATE counters SET value = value + 0")
                .map_err(DbError::from)
        })
        .expect("a baseline write");
    }
    let baseline_secs = baseline.elapsed().as_secs_f64();

    let rate = notices as f64 / dispatch_secs;
    let ceiling = notices as f64 / baseline_secs;
    println!("backend: {:?}", db.backend());
    println!(
        "submissions (each queues 2 rendered notices): {:.0}/s",
        requests as f64 / seed_secs
    );
    println!("dispatcher: {notices} notices in {dispatch_secs:.2} s = {rate:.0} notices/s");
    println!("storage ceiling: {notices} durable one-row transactions in {baseline_secs:.2} s = {ceiling:.0}/s");
    println!("dispatcher / ceiling = {:.2}", rate / ceiling);
}
