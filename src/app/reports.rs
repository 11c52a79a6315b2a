//! A report: the period's requests and determinations, and the complaints received or closed
//! in it, read in three queries (and the department directory, for the departments' names),
//! turned into the city's local dates, and handed to `domain::reports` for the figures. The
//! staff report adds the period's fee money, summed in the database by the city's months.

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

use super::{App, AppError, Ctx, StaffAccount};
use crate::db::reports::{complaints_in, determinations_in, fees_in, requests_in, ReportScope};
use crate::db::Conn;
use crate::domain::reports::{
    compute, fee_figures, ComplaintFacts, DeterminationFacts, FeeFacts, FeeFigures, Figures,
    Period, RequestFacts,
};

/// The UTC instant the local day `date` starts.
fn start_of(tz: Tz, date: NaiveDate) -> NaiveDateTime {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    tz.from_local_datetime(&midnight)
        .earliest()
        .map(|t| t.naive_utc())
        // A day that starts in a clock change's gap: an hour later is inside the day.
        .or_else(|| {
            tz.from_local_datetime(&(midnight + chrono::Duration::hours(1)))
                .earliest()
                .map(|t| t.naive_utc())
        })
        .unwrap_or(midnight)
}

/// The UTC instants of `period` (local dates, both included), of one queue if given.
fn scope_of(tz: Tz, period: Period, queue: Option<String>) -> ReportScope {
    ReportScope {
        start: start_of(tz, period.from),
        end: start_of(tz, period.to + chrono::Days::new(1)),
        queue,
    }
}

/// The figures of the requests received in `period` (local dates) and of the complaints
/// received or closed in it, of one queue if given. No fees: those are the staff report's.
pub fn figures(
    conn: &mut Conn,
    ctx: &Ctx,
    period: Period,
    queue: Option<String>,
) -> Result<Figures, AppError> {
    let scope = scope_of(ctx.clock.tz, period, queue);
    let requests: Vec<RequestFacts> = requests_in(conn, &scope)?
        .into_iter()
        .map(|r| RequestFacts {
            id: r.id,
            kind: r.kind,
            status: r.status,
            queue: r.queue,
            received: ctx.clock.date_of(r.received_at),
            due: r.determination_due,
            extended: r.extension_days.is_some(),
            circumstance: r.extension_circumstance,
            appealed: r.appealed_at.is_some(),
            produced: r.produced_at.map(|at| ctx.clock.date_of(at)),
            reopened: r.reopened.max(0) as u32,
        })
        .collect();
    let determinations = determinations_in(conn, &scope)?
        .into_iter()
        .map(|d| {
            Ok(DeterminationFacts {
                request_id: d.request_id,
                stage: d.stage,
                outcome: d.outcome,
                partial: d.partial != 0,
                review: d.review,
                legal_basis: serde_json::from_str(&d.legal_basis).map_err(|e| {
                    AppError::unreadable(format!("the legal basis of a determination: {e}"))
                })?,
                decided: ctx.clock.date_of(d.decided_at),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let complaints: Vec<ComplaintFacts> = complaints_in(conn, &scope)?
        .into_iter()
        .map(|c| ComplaintFacts {
            status: c.status,
            queue: c.queue,
            received: ctx.clock.date_of(c.received_at),
            target: c.determination_due,
            closed: c.closed_at.map(|at| ctx.clock.date_of(at)),
        })
        .collect();
    let directory = crate::db::directory::load(conn)?;
    Ok(compute(
        period,
        ctx.clock.today(),
        &requests,
        &determinations,
        &complaints,
        &directory,
    ))
}

/// The fee money of `period`, of one queue if given: each month (or year) from its first
/// instant in the city's time zone, summed in the database, added up by `domain::reports`.
pub fn fees(
    conn: &mut Conn,
    ctx: &Ctx,
    period: Period,
    queue: Option<String>,
) -> Result<FeeFigures, AppError> {
    let tz = ctx.clock.tz;
    let scope = scope_of(tz, period, queue);
    let boundaries: Vec<NaiveDateTime> = period
        .spans()
        .iter()
        .skip(1)
        .map(|span| start_of(tz, span.from))
        .collect();
    let facts: Vec<FeeFacts> = fees_in(conn, &scope, &boundaries)?
        .into_iter()
        .map(|row| FeeFacts {
            span: row.span,
            queue: row.queue,
            measure: row.measure,
            amount: row.amount,
        })
        .collect();
    fee_figures(period, &facts).map_err(|e| AppError::Internal(e.to_string()))
}

/// The staff report: every figure of the public one, and the fees.
pub fn staff_figures(
    conn: &mut Conn,
    ctx: &Ctx,
    period: Period,
    queue: Option<String>,
) -> Result<Figures, AppError> {
    let mut report = figures(conn, ctx, period, queue.clone())?;
    report.fees = Some(fees(conn, ctx, period, queue)?);
    Ok(report)
}

impl App {
    /// The staff report of the requests received in `period`, of one queue if given: the
    /// public report's figures and the fee figures, which are for staff only (the staff
    /// member is asked for as proof of that, not otherwise read).
    pub async fn staff_report(
        &self,
        _staff: &StaffAccount,
        period: Period,
        queue: Option<String>,
    ) -> Result<Figures, AppError> {
        self.read(move |conn, ctx| staff_figures(conn, ctx, period, queue))
            .await
    }
}
