//! Staff find any request, open or closed, by its number, its requester's email, or words in
//! its requester's name, its description and its messages (docs/PRODUCT.md, "Search").

use chrono::NaiveDate;
use serde::Deserialize;

use super::queue::{check_queue_name, items_of, status_list, QueueItem};
use super::{AppError, Ctx, StaffAccount};
use crate::db::search::{self, Lookup, SearchQuery};
use crate::db::Conn;
use crate::domain::input::parse_count;
use crate::domain::search::Terms;
use crate::domain::{FieldErrors, RequestKind, Role, Status};

pub const DEFAULT_PAGE: i64 = 50;
pub const MAX_PAGE: i64 = 200;
/// Pages past this one are not shown: a search that finds more is refined instead.
pub const MAX_PAGES: i64 = 200;
/// Counts of results stop here ("1,000 or more").
pub const COUNT_CAP: i64 = 1_000;

/// A search as a query string carries it (the API's and the page's); blank filters are
/// ignored, but a page or limit given must be a number.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawSearch {
    pub q: Option<String>,
    /// Statuses, comma-separated.
    pub status: Option<String>,
    pub kind: Option<String>,
    pub queue: Option<String>,
    /// Received on or after this day (YYYY-MM-DD, the city's calendar).
    pub received_from: Option<String>,
    /// Received on or before this day.
    pub received_to: Option<String>,
    /// Pages count from 1.
    pub page: Option<String>,
    pub limit: Option<String>,
}

/// A checked search.
#[derive(Debug, Clone)]
pub struct Search {
    pub terms: Terms,
    pub statuses: Vec<Status>,
    pub kind: Option<RequestKind>,
    pub queue: Option<String>,
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
    pub page: i64,
    pub limit: i64,
}

fn blank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A date of the right form that the calendar does not have (2026-02-30).
pub const NO_SUCH_DAY: &str = "there is no such day on the calendar";

fn day(errors: &mut FieldErrors, field: &str, raw: &Option<String>) -> Option<NaiveDate> {
    let raw = blank(raw)?;
    let parsed = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok();
    if parsed.is_none() {
        let shaped = raw.len() == 10
            && raw.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        errors.add(
            field,
            if shaped {
                NO_SUCH_DAY
            } else {
                "must be a date like 2026-12-31"
            },
        );
    }
    parsed
}

impl TryFrom<&RawSearch> for Search {
    type Error = FieldErrors;

    fn try_from(raw: &RawSearch) -> Result<Search, FieldErrors> {
        let mut errors = FieldErrors::default();
        let terms = errors.check("q", Terms::parse(raw.q.as_deref().unwrap_or("")));
        let statuses = match blank(&raw.status) {
            None => Vec::new(),
            Some(list) => status_list(list, &mut errors),
        };
        let kind = blank(&raw.kind).and_then(|k| {
            let parsed = RequestKind::parse(k);
            if parsed.is_none() {
                errors.add("kind", "must be records or access");
            }
            parsed
        });
        let queue = blank(&raw.queue).map(str::to_string);
        check_queue_name(queue.as_deref(), &mut errors);
        let received_from = day(&mut errors, "received_from", &raw.received_from);
        let received_to = day(&mut errors, "received_to", &raw.received_to);
        if let (Some(from), Some(to)) = (received_from, received_to) {
            if to < from {
                errors.add(
                    "received_to",
                    "must be the same day as the first or after it",
                );
            }
        }
        // Counts are numbers when given (the queue reads them so too): a blank one is refused.
        let limit = match raw.limit.as_deref() {
            None => DEFAULT_PAGE,
            Some(count) => parse_count(count, MAX_PAGE).unwrap_or_else(|| {
                errors.add("limit", format!("must be a number from 1 to {MAX_PAGE}"));
                DEFAULT_PAGE
            }),
        };
        let page = match raw.page.as_deref() {
            None => 1,
            Some(n) => parse_count(n, MAX_PAGES).unwrap_or_else(|| {
                errors.add("page", format!("must be a number from 1 to {MAX_PAGES}"));
                1
            }),
        };
        errors.into_result()?;
        Ok(Search {
            terms: terms.expect("checked above"),
            statuses,
            kind,
            queue,
            received_from,
            received_to,
            page,
            limit,
        })
    }
}

/// One page of results.
#[derive(Debug, Clone)]
pub struct SearchResults {
    pub items: Vec<QueueItem>,
    /// How many requests the search found, up to `COUNT_CAP`.
    pub total: i64,
    /// It found more than `COUNT_CAP`.
    pub more: bool,
    pub page: i64,
    pub next_page: Option<i64>,
    /// The words searched for, folded as the index keeps them (none for a number or an
    /// email): what the results matched.
    pub words: Vec<String>,
}

/// One page of what this staff member may see that the search finds: relevance first, then
/// the soonest due.
pub fn run(
    conn: &mut Conn,
    ctx: &Ctx,
    staff: &StaffAccount,
    search: &Search,
) -> Result<SearchResults, AppError> {
    let (lookup, words) = match &search.terms {
        Terms::TrackingNumber(n) => (Lookup::TrackingNumber(n.as_str().to_string()), vec![]),
        Terms::Email(email) => (Lookup::Email(email.clone()), vec![]),
        Terms::Words(words) => (Lookup::Words(words.clone()), words.clone()),
    };
    let start = |d: NaiveDate| super::utc_time(ctx, d.and_hms_opt(0, 0, 0).expect("midnight"));
    let query = SearchQuery {
        lookup,
        statuses: search.statuses.clone(),
        kind: search.kind,
        queue: search.queue.clone(),
        received_from: search.received_from.map(start),
        received_before: search.received_to.and_then(|d| d.succ_opt()).map(start),
        steward_scope: (staff.role == Role::Steward)
            .then(|| (staff.id, staff.member().queue.clone())),
        offset: (search.page - 1) * search.limit,
        // One more than asked tells whether there is a next page.
        limit: search.limit + 1,
    };
    let mut rows = search::find(conn, &query)?;
    let has_more = rows.len() as i64 > search.limit;
    rows.truncate(search.limit as usize);
    // Without a next page the page itself ends the count; only a longer list (or a page past
    // the end) is counted.
    let found = if has_more || (rows.is_empty() && query.offset > 0) {
        search::count_up_to(conn, &query, COUNT_CAP)?
    } else {
        query.offset + rows.len() as i64
    };
    Ok(SearchResults {
        items: items_of(conn, ctx, rows)?,
        total: found.min(COUNT_CAP),
        more: found > COUNT_CAP,
        page: search.page,
        next_page: (has_more && search.page < MAX_PAGES).then_some(search.page + 1),
        words,
    })
}
