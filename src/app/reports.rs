//! A report: the period's requests and determinations, read in slices of the period on
//! several connections at once, and the complaints received or closed in it (and the
//! department directory, for the departments' names), turned into the city's local dates and
//! handed to `domain::reports` for the figures. The staff report adds the period's fee money,
//! summed in the database by the city's months.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Offset, SubsecRound, TimeZone};
use chrono_tz::Tz;

use super::{App, AppError, Ctx, StaffAccount};
use crate::config::LocalCalendarClock;
use crate::db::reports::{
    complaints_in, determinations_between, fees_in, requests_in, ReportScope,
};
use crate::db::{Conn, Db};
use crate::domain::ids::RequestId;
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

/// The city's local dates of UTC instants, exactly as `LocalCalendarClock::date_of` gives
/// them, remembered by the UTC hour: a report turns hundreds of thousands of instants into
/// dates, a few to an hour, and the time zone's rules are the slow part of that.
struct LocalDates<'a> {
    clock: &'a LocalCalendarClock,
    hours: HashMap<i64, NaiveDate>,
}

impl<'a> LocalDates<'a> {
    fn new(clock: &'a LocalCalendarClock) -> Self {
        LocalDates {
            clock,
            hours: HashMap::new(),
        }
    }

    fn date_of(&mut self, at: NaiveDateTime) -> NaiveDate {
        let hour = at.and_utc().timestamp().div_euclid(3600);
        if let Some(&date) = self.hours.get(&hour) {
            return date;
        }
        let tz = self.clock.tz;
        let first = DateTime::from_timestamp(hour * 3600, 0).map(|t| t.naive_utc());
        let last = first.map(|t| t + chrono::Duration::nanoseconds(3_599_999_999_999));
        if let (Some(first), Some(last)) = (first, last) {
            let (a, b) = (tz.from_utc_datetime(&first), tz.from_utc_datetime(&last));
            // One offset at both ends (a zone changes it at most once in an hour) and one date:
            // every instant of the hour has that date. Otherwise (a change of offset, or a
            // midnight inside the hour) each instant is asked for on its own.
            if a.offset().fix() == b.offset().fix() && a.date_naive() == b.date_naive() {
                self.hours.insert(hour, a.date_naive());
                return a.date_naive();
            }
        }
        self.clock.date_of(at)
    }
}

/// A report's requests are read in this many slices of its period, each with its
/// determinations, on as many connections at once as the pool and the cores allow
/// (`Db::read_parts`). More slices than cores even out slices of unequal weight.
const READ_SLICES: usize = 4;

/// `scope` cut into `n` slices of equal time, in order, each `[start, end)` as the scope's is:
/// neighbours share their bound, so every instant of the scope is in exactly one. (The bounds
/// inside are whole seconds only to be plain to read in a query log.)
fn slices(scope: &ReportScope, n: usize) -> Vec<ReportScope> {
    let n = n.max(1);
    let length = scope.end - scope.start;
    let bound = |i: usize| {
        if i == n {
            return scope.end;
        }
        let at = scope.start + length / n as i32 * i as i32;
        at.trunc_subsecs(0).max(scope.start).min(scope.end)
    };
    (0..n)
        .map(|i| ReportScope {
            start: bound(i),
            end: bound(i + 1),
            queue: scope.queue.clone(),
        })
        .collect()
}

/// The requests received in `slice`, with their local dates.
fn requests_of(
    conn: &mut Conn,
    slice: &ReportScope,
    dates: &mut LocalDates<'_>,
) -> Result<Vec<RequestFacts>, AppError> {
    Ok(requests_in(conn, slice)?
        .into_iter()
        .map(|r| RequestFacts {
            id: r.id,
            kind: r.kind,
            status: r.status,
            queue: r.queue,
            received: dates.date_of(r.received_at),
            due: r.determination_due,
            extended: r.extension_days.is_some(),
            circumstance: r.extension_circumstance,
            appealed: r.appealed_at.is_some(),
            produced: r.produced_at.map(|at| dates.date_of(at)),
            reopened: r.reopened.max(0) as u32,
        })
        .collect())
}

/// The figures of the requests received in `period` (local dates) and of the complaints
/// received or closed in it, of one queue if given. No fees: those are the staff report's.
/// The requests and their determinations are read in slices of the period at once (each
/// request, and so each of its determinations, is in exactly one slice); the figures do not
/// depend on the order they come in.
pub fn figures(
    db: &Db,
    ctx: &Ctx,
    period: Period,
    queue: Option<String>,
) -> Result<Figures, AppError> {
    let scope = scope_of(ctx.clock.tz, period, queue);
    let read = db.read_parts(slices(&scope, READ_SLICES), |conn, slice| {
        let mut dates = LocalDates::new(&ctx.clock);
        let requests = requests_of(conn, &slice, &mut dates)?;
        let determinations = determinations_of(conn, &requests, &mut dates)?;
        Ok::<_, AppError>((requests, determinations))
    })?;
    let mut requests = Vec::with_capacity(read.iter().map(|(r, _)| r.len()).sum());
    let mut determinations = Vec::with_capacity(read.iter().map(|(_, d)| d.len()).sum());
    for (r, d) in read {
        requests.extend(r);
        determinations.extend(d);
    }
    let (complaints, directory) = db.read(|conn| {
        let mut dates = LocalDates::new(&ctx.clock);
        let complaints: Vec<ComplaintFacts> = complaints_in(conn, &scope)?
            .into_iter()
            .map(|c| ComplaintFacts {
                status: c.status,
                queue: c.queue,
                received: dates.date_of(c.received_at),
                target: c.determination_due,
                closed: c.closed_at.map(|at| dates.date_of(at)),
            })
            .collect();
        Ok::<_, AppError>((complaints, crate::db::directory::load(conn)?))
    })?;
    Ok(compute(
        period,
        ctx.clock.today(),
        &requests,
        &determinations,
        &complaints,
        &directory,
    ))
}

/// At most this many spans of ids are read for a report's determinations.
const ID_SPANS: usize = 16;
/// Ids further apart than this are read as two spans rather than one.
const ID_GAP: i64 = 1024;

/// The spans of ids that hold `ids` (ascending): split at their widest gaps, those wider
/// than [`ID_GAP`], into at most [`ID_SPANS`]. A period's requests mostly have neighbouring
/// ids, but a few (recorded late, or made before a history was loaded) may be far away.
fn id_spans(ids: &[RequestId]) -> Vec<(RequestId, RequestId)> {
    let (Some(&first), Some(&last)) = (ids.first(), ids.last()) else {
        return Vec::new();
    };
    let mut gaps: Vec<(i64, usize)> = ids
        .windows(2)
        .enumerate()
        .map(|(i, pair)| (pair[1].0.saturating_sub(pair[0].0), i))
        .filter(|&(gap, _)| gap > ID_GAP)
        .collect();
    gaps.sort_unstable_by(|a, b| b.cmp(a));
    let mut cuts: Vec<usize> = gaps.iter().take(ID_SPANS - 1).map(|&(_, i)| i).collect();
    cuts.sort_unstable();
    let mut spans = Vec::with_capacity(cuts.len() + 1);
    let mut from = first;
    for i in cuts {
        spans.push((from, ids[i]));
        from = ids[i + 1];
    }
    spans.push((from, last));
    spans
}

/// The determinations of `requests`: those of the spans of their ids, read in id order, kept
/// where the id is one of theirs (a merge of the two orders). Each list of citations is read
/// once however many determinations share it.
fn determinations_of(
    conn: &mut Conn,
    requests: &[RequestFacts],
    dates: &mut LocalDates<'_>,
) -> Result<Vec<DeterminationFacts>, AppError> {
    let mut ids: Vec<RequestId> = requests.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    let mut rows = Vec::new();
    for (first, last) in id_spans(&ids) {
        rows.extend(determinations_between(conn, first, last)?);
    }
    let mut citations: HashMap<String, Vec<String>> = HashMap::new();
    let mut ours = ids.iter().peekable();
    let mut out = Vec::new();
    for d in rows {
        while ours.next_if(|&&id| id < d.request_id).is_some() {}
        if ours.peek() != Some(&&d.request_id) {
            continue;
        }
        let legal_basis = match d.legal_basis {
            None => Vec::new(),
            Some(json) => match citations.get(&json) {
                Some(cited) => cited.clone(),
                None => {
                    let cited: Vec<String> = serde_json::from_str(&json).map_err(|e| {
                        AppError::unreadable(format!("the legal basis of a determination: {e}"))
                    })?;
                    citations.insert(json, cited.clone());
                    cited
                }
            },
        };
        out.push(DeterminationFacts {
            request_id: d.request_id,
            stage: d.stage,
            outcome: d.outcome,
            partial: d.partial != 0,
            review: d.review,
            legal_basis,
            decided: dates.date_of(d.decided_at),
        });
    }
    Ok(out)
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
    db: &Db,
    ctx: &Ctx,
    period: Period,
    queue: Option<String>,
) -> Result<Figures, AppError> {
    let mut report = figures(db, ctx, period, queue.clone())?;
    report.fees = Some(db.read(|conn| fees(conn, ctx, period, queue))?);
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
        self.read_db(move |db, ctx| staff_figures(db, ctx, period, queue))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(ids: &[i64]) -> Vec<RequestId> {
        ids.iter().copied().map(RequestId).collect()
    }

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f").unwrap()
    }

    #[test]
    fn the_slices_of_a_period_cover_it_once_in_order() {
        let scope = ReportScope {
            start: at("2025-12-01 08:00:00"),
            end: at("2026-12-04 08:00:00"),
            queue: Some("clerk".into()),
        };
        for n in [1, 2, 3, 4, 7] {
            let slices = slices(&scope, n);
            assert_eq!(slices.len(), n);
            assert_eq!(slices[0].start, scope.start);
            assert_eq!(slices[n - 1].end, scope.end);
            for pair in slices.windows(2) {
                assert_eq!(pair[0].end, pair[1].start, "no gap, no overlap");
                assert!(pair[0].start < pair[0].end);
            }
            assert!(slices.iter().all(|s| s.queue.as_deref() == Some("clerk")));
            // Bounds inside the period are whole seconds.
            assert!(slices
                .iter()
                .all(|s| s.start.and_utc().timestamp_subsec_nanos() == 0));
        }
        // A period shorter than its slices has empty slices, never one outside it.
        let tiny = ReportScope {
            start: at("2026-01-01 00:00:00.250"),
            end: at("2026-01-01 00:00:01.500"),
            queue: None,
        };
        let slices = slices(&tiny, 4);
        assert_eq!(slices[0].start, tiny.start);
        assert_eq!(slices[3].end, tiny.end);
        for pair in slices.windows(2) {
            assert_eq!(pair[0].end, pair[1].start);
            assert!(pair[0].start <= pair[0].end);
        }
    }

    #[test]
    fn ids_far_apart_are_read_as_spans_of_their_own() {
        assert!(id_spans(&[]).is_empty());
        let span = |a, b| (RequestId(a), RequestId(b));
        assert_eq!(id_spans(&ids(&[7])), vec![span(7, 7)]);
        // Gaps up to ID_GAP stay in one span.
        assert_eq!(id_spans(&ids(&[1, 2, 1026])), vec![span(1, 1026)]);
        assert_eq!(
            id_spans(&ids(&[1, 2, 5000, 5001, 9000])),
            vec![span(1, 2), span(5000, 5001), span(9000, 9000)]
        );
        // No more than ID_SPANS: the narrowest gaps are read through.
        let many: Vec<i64> = (0..40).map(|i| i * 10_000 + i * i).collect();
        let spans = id_spans(&ids(&many));
        assert_eq!(spans.len(), ID_SPANS);
        assert_eq!(spans.first().map(|s| s.0), Some(RequestId(0)));
        assert_eq!(
            spans.last().map(|s| s.1),
            Some(RequestId(39 * 10_000 + 39 * 39))
        );
        // Every id is inside a span.
        assert!(many
            .iter()
            .all(|&id| spans.iter().any(|&(a, b)| a.0 <= id && id <= b.0)));
    }
}
