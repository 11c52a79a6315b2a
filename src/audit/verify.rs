//! `recordsdesk audit verify`: recompute every chain and name the first broken event of each;
//! hold each chain to its anchor (`anchor.rs`), and each request row to the state its chain
//! makes (`state.rs`).

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use super::anchor::Anchor;
use super::chain::{self, GENESIS_HASH};
use super::read::EventRow;
use super::replay;
use super::state::{self, ReadStep, StaffEmails, StateProblem};
use crate::db::models::{AuditRow, RequestRow, RequesterRow};
use crate::db::schema::{audit_events, link_tokens, requesters, requests, staff};
use crate::db::{per_backend, Conn};
use crate::domain::step::Step;

/// Requests are read in pages of this many, with their events, so memory stays flat.
const PAGE: i64 = 2_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    pub tracking_number: String,
    /// The first event that does not hold (None when the chain lost events at its end).
    pub event_id: Option<i64>,
    pub seq: i64,
    pub problem: String,
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.event_id {
            Some(id) => write!(
                f,
                "{} event seq {} (id {}): {}",
                self.tracking_number, self.seq, id, self.problem
            ),
            None => write!(
                f,
                "{} after seq {}: {}",
                self.tracking_number, self.seq, self.problem
            ),
        }
    }
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    pub chains: u64,
    pub events: u64,
    pub breaks: Vec<Break>,
    /// What the anchor covers; None when verified without one.
    pub anchor: Option<AnchorCoverage>,
}

/// How far the anchor reaches.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct AnchorCoverage {
    pub lines: usize,
    pub latest_at: Option<String>,
    /// Chains the anchor names.
    pub anchored_chains: u64,
    /// Events after each chain's anchored one (all of a chain the anchor does not name): not
    /// yet protected against removal.
    pub unanchored_events: u64,
    pub unanchored_chains: u64,
    /// Lines of the anchor file that do not hold.
    pub problems: Vec<String>,
}

impl VerifyReport {
    pub fn holds(&self) -> bool {
        self.breaks.is_empty() && self.anchor.as_ref().is_none_or(|a| a.problems.is_empty())
    }
}

/// Whether `content` is one JSON value. Checked, not built: a parse into a Value allocated the
/// whole tree of every event.
fn is_json(content: &str) -> bool {
    serde_json::from_str::<serde::de::IgnoredAny>(content).is_ok()
}

/// Checks one chain against the head its request row records. `line` is scratch space for
/// each event's canonical line, kept by the caller so a page costs no allocation per event.
/// The steps of the events that change the row are read on the way into `steps`, for the
/// state check, so each event's content is parsed once.
fn verify_chain<'a>(
    tracking_number: &str,
    head_seq: i64,
    head_hash: &str,
    events: &'a [EventRow],
    line: &mut Vec<u8>,
    steps: &mut Vec<ReadStep<'a>>,
) -> Option<Break> {
    let broken = |event: &EventRow, problem: &str| Break {
        tracking_number: tracking_number.to_string(),
        event_id: Some(event.id),
        seq: event.seq,
        problem: problem.to_string(),
    };
    steps.clear();
    let mut prev_hash = GENESIS_HASH;
    for (index, event) in events.iter().enumerate() {
        let expected_seq = index as i64 + 1;
        if event.seq != expected_seq {
            return Some(broken(
                event,
                &format!("expected seq {expected_seq}: events are missing or out of order"),
            ));
        }
        if event.prev_hash.as_str() != prev_hash {
            return Some(broken(
                event,
                "prev_hash does not match the hash of the event before it",
            ));
        }
        let (action, content) = (event.action.as_str(), event.content.as_str());
        if replay::changes_state(action) {
            // A step read whole was valid JSON; one that was not is checked as JSON alone.
            let step = Step::from_stored(action, content).ok();
            if step.is_none() && !is_json(content) {
                return Some(broken(event, "content is not valid JSON"));
            }
            steps.push(ReadStep {
                event_id: event.id,
                seq: event.seq,
                at: event.at.0,
                actor: event.actor.as_str(),
                step,
            });
        } else if !is_json(content) {
            return Some(broken(event, "content is not valid JSON"));
        }
        let hash = chain::hash_event_hex(
            line,
            prev_hash.as_bytes(),
            tracking_number,
            event.seq,
            event.at.0,
            event.actor.as_str(),
            action,
            content,
        );
        if hash.as_slice() != event.hash.as_str().as_bytes() {
            return Some(broken(
                event,
                "hash does not match the event's content: the row was changed",
            ));
        }
        prev_hash = event.hash.as_str();
    }
    let last_seq = events.len() as i64;
    if last_seq != head_seq || prev_hash != head_hash {
        return Some(Break {
            tracking_number: tracking_number.to_string(),
            event_id: None,
            seq: last_seq,
            problem: format!("the request records {head_seq} events ending in {head_hash}; the log ends at seq {last_seq}"),
        });
    }
    None
}

/// One page of requests (with their requesters) and all their events.
struct Page {
    /// Its reader, then its place in the reader's span.
    number: (usize, usize),
    requests: Vec<(RequestRow, Option<RequesterRow>)>,
    events: Vec<EventRow>,
}

/// What every page is checked against besides its own rows.
struct Against<'a> {
    staff: StaffEmails,
    anchor: Option<&'a Anchor>,
}

/// What checking a page found.
#[derive(Default)]
struct Tally {
    chains: u64,
    events: u64,
    breaks: Vec<Break>,
    /// Chains of the page the anchor names.
    anchored: u64,
    unanchored_events: u64,
    unanchored_chains: u64,
}

/// Holds a chain that verified to its anchor: the anchored event must still be in it.
fn check_anchor(
    tracking_number: &str,
    events: &[EventRow],
    (seq, hash): (i64, &str),
) -> Option<Break> {
    let broken = |problem: String| Break {
        tracking_number: tracking_number.to_string(),
        event_id: None,
        seq,
        problem,
    };
    let short = &hash[..hash.len().min(16)];
    match usize::try_from(seq - 1).ok().and_then(|i| events.get(i)) {
        None => Some(broken(format!(
            "the anchor holds this chain at seq {seq} ({short}…), but it ends at seq {}: events the anchor covers were removed",
            events.len()
        ))),
        Some(event) if event.hash.as_str() != hash => Some(Break {
            event_id: Some(event.id),
            ..broken(format!(
                "the anchor holds this event as {short}…: the chain up to it was rewritten"
            ))
        }),
        Some(_) => None,
    }
}

/// Checks a page's chains, in request order.
fn verify_page(page: &Page, against: &Against<'_>) -> Tally {
    let mut tally = Tally::default();
    let mut line = Vec::with_capacity(1024);
    let mut steps = Vec::new();
    let mut rest = page.events.as_slice();
    for (row, requester) in &page.requests {
        let id = row.id.0;
        let tracking_number = row.tracking_number.as_str();
        // Events of a request that no longer exists are reported below, not here.
        let skip = rest
            .iter()
            .position(|e| e.request_id >= id)
            .unwrap_or(rest.len());
        rest = &rest[skip..];
        let split = rest
            .iter()
            .position(|e| e.request_id != id)
            .unwrap_or(rest.len());
        let (chain_events, tail) = rest.split_at(split);
        rest = tail;
        tally.chains += 1;
        tally.events += chain_events.len() as u64;
        let anchored = against.anchor.map(|a| a.head(tracking_number));
        match anchored {
            Some(Some((seq, _))) => {
                tally.anchored += 1;
                let newer = (row.audit_seq - seq).max(0) as u64;
                tally.unanchored_events += newer;
                tally.unanchored_chains += u64::from(newer > 0);
            }
            Some(None) => {
                tally.unanchored_events += row.audit_seq.max(0) as u64;
                tally.unanchored_chains += u64::from(row.audit_seq > 0);
            }
            None => {}
        }
        let found = verify_chain(
            tracking_number,
            row.audit_seq,
            &row.audit_head,
            chain_events,
            &mut line,
            &mut steps,
        )
        .or_else(|| {
            anchored
                .flatten()
                .and_then(|head| check_anchor(tracking_number, chain_events, head))
        })
        .or_else(|| {
            state::check_read(row, requester.as_ref(), &steps, &against.staff)
                .err()
                .map(|problem| state_break(row, problem))
        });
        tally.breaks.extend(found);
    }
    tally
}

/// A request row that differs from what its chain makes, as a break.
fn state_break(row: &RequestRow, problem: StateProblem) -> Break {
    let (event_id, seq, problem) = match problem {
        StateProblem::Unreadable { event_id, seq } => (
            Some(event_id),
            seq,
            "the event cannot be read as the step its action names".to_string(),
        ),
        StateProblem::Unreplayable(why) => (None, row.audit_seq, why.to_string()),
        StateProblem::Differs(mismatch) => (None, row.audit_seq, mismatch.to_string()),
    };
    Break {
        tracking_number: row.tracking_number.clone(),
        event_id,
        seq,
        problem,
    }
}

/// Verifies every request's chain and state, without an anchor.
pub fn verify_all(conn: &mut Conn) -> QueryResult<VerifyReport> {
    verify_anchored(conn, &mut [], None)
}

/// Verifies every request's chain, holds each to `anchor` (read before `conn`'s snapshot
/// began, so all it names was committed in it) and each row to the state its chain makes.
/// `conn` and each of `readers` (connections reading the same snapshot, `Db::shared_snapshot`)
/// read pages of their own span of requests on a thread each; the other cores check them
/// meanwhile, since chains are independent. Breaks are reported in request order, as if
/// checked one by one.
pub fn verify_anchored(
    conn: &mut Conn,
    readers: &mut [Conn],
    anchor: Option<&Anchor>,
) -> QueryResult<VerifyReport> {
    // Pages read from a memory map, not copied out of the kernel by a read() each: a seventh
    // of the reading thread's time. SQLite maps at most its build's limit (2 GB by default)
    // and reads the rest as before.
    let map = |conn: &mut Conn, bytes: i64| match conn {
        Conn::Sqlite(c) => c.batch_execute(&format!("PRAGMA mmap_size = {bytes}")),
        Conn::Postgres(_) => Ok(()),
    };
    map(conn, MMAP_BYTES)?;
    let report = readers
        .iter_mut()
        .try_for_each(|reader| map(reader, MMAP_BYTES))
        .and_then(|()| verify_snapshot(conn, readers, anchor));
    map(conn, 0)?;
    report
}

/// How many connections `verify_anchored` should be given beside its own: one reader per
/// core, up to four. The reading, not the checking, was the bound with one: on SQLite two
/// thirds of the work, on PostgreSQL the one server process that serves the snapshot.
pub fn more_readers() -> usize {
    crate::db::cores().clamp(1, 4) - 1
}

/// How much of a SQLite file `verify` maps (SQLite's own default limit).
const MMAP_BYTES: i64 = 0x7fff_0000;

/// `verify_anchored` on the connections as they are set up.
fn verify_snapshot(
    conn: &mut Conn,
    readers: &mut [Conn],
    anchor: Option<&Anchor>,
) -> QueryResult<VerifyReport> {
    let staff: Vec<(crate::domain::ids::StaffId, String)> =
        staff::table.select((staff::id, staff::email)).load(conn)?;
    let against = Against {
        staff: staff.into_iter().collect(),
        anchor,
    };
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    let spans = spans(conn, 1 + readers.len())?;
    let (pages, inbox) = std::sync::mpsc::sync_channel::<Page>(workers * 2);
    let inbox = std::sync::Mutex::new(inbox);
    // Checked pages go back to their reader to be freed: a row's strings freed on another
    // thread contend for the reader's malloc arena, which cost the reader a fifth of its time.
    let (to_readers, done_with): (Vec<_>, Vec<_>) = (0..spans.len())
        .map(|_| std::sync::mpsc::channel::<Page>())
        .unzip();
    let mut report = VerifyReport::default();
    let mut coverage = anchor.map(|a| AnchorCoverage {
        lines: a.lines,
        latest_at: a.latest_at.clone(),
        problems: a.problems.clone(),
        ..AnchorCoverage::default()
    });
    let mut found: Vec<((usize, usize), Vec<Break>)> = Vec::new();
    // A reader that fails stops the others: its error is the answer.
    let failed = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| -> QueryResult<()> {
        let checkers: Vec<_> = (0..workers)
            .map(|_| {
                let inbox = &inbox;
                let against = &against;
                let to_readers = to_readers.clone();
                scope.spawn(move || {
                    let mut sum = Tally::default();
                    let mut breaks = Vec::new();
                    loop {
                        let next = inbox.lock().unwrap_or_else(|p| p.into_inner()).recv();
                        let Ok(page) = next else { break };
                        let tally = verify_page(&page, against);
                        sum.chains += tally.chains;
                        sum.events += tally.events;
                        sum.anchored += tally.anchored;
                        sum.unanchored_events += tally.unanchored_events;
                        sum.unanchored_chains += tally.unanchored_chains;
                        breaks.push((page.number, tally.breaks));
                        // The reader may have finished already; then the page drops here.
                        let _ = to_readers[page.number.0].send(page);
                    }
                    (sum, breaks)
                })
            })
            .collect();
        drop(to_readers);
        // Each span is read on a thread of its own, the first on the caller's connection.
        let failed = &failed;
        let reading: Vec<_> = std::iter::once(&mut *conn)
            .chain(readers.iter_mut())
            .zip(spans.into_iter().zip(done_with))
            .enumerate()
            .map(|(reader, (c, (span, done)))| {
                let pages = pages.clone();
                scope.spawn(move || read_pages(c, reader, span, &pages, &done, failed))
            })
            .collect();
        // Every reader is waited for, then the first error is the answer.
        let joined: Vec<QueryResult<()>> = reading
            .into_iter()
            .map(|reader| reader.join().expect("a page reader panicked"))
            .collect();
        let read = joined.into_iter().collect::<QueryResult<()>>();
        // Closing the channel lets the checkers finish what was sent, then stop.
        drop(pages);
        for checker in checkers {
            let (sum, breaks) = checker.join().expect("a chain checker panicked");
            report.chains += sum.chains;
            report.events += sum.events;
            if let Some(c) = coverage.as_mut() {
                c.anchored_chains += sum.anchored;
                c.unanchored_events += sum.unanchored_events;
                c.unanchored_chains += sum.unanchored_chains;
            }
            found.extend(breaks);
        }
        read
    })?;
    found.sort_by_key(|(number, _)| *number);
    report.breaks = found.into_iter().flat_map(|(_, b)| b).collect();
    // A deleted request leaves its events behind: name the first event of each.
    let orphans: Vec<AuditRow> = audit_events::table
        .left_join(requests::table)
        .filter(requests::id.is_null())
        .filter(audit_events::seq.eq(1))
        .order(audit_events::request_id)
        .select(AuditRow::as_select())
        .load(conn)?;
    for event in orphans {
        report.breaks.push(Break {
            tracking_number: format!("(deleted request {})", event.request_id),
            event_id: Some(event.id),
            seq: event.seq,
            problem: "the request these events belong to was removed".into(),
        });
    }
    // A chain the anchor names that is gone, events and request alike.
    if let (Some(anchor), Some(c)) = (anchor, coverage.as_ref()) {
        if (c.anchored_chains as usize) < anchor.heads.len() {
            let present: std::collections::HashSet<String> = requests::table
                .select(requests::tracking_number)
                .load::<String>(conn)?
                .into_iter()
                .collect();
            let mut gone: Vec<(&String, &(i64, String))> = anchor
                .heads
                .iter()
                // The mail and administration chains are held to their anchors by their own
                // `verify`.
                .filter(|(tn, _)| {
                    tn.as_str() != super::mail_chain::CHAIN
                        && tn.as_str() != super::admin_chain::CHAIN
                        && !present.contains(*tn)
                })
                .collect();
            gone.sort();
            for (tn, (seq, _)) in gone {
                report.breaks.push(Break {
                    tracking_number: tn.clone(),
                    event_id: None,
                    seq: *seq,
                    problem: format!(
                        "the anchor holds this chain at seq {seq}, but the request is gone: it was removed behind the service's back"
                    ),
                });
            }
        }
    }
    report.breaks.extend(verify_links(conn)?);
    report.anchor = coverage;
    Ok(report)
}

/// Holds the private links to the chains that gave and revoked them: a token hash added behind
/// the service's back opens a request until this names it, and so does a revoked link turned
/// back on. Links of a request filed before links were logged: only the one its filing gave.
fn verify_links(conn: &mut Conn) -> QueryResult<Vec<Break>> {
    use std::collections::{HashMap, HashSet};
    let links: Vec<(i64, String, i64, String, Option<i64>, bool)> = link_tokens::table
        .inner_join(requests::table)
        .order((link_tokens::request_id, link_tokens::id))
        .select((
            link_tokens::id,
            link_tokens::token_hash,
            link_tokens::request_id,
            requests::tracking_number,
            link_tokens::outbox_id,
            link_tokens::revoked_at.is_not_null(),
        ))
        .load(conn)?;
    let events: Vec<(i64, String, String)> = audit_events::table
        .filter(audit_events::action.eq_any(["link_issued", "links_revoked"]))
        .select((
            audit_events::request_id,
            audit_events::action,
            audit_events::content,
        ))
        .load(conn)?;
    let (mut issued, mut revoked, mut logged) = (HashSet::new(), HashSet::new(), HashSet::new());
    for (request_id, action, content) in &events {
        logged.insert(*request_id);
        match Step::from_stored(action, content) {
            Ok(Step::LinkIssued(l)) => {
                issued.insert((*request_id, l.token_hash));
            }
            Ok(Step::LinksRevoked(r)) => {
                revoked.extend(r.token_hashes.into_iter().map(|h| (*request_id, h)));
            }
            // An unreadable event is the chain check's to name.
            _ => {}
        }
    }
    let mut per_request: HashMap<i64, usize> = HashMap::new();
    for (_, _, request_id, ..) in &links {
        *per_request.entry(*request_id).or_default() += 1;
    }
    let mut breaks = Vec::new();
    let mut named = HashSet::new();
    for (id, hash, request_id, tracking_number, outbox_id, is_revoked) in links {
        let key = (request_id, hash);
        let problem = if !logged.contains(&request_id) {
            let only_the_filings = per_request[&request_id] == 1 && outbox_id.is_none();
            (!only_the_filings).then_some(
                "a private link its chain never gave was added behind the service's back",
            )
        } else if !issued.contains(&key) {
            Some("a private link its chain never gave was added behind the service's back")
        } else if revoked.contains(&key) && !is_revoked {
            Some("a private link its chain revoked was turned back on behind the service's back")
        } else {
            None
        };
        if let Some(problem) = problem {
            // One line per request is enough to send someone to look.
            if named.insert(request_id) {
                breaks.push(Break {
                    tracking_number,
                    event_id: None,
                    seq: 0,
                    problem: format!("{problem} (link {id})"),
                });
            }
        }
    }
    Ok(breaks)
}

/// The request ids `readers` read, each its own inclusive span: the ids from the first to the
/// last split evenly (ids are given in order, so requests are spread about evenly too).
fn spans(conn: &mut Conn, readers: usize) -> QueryResult<Vec<(i64, i64)>> {
    use diesel::dsl::{max, min};
    let (first, last): (Option<i64>, Option<i64>) = requests::table
        .select((min(requests::id), max(requests::id)))
        .first(conn)?;
    let (first, last) = (first.unwrap_or(1), last.unwrap_or(0));
    Ok(split(first, last, readers))
}

/// `first..=last` in `parts` spans that together cover it, in order; empty ones at the end
/// when there are fewer ids than parts.
fn split(first: i64, last: i64, parts: usize) -> Vec<(i64, i64)> {
    let parts = parts.max(1) as i64;
    let count = (last - first + 1).max(0);
    let (each, over) = (count / parts, count % parts);
    let mut start = first;
    (0..parts)
        .map(|i| {
            let size = each + i64::from(i < over);
            let span = (start, start + size - 1);
            start += size;
            span
        })
        .collect()
}

/// Reads the requests of `span` (ids, inclusive) with their events, a page at a time, and
/// hands each page on; if it fails, the other readers stop.
fn read_pages(
    conn: &mut Conn,
    reader: usize,
    span: (i64, i64),
    pages: &std::sync::mpsc::SyncSender<Page>,
    done_with: &std::sync::mpsc::Receiver<Page>,
    failed: &std::sync::atomic::AtomicBool,
) -> QueryResult<()> {
    let read = read_span(conn, reader, span, pages, done_with, failed);
    if read.is_err() {
        failed.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    read
}

/// `read_pages`' loop, page by page, which ends early once another reader failed.
fn read_span(
    conn: &mut Conn,
    reader: usize,
    (span_first, span_last): (i64, i64),
    pages: &std::sync::mpsc::SyncSender<Page>,
    done_with: &std::sync::mpsc::Receiver<Page>,
    failed: &std::sync::atomic::AtomicBool,
) -> QueryResult<()> {
    let mut after_id = span_first - 1;
    for number in 0.. {
        if failed.load(std::sync::atomic::Ordering::Relaxed) {
            break;
        }
        done_with.try_iter().for_each(drop);
        // On the backend's own connection: through `Conn` every value of every row is
        // wrapped and unwrapped again.
        let rows: Vec<(RequestRow, Option<RequesterRow>)> = per_backend!(conn, |c| {
            requests::table
                .left_join(requesters::table)
                .filter(requests::id.gt(after_id))
                .filter(requests::id.le(span_last))
                .order(requests::id)
                .limit(PAGE)
                .select((RequestRow::as_select(), Option::<RequesterRow>::as_select()))
                .load(c)
        })?;
        let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
            break;
        };
        let (first, last) = (first.0.id.0, last.0.id.0);
        let events: Vec<EventRow> = per_backend!(conn, |c| {
            audit_events::table
                .filter(audit_events::request_id.between(first, last))
                .order((audit_events::request_id, audit_events::seq))
                .select(EventRow::as_select())
                .load(c)
        })?;
        after_id = last;
        if pages
            .send(Page {
                number: (reader, number),
                requests: rows,
                events,
            })
            .is_err()
        {
            break;
        }
    }
    Ok(())
}

/// A document row as the check reads it: id, request id, kind, title, hash, address,
/// whether it is released, and its request's tracking number.
type DocumentFacts = (
    i64,
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    bool,
    i32,
    String,
);

/// Checks the documents table against the chain: every document is as its `document_added`
/// event says (kind, title, hash, address), and every released one is named, public or
/// private as it is marked, by a
/// `documents_released` event. The chain is what proves what a requester received, so a table
/// that disagrees with it has been changed behind the service's back. Answers one line per
/// disagreement.
pub fn verify_documents(conn: &mut Conn) -> QueryResult<Vec<String>> {
    use crate::db::schema::documents;
    use serde_json::Value;

    let rows: Vec<DocumentFacts> = documents::table
        .inner_join(requests::table)
        .order(documents::id)
        .select((
            documents::id,
            documents::request_id,
            documents::kind,
            documents::title,
            documents::sha256,
            documents::url,
            documents::released_at.is_not_null(),
            documents::public,
            requests::tracking_number,
        ))
        .load(conn)?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let events: Vec<(i64, String, String)> = audit_events::table
        .filter(audit_events::action.eq_any(["document_added", "documents_released"]))
        .select((
            audit_events::request_id,
            audit_events::action,
            audit_events::content,
        ))
        .load(conn)?;
    let mut added = std::collections::HashMap::new();
    // Each released document, and whether it was released to the public (a release made
    // before the choice existed released everything to the public).
    let mut released = std::collections::HashMap::new();
    for (request_id, action, content) in events {
        let content: Value = serde_json::from_str(&content).unwrap_or(Value::Null);
        if action == "document_added" {
            if let Some(id) = content["document_id"].as_i64() {
                added.insert((request_id, id), content);
            }
        } else {
            for document in content["documents"].as_array().into_iter().flatten() {
                if let Some(id) = document["document_id"].as_i64() {
                    let public = document["public"].as_bool().unwrap_or(true);
                    released.insert((request_id, id), public);
                }
            }
        }
    }
    let mut problems = Vec::new();
    for (id, request_id, kind, title, sha256, url, is_released, public, tracking_number) in rows {
        let mut problem = |what: &str| {
            problems.push(format!("{tracking_number} document {id}: {what}"));
        };
        let Some(event) = added.get(&(request_id, id)) else {
            problem("no document_added event names it");
            continue;
        };
        let text = |key: &str| event[key].as_str().map(str::to_string);
        if text("kind").as_deref() != Some(kind.as_str()) || text("title") != Some(title) {
            problem("its kind or title differs from its document_added event");
        }
        if text("sha256") != sha256 || text("url") != url {
            problem("its file hash or address differs from its document_added event");
        }
        match (is_released, released.get(&(request_id, id))) {
            (true, None) => {
                problem("it is marked released, but no documents_released event names it")
            }
            (true, Some(&to_public)) if to_public != (public == 1) => problem(
                "it is marked public or private otherwise than its documents_released event says",
            ),
            _ => {}
        }
    }
    Ok(problems)
}

/// Checks the files requesters sent against the chain: each is named, with the same title and
/// hash, by the `message` event it came with. Answers one line per disagreement.
pub fn verify_requester_files(conn: &mut Conn) -> QueryResult<Vec<String>> {
    use crate::db::schema::requester_files;
    use serde_json::Value;

    let rows: Vec<(i64, i64, String, String, String)> = requester_files::table
        .inner_join(requests::table)
        .order(requester_files::id)
        .select((
            requester_files::id,
            requester_files::request_id,
            requester_files::title,
            requester_files::sha256,
            requests::tracking_number,
        ))
        .load(conn)?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let events: Vec<(i64, String)> = audit_events::table
        .filter(audit_events::action.eq("message"))
        .filter(audit_events::content.like("%\"files\"%"))
        .select((audit_events::request_id, audit_events::content))
        .load(conn)?;
    let mut named = std::collections::HashMap::new();
    for (request_id, content) in events {
        let content: Value = serde_json::from_str(&content).unwrap_or(Value::Null);
        for file in content["files"].as_array().into_iter().flatten() {
            if let Some(id) = file["file_id"].as_i64() {
                named.insert((request_id, id), file.clone());
            }
        }
    }
    let mut problems = Vec::new();
    for (id, request_id, title, sha256, tracking_number) in rows {
        let problem = match named.get(&(request_id, id)) {
            None => "no message event names it",
            Some(event) if event["title"].as_str() != Some(title.as_str()) => {
                "its name differs from its message event"
            }
            Some(event) if event["sha256"].as_str() != Some(sha256.as_str()) => {
                "its file hash differs from its message event"
            }
            Some(_) => continue,
        };
        problems.push(format!(
            "{tracking_number} file from the requester {id}: {problem}"
        ));
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One chain verified on its own, with buffers of its own.
    fn chain_alone(tn: &str, head_seq: i64, head_hash: &str, events: &[EventRow]) -> Option<Break> {
        verify_chain(
            tn,
            head_seq,
            head_hash,
            events,
            &mut Vec::new(),
            &mut Vec::new(),
        )
    }
    use crate::audit::read::{Short, Time};
    use chrono::NaiveDate;

    fn chain_of(n: i64) -> Vec<EventRow> {
        let at = NaiveDate::from_ymd_opt(2026, 3, 2)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let content = format!(r#"{{"n":{seq}}}"#);
                let hash = chain::hash(
                    &prev,
                    &chain::canonical("RR-2026-00001", seq, at, "system", "test", &content),
                );
                let row = EventRow {
                    id: seq * 10,
                    request_id: 1,
                    seq,
                    at: Time(at),
                    actor: Short::new("system"),
                    action: Short::new("test"),
                    content,
                    prev_hash: Short::new(&prev),
                    hash: Short::new(&hash),
                };
                prev = hash;
                row
            })
            .collect()
    }

    fn head(events: &[EventRow]) -> (i64, String) {
        (
            events.len() as i64,
            events
                .last()
                .map(|e| e.hash.as_str().to_string())
                .unwrap_or(GENESIS_HASH.into()),
        )
    }

    #[test]
    fn the_readers_spans_cover_every_id_once_in_order() {
        assert_eq!(split(1, 10, 2), [(1, 5), (6, 10)]);
        assert_eq!(split(1, 10, 3), [(1, 4), (5, 7), (8, 10)]);
        assert_eq!(split(7, 7, 1), [(7, 7)]);
        // Fewer ids than readers: the last read nothing.
        assert_eq!(split(1, 2, 3), [(1, 1), (2, 2), (3, 2)]);
        // No requests at all.
        assert_eq!(split(1, 0, 2), [(1, 0), (1, 0)]);
        for (first, last, parts) in [(1, 1_000_003, 4), (40, 100_000, 3), (5, 6, 4)] {
            let spans = split(first, last, parts);
            assert_eq!(spans.len(), parts);
            assert_eq!(spans[0].0, first);
            let sizes: Vec<i64> = spans.iter().map(|(a, b)| b - a + 1).collect();
            assert_eq!(sizes.iter().sum::<i64>(), last - first + 1, "{spans:?}");
            assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1);
            for pair in spans.windows(2) {
                assert_eq!(pair[1].0, pair[0].1 + 1, "{spans:?}");
            }
        }
    }

    #[test]
    fn an_untouched_chain_holds() {
        let events = chain_of(5);
        let (seq, hash) = head(&events);
        assert_eq!(chain_alone("RR-2026-00001", seq, &hash, &events), None);
    }

    /// The head the request row records must match the log in both its count and its hash:
    /// either alone differing is a break.
    #[test]
    fn a_head_differing_in_its_hash_or_its_count_alone_is_a_break() {
        let events = chain_of(3);
        let (seq, hash) = head(&events);
        let other_hash = "0".repeat(64);
        assert!(
            chain_alone("RR-2026-00001", seq, &other_hash, &events).is_some(),
            "the same count, another hash"
        );
        assert!(
            chain_alone("RR-2026-00001", seq + 1, &hash, &events).is_some(),
            "the same hash, another count"
        );
    }

    #[test]
    fn an_edited_event_is_named() {
        let mut events = chain_of(5);
        let (seq, hash) = head(&events);
        events[2].content = r#"{"n":99}"#.into();
        let found = chain_alone("RR-2026-00001", seq, &hash, &events).unwrap();
        assert_eq!((found.seq, found.event_id), (3, Some(30)));
    }

    #[test]
    fn a_removed_event_is_named_by_the_gap() {
        let mut events = chain_of(5);
        let (seq, hash) = head(&events);
        events.remove(1);
        assert_eq!(
            chain_alone("RR-2026-00001", seq, &hash, &events)
                .unwrap()
                .seq,
            3
        );
    }

    #[test]
    fn a_truncated_chain_is_caught_by_the_head_on_the_request() {
        let mut events = chain_of(5);
        let (seq, hash) = head(&events);
        events.pop();
        let found = chain_alone("RR-2026-00001", seq, &hash, &events).unwrap();
        assert_eq!((found.seq, found.event_id), (4, None));
    }

    #[test]
    fn an_event_moved_to_another_request_breaks_its_hash() {
        let events = chain_of(2);
        let (seq, hash) = head(&events);
        assert!(chain_alone("RR-2026-00002", seq, &hash, &events).is_some());
    }
}
