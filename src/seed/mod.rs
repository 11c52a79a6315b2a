//! A large, valid history for load measurements (`benches/load.rs`): never used by `serve`.
//!
//! The real workflow first makes one model request per queue and end state (see
//! [`templates`]) and delivers its notices; each model is then cloned many times with its own
//! tracking number, token, ids and times, every audit chain hashed anew, and written with
//! multi-row INSERTs, a few thousand requests per transaction. Cloned rows are the rows the
//! service writes; only the dates written inside notices and event content stay the model's.

mod pattern;
mod rows;
mod shift;
pub mod templates;
pub mod words;

use crate::domain::ids::{OutboxId, RequestId, RequesterId};
use crate::domain::notices::NoticeKind;
use crate::domain::step::{NoticeQueued, Step};
use std::collections::BTreeMap;
use std::sync::mpsc;
use std::time::Instant;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use crate::app::{AppError, Ctx};
use crate::audit::chain;
use crate::config::Settings;
use crate::db::models::{OutboxRow, RequestRow, RequesterRow};
use crate::db::schema::{counters, outbox, requesters, requests};
use crate::db::{Conn, Db, DbError};
use crate::domain::input::TrackingNumber;
use crate::domain::Status;
use crate::startup::{open_database, StartupError};
use pattern::{Fill, Pattern};
use templates::Model;

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("seeding needs an empty database; this one already has {0} requests")]
    NotEmpty(i64),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Startup(#[from] StartupError),
    #[error("making a model request: {0}")]
    Workflow(#[from] AppError),
    #[error("making a model request: {0}")]
    Model(String),
}

impl From<diesel::result::Error> for SeedError {
    fn from(e: diesel::result::Error) -> Self {
        SeedError::Db(DbError::Query(e))
    }
}

#[derive(Debug, Clone)]
pub struct Plan {
    /// Cloned requests to write (the models come on top).
    pub requests: u64,
    /// How many of them to hand back, spread evenly, for reads.
    pub sample: usize,
    /// Open requests were received within this many days; closed ones over `history_days`.
    pub open_days: i64,
    pub history_days: i64,
}

impl Plan {
    pub fn new(requests: u64) -> Plan {
        Plan {
            requests,
            sample: 10_000,
            open_days: 30,
            history_days: 3 * 365,
        }
    }
}

/// A seeded request a reader can ask for.
#[derive(Debug, Clone)]
pub struct Seeded {
    pub tracking_number: String,
    pub token: String,
    pub status: Status,
    pub queue: String,
    /// Its requester's address (none for an anonymous request).
    pub email: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub models: usize,
    pub requests: u64,
    pub events: u64,
    pub notices: u64,
    pub determinations: u64,
    pub seconds: f64,
    /// Of which spent writing (the rest: making the models, cloning and hashing ahead of the
    /// writer, and the final checkpoint and statistics).
    pub write_seconds: f64,
    pub sample: Vec<Seeded>,
}

/// Requests per transaction.
const BATCH: usize = 2_000;

/// A small, fast, reproducible generator (splitmix64): the same plan seeds the same history.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// The private token of the n-th clone: random-looking, of the real tokens' shape.
fn token_for(salt: &str, n: u64) -> String {
    let digest = crate::secrets::sha256_hex(format!("{salt}/{n}").as_bytes());
    let bytes = hex::decode(digest).expect("hex of a digest");
    format!(
        "{}{}",
        crate::secrets::REQUESTER_TOKEN_PREFIX,
        URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// A model with its text cut into patterns once.
struct Compiled<'a> {
    model: &'a Model,
    contents: Vec<Pattern>,
    payloads: Vec<Pattern>,
    message_ids: Vec<Pattern>,
}

impl<'a> Compiled<'a> {
    fn new(model: &'a Model) -> Compiled<'a> {
        let tn = model.request.tracking_number.as_str();
        let ids: Vec<i64> = model.outbox.iter().map(|n| n.id.0).collect();
        // Stored text holds a token only as its hash (a `link_issued` event's).
        let token_hash = crate::secrets::token_hash(&model.token);
        let own = pattern::Own {
            email: model.requester.email.as_deref(),
            description: &model.request.description,
        };
        let cut = |text: &str| Pattern::compile(text, tn, &token_hash, &ids, &own);
        Compiled {
            model,
            contents: model
                .events
                .iter()
                .map(|e| cut(&letter_unpacked(&e.action, &e.content)))
                .collect(),
            payloads: model.outbox.iter().map(|n| cut(&n.payload)).collect(),
            message_ids: model.outbox.iter().map(|n| cut(&n.message_id)).collect(),
        }
    }
}

/// A `notice_queued` event's content with its letter's words written out, so the clone's own
/// tracking number, address and description can be put in them; other events as they are.
/// The models were written by this very run, so a letter that does not read back is a bug.
fn letter_unpacked(action: &str, content: &str) -> String {
    if action != NoticeQueued::ACTION {
        return content.to_string();
    }
    match Step::from_stored(action, content) {
        Ok(Step::NoticeQueued(queued)) => queued
            .unpacked_content()
            .unwrap_or_else(|e| panic!("a model's letter does not unpack: {e}")),
        other => panic!("a model's notice_queued event reads as {other:?}"),
    }
}

/// A clone's `notice_queued` content packed again, as the service writes it.
fn letter_packed(action: &str, content: String) -> String {
    if action != NoticeQueued::ACTION {
        return content;
    }
    let step = Step::from_stored(action, &content)
        .unwrap_or_else(|e| panic!("a clone's letter, its own words put in, does not read: {e}"));
    serde_json::to_string(&step.content()).expect("JSON values always serialise")
}

/// One clone to write: which model, when it was received, and its number.
#[derive(Clone, Copy)]
struct Slot {
    received_micros: i64,
    model: u16,
}

struct Ids {
    requester: i64,
    request: i64,
    notice: i64,
}

/// What "now" is for the whole seeding run.
struct Today<'a> {
    ctx: &'a Ctx,
    day: NaiveDate,
    now: NaiveDateTime,
}

impl Today<'_> {
    /// The reminders an open request due on `due` has had by now, so the service's first
    /// reminder round does not send a backlog's worth at once.
    fn reminders_sent(&self, due: NaiveDate) -> &'static [NoticeKind] {
        let policy = self.ctx.policy();
        if policy.is_overdue(due, self.day) {
            &[NoticeKind::DueSoon, NoticeKind::Overdue]
        } else if policy.is_due_soon(due, self.day) {
            &[NoticeKind::DueSoon]
        } else {
            &[]
        }
    }
}

/// The clone of `c` received at `received`, appended to `batch`.
fn clone_into(
    batch: &mut rows::Batch,
    c: &Compiled<'_>,
    ids: &mut Ids,
    (tracking_number, token): (&str, &str),
    received: NaiveDateTime,
    today: &Today<'_>,
    n: u64,
) {
    let m = c.model;
    let shift = received - m.request.received_at;
    let days = Duration::days((received.date() - m.request.received_at.date()).num_days());
    let at = |t: NaiveDateTime| t + shift;
    let (request_id, requester_id) = (RequestId(ids.request), RequesterId(ids.requester));
    ids.request += 1;
    ids.requester += 1;
    let outbox_ids: Vec<i64> = (0..m.outbox.len() as i64).map(|n| ids.notice + n).collect();
    ids.notice += m.outbox.len() as i64;
    let token_hash = crate::secrets::token_hash(token);
    let email = words::email_of(tracking_number);
    let description_end = words::sentence(n);
    let fill = Fill {
        tracking_number,
        token: &token_hash,
        outbox_ids: &outbox_ids,
        email: &email,
        description_end: &description_end,
    };

    batch.requesters.push(RequesterRow {
        id: requester_id,
        created_at: at(m.requester.created_at),
        email: m.requester.email.as_ref().map(|_| email.clone()),
        ..m.requester.clone()
    });
    let mut prev_hash = chain::GENESIS_HASH.to_string();
    for (event, content) in m.events.iter().zip(&c.contents) {
        let content = letter_packed(&event.action, content.fill(&fill));
        let content = shift::dates(&event.action, content, days, shift);
        let when = at(event.at);
        let canonical = chain::canonical(
            tracking_number,
            event.seq,
            when,
            &event.actor,
            &event.action,
            &content,
        );
        let hash = chain::hash(&prev_hash, &canonical);
        batch.events.push(rows::Event {
            request_id,
            seq: event.seq,
            at: when,
            actor: event.actor.clone(),
            action: event.action.clone(),
            content,
            prev_hash: std::mem::replace(&mut prev_hash, hash.clone()),
            hash,
        });
    }
    let notices = m.outbox.iter().zip(&c.payloads).zip(&c.message_ids);
    for (n, ((notice, payload), message_id)) in notices.enumerate() {
        batch.notices.push(OutboxRow {
            id: OutboxId(outbox_ids[n]),
            request_id: Some(request_id),
            payload: payload.fill(&fill),
            message_id: message_id.fill(&fill),
            next_attempt_at: at(notice.next_attempt_at),
            created_at: at(notice.created_at),
            sent_at: notice.sent_at.map(at),
            ..notice.clone()
        });
    }
    for d in &m.determinations {
        batch.determinations.push(rows::Determination {
            request_id,
            stage: d.stage,
            outcome: d.outcome,
            decision: d.decision.clone(),
            reason: d.reason.clone(),
            partial: d.partial,
            withheld: d.withheld.clone(),
            legal_basis: d.legal_basis.clone(),
            responsible: d.responsible.clone(),
            decided_by: d.decided_by,
            decided_at: at(d.decided_at),
            withheld_items: d.withheld_items.clone(),
            segregability: d.segregability.clone(),
            search: d.search.clone(),
            records_due_at: d.records_due_at.map(at),
            review: d.review,
        });
    }
    let q = &m.request;
    batch.links.push(rows::Link {
        request_id,
        token_hash: token_hash.clone(),
        created_at: received,
    });
    batch.requests.push(RequestRow {
        id: request_id,
        tracking_number: tracking_number.to_string(),
        requester_id,
        description: format!("{}{description_end}", q.description),
        received_at: received,
        determination_due: q.determination_due + days,
        due_on: q.due_on + days,
        appeal_deadline: q.appeal_deadline.map(|d| d + days),
        appealed_at: q.appealed_at.map(at),
        closed_at: q.closed_at.map(at),
        records_due_at: q.records_due_at.map(at),
        produced_at: q.produced_at.map(at),
        audit_head: prev_hash,
        updated_at: at(q.updated_at),
        ..q.clone()
    });
    if m.status().is_open() {
        let due = q.due_on + days;
        for kind in today.reminders_sent(due) {
            batch.reminders.push(rows::Reminder {
                request_id,
                kind: *kind,
                due_on: due,
                created_at: today.now,
            });
        }
    }
}

/// Picks each clone's model (by the shares in `templates`) and receipt time, oldest first.
fn schedule(plan: &Plan, models: &[Model], now: NaiveDateTime) -> Vec<Slot> {
    let weights: Vec<u64> = models
        .iter()
        .map(|m| u64::from(m.source.per_mille() * m.path.per_mille()))
        .collect();
    let total: u64 = weights.iter().sum();
    let day = 86_400_000_000_i64;
    let now_micros = now.and_utc().timestamp_micros();
    let mut rng = Rng(plan.requests ^ 0x5eed);
    let mut slots: Vec<Slot> = (0..plan.requests)
        .map(|_| {
            let mut pick = rng.below(total);
            let model = weights
                .iter()
                .position(|w| {
                    let here = pick < *w;
                    pick = pick.saturating_sub(*w);
                    here
                })
                .unwrap_or(0);
            let (from, span) = if models[model].status().is_open() {
                (0, plan.open_days)
            } else {
                (plan.open_days, (plan.history_days - plan.open_days).max(1))
            };
            let age = from * day + rng.below((span * day) as u64) as i64;
            Slot {
                received_micros: now_micros - age,
                model: model as u16,
            }
        })
        .collect();
    slots.sort_by_key(|s| s.received_micros);
    slots
}

fn micros(t: i64) -> NaiveDateTime {
    chrono::DateTime::from_timestamp_micros(t)
        .expect("a time within chrono's range")
        .naive_utc()
}

/// The next tracking-number sequence per year, continuing the service's own counters.
fn year_counters(conn: &mut Conn) -> QueryResult<BTreeMap<i32, i64>> {
    let rows: Vec<(String, i64)> = counters::table
        .filter(counters::name.like("tracking-%"))
        .select((counters::name, counters::value))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(name, value)| Some((name.strip_prefix("tracking-")?.parse().ok()?, value)))
        .collect())
}

fn save_counters(conn: &mut Conn, years: &BTreeMap<i32, i64>) -> QueryResult<()> {
    for (year, value) in years {
        let name = format!("tracking-{year}");
        let updated = diesel::update(counters::table.find(&name))
            .set(counters::value.eq(*value))
            .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(counters::table)
                .values((counters::name.eq(&name), counters::value.eq(*value)))
                .execute(conn)?;
        }
    }
    Ok(())
}

fn max_id(conn: &mut Conn) -> QueryResult<Ids> {
    use diesel::dsl::max;
    Ok(Ids {
        requester: requesters::table
            .select(max(requesters::id))
            .first::<Option<i64>>(conn)?
            .unwrap_or(0)
            + 1,
        request: requests::table
            .select(max(requests::id))
            .first::<Option<i64>>(conn)?
            .unwrap_or(0)
            + 1,
        notice: outbox::table
            .select(max(outbox::id))
            .first::<Option<i64>>(conn)?
            .unwrap_or(0)
            + 1,
    })
}

/// Writes each batch in its own transaction; stops at the first error (and so stops the maker,
/// whose next send then fails).
fn write_all(
    conn: &mut Conn,
    batches: mpsc::Receiver<rows::Batch>,
    report: &mut Report,
    planned: u64,
    progress: &mut dyn FnMut(u64, u64),
) -> QueryResult<()> {
    let mut written = 0_u64;
    for batch in batches.iter() {
        let began = Instant::now();
        conn.transaction(|conn| rows::insert(conn, &batch))?;
        report.write_seconds += began.elapsed().as_secs_f64();
        written += batch.requests.len() as u64;
        report.requests += batch.requests.len() as u64;
        report.events += batch.events.len() as u64;
        report.notices += batch.notices.len() as u64;
        report.determinations += batch.determinations.len() as u64;
        progress(written, planned);
    }
    Ok(())
}

/// Fills an EMPTY database with the model requests and `plan.requests` clones of them;
/// `progress` hears (written, planned) after each transaction.
pub fn seed(
    settings: &Settings,
    plan: &Plan,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Report, SeedError> {
    let started = Instant::now();
    let db: Db = open_database(settings)?;
    let ctx = Ctx::from_settings(settings).map_err(StartupError::from)?;
    let existing: i64 = db.read(|conn| {
        requests::table
            .count()
            .get_result(conn)
            .map_err(DbError::from)
    })?;
    if existing > 0 {
        return Err(SeedError::NotEmpty(existing));
    }
    let models = templates::make(&db, settings, &ctx)?;
    let compiled: Vec<Compiled<'_>> = models.iter().map(Compiled::new).collect();
    let slots = schedule(plan, &models, crate::db::now());
    let mut report = Report {
        models: models.len(),
        requests: models.len() as u64,
        events: models.iter().map(|m| m.events.len() as u64).sum(),
        notices: models.iter().map(|m| m.outbox.len() as u64).sum(),
        determinations: models.iter().map(|m| m.determinations.len() as u64).sum(),
        ..Report::default()
    };
    let salt = crate::secrets::random_hex(16);
    let now = crate::db::now();
    let today = Today {
        ctx: &ctx,
        day: ctx.clock.date_of(now),
        now,
    };
    let every = (slots.len() / plan.sample.max(1)).max(1);

    db.read(|conn| {
        let mut years = year_counters(conn)?;
        let mut ids = max_id(conn)?;
        // Numbers in receipt order, per year of receipt in the city's time zone.
        let numbers: Vec<String> = slots
            .iter()
            .map(|slot| {
                let year = ctx.clock.date_of(micros(slot.received_micros)).year();
                let next = years.entry(year).or_insert(0);
                *next += 1;
                TrackingNumber::new(year, *next).to_string()
            })
            .collect();
        let sqlite = matches!(conn, Conn::Sqlite(_));
        // A bulk load: durability comes from the checkpoint at the end, not from each commit.
        conn.batch_execute(if sqlite {
            "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;"
        } else {
            "SET synchronous_commit = off"
        })?;
        let (sender, batches) = mpsc::sync_channel::<rows::Batch>(2);
        let sample = std::thread::scope(|scope| {
            // Cloning and hashing on one core, writing on the other.
            let maker = scope.spawn(|| {
                let mut sample = Vec::new();
                for (start, chunk) in slots.chunks(BATCH).enumerate() {
                    let mut batch = rows::Batch::default();
                    for (offset, slot) in chunk.iter().enumerate() {
                        let n = start * BATCH + offset;
                        let c = &compiled[usize::from(slot.model)];
                        let token = token_for(&salt, n as u64);
                        let received = micros(slot.received_micros);
                        let names = (numbers[n].as_str(), token.as_str());
                        clone_into(&mut batch, c, &mut ids, names, received, &today, n as u64);
                        if n % every == 0 && sample.len() < plan.sample {
                            sample.push(Seeded {
                                tracking_number: numbers[n].clone(),
                                token,
                                status: c.model.status(),
                                queue: c.model.request.queue.clone(),
                                email: c
                                    .model
                                    .requester
                                    .email
                                    .as_ref()
                                    .map(|_| words::email_of(&numbers[n])),
                            });
                        }
                    }
                    if sender.send(batch).is_err() {
                        break;
                    }
                }
                drop(sender);
                sample
            });
            let written = write_all(conn, batches, &mut report, plan.requests, progress);
            let sample = maker.join().expect("the clone maker does not panic");
            written.map(|()| sample)
        })?;
        save_counters(conn, &years)?;
        conn.batch_execute(if sqlite {
            "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA synchronous = FULL; PRAGMA cache_size = -2000;"
        } else {
            "SELECT setval(pg_get_serial_sequence('requesters', 'id'), (SELECT MAX(id) FROM requesters)); \
             SELECT setval(pg_get_serial_sequence('requests', 'id'), (SELECT MAX(id) FROM requests)); \
             SELECT setval(pg_get_serial_sequence('outbox', 'id'), (SELECT MAX(id) FROM outbox)); \
             RESET synchronous_commit; CHECKPOINT; ANALYZE;"
        })?;
        if !sqlite {
            // What autovacuum would have done to older tables: the visibility map lets
            // counts over the requests indexes skip the table, and autovacuum's first pass over
            // the millions of rows just inserted does not start in the middle of a load run's
            // read phases. (Not inside a transaction.)
            conn.batch_execute("VACUUM (ANALYZE)")?;
        }
        // The clones' words are indexed by the server at its next start, in batches
        // (`db::search::fill_missing`), as an existing install's are when search is added.
        crate::db::search::forget(conn)?;
        report.sample = sample;
        Ok::<_, SeedError>(())
    })?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}
