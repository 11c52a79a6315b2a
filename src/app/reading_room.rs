//! The public reading room (docs/PRODUCT.md, "Reading room"): staff publish a request's
//! released records, keep a request out, or withdraw one, each a step of the request; anyone
//! reads what is published, never the requester.

use chrono::{Datelike, NaiveDateTime};

use super::service::App;
use super::{cursor, facts, load_for, AppError, Caller, Conflict};
use crate::audit;
use crate::db::publications::{self, PublicationChange, PublicationRow};
use crate::db::{self, documents, requests, Conn};
use crate::db::{document_texts, publication_words};
use crate::domain::access::Role;
use crate::domain::ids::{DocumentId, RequestId};
use crate::domain::input::{limits, Text, TrackingNumber};
use crate::domain::publication::{
    public_text_details, requester_details, Outcome, PublicationAction, PublicationStatus,
    Requester,
};
use crate::domain::step::{KeptOut, PublicationWithdrawn, Published, Step};
use crate::domain::transitions::may_manage;
use crate::domain::{Actor, FieldErrors, Status};

/// Items on a page of the reading room.
pub const PAGE_SIZE: usize = 20;
/// Items in the feed.
pub const FEED_SIZE: usize = 50;

/// What staff sent, as either face reads it.
#[derive(Debug, Clone, Default)]
pub struct RawPublication {
    pub action: Option<String>,
    pub summary: Option<String>,
    pub reason: Option<String>,
    pub version: Option<i32>,
}

/// A checked decision about a request's place in the reading room.
#[derive(Debug, Clone)]
pub enum Decision {
    /// The summary staff gave, or none for the request's description.
    Publish(Option<Text>),
    KeepOut(Text),
    Withdraw(Text),
}

#[derive(Debug, Clone)]
pub struct PublicationCommand {
    pub decision: Decision,
    pub version: Option<i32>,
}

impl TryFrom<&RawPublication> for PublicationCommand {
    type Error = AppError;

    fn try_from(raw: &RawPublication) -> Result<Self, AppError> {
        let mut errors = FieldErrors::default();
        let action = match raw.action.as_deref().map(str::trim) {
            None | Some("") => {
                errors.add("action", "choose publish, keep_out or withdraw");
                None
            }
            Some(a) => match PublicationAction::parse(a) {
                Some(a) => Some(a),
                None => {
                    errors.add("action", "must be publish, keep_out or withdraw");
                    None
                }
            },
        };
        let summary = match raw.summary.as_deref().filter(|s| !s.trim().is_empty()) {
            None => None,
            Some(s) => match Text::multiline(s, limits::FIELD_TEXT) {
                Ok(t) => Some(t),
                Err(m) => {
                    errors.add("summary", m);
                    None
                }
            },
        };
        // A reason is read whenever one is sent; keeping out and withdrawing need one.
        let given_reason = raw.reason.as_deref().filter(|r| !r.trim().is_empty());
        let needs_reason = matches!(
            action,
            Some(PublicationAction::KeepOut | PublicationAction::Withdraw)
        );
        let reason = match (given_reason, needs_reason) {
            (Some(r), _) => match Text::multiline(r, limits::FIELD_TEXT) {
                Ok(t) => Some(t),
                Err(m) => {
                    errors.add("reason", m);
                    None
                }
            },
            (None, true) => {
                errors.add("reason", "give the reason: it must not be empty");
                None
            }
            (None, false) => None,
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let decision = match (action, reason) {
            (Some(PublicationAction::Publish), _) => Decision::Publish(summary),
            (Some(PublicationAction::KeepOut), Some(r)) => Decision::KeepOut(r),
            (Some(PublicationAction::Withdraw), Some(r)) => Decision::Withdraw(r),
            _ => return Err(AppError::Internal("a publication checked half".into())),
        };
        Ok(PublicationCommand {
            decision,
            version: raw.version,
        })
    }
}

/// Where a request stands in the reading room, for staff.
#[derive(Debug, Clone)]
pub struct Publication {
    pub status: PublicationStatus,
    pub summary: Option<String>,
    pub outcome: Option<Outcome>,
    pub reason: Option<String>,
    pub published_at: Option<NaiveDateTime>,
    pub changed_at: NaiveDateTime,
}

impl From<PublicationRow> for Publication {
    fn from(row: PublicationRow) -> Self {
        Publication {
            status: row.status,
            summary: row.summary,
            outcome: row.outcome,
            reason: row.reason,
            published_at: row.published_at,
            changed_at: row.changed_at,
        }
    }
}

/// A request's reading-room standing and what staff may do about it.
#[derive(Debug, Clone)]
pub struct PublicationState {
    pub tracking_number: String,
    pub version: i32,
    pub description: String,
    /// Its records were released or produced, and it was granted.
    pub publishable: bool,
    /// This staff member may decide: the request's manager.
    pub may_decide: bool,
    pub current: Option<Publication>,
    /// The released documents and whether their text was read for search.
    pub documents: Vec<DocumentText>,
    /// What in the grant's decision names the requester, so the reading room leaves the
    /// decision's text out.
    pub decision_withheld: Option<String>,
}

/// A released document as the reading room's search knows it.
#[derive(Debug, Clone)]
pub struct DocumentText {
    pub title: String,
    /// Whether its text was read for search, in words for staff.
    pub words: String,
}

/// The documents released to the public: a document released to the requester only is never
/// shown, searched or served here (docs/PRODUCT.md, "Release checks").
fn released(
    conn: &mut Conn,
    row: &db::models::RequestRow,
) -> Result<Vec<db::models::DocumentRow>, AppError> {
    Ok(documents::for_request(conn, row.id)?
        .into_iter()
        .filter(|d| d.released_at.is_some() && d.public == 1)
        .collect())
}

/// The requester as the reading room guards against naming them.
fn who(requester: &db::models::RequesterRow) -> Requester<'_> {
    Requester {
        name: requester.name.as_deref(),
        email: requester.email.as_deref(),
        phone: requester.phone.as_deref(),
    }
}

/// The grant's decision as the public may read it: none when it names the requester (their
/// name, email or phone), which staff cannot take out of a decision already sent. Answers
/// the text, or what was found in it.
fn public_decision(
    conn: &mut Conn,
    row: &db::models::RequestRow,
    decision: Option<&str>,
) -> Result<Result<Option<String>, String>, AppError> {
    let Some(decision) = decision else {
        return Ok(Ok(None));
    };
    let requester = requests::requester(conn, row.requester_id)?;
    Ok(decision_shown(&requester, decision))
}

/// The decision as published, or what in it names the requester.
fn decision_shown(
    requester: &db::models::RequesterRow,
    decision: &str,
) -> Result<Option<String>, String> {
    let found = requester_details(decision, &who(requester));
    if found.is_empty() {
        Ok(Some(decision.to_string()))
    } else {
        Err(found.words())
    }
}

/// The grant a published item states: the latest determination that granted.
fn grant(
    conn: &mut Conn,
    row: &db::models::RequestRow,
) -> Result<Option<db::models::DeterminationRow>, AppError> {
    Ok(requests::determinations_for(conn, row.id)?
        .into_iter()
        .filter(|d| d.outcome == Status::Granted)
        .max_by_key(|d| (d.decided_at, d.id)))
}

fn publishable(conn: &mut Conn, row: &db::models::RequestRow) -> Result<bool, AppError> {
    let released_any = row.produced_at.is_some() || !released(conn, row)?.is_empty();
    Ok(released_any && grant(conn, row)?.is_some())
}

/// The request's standing in the reading room, for staff who can see it.
pub fn state(
    conn: &mut Conn,
    caller: &Caller,
    tracking_number: &str,
) -> Result<PublicationState, AppError> {
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    if !matches!(actor, Actor::Staff(_)) {
        return Err(AppError::NotFound);
    }
    Ok(PublicationState {
        tracking_number: row.tracking_number.clone(),
        version: row.version,
        description: row.description.clone(),
        publishable: publishable(conn, &row)?,
        may_decide: may_manage(&facts(&row), &actor),
        current: publications::for_request(conn, row.id)?.map(Publication::from),
        documents: document_texts(conn, &row)?,
        decision_withheld: match grant(conn, &row)? {
            Some(g) => public_decision(conn, &row, g.decision.as_deref())?.err(),
            None => None,
        },
    })
}

/// Each released document with what reading its text found.
fn document_texts(
    conn: &mut Conn,
    row: &db::models::RequestRow,
) -> Result<Vec<DocumentText>, AppError> {
    let texts = document_texts::for_request(conn, row.id)?;
    Ok(released(conn, row)?
        .into_iter()
        .map(|d| {
            let read = texts.iter().find(|t| t.document_id == d.id);
            let words = match (d.url.is_some(), read) {
                (true, _) => "A link: only its title is searched".to_string(),
                (false, None) => "Its text has not been read yet: only its title is searched for now".to_string(),
                (false, Some(t)) => match t.status.as_str() {
                    "extracted" => format!("Its text is searched ({} characters)", t.characters),
                    "empty" => "It holds no text (a scan without a text layer?): only its title is searched".to_string(),
                    "unreadable" => format!(
                        "Its text could not be read ({}): it is published without its text, and only its title is searched",
                        t.note.as_deref().unwrap_or("no reason given")
                    ),
                    _ => "Only its title is searched (the text of images, archives and office files is not read)".to_string(),
                },
            };
            DocumentText {
                title: d.title,
                words,
            }
        })
        .collect())
}

/// Writes the item's entry in the reading room's index from what is stored: its summary, its
/// decision as published, and its public documents' titles and text. An item not published
/// has none.
pub fn index(conn: &mut Conn, request_id: RequestId) -> Result<(), AppError> {
    // Read under the request row's lock: a reading of released files' text re-indexes the item
    // in the background while staff may publish or withdraw it, and every change of a
    // publication takes that lock too (its event goes into the request's chain) before it
    // commits, so the later of the two writes what the later state says. The publication's
    // own row would not do: a first publication inserts it, and a row not yet committed is
    // neither seen nor waited for.
    let row = requests::lock(conn, request_id)?;
    let publication = publications::for_request(conn, request_id)?;
    let Some(summary) = publication
        .filter(|p| p.status == PublicationStatus::Published)
        .and_then(|p| p.summary)
    else {
        publication_words::remove(conn, request_id)?;
        return Ok(());
    };
    let documents = released(conn, &row)?;
    let texts = document_texts::for_request(conn, row.id)?;
    // Only what the item page shows: the description is the summary unless staff wrote
    // another (often to leave the description out), and a decision naming the requester is
    // not shown.
    let decision = match grant(conn, &row)? {
        Some(g) => public_decision(conn, &row, g.decision.as_deref())?.unwrap_or(None),
        None => None,
    };
    let mut text = format!("{summary}\n{}\n", decision.unwrap_or_default());
    for d in &documents {
        text.push_str(&d.title);
        text.push('\n');
        if let Some(body) = texts
            .iter()
            .find(|t| t.document_id == d.id)
            .and_then(|t| t.body.as_deref())
        {
            text.push_str(body);
            text.push('\n');
        }
    }
    publication_words::put(conn, request_id, &crate::domain::search::fold(&text))?;
    Ok(())
}

/// `index` of the request with this tracking number.
pub fn index_by_number(conn: &mut Conn, tracking_number: &str) -> Result<(), AppError> {
    match requests::by_tracking_number(conn, tracking_number)? {
        Some(row) => index(conn, row.id),
        None => Ok(()),
    }
}

/// The reading room's index, filled once from what was published before it existed (at
/// start, as the requests' index is); answers how many items were indexed.
pub fn fill_index(conn: &mut Conn) -> Result<Option<u64>, AppError> {
    use crate::db::schema::search_indexes;
    use diesel::prelude::*;
    let filled: i64 = search_indexes::table
        .filter(search_indexes::name.eq(READING_ROOM_INDEX))
        .count()
        .get_result(conn)?;
    if filled > 0 {
        return Ok(None);
    }
    let published = publications::published(conn)?;
    for item in &published {
        conn.transaction(|conn| index(conn, item.publication.request_id))?;
    }
    db::unless_unique_violation(
        diesel::insert_into(search_indexes::table)
            .values((
                search_indexes::name.eq(READING_ROOM_INDEX),
                search_indexes::filled_at.eq(db::now()),
            ))
            .execute(conn),
    )?;
    Ok(Some(published.len() as u64))
}

/// The reading room's name among the search indexes.
pub const READING_ROOM_INDEX: &str = "reading_room";

/// Publishes, keeps out or withdraws a request: the request's manager only.
pub fn decide(
    conn: &mut Conn,
    caller: &Caller,
    tracking_number: &str,
    command: &PublicationCommand,
) -> Result<PublicationState, AppError> {
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    let Some(staff) = caller.staff() else {
        return Err(AppError::Forbidden(
            "only staff decide what the reading room publishes".into(),
        ));
    };
    if !may_manage(&facts(&row), &actor) {
        return Err(AppError::Forbidden(
            "only the assignee or an admin may publish a request, keep it out or withdraw it"
                .into(),
        ));
    }
    if let Some(given) = command.version {
        if given != row.version {
            return Err(AppError::Stale {
                given,
                current: row.version,
            });
        }
    }
    let now = db::now();
    let existing = publications::for_request(conn, row.id)?;
    let existing_status = existing.as_ref().map(|p| p.status);
    let step = match &command.decision {
        Decision::Publish(summary) => {
            let documents = released(conn, &row)?;
            if row.produced_at.is_none() && documents.is_empty() {
                return Err(Conflict::NotPublishable.into());
            }
            let Some(granted) = grant(conn, &row)? else {
                return Err(Conflict::NotPublishable.into());
            };
            let summary = match summary {
                Some(s) => s.as_str().to_string(),
                None => row.description.clone(),
            };
            let requester = requests::requester(conn, row.requester_id)?;
            let found = public_text_details(&summary, &who(&requester));
            if !found.is_empty() {
                return Err(AppError::field(
                    "summary",
                    format!(
                        "the summary contains {}: take it out before publishing",
                        found.words()
                    ),
                ));
            }
            let outcome = Outcome::of_grant(granted.partial != 0);
            let published_at = match &existing {
                Some(p) if p.status == PublicationStatus::Published => p.published_at,
                _ => None,
            }
            .unwrap_or(now);
            publications::save(
                conn,
                &PublicationChange {
                    request_id: row.id,
                    status: PublicationStatus::Published,
                    summary: Some(&summary),
                    outcome: Some(outcome),
                    reason: None,
                    published_at: Some(published_at),
                    changed_at: now,
                    staff_id: staff.id,
                },
            )?;
            Step::Published(Published {
                summary,
                outcome: outcome.as_str().to_string(),
                documents: documents.iter().map(|d| d.id).collect(),
            })
        }
        Decision::KeepOut(reason) => {
            if existing_status == Some(PublicationStatus::Published) {
                return Err(Conflict::AlreadyPublished.into());
            }
            publications::save(
                conn,
                &PublicationChange {
                    request_id: row.id,
                    status: PublicationStatus::KeptOut,
                    summary: None,
                    outcome: None,
                    reason: Some(reason.as_str()),
                    published_at: None,
                    changed_at: now,
                    staff_id: staff.id,
                },
            )?;
            Step::KeptOut(KeptOut {
                reason: reason.as_str().to_string(),
            })
        }
        Decision::Withdraw(reason) => {
            let Some(current) = existing.filter(|p| p.status == PublicationStatus::Published)
            else {
                return Err(Conflict::NotPublished.into());
            };
            publications::save(
                conn,
                &PublicationChange {
                    request_id: row.id,
                    status: PublicationStatus::Withdrawn,
                    summary: current.summary.as_deref(),
                    outcome: current.outcome,
                    reason: Some(reason.as_str()),
                    published_at: current.published_at,
                    changed_at: now,
                    staff_id: staff.id,
                },
            )?;
            Step::PublicationWithdrawn(PublicationWithdrawn {
                reason: reason.as_str().to_string(),
            })
        }
    };
    audit::append(conn, row.id, now, &caller.audit_actor(), &step)?;
    index(conn, row.id)?;
    state(conn, caller, tracking_number)
}

/// What a visitor asked the reading room for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadingRoomQuery {
    /// Folded words, each to be found in the summary, the published decision, or a public
    /// document's title or text (the reading room's index).
    pub words: Vec<String>,
    pub department: Option<String>,
    pub year: Option<i32>,
    pub outcome: Option<Outcome>,
    /// From 1.
    pub page: usize,
}

/// The last page a search may ask for.
pub const MAX_PAGE: i64 = 10_000;

/// The query's fields as either face reads them.
#[derive(Debug, Clone, Default)]
pub struct RawReadingRoomQuery {
    pub q: Option<String>,
    pub department: Option<String>,
    pub year: Option<String>,
    pub outcome: Option<String>,
    pub page: Option<String>,
}

impl TryFrom<&RawReadingRoomQuery> for ReadingRoomQuery {
    type Error = AppError;

    fn try_from(raw: &RawReadingRoomQuery) -> Result<Self, AppError> {
        let mut errors = FieldErrors::default();
        let blank = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        // Plain words, whatever search syntax they hold, on one line.
        let q = match blank(&raw.q) {
            None => String::new(),
            Some(q) => match Text::line(&q, crate::domain::search::MAX_QUERY_CHARS) {
                Ok(t) => t.as_str().to_string(),
                Err(m) => {
                    errors.add("q", m);
                    String::new()
                }
            },
        };
        let department = match blank(&raw.department) {
            None => None,
            Some(d) => match Text::line(&d, 200) {
                Ok(t) => Some(t.as_str().to_string()),
                Err(m) => {
                    errors.add("department", m);
                    None
                }
            },
        };
        let mut words = crate::domain::search::words(&q);
        let mut seen = std::collections::HashSet::new();
        words.retain(|w| seen.insert(w.clone()));
        words.truncate(crate::domain::search::MAX_WORDS);
        // The page's "any year" choice sends a blank year; a year given is digits alone.
        let year = match raw.year.as_deref().filter(|y| !y.trim().is_empty()) {
            None => None,
            Some(y) => match crate::domain::input::parse_count(y, 9999) {
                Some(y) if y >= 1900 => Some(y as i32),
                _ => {
                    errors.add("year", "must be a year, such as 2026");
                    None
                }
            },
        };
        let outcome = match blank(&raw.outcome) {
            None => None,
            Some(o) => match Outcome::parse(&o) {
                Some(o) => Some(o),
                None => {
                    errors.add("outcome", "must be granted or granted_in_part");
                    None
                }
            },
        };
        // No form sends a page: it comes from the page's own links, so one given, even
        // blank, must be a number (as in search and the catalog).
        let page = match raw.page.as_deref() {
            None => 1,
            Some(p) => match crate::domain::input::parse_count(p, MAX_PAGE) {
                Some(p) => p as usize,
                None => {
                    errors.add(
                        "page",
                        format!("must be a whole number from 1 to {MAX_PAGE}"),
                    );
                    1
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        Ok(ReadingRoomQuery {
            words,
            department,
            year,
            outcome,
            page,
        })
    }
}

/// One published item as the reading room lists it.
#[derive(Debug, Clone)]
pub struct Item {
    pub tracking_number: String,
    pub summary: String,
    pub queue: String,
    /// The department's name from the directory (its queue when the directory lacks it).
    pub department: String,
    pub outcome: Outcome,
    pub received_at: NaiveDateTime,
    pub published_at: NaiveDateTime,
}

/// A page of the reading room.
#[derive(Debug, Clone)]
pub struct ReadingRoomPage {
    pub items: Vec<Item>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    /// Every department with a published item: (queue, name).
    pub departments: Vec<(String, String)>,
    /// Every year something was published, newest first.
    pub years: Vec<i32>,
}

/// A released document of a published item.
#[derive(Debug, Clone)]
pub struct PublicDocument {
    pub id: DocumentId,
    pub title: String,
    pub size_bytes: Option<i64>,
    pub content_type: Option<String>,
    /// A link document's address; files are downloaded from the reading room.
    pub url: Option<String>,
    /// A file's SHA-256, as the audit log holds it.
    pub sha256: Option<String>,
}

/// A published item's page.
#[derive(Debug, Clone)]
pub struct ItemPage {
    pub item: Item,
    pub decision: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub produced_at: Option<NaiveDateTime>,
    pub documents: Vec<PublicDocument>,
}

fn items(conn: &mut Conn) -> Result<Vec<(Item, RequestId)>, AppError> {
    Ok(listed(conn)?
        .into_iter()
        .map(|(item, id, _)| (item, id))
        .collect())
}

/// Every published item, newest first, with its request's id and when it was produced.
fn listed(conn: &mut Conn) -> Result<Vec<(Item, RequestId, Option<NaiveDateTime>)>, AppError> {
    let directory = db::directory::load(conn)?;
    let rows = publications::published(conn)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let p = row.publication;
        let (Some(summary), Some(outcome), Some(published_at)) =
            (p.summary, p.outcome, p.published_at)
        else {
            return Err(AppError::unreadable(
                "a published item without its summary, outcome or date",
            ));
        };
        let department = directory
            .by_queue(&row.queue)
            .map(|d| d.name.clone())
            .unwrap_or_else(|| row.queue.clone());
        out.push((
            Item {
                tracking_number: row.tracking_number,
                summary,
                queue: row.queue,
                department,
                outcome,
                received_at: row.received_at,
                published_at,
            },
            p.request_id,
            row.produced_at,
        ));
    }
    Ok(out)
}

/// The published items the query finds, newest first, a page of them.
pub fn search(conn: &mut Conn, query: &ReadingRoomQuery) -> Result<ReadingRoomPage, AppError> {
    let all = items(conn)?;
    let mut departments: Vec<(String, String)> = Vec::new();
    let mut years: Vec<i32> = Vec::new();
    for (item, _) in &all {
        if !departments.iter().any(|(q, _)| *q == item.queue) {
            departments.push((item.queue.clone(), item.department.clone()));
        }
        if !years.contains(&item.published_at.year()) {
            years.push(item.published_at.year());
        }
    }
    departments.sort_by_key(|a| a.1.to_lowercase());
    years.sort_unstable_by(|a, b| b.cmp(a));
    let found_ids: Option<std::collections::HashSet<RequestId>> = if query.words.is_empty() {
        None
    } else {
        Some(
            publication_words::matching(conn, &query.words)?
                .into_iter()
                .collect(),
        )
    };
    let found: Vec<Item> = all
        .into_iter()
        .filter(|(item, id)| {
            query.department.as_ref().is_none_or(|d| *d == item.queue)
                && query.year.is_none_or(|y| y == item.published_at.year())
                && query.outcome.is_none_or(|o| o == item.outcome)
                && found_ids.as_ref().is_none_or(|ids| ids.contains(id))
        })
        .map(|(item, _)| item)
        .collect();
    let total = found.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = query.page.clamp(1, pages);
    let items = found
        .into_iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .collect();
    Ok(ReadingRoomPage {
        items,
        total,
        page,
        pages,
        departments,
        years,
    })
}

/// The newest published items, for the feed.
pub fn newest(conn: &mut Conn) -> Result<Vec<Item>, AppError> {
    Ok(items(conn)?
        .into_iter()
        .take(FEED_SIZE)
        .map(|(item, _)| item)
        .collect())
}

/// A published item's page; a withdrawn one is gone, anything else not found.
pub fn item(conn: &mut Conn, tracking_number: &str) -> Result<ItemPage, AppError> {
    let row = requests::by_tracking_number(conn, tracking_number)?.ok_or(AppError::NotFound)?;
    let publication = publications::for_request(conn, row.id)?.ok_or(AppError::NotFound)?;
    match publication.status {
        PublicationStatus::Published => {}
        PublicationStatus::Withdrawn => {
            return Err(AppError::Gone(
                "this item was withdrawn from the reading room".into(),
            ))
        }
        PublicationStatus::KeptOut => return Err(AppError::NotFound),
    }
    let directory = db::directory::load(conn)?;
    let (Some(summary), Some(outcome), Some(published_at)) = (
        publication.summary,
        publication.outcome,
        publication.published_at,
    ) else {
        return Err(AppError::unreadable(
            "a published item without its summary, outcome or date",
        ));
    };
    let granted = grant(conn, &row)?;
    let decision = public_decision(
        conn,
        &row,
        granted.as_ref().and_then(|g| g.decision.as_deref()),
    )?
    .unwrap_or(None);
    let documents = released(conn, &row)?
        .into_iter()
        .map(|d| PublicDocument {
            id: d.id,
            title: d.title,
            size_bytes: d.size_bytes,
            content_type: d.content_type,
            url: d.url,
            sha256: d.sha256,
        })
        .collect();
    Ok(ItemPage {
        item: Item {
            department: directory
                .by_queue(&row.queue)
                .map(|d| d.name.clone())
                .unwrap_or_else(|| row.queue.clone()),
            tracking_number: row.tracking_number,
            summary,
            queue: row.queue,
            outcome,
            received_at: row.received_at,
            published_at,
        },
        decision,
        decided_at: granted.map(|g| g.decided_at),
        produced_at: row.produced_at,
        documents,
    })
}

/// Every published item as its page shows it, newest first: the bulk export.
pub fn export(conn: &mut Conn) -> Result<Vec<ItemPage>, AppError> {
    // A few queries for the whole archive, not a few an item: the export is public.
    let listed = listed(conn)?;
    let archive = publications::archive(conn)?;
    let mut pages = Vec::with_capacity(listed.len());
    for (item, id, produced_at) in listed {
        let granted = archive
            .grants
            .iter()
            .filter(|g| g.request_id == id)
            .max_by_key(|g| (g.decided_at, g.id));
        let requester = archive.requesters.iter().find(|(r, _)| *r == id);
        let decision = match (granted.and_then(|g| g.decision.as_deref()), requester) {
            (Some(decision), Some((_, requester))) => {
                decision_shown(requester, decision).unwrap_or(None)
            }
            _ => None,
        };
        let documents = archive
            .documents
            .iter()
            .filter(|d| d.request_id == id)
            .map(|d| PublicDocument {
                id: d.id,
                title: d.title.clone(),
                size_bytes: d.size_bytes,
                content_type: d.content_type.clone(),
                url: d.url.clone(),
                sha256: d.sha256.clone(),
            })
            .collect();
        pages.push(ItemPage {
            item,
            decision,
            decided_at: granted.map(|g| g.decided_at),
            produced_at,
            documents,
        });
    }
    Ok(pages)
}

/// A released file of a published item, as a download serves it.
pub fn public_file(
    conn: &mut Conn,
    tracking_number: &str,
    id: DocumentId,
) -> Result<super::documents::Download, AppError> {
    let document =
        publications::published_document(conn, tracking_number, id)?.ok_or(AppError::NotFound)?;
    match (document.sha256, document.size_bytes, document.content_type) {
        (Some(sha256), Some(size_bytes), Some(content_type)) => Ok(super::documents::Download {
            document_id: document.id,
            title: document.title,
            sha256,
            size_bytes,
            content_type,
        }),
        _ => Err(AppError::NotFound),
    }
}

/// A request ready for the reading room: released long enough ago, not yet decided.
#[derive(Debug, Clone)]
pub struct Ready {
    pub tracking_number: String,
    pub description: String,
    pub released_at: NaiveDateTime,
}

/// A page of the requests ready for the reading room, and where the next page starts.
#[derive(Debug, Clone, Default)]
pub struct ReadyList {
    pub items: Vec<Ready>,
    /// The cursor of the next page, if there is one.
    pub next: Option<String>,
}

/// Requests on a page of the staff's list of those ready for the reading room. A city that
/// leaves the reading room alone gathers every grant of its history here, so the list is read
/// a page at a time.
pub const READY_PAGE_SIZE: usize = 50;

/// Where a page of the ready list starts: after this request, released at this instant (the
/// list's order).
fn ready_cursor(at: NaiveDateTime, tracking_number: &str) -> String {
    cursor::encode(at.and_utc().timestamp_micros(), tracking_number)
}

/// The place a cursor names, if it is one: a time and a whole tracking number (most links cut
/// short end before the number is whole).
fn read_ready_cursor(raw: &str) -> Option<(NaiveDateTime, String)> {
    let (micros, tracking_number) = cursor::decode(raw)?;
    let at = chrono::DateTime::from_timestamp_micros(micros.parse().ok()?)?.naive_utc();
    let tracking_number = TrackingNumber::parse(&tracking_number)?;
    Some((at, tracking_number.as_str().to_string()))
}

/// A page of the requests released more than `publish_after_days` ago that staff have not
/// yet published or kept out, among those this staff member may manage, oldest first, from
/// `after` (a cursor of an earlier page) if given. Empty when the setting is 0.
pub fn ready(
    conn: &mut Conn,
    caller: &Caller,
    days: u32,
    after: Option<&str>,
) -> Result<ReadyList, AppError> {
    let mut list = ReadyList::default();
    if days == 0 || caller.staff().is_none() {
        return Ok(list);
    }
    let after = match after.map(str::trim).filter(|a| !a.is_empty()) {
        None => None,
        Some(raw) => Some(read_ready_cursor(raw).ok_or_else(|| {
            AppError::field(
                "after",
                "is not a place in this list that the service gave out",
            )
        })?),
    };
    let before = db::now() - chrono::Duration::days(i64::from(days));
    // Only requests this staff member may manage pass `may_manage` below: those assigned to
    // them, or unassigned in a queue they serve (every one, for an admin). The database is
    // asked for the assigned and the unassigned ones first, so the checks are not made for
    // every grant of the city's history.
    let whose = caller
        .staff()
        .map(|staff| staff.member())
        .filter(|member| member.role != Role::Admin)
        .map(|member| publications::AssignedTo {
            staff: member.id,
            unassigned: member.serves_any_queue(),
        });
    let found = publications::awaiting_decision(conn, before, whose)?;
    // The list is in (released, tracking number) order: the page starts after the cursor's.
    let start = after.map_or(0, |(at, tn)| {
        found.partition_point(|(t, a)| (*a, t.as_str()) <= (at, tn.as_str()))
    });
    // Requests are read and checked from there until the page is full and one more passes:
    // that one tells that there is a next page.
    for (tn, released_at) in &found[start..] {
        let Ok((row, actor)) = load_for(conn, caller, tn) else {
            continue;
        };
        if !may_manage(&facts(&row), &actor) || grant(conn, &row)?.is_none() {
            continue;
        }
        if list.items.len() == READY_PAGE_SIZE {
            list.next = list
                .items
                .last()
                .map(|last| ready_cursor(last.released_at, &last.tracking_number));
            break;
        }
        list.items.push(Ready {
            tracking_number: tn.clone(),
            description: row.description,
            released_at: *released_at,
        });
    }
    Ok(list)
}

impl App {
    /// Staff publish, keep out or withdraw a request.
    pub async fn decide_publication(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        command: PublicationCommand,
    ) -> Result<PublicationState, AppError> {
        self.write(move |conn, _| decide(conn, &caller, tn.as_str(), &command))
            .await
    }

    /// A request's standing in the reading room, for staff.
    pub async fn publication(
        &self,
        caller: Caller,
        tn: TrackingNumber,
    ) -> Result<PublicationState, AppError> {
        self.read(move |conn, _| state(conn, &caller, tn.as_str()))
            .await
    }

    /// A page of the reading room.
    pub async fn reading_room(&self, query: ReadingRoomQuery) -> Result<ReadingRoomPage, AppError> {
        self.read(move |conn, _| search(conn, &query)).await
    }

    /// The newest published items.
    pub async fn reading_room_feed(&self) -> Result<Vec<Item>, AppError> {
        self.read(|conn, _| newest(conn)).await
    }

    /// A published item.
    pub async fn reading_room_item(&self, tn: TrackingNumber) -> Result<ItemPage, AppError> {
        self.read(move |conn, _| item(conn, tn.as_str())).await
    }

    /// A published item's released file.
    pub async fn reading_room_file(
        &self,
        tn: TrackingNumber,
        id: DocumentId,
    ) -> Result<super::documents::Download, AppError> {
        self.read(move |conn, _| public_file(conn, tn.as_str(), id))
            .await
    }

    /// Every published item, for the bulk export.
    pub async fn reading_room_export(&self) -> Result<Vec<ItemPage>, AppError> {
        self.read(|conn, _| export(conn)).await
    }

    /// A page of the requests ready for staff to review for the reading room, from `after`
    /// (the cursor of an earlier page) if given.
    pub async fn ready_for_reading_room(
        &self,
        caller: Caller,
        after: Option<String>,
    ) -> Result<ReadyList, AppError> {
        self.read(move |conn, ctx| ready(conn, &caller, ctx.publish_after_days, after.as_deref()))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ready_cursor_names_its_place_to_the_microsecond_and_garbage_is_refused() {
        let at = chrono::DateTime::from_timestamp_micros(1_702_146_330_338_019)
            .unwrap()
            .naive_utc();
        let given = ready_cursor(at, "RR-2023-00098");
        assert_eq!(
            read_ready_cursor(&given),
            Some((at, "RR-2023-00098".to_string()))
        );
        let cut = cursor::encode(1_702_146_330_338_019_i64, "RR-2023-000");
        for bad in ["", "zzz", "bm9uc2Vuc2U", &cut, &given[..given.len() / 2]] {
            assert_eq!(read_ready_cursor(bad), None, "{bad}");
        }
    }
}
