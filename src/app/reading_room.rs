//! The public reading room (docs/PRODUCT.md, "Reading room"): staff publish a request's
//! released records, keep a request out, or withdraw one, each a step of the request; anyone
//! reads what is published, never the requester.

use chrono::{Datelike, NaiveDateTime};

use super::service::App;
use super::{facts, load_for, AppError, Caller, Conflict};
use crate::audit;
use crate::db::publications::{self, PublicationChange, PublicationRow};
use crate::db::{self, documents, requests, Conn};
use crate::domain::ids::DocumentId;
use crate::domain::input::{limits, Text, TrackingNumber};
use crate::domain::publication::{contact_details, Outcome, PublicationAction, PublicationStatus};
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
}

fn released(
    conn: &mut Conn,
    row: &db::models::RequestRow,
) -> Result<Vec<db::models::DocumentRow>, AppError> {
    Ok(documents::for_request(conn, row.id)?
        .into_iter()
        .filter(|d| d.released_at.is_some())
        .collect())
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
    })
}

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
            let found = contact_details(
                &summary,
                requester.email.as_deref(),
                requester.phone.as_deref(),
            );
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
    state(conn, caller, tracking_number)
}

/// What a visitor asked the reading room for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadingRoomQuery {
    /// Folded words, each to be found in the summary, the description or a document's title.
    pub words: Vec<String>,
    pub department: Option<String>,
    pub year: Option<i32>,
    pub outcome: Option<Outcome>,
    /// From 1.
    pub page: usize,
}

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
        let year = match blank(&raw.year) {
            None => None,
            Some(y) => match y.parse::<i32>() {
                Ok(y) if (1900..=9999).contains(&y) => Some(y),
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
        let page = match blank(&raw.page) {
            None => 1,
            Some(p) => match p.parse::<usize>() {
                Ok(p) if (1..=10_000).contains(&p) => p,
                _ => {
                    errors.add("page", "must be a whole number from 1 to 10000");
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

fn items(conn: &mut Conn) -> Result<Vec<(Item, String)>, AppError> {
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
            row.description,
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
    let titles = if query.words.is_empty() {
        Vec::new()
    } else {
        publications::published_titles(conn)?
    };
    let found: Vec<Item> = all
        .into_iter()
        .filter(|(item, _)| {
            query.department.as_ref().is_none_or(|d| *d == item.queue)
                && query.year.is_none_or(|y| y == item.published_at.year())
                && query.outcome.is_none_or(|o| o == item.outcome)
        })
        .filter(|(item, description)| {
            if query.words.is_empty() {
                return true;
            }
            let mut text = format!("{} {}", item.summary, description);
            for (_, title) in titles.iter().filter(|(tn, _)| *tn == item.tracking_number) {
                text.push(' ');
                text.push_str(title);
            }
            let folded = crate::domain::search::fold(&text);
            query.words.iter().all(|w| folded.contains(w.as_str()))
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
    let documents = released(conn, &row)?
        .into_iter()
        .map(|d| PublicDocument {
            id: d.id,
            title: d.title,
            size_bytes: d.size_bytes,
            content_type: d.content_type,
            url: d.url,
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
        decision: granted.as_ref().and_then(|g| g.decision.clone()),
        decided_at: granted.map(|g| g.decided_at),
        produced_at: row.produced_at,
        documents,
    })
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

/// The requests released more than `publish_after_days` ago that staff have not yet
/// published or kept out, among those this staff member may manage. Empty when the setting
/// is 0.
pub fn ready(conn: &mut Conn, caller: &Caller, days: u32) -> Result<Vec<Ready>, AppError> {
    if days == 0 || caller.staff().is_none() {
        return Ok(Vec::new());
    }
    let before = db::now() - chrono::Duration::days(i64::from(days));
    let mut out = Vec::new();
    for (tn, description, released_at) in publications::awaiting_decision(conn, before)? {
        let Ok((row, actor)) = load_for(conn, caller, &tn) else {
            continue;
        };
        if !may_manage(&facts(&row), &actor) || grant(conn, &row)?.is_none() {
            continue;
        }
        out.push(Ready {
            tracking_number: tn,
            description,
            released_at,
        });
    }
    Ok(out)
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

    /// The requests ready for staff to review for the reading room.
    pub async fn ready_for_reading_room(&self, caller: Caller) -> Result<Vec<Ready>, AppError> {
        self.read(move |conn, ctx| ready(conn, &caller, ctx.publish_after_days))
            .await
    }
}
