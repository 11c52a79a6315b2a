//! What the reports are computed from: the requests received in a span of time and their
//! determinations, and the complaints received or closed in it, in three queries of only the
//! columns the figures need (no personal data, no text beyond the legal-basis citations).
//! A complaint is a row of `requests` too: the request queries leave it out by its kind.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{determinations, requests};
use super::Conn;
use crate::domain::ids::RequestId;
use crate::domain::transitions::{ReviewOutcome, Stage};
use crate::domain::{Circumstance, RequestKind, Status};

/// A request as the reports read it.
#[derive(Debug, Clone, Queryable)]
pub struct ReportRequestRow {
    pub id: RequestId,
    pub kind: RequestKind,
    pub status: Status,
    pub queue: String,
    pub received_at: NaiveDateTime,
    pub determination_due: NaiveDate,
    pub extension_days: Option<i32>,
    pub extension_circumstance: Option<Circumstance>,
    pub appealed_at: Option<NaiveDateTime>,
    pub produced_at: Option<NaiveDateTime>,
    pub reopened: i32,
}

/// A determination as the reports read it.
#[derive(Debug, Clone, Queryable)]
pub struct ReportDeterminationRow {
    pub request_id: RequestId,
    pub stage: Stage,
    pub outcome: Status,
    pub partial: i32,
    /// A JSON list of citations.
    pub legal_basis: String,
    pub decided_at: NaiveDateTime,
    pub review: Option<ReviewOutcome>,
}

/// A complaint as the reports read it.
#[derive(Debug, Clone, Queryable)]
pub struct ReportComplaintRow {
    pub status: Status,
    pub queue: String,
    pub received_at: NaiveDateTime,
    /// The city's service target.
    pub determination_due: NaiveDate,
    pub closed_at: Option<NaiveDateTime>,
}

/// Which requests a report covers: received in `[start, end)` (UTC), of one queue if given.
#[derive(Debug, Clone)]
pub struct ReportScope {
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub queue: Option<String>,
}

pub fn requests_in(conn: &mut Conn, scope: &ReportScope) -> QueryResult<Vec<ReportRequestRow>> {
    let mut query = requests::table
        .select((
            requests::id,
            requests::kind,
            requests::status,
            requests::queue,
            requests::received_at,
            requests::determination_due,
            requests::extension_days,
            requests::extension_circumstance,
            requests::appealed_at,
            requests::produced_at,
            requests::reopened,
        ))
        .filter(requests::kind.eq_any(RequestKind::REQUESTS))
        .filter(requests::received_at.ge(scope.start))
        .filter(requests::received_at.lt(scope.end))
        .into_boxed();
    if let Some(queue) = &scope.queue {
        query = query.filter(requests::queue.eq(queue.clone()));
    }
    query.load(conn)
}

pub fn determinations_in(
    conn: &mut Conn,
    scope: &ReportScope,
) -> QueryResult<Vec<ReportDeterminationRow>> {
    let mut query = determinations::table
        .inner_join(requests::table)
        .select((
            determinations::request_id,
            determinations::stage,
            determinations::outcome,
            determinations::partial,
            determinations::legal_basis,
            determinations::decided_at,
            determinations::review,
        ))
        .filter(requests::kind.eq_any(RequestKind::REQUESTS))
        .filter(requests::received_at.ge(scope.start))
        .filter(requests::received_at.lt(scope.end))
        .into_boxed();
    if let Some(queue) = &scope.queue {
        query = query.filter(requests::queue.eq(queue.clone()));
    }
    query.load(conn)
}

/// The complaints received in `[start, end)` or closed in it (of one queue, the department
/// they are with now, if given). Read by the `(kind, received_at)` index: the complaints
/// received before `end`, the closed ones among them picked by their closing time.
pub fn complaints_in(conn: &mut Conn, scope: &ReportScope) -> QueryResult<Vec<ReportComplaintRow>> {
    let mut query = requests::table
        .select((
            requests::status,
            requests::queue,
            requests::received_at,
            requests::determination_due,
            requests::closed_at,
        ))
        .filter(requests::kind.eq(RequestKind::Complaint))
        .filter(requests::received_at.lt(scope.end))
        .filter(
            requests::received_at.ge(scope.start).or(requests::closed_at
                .ge(scope.start)
                .and(requests::closed_at.lt(scope.end))),
        )
        .into_boxed();
    if let Some(queue) = &scope.queue {
        query = query.filter(requests::queue.eq(queue.clone()));
    }
    query.load(conn)
}
