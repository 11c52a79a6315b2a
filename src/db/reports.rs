//! What the reports are computed from: the requests received in a span of time and their
//! determinations, and the complaints received or closed in it, in three queries of only the
//! columns the figures need (no personal data, no text beyond the legal-basis citations).
//! A complaint is a row of `requests` too: the request queries leave it out by its kind.
//! The staff report adds a fourth: the fee money of the span, summed in the database.
//! The requests and the determinations are read from covering indexes (migration 27,
//! `requests_report` and `determinations_report`), never from the wide rows.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::case_when;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};

use super::schema::{determinations, requests};
use super::stored_time::{Day, MaybeTime, Time};
use super::{per_backend, Conn};
use crate::domain::fees::{Cents, EntryKind};
use crate::domain::ids::RequestId;
use crate::domain::reports::FeeMeasure;
use crate::domain::transitions::{ReviewOutcome, Stage};
use crate::domain::{Circumstance, RequestKind, Status};

/// A request as the reports read it.
#[derive(Debug, Clone, Queryable)]
pub struct ReportRequestRow {
    pub id: RequestId,
    pub kind: RequestKind,
    pub status: Status,
    pub queue: String,
    #[diesel(deserialize_as = Time)]
    pub received_at: NaiveDateTime,
    #[diesel(deserialize_as = Day)]
    pub determination_due: NaiveDate,
    pub extension_days: Option<i32>,
    pub extension_circumstance: Option<Circumstance>,
    #[diesel(deserialize_as = MaybeTime)]
    pub appealed_at: Option<NaiveDateTime>,
    #[diesel(deserialize_as = MaybeTime)]
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
    /// A JSON list of citations, read only where the figures count them: of a denial or a
    /// grant in part (None otherwise).
    pub legal_basis: Option<String>,
    #[diesel(deserialize_as = Time)]
    pub decided_at: NaiveDateTime,
    pub review: Option<ReviewOutcome>,
}

/// A complaint as the reports read it.
#[derive(Debug, Clone, Queryable)]
pub struct ReportComplaintRow {
    pub status: Status,
    pub queue: String,
    #[diesel(deserialize_as = Time)]
    pub received_at: NaiveDateTime,
    /// The city's service target.
    #[diesel(deserialize_as = Day)]
    pub determination_due: NaiveDate,
    #[diesel(deserialize_as = MaybeTime)]
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
    // On the backend's own connection: the rows' times are read by `stored_time`, which has
    // no impl for `Conn`'s backend.
    per_backend!(conn, |c| {
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
        query.load(c)
    })
}

/// The determinations of the requests numbered `first..=last`, by request and then in the
/// order they were made (their ids): one walk of `determinations_report`, where a join would
/// look each request up. The caller keeps those of the requests it read.
pub fn determinations_between(
    conn: &mut Conn,
    first: RequestId,
    last: RequestId,
) -> QueryResult<Vec<ReportDeterminationRow>> {
    let withholds = determinations::outcome
        .eq(Status::Denied)
        .or(determinations::outcome
            .eq(Status::Granted)
            .and(determinations::partial.ne(0)));
    per_backend!(conn, |c| {
        determinations::table
            .select((
                determinations::request_id,
                determinations::stage,
                determinations::outcome,
                determinations::partial,
                case_when(withholds, determinations::legal_basis),
                determinations::decided_at,
                determinations::review,
            ))
            .filter(determinations::request_id.between(first, last))
            .order((determinations::request_id, determinations::id))
            .load(c)
    })
}

/// The complaints received in `[start, end)` or closed in it (of one queue, the department
/// they are with now, if given). Read by the `(kind, received_at)` index: the complaints
/// received before `end`, the closed ones among them picked by their closing time.
pub fn complaints_in(conn: &mut Conn, scope: &ReportScope) -> QueryResult<Vec<ReportComplaintRow>> {
    per_backend!(conn, |c| {
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
        query.load(c)
    })
}

/// One sum of fee money: of one span, one queue and one measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFeeRow {
    /// 0 for the span from `ReportScope::start`, 1 from the first boundary, …
    pub span: usize,
    pub queue: String,
    pub measure: FeeMeasure,
    pub amount: Cents,
}

#[derive(QueryableByName)]
struct FeeSumRow {
    #[diesel(sql_type = BigInt)]
    span: i64,
    #[diesel(sql_type = Text)]
    queue: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = BigInt)]
    cents: i64,
}

/// A value bound to a statement.
enum Value {
    Text(String),
    Time(NaiveDateTime),
}

/// SQL with its bind markers in the backend's syntax, and the values in order.
struct Statement {
    postgres: bool,
    sql: String,
    values: Vec<Value>,
}

impl Statement {
    fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    fn bind(&mut self, value: Value) -> &mut Self {
        self.values.push(value);
        if self.postgres {
            let n = self.values.len();
            self.sql.push_str(&format!("${n}"));
        } else {
            self.sql.push('?');
        }
        self
    }

    /// The span `column` falls in: 0 before the first boundary, then 1, 2, … (as BIGINT).
    fn span_of(&mut self, column: &str, boundaries: &[NaiveDateTime]) -> &mut Self {
        if boundaries.is_empty() {
            return self.push("CAST(0 AS BIGINT)");
        }
        self.push("CAST(CASE");
        for (i, boundary) in boundaries.iter().enumerate() {
            self.push(" WHEN ")
                .push(column)
                .push(" < ")
                .bind(Value::Time(*boundary))
                .push(&format!(" THEN {i}"));
        }
        self.push(&format!(" ELSE {} END AS BIGINT)", boundaries.len()))
    }

    /// `[start, end)` of `column`, and the queue of `requests AS r` if the scope has one.
    fn within(&mut self, column: &str, scope: &ReportScope) -> &mut Self {
        self.push(column)
            .push(" >= ")
            .bind(Value::Time(scope.start))
            .push(" AND ")
            .push(column)
            .push(" < ")
            .bind(Value::Time(scope.end));
        if let Some(queue) = &scope.queue {
            self.push(" AND r.queue = ")
                .bind(Value::Text(queue.clone()));
        }
        self
    }
}

/// The fee money of `[start, end)` (of one queue, if given), summed in the database by span,
/// queue and measure: the totals of the estimates issued in it (not those since replaced) by
/// `fee_estimates_by_time`, and its payments, waivers and refunds by `fee_entries_by_time`.
/// `boundaries` are the UTC instants the spans after the first start, ascending, inside
/// `[start, end)`. Each SUM is of BIGINT cents, cast back to BIGINT on PostgreSQL (where it is
/// NUMERIC): a sum too large for it fails the query, never wraps.
pub fn fees_in(
    conn: &mut Conn,
    scope: &ReportScope,
    boundaries: &[NaiveDateTime],
) -> QueryResult<Vec<ReportFeeRow>> {
    let mut s = Statement {
        postgres: matches!(conn, Conn::Postgres(_)),
        sql: String::new(),
        values: Vec::new(),
    };
    // The money rows lead the join, read by their time index; each finds its request by its
    // key. CROSS JOIN keeps that order on SQLite, which would otherwise read a queue's every
    // request by the queue's index; PostgreSQL plans it as the inner join it is.
    s.push("SELECT ")
        .span_of("e.recorded_at", boundaries)
        .push(
            " AS span, r.queue AS queue, e.kind AS kind, CAST(SUM(e.amount_cents) AS BIGINT) \
             AS cents FROM fee_entries e CROSS JOIN requests r WHERE r.id = e.request_id AND ",
        )
        .within("e.recorded_at", scope)
        .push(" GROUP BY 1, 2, 3 UNION ALL SELECT ")
        .span_of("f.issued_at", boundaries)
        .push(
            " AS span, r.queue AS queue, 'estimate' AS kind, \
             CAST(SUM(f.total_cents) AS BIGINT) AS cents \
             FROM fee_estimates f CROSS JOIN requests r \
             WHERE r.id = f.request_id AND f.status <> 'replaced' AND ",
        )
        .within("f.issued_at", scope)
        .push(" GROUP BY 1, 2");
    let rows: Vec<FeeSumRow> = per_backend!(conn, |c| {
        let mut query = diesel::sql_query(s.sql.clone()).into_boxed();
        for value in &s.values {
            query = match value {
                Value::Text(v) => query.bind::<Text, _>(v.clone()),
                Value::Time(v) => query.bind::<Timestamp, _>(*v),
            };
        }
        query.load(c)
    })?;
    rows.into_iter()
        .map(|row| {
            let measure = match row.kind.as_str() {
                "estimate" => Some(FeeMeasure::Estimated),
                kind => EntryKind::parse(kind).map(|kind| match kind {
                    EntryKind::Payment => FeeMeasure::Collected,
                    EntryKind::Waiver => FeeMeasure::Waived,
                    EntryKind::Refund => FeeMeasure::Refunded,
                }),
            };
            let unreadable = |what: &str| {
                diesel::result::Error::DeserializationError(
                    format!("a sum of fees has {what} this service never writes").into(),
                )
            };
            Ok(ReportFeeRow {
                span: usize::try_from(row.span).map_err(|_| unreadable("a span"))?,
                queue: row.queue,
                measure: measure.ok_or_else(|| unreadable("a kind"))?,
                amount: Cents(row.cents),
            })
        })
        .collect()
}
