//! The storage ceiling: the rows a submission adds, inserted straight from this process with
//! diesel, each row-set all or nothing, on a scratch database opened exactly as the server
//! opens its own (same connection settings: SQLite WAL + synchronous=FULL + busy_timeout, or
//! PostgreSQL with synchronous_commit on; same pool size), through the same writer as a
//! filing (`Db::write_grouped`: SQLite's group commit; a transaction each on PostgreSQL) and
//! with no application work: the ceiling a filing is measured against.

use std::sync::atomic::{AtomicU64, Ordering};

use diesel::prelude::*;
use recordsdesk::app::staff::RawStaffAccount;
use recordsdesk::app::submit::{self, FileRequest, RawRequester, RawSubmission};
use recordsdesk::app::{admin, Ctx};
use recordsdesk::config::Settings;
use recordsdesk::db::models::{NewAuditEvent, NewOutboxRow, NewRequest};
use recordsdesk::db::schema::{audit_events, outbox, requests};
use recordsdesk::db::{requests as requests_db, Db, DbError};
use recordsdesk::domain::ids::{RequestId, RequesterId};
use recordsdesk::domain::notices::{Audience, NoticeKind, OutboxStatus};
use recordsdesk::domain::{RequestKind, Status};
use recordsdesk::startup::open_database;

use crate::drive::{drive_blocking, Stats};

/// The row-set, taken from one real submission so the sizes are the real ones: its request,
/// every audit event it writes (the submission, the filing's link, each notice queued with its
/// letter) and its outbox rows.
struct Rows {
    requester_id: RequesterId,
    description: String,
    /// (actor, action, content) of each event, in chain order.
    events: Vec<(String, String, String)>,
    payloads: [String; 2],
}

fn model(db: &Db, settings: &Settings) -> Result<Rows, String> {
    let ctx = Ctx::from_settings(settings).map_err(|e| e.to_string())?;
    let clerk = RawStaffAccount {
        email: "ceiling.clerk@cityofconcord.org".into(),
        name: "Ceiling Clerk".into(),
        role: "clerk".into(),
        department: None,
        title: None,
        password: "a password nobody uses".into(),
    };
    admin::add_staff(db, clerk).map_err(|e| e.to_string())?;
    let raw = RawSubmission {
        kind: Some("public_records".into()),
        requester: Some(RawRequester {
            name: Some("Jane Q. Public".into()),
            email: Some("jane@example.com".into()),
            phone: Some("(925) 555-0100".into()),
            ..Default::default()
        }),
        description: Some("All police incident logs for Todos Santos Plaza, March 2026.".into()),
        preferred_format: Some("PDF".into()),
        ..Default::default()
    };
    let request = FileRequest {
        submission: raw.parse().map_err(|e| format!("{e:?}"))?,
        idempotency: None,
    };
    let filed = submit::file(db, &ctx, &request).map_err(|e| e.to_string())?;
    db.read(|conn| {
        let row = requests_db::by_tracking_number(conn, &filed.tracking_number)?
            .expect("the request just filed");
        let events: Vec<(String, String, String)> = audit_events::table
            .filter(audit_events::request_id.eq(row.id))
            .order(audit_events::seq)
            .select((
                audit_events::actor,
                audit_events::action,
                audit_events::content,
            ))
            .load(conn)?;
        let payloads: Vec<String> = outbox::table
            .filter(outbox::request_id.eq(row.id))
            .order(outbox::id)
            .select(outbox::payload)
            .load(conn)?;
        Ok::<_, DbError>(Rows {
            requester_id: row.requester_id,
            description: row.description,
            events,
            payloads: [payloads[0].clone(), payloads[1].clone()],
        })
    })
    .map_err(|e| e.to_string())
}

/// `concurrency` writers for `seconds`, each transaction: a request row, its link, its audit
/// events and two outbox rows, all of the real sizes.
pub fn ceiling(
    database_url: &str,
    pool_size: u32,
    concurrency: usize,
    seconds: f64,
) -> Result<Stats, String> {
    let mut settings = Settings::defaults();
    settings.database.url = database_url.to_string().into();
    settings.database.pool_size = pool_size;
    let db = open_database(&settings).map_err(|e| e.to_string())?;
    let rows = std::sync::Arc::new(model(&db, &settings)?);
    let sequence = AtomicU64::new(0);
    let today = chrono::Utc::now().date_naive();
    let hash = "0".repeat(64);
    let reckoning = recordsdesk::db::models::Reckonings(vec![settings
        .deadline_policy()
        .determination_reckoning(today)]);
    let stats = drive_blocking("storage ceiling: row-sets", concurrency, seconds, |_| {
        let n = sequence.fetch_add(1, Ordering::Relaxed);
        let tracking_number = format!("RR-1999-{n:07}");
        let now = recordsdesk::db::now();
        let (rows, reckoning, hash) = (rows.clone(), reckoning.clone(), hash.clone());
        // Through the writer the server's filings take: on SQLite the group commit (each
        // row-set in its own savepoint, one commit for all waiting), on PostgreSQL a
        // transaction of its own, as pgbench would write it.
        db.write_grouped(move |conn| {
            let request_id: RequestId = diesel::insert_into(requests::table)
                .values(NewRequest {
                    tracking_number: &tracking_number,
                    kind: RequestKind::PublicRecords,
                    status: Status::Submitted,
                    version: 1,
                    requester_id: rows.requester_id,
                    description: &rows.description,
                    dataset_id: None,
                    fields_needed: None,
                    intended_use: None,
                    preferred_format: Some("PDF"),
                    queue: "city_clerk",
                    assignee_id: None,
                    received_at: now,
                    determination_due: today,
                    due_on: today,
                    audit_head: &hash,
                    updated_at: now,
                    // As a filing writes it: how its due date was counted.
                    due_reckoning: reckoning.clone(),
                    channel: "web",
                    follows: None,
                    subject: None,
                    location: None,
                    occurred_on: None,
                    language: "en",
                })
                .returning(requests::id)
                .get_result(conn)?;
            // The filing's private link, kept by its hash.
            recordsdesk::db::links::insert(
                conn,
                &recordsdesk::db::links::NewLink {
                    request_id,
                    token_hash: &format!("{n:064}"),
                    outbox_id: None,
                    created_at: now,
                },
            )?;
            for (seq, (actor, action, content)) in (1..).zip(&rows.events) {
                diesel::insert_into(audit_events::table)
                    .values(NewAuditEvent {
                        request_id,
                        seq,
                        at: now,
                        actor,
                        action,
                        content,
                        prev_hash: &hash,
                        hash: &hash,
                    })
                    .execute(conn)?;
            }
            for (i, payload) in rows.payloads.iter().enumerate() {
                let message_id = format!("<{tracking_number}.{i}@ceiling.invalid>");
                diesel::insert_into(outbox::table)
                    .values(NewOutboxRow {
                        request_id: Some(request_id),
                        notice: NoticeKind::Acknowledgement,
                        recipient: "jane@example.com",
                        audience: Audience::Requester,
                        payload,
                        message_id: &message_id,
                        status: OutboxStatus::Queued,
                        attempts: 0,
                        next_attempt_at: now,
                        created_at: now,
                    })
                    .execute(conn)?;
            }
            Ok::<_, DbError>(())
        })
        .map_err(|e| e.to_string())
    });
    Ok(stats)
}
