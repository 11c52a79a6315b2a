//! The staff queue: open requests sorted by due date, filtered, paged by cursor.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Deserialize;

use super::{cursor, AppError, Ctx, StaffAccount};
use crate::db::requests::{queue_page, AssigneeFilter, QueueQuery};
use crate::db::{staff as staff_db, Conn};
use crate::domain::ids::RequestId;
use crate::domain::input::{parse_count, Email};
use crate::domain::{FieldErrors, RequestKind, Role, Status};

pub const DEFAULT_PAGE: i64 = 50;
pub const MAX_PAGE: i64 = 200;

/// Queue filters as a query string carries them (the API's and the page's); blank ones are
/// ignored.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawQueueFilter {
    pub queue: Option<String>,
    pub status: Option<String>,
    pub assignee: Option<String>,
    pub overdue: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<String>,
}

/// Whose requests to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assignee {
    Anyone,
    Me,
    Nobody,
    Email(Email),
}

/// A checked queue filter.
#[derive(Debug, Clone)]
pub struct QueueFilter {
    pub queue: Option<String>,
    pub statuses: Vec<Status>,
    pub assignee: Assignee,
    pub overdue: bool,
    pub after: Option<(NaiveDate, RequestId)>,
    pub limit: i64,
}

/// A comma-separated list of states, each one known (the queue's and the search's filter).
pub(super) fn status_list(list: &str, errors: &mut FieldErrors) -> Vec<Status> {
    list.split(',')
        .filter_map(|s| {
            let parsed = Status::parse(s.trim());
            if parsed.is_none() {
                errors.add("status", format!("unknown status {:?}", s.trim()));
            }
            parsed
        })
        .collect()
}

/// A queue name as a filter: one line, at most 200 characters.
pub(super) fn check_queue_name(queue: Option<&str>, errors: &mut FieldErrors) {
    let queue_ok = |q: &str| !q.chars().any(char::is_control) && q.chars().count() <= 200;
    if queue.is_some_and(|q| !queue_ok(q)) {
        errors.add("queue", "is not a queue name");
    }
}

fn blank(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl TryFrom<&RawQueueFilter> for QueueFilter {
    type Error = FieldErrors;

    fn try_from(raw: &RawQueueFilter) -> Result<QueueFilter, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut statuses: Vec<Status> = match blank(&raw.status) {
            None => Status::ALL.into_iter().filter(|s| s.in_queue()).collect(),
            Some(list) => status_list(&list, &mut errors),
        };
        let overdue = match blank(&raw.overdue).as_deref() {
            None | Some("false") | Some("0") => false,
            Some("true") | Some("1") => true,
            Some(_) => {
                errors.add("overdue", "must be true or false");
                false
            }
        };
        if overdue {
            statuses.retain(|s| s.in_queue());
        }
        let assignee = match blank(&raw.assignee).as_deref() {
            None => Assignee::Anyone,
            Some("me") => Assignee::Me,
            Some("none") => Assignee::Nobody,
            Some(email) => match Email::parse(email) {
                Ok(email) => Assignee::Email(email),
                Err(_) => {
                    errors.add("assignee", "must be me, none or a staff email");
                    Assignee::Anyone
                }
            },
        };
        let after = match blank(&raw.cursor) {
            None => None,
            Some(cursor) => {
                let parsed = decode_cursor(&cursor);
                if parsed.is_none() {
                    errors.add("cursor", "is not a cursor this service gave out");
                }
                parsed
            }
        };
        let limit = match raw.limit.as_deref() {
            None => DEFAULT_PAGE,
            Some(count) => parse_count(count, MAX_PAGE).unwrap_or_else(|| {
                errors.add("limit", format!("must be a number from 1 to {MAX_PAGE}"));
                DEFAULT_PAGE
            }),
        };
        let queue = blank(&raw.queue);
        check_queue_name(queue.as_deref(), &mut errors);
        errors.into_result()?;
        Ok(QueueFilter {
            queue,
            statuses,
            assignee,
            overdue,
            after,
            limit,
        })
    }
}

/// One page of the queue.
#[derive(Debug, Clone)]
pub struct QueuePage {
    pub items: Vec<QueueItem>,
    /// The next page's cursor; none on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone)]
pub struct QueueItem {
    pub tracking_number: String,
    pub kind: RequestKind,
    pub status: Status,
    pub queue: String,
    /// The assignee's email.
    pub assignee: Option<String>,
    /// None for an anonymous request.
    pub requester_name: Option<String>,
    pub summary: String,
    pub received_at: NaiveDateTime,
    pub due_on: NaiveDate,
    pub overdue: bool,
    pub due_soon: bool,
    /// Staff asked the requester to clarify and wait for their answer.
    pub awaiting_requester: bool,
    pub version: i32,
}

fn encode_cursor(due: NaiveDate, id: RequestId) -> String {
    cursor::encode(due, id)
}

fn decode_cursor(raw: &str) -> Option<(NaiveDate, RequestId)> {
    let (due, id) = cursor::decode(raw)?;
    Some((
        NaiveDate::parse_from_str(&due, "%Y-%m-%d").ok()?,
        RequestId(id.parse().ok()?),
    ))
}

fn summary(description: &str) -> String {
    let mut out: String = description.chars().take(140).collect();
    if description.chars().count() > 140 {
        out.push('…');
    }
    out
}

/// One page of the queue as this staff member may see it.
pub fn list(
    conn: &mut Conn,
    ctx: &Ctx,
    staff: &StaffAccount,
    filter: &QueueFilter,
) -> Result<QueuePage, AppError> {
    let assignee = match &filter.assignee {
        Assignee::Anyone => AssigneeFilter::Anyone,
        Assignee::Me => AssigneeFilter::Staff(staff.id),
        Assignee::Nobody => AssigneeFilter::Nobody,
        Assignee::Email(email) => match staff_db::by_email(conn, &email.as_str().to_lowercase())? {
            Some(found) => AssigneeFilter::Staff(found.id),
            None => {
                return Err(AppError::field(
                    "assignee",
                    "no staff member has this email",
                ))
            }
        },
    };
    let today = ctx.clock.today();
    let member = staff.member();
    let query = QueueQuery {
        queue: filter.queue.clone(),
        statuses: filter.statuses.clone(),
        assignee,
        due_before: filter.overdue.then_some(today),
        steward_scope: (staff.role == Role::Steward).then(|| (staff.id, member.queue.clone())),
        after: filter.after,
        // One more than asked tells whether there is a next page.
        limit: filter.limit + 1,
    };
    let mut rows = queue_page(conn, &query)?;
    let limit = filter.limit;
    let has_more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);

    let next_cursor = has_more
        .then(|| rows.last().map(|(r, _)| encode_cursor(r.due_on, r.id)))
        .flatten();
    let items = items_of(conn, ctx, rows)?;
    Ok(QueuePage { items, next_cursor })
}

/// Requests as lists show them: the queue and search results.
pub(super) fn items_of(
    conn: &mut Conn,
    ctx: &Ctx,
    rows: Vec<(crate::db::models::RequestRow, Option<String>)>,
) -> Result<Vec<QueueItem>, AppError> {
    let today = ctx.clock.today();
    let assignee_ids: Vec<_> = rows.iter().filter_map(|(r, _)| r.assignee_id).collect();
    let assignees = staff_db::by_ids(conn, &assignee_ids)?;
    Ok(rows
        .into_iter()
        .map(|(row, requester_name)| {
            let open = row.status.in_queue();
            QueueItem {
                summary: summary(&row.description),
                tracking_number: row.tracking_number,
                kind: row.kind,
                status: row.status,
                queue: row.queue,
                assignee: row.assignee_id.and_then(|id| {
                    assignees
                        .iter()
                        .find(|s| s.id == id)
                        .map(|s| s.email.clone())
                }),
                requester_name,
                received_at: row.received_at,
                due_on: row.due_on,
                overdue: open && ctx.policy().is_overdue(row.due_on, today),
                due_soon: open && ctx.policy().is_due_soon(row.due_on, today),
                awaiting_requester: row.awaiting_requester_since.is_some(),
                version: row.version,
            }
        })
        .collect())
}

/// Counts on the queue page stop here ("1000+"): counting every open request on each load
/// was the one read that grew with the history (docs/PERFORMANCE.md).
pub const COUNT_CAP: i64 = 1000;

/// How many open requests of one status a staff member may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusCount {
    pub status: Status,
    /// At most `COUNT_CAP`.
    pub count: i64,
    /// There are more than `COUNT_CAP`.
    pub more: bool,
}

/// How many open requests of each status this staff member may see, up to `COUNT_CAP`.
pub fn open_counts(conn: &mut Conn, staff: &StaffAccount) -> Result<Vec<StatusCount>, AppError> {
    let member = staff.member();
    let scope = (staff.role == Role::Steward).then(|| (staff.id, member.queue.clone()));
    let open: Vec<Status> = Status::ALL.into_iter().filter(|s| s.in_queue()).collect();
    let counts = crate::db::requests::status_counts_up_to(conn, &open, scope, COUNT_CAP)?;
    Ok(counts
        .into_iter()
        .map(|(status, n)| StatusCount {
            status,
            count: n.min(COUNT_CAP),
            more: n > COUNT_CAP,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let due = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(
            decode_cursor(&encode_cursor(due, RequestId(42))),
            Some((due, RequestId(42)))
        );
        assert_eq!(decode_cursor("not a cursor"), None);
        assert_eq!(decode_cursor(&cursor::encode("2026-13-01", 4)), None);
    }

    #[test]
    fn summaries_are_cut_at_140_characters() {
        assert_eq!(summary("short"), "short");
        let long = "é".repeat(200);
        assert_eq!(summary(&long).chars().count(), 141);
    }
}
