//! A report: the period's requests and determinations, and the complaints received or closed
//! in it, read in three queries (and the department directory, for the departments' names),
//! turned into the city's local dates, and handed to `domain::reports` for the figures.

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

use super::{AppError, Ctx};
use crate::db::reports::{complaints_in, determinations_in, requests_in, ReportScope};
use crate::db::Conn;
use crate::domain::reports::{
    compute, ComplaintFacts, DeterminationFacts, Figures, Period, RequestFacts,
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

/// The figures of the requests received in `period` (local dates) and of the complaints
/// received or closed in it, of one queue if given.
pub fn figures(
    conn: &mut Conn,
    ctx: &Ctx,
    period: Period,
    queue: Option<String>,
) -> Result<Figures, AppError> {
    let tz = ctx.clock.tz;
    let scope = ReportScope {
        start: start_of(tz, period.from),
        end: start_of(tz, period.to + chrono::Days::new(1)),
        queue,
    };
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
