//! The reports (issue 8): a report period, the compact facts the figures are computed from,
//! and the figures themselves. Plain data and functions; the dates here are already the
//! city's local dates.
//!
//! Every request figure describes the requests *received* in the period (by their local
//! received date), as they stand today: "open by status" counts those still open now, appeal
//! outcomes those decided by now. A complaint is in none of them: complaints have figures of
//! their own ([`ComplaintFigures`]), of those received in the period and those closed in it.
//!
//! Fees ([`FeeFigures`], staff only) are money, not requests: the sums of what was estimated,
//! collected, waived and refunded in the period, each by when it happened (an estimate by when
//! it was issued, an entry by when it was recorded), whatever request it is on. Money is whole
//! cents ([`Cents`]) and every sum is checked: no float, and a sum too large is refused.
//!
//! Percentiles use the nearest-rank rule: the p-th percentile of n sorted values is the value
//! at rank ⌈p·n/100⌉ (counting from 1), so it is always one of the observed values. The median
//! is the 50th percentile by that rule (for an even count, the lower of the two middle values).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, Months, NaiveDate};

use super::deadlines::Circumstance;
use super::directory::Directory;
use super::fees::Cents;
use super::ids::RequestId;
use super::input::FieldErrors;
use super::status::{RequestKind, Status};
use super::transitions::{ReviewOutcome, Stage};

/// No report reaches back before this date.
pub const EARLIEST: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(d) => d,
    None => unreachable!(),
};
/// The longest period a report covers, in years.
pub const MAX_YEARS: u32 = 25;
/// A longer period charts its volumes by year rather than by month.
pub const MONTHLY_UP_TO: usize = 36;

/// The dates a report covers, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The default: the last twelve calendar months, this one included, up to today.
    pub fn default_for(today: NaiveDate) -> Period {
        let this_month = today.with_day(1).unwrap_or(today);
        Period {
            from: this_month - Months::new(11),
            to: today,
        }
    }

    /// Reads `from` and `to` (YYYY-MM-DD; a blank one takes the default's). An unreadable date,
    /// an inverted period, or an absurd one (before 2000, more than a year ahead, longer than
    /// 25 years) is refused with a message beside the field at fault.
    pub fn parse(from: &str, to: &str, today: NaiveDate) -> Result<Period, FieldErrors> {
        let default = Period::default_for(today);
        let mut errors = FieldErrors::default();
        let mut date = |name: &str, raw: &str, fallback: NaiveDate| {
            let raw = raw.trim();
            if raw.is_empty() {
                return Some(fallback);
            }
            match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.add(name, "Enter a date as YYYY-MM-DD, for example 2026-01-31.");
                    None
                }
            }
        };
        let (from, to) = (date("from", from, default.from), date("to", to, default.to));
        let (Some(from), Some(to)) = (from, to) else {
            return Err(errors);
        };
        let latest = today + Months::new(12);
        if from < EARLIEST {
            errors.add("from", "The period cannot start before 2000-01-01.");
        }
        if from > latest {
            errors.add(
                "from",
                "The period cannot start more than a year from today.",
            );
        }
        if to > latest {
            errors.add("to", "The period cannot end more than a year from today.");
        }
        if to < from {
            errors.add("to", "The end date must be on or after the start date.");
        } else if to >= from + Months::new(12 * MAX_YEARS) {
            errors.add("to", "A report covers at most 25 years.");
        }
        if errors.0.is_empty() {
            Ok(Period { from, to })
        } else {
            Err(errors)
        }
    }

    /// The first day of each month the period touches, in order.
    pub fn months(&self) -> Vec<NaiveDate> {
        let mut month = self.from.with_day(1).unwrap_or(self.from);
        let mut out = Vec::new();
        while month <= self.to {
            out.push(month);
            month = month + Months::new(1);
        }
        out
    }

    /// Whether the period's volumes and money are told by year: it touches more than
    /// [`MONTHLY_UP_TO`] months.
    pub fn by_year(&self) -> bool {
        self.months().len() > MONTHLY_UP_TO
    }

    /// The stretches money is summed over: each month the period touches (each year, when
    /// [`Period::by_year`]), in order, the first from the period's own first day.
    pub fn spans(&self) -> Vec<Span> {
        let by_year = self.by_year();
        let mut out = Vec::new();
        let mut from = self.from;
        while from <= self.to {
            let (label, next) = if by_year {
                (
                    from.format("%Y").to_string(),
                    NaiveDate::from_ymd_opt(from.year() + 1, 1, 1),
                )
            } else {
                (
                    from.format("%Y-%m").to_string(),
                    from.with_day(1).map(|first| first + Months::new(1)),
                )
            };
            out.push(Span { label, from });
            match next {
                Some(next) => from = next,
                None => break,
            }
        }
        out
    }
}

/// One stretch of a period: a month ("2026-05") or a year ("2026"), from its first day in the
/// period (local date).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub label: String,
    pub from: NaiveDate,
}

/// One request received in the period, as the figures need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFacts {
    pub id: RequestId,
    pub kind: RequestKind,
    pub status: Status,
    pub queue: String,
    /// The local date it was received.
    pub received: NaiveDate,
    /// The determination due date (the extended date once an extension is taken).
    pub due: NaiveDate,
    pub extended: bool,
    /// The statutory circumstance of the extension, if any.
    pub circumstance: Option<Circumstance>,
    pub appealed: bool,
    /// The local date a grant's records were produced.
    pub produced: Option<NaiveDate>,
    /// How often a produced grant went back to production.
    pub reopened: u32,
}

/// One determination of such a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeterminationFacts {
    pub request_id: RequestId,
    pub stage: Stage,
    pub outcome: Status,
    /// A grant in part.
    pub partial: bool,
    /// The exemptions its withheld items cite.
    pub legal_basis: Vec<String>,
    /// The local date it was made.
    pub decided: NaiveDate,
    /// A review decision's outcome.
    pub review: Option<ReviewOutcome>,
}

/// How quickly requests were determined.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timeliness {
    /// Requests with an initial determination.
    pub determined: usize,
    /// Of those, determined on or before their (possibly extended) due date.
    pub on_time: usize,
    pub late: usize,
    /// Still undetermined (submitted or under review) and past their due date today.
    pub overdue_open: usize,
    pub median_days: Option<i64>,
    pub p90_days: Option<i64>,
}

impl Timeliness {
    /// The share determined on time, as "87.5%", or "—" when nothing was determined.
    pub fn on_time_share(&self) -> String {
        share(self.on_time, self.determined)
    }
}

/// `part` of `whole` as a percentage with one decimal, or "—" of nothing.
pub fn share(part: usize, whole: usize) -> String {
    if whole == 0 {
        "—".into()
    } else {
        format!("{:.1}%", part as f64 * 100.0 / whole as f64)
    }
}

/// What became of the appeals filed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Appeals {
    pub filed: usize,
    /// Appealed or under administrative review now.
    pub pending: usize,
    /// Decided on review for more disclosure than before.
    pub overturned: usize,
    /// The decision appealed upheld (final).
    pub upheld: usize,
    /// Changed on review without more disclosure (a denial found to be no records).
    pub revised: usize,
    /// Withdrawn by the requester after appealing.
    pub withdrawn: usize,
}

/// How grants were produced: from the determination to the records in hand.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductionFigures {
    /// Requests granted (in full or in part), initially or on review.
    pub granted: usize,
    pub produced: usize,
    /// Granted, records not yet produced.
    pub awaiting: usize,
    /// Produced grants that went back to production, and how often in all.
    pub reopened_requests: usize,
    pub reopenings: usize,
    /// Days from the grant to production.
    pub median_days: Option<i64>,
    pub p90_days: Option<i64>,
}

/// The figures of one queue.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueFigures {
    pub queue: String,
    pub received: usize,
    pub open: usize,
    pub timeliness: Timeliness,
}

/// One complaint received in the period or closed in it, as its figures need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintFacts {
    pub status: Status,
    /// The queue of the department it is with now.
    pub queue: String,
    /// The local date it was received.
    pub received: NaiveDate,
    /// The city's service target: the date it should be closed by.
    pub target: NaiveDate,
    /// The local date it was closed (resolved, referred, dismissed or withdrawn).
    pub closed: Option<NaiveDate>,
}

/// How many complaints were received in the period and are still open, and how many were
/// closed in it, by how.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComplaintCounts {
    /// Received in the period.
    pub received: usize,
    /// Received in the period and still open today (received or being investigated).
    pub open: usize,
    /// Closed in the period, whenever received, by outcome.
    pub resolved: usize,
    pub referred: usize,
    pub dismissed: usize,
    pub withdrawn: usize,
}

impl ComplaintCounts {
    /// Closed in the period, however.
    pub fn closed(&self) -> usize {
        self.resolved + self.referred + self.dismissed + self.withdrawn
    }
}

/// How quickly the city closed complaints against its service target: of the complaints it
/// closed in the period (resolved, referred or dismissed; a withdrawal is the complainant's).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClosingTimes {
    pub closed: usize,
    /// Of those, closed on or before their target date.
    pub on_target: usize,
    pub late: usize,
    /// Calendar days from receipt to closing.
    pub median_days: Option<i64>,
    pub p90_days: Option<i64>,
    /// Received in the period, still open and past their target today.
    pub overdue_open: usize,
}

impl ClosingTimes {
    /// The share closed on target, as "87.5%", or "—" when none was closed.
    pub fn on_target_share(&self) -> String {
        share(self.on_target, self.closed)
    }
}

/// The complaints of one department.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentComplaints {
    pub queue: String,
    /// Its name in the directory (its queue, spaced, when the directory has it no more).
    pub name: String,
    pub counts: ComplaintCounts,
}

/// Every complaint figure of a report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComplaintFigures {
    pub counts: ComplaintCounts,
    pub closing: ClosingTimes,
    /// Each department with a complaint received or closed in the period, by name.
    pub departments: Vec<DepartmentComplaints>,
}

/// What a sum of fee money is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeeMeasure {
    /// The totals of the estimates issued (not counting an estimate later replaced).
    Estimated,
    /// Payments recorded.
    Collected,
    /// Waivers recorded, a person's or the schedule's own under its threshold.
    Waived,
    /// Refunds recorded.
    Refunded,
}

/// The fee money of one queue in one span of the period, of one measure, as the database
/// summed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeFacts {
    /// The index of its span among [`Period::spans`].
    pub span: usize,
    /// The queue of the request the money is on.
    pub queue: String,
    pub measure: FeeMeasure,
    pub amount: Cents,
}

/// The four sums of fee money, and what was collected and not refunded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FeeSums {
    pub estimated: Cents,
    pub collected: Cents,
    pub waived: Cents,
    pub refunded: Cents,
    /// Collected less refunded: below zero when more was refunded than collected.
    pub net_collected: Cents,
}

impl FeeSums {
    /// The sums with `amount` more of `measure`, or None if one would overflow.
    fn add(self, measure: FeeMeasure, amount: Cents) -> Option<FeeSums> {
        let mut next = self;
        match measure {
            FeeMeasure::Estimated => next.estimated = self.estimated.checked_add(amount)?,
            FeeMeasure::Collected => {
                next.collected = self.collected.checked_add(amount)?;
                next.net_collected = self.net_collected.checked_add(amount)?;
            }
            FeeMeasure::Waived => next.waived = self.waived.checked_add(amount)?,
            FeeMeasure::Refunded => {
                next.refunded = self.refunded.checked_add(amount)?;
                next.net_collected = self.net_collected.checked_sub(amount)?;
            }
        }
        Some(next)
    }
}

/// The fee figures of a report (staff only).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeeFigures {
    /// The whole period.
    pub totals: FeeSums,
    /// Each month of the period ("2026-05"), or each year ("2026") when the period has more
    /// than [`MONTHLY_UP_TO`] months; every one, with nothing in it or not.
    pub by_month: Vec<(String, FeeSums)>,
    pub by_year: bool,
    /// Each queue with fee money in the period, by its name.
    pub by_queue: Vec<(String, FeeSums)>,
}

/// Why fee figures could not be summed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeeSumError {
    #[error("the fees of the period add up to more than a sum of cents can hold")]
    Overflow,
    #[error("a sum of fees is of a span {0} the period does not have")]
    NoSuchSpan(usize),
}

/// Adds up the fee money of `period` from its sums by span, queue and measure.
pub fn fee_figures(period: Period, facts: &[FeeFacts]) -> Result<FeeFigures, FeeSumError> {
    let mut by_month: Vec<(String, FeeSums)> = period
        .spans()
        .into_iter()
        .map(|s| (s.label, FeeSums::default()))
        .collect();
    let mut by_queue: BTreeMap<&str, FeeSums> = BTreeMap::new();
    let mut totals = FeeSums::default();
    for f in facts {
        let add = |sums: &mut FeeSums| -> Result<(), FeeSumError> {
            *sums = sums.add(f.measure, f.amount).ok_or(FeeSumError::Overflow)?;
            Ok(())
        };
        let (_, month) = by_month
            .get_mut(f.span)
            .ok_or(FeeSumError::NoSuchSpan(f.span))?;
        add(month)?;
        add(by_queue.entry(f.queue.as_str()).or_default())?;
        add(&mut totals)?;
    }
    Ok(FeeFigures {
        totals,
        by_month,
        by_year: period.by_year(),
        by_queue: by_queue
            .into_iter()
            .map(|(q, sums)| (q.to_string(), sums))
            .collect(),
    })
}

/// Every figure of a report.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub period: Period,
    pub received: usize,
    pub by_kind: Vec<(RequestKind, usize)>,
    /// "2026-05" → count for each month of the period, or "2026" → count for each year when
    /// the period has more than [`MONTHLY_UP_TO`] months.
    pub by_month: Vec<(String, usize)>,
    pub by_year: bool,
    pub open_by_status: Vec<(Status, usize)>,
    pub timeliness: Timeliness,
    pub extensions: usize,
    pub by_circumstance: Vec<(Circumstance, usize)>,
    /// Requests denied at the initial determination.
    pub denials: usize,
    /// Requests granted in part at the initial determination.
    pub partial_grants: usize,
    /// Requests answered "no responsive records" at the initial determination.
    pub no_records: usize,
    /// Each exemption with the number of initial determinations that withheld records under
    /// it (denials and grants in part), most cited first.
    pub by_exemption: Vec<(String, usize)>,
    pub appeals: Appeals,
    pub production: ProductionFigures,
    pub queues: Vec<QueueFigures>,
    pub complaints: ComplaintFigures,
    /// Staff only: never computed for the public report.
    pub fees: Option<FeeFigures>,
}

/// The value at the nearest rank ⌈p·n/100⌉ of `sorted` (ascending), if any.
pub fn percentile(sorted: &[i64], p: usize) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// Timeliness as it is added up, request by request.
#[derive(Default)]
struct Tally {
    timeliness: Timeliness,
    days: Vec<i64>,
}

impl Tally {
    fn add(&mut self, r: &RequestFacts, initial: Option<&DeterminationFacts>, today: NaiveDate) {
        let t = &mut self.timeliness;
        match initial {
            Some(d) => {
                t.determined += 1;
                if d.decided <= r.due {
                    t.on_time += 1;
                } else {
                    t.late += 1;
                }
                self.days.push((d.decided - r.received).num_days());
            }
            None => {
                if r.status.awaits_determination() && today > r.due {
                    t.overdue_open += 1;
                }
            }
        }
    }

    fn done(mut self) -> Timeliness {
        self.days.sort_unstable();
        self.timeliness.median_days = percentile(&self.days, 50);
        self.timeliness.p90_days = percentile(&self.days, 90);
        self.timeliness
    }
}

/// One queue's figures as they are added up.
#[derive(Default)]
struct QueueTally {
    received: usize,
    open: usize,
    timeliness: Tally,
}

/// Keeps `d` in `kept` if it is the one to count: of initial determinations (`first`) the
/// earliest, the first given of a day; of review decisions the latest, the last given of a day.
fn keep<'a>(kept: &mut Option<&'a DeterminationFacts>, d: &'a DeterminationFacts, first: bool) {
    let replaces = match kept {
        None => true,
        Some(old) if first => d.decided < old.decided,
        Some(old) => d.decided >= old.decided,
    };
    if replaces {
        *kept = Some(d);
    }
}

/// Computes every figure from the requests received in `period` and their determinations,
/// and the complaints received or closed in it (their departments named from `directory`).
/// A complaint among `cases` counts in no request figure, nor does anything decided on it.
/// One pass over the requests and one over the determinations: a report may hold hundreds of
/// thousands of each.
pub fn compute(
    period: Period,
    today: NaiveDate,
    cases: &[RequestFacts],
    determinations: &[DeterminationFacts],
    complaints: &[ComplaintFacts],
    directory: &Directory,
) -> Figures {
    let not_requests: HashSet<RequestId> = cases
        .iter()
        .filter(|r| r.kind.is_complaint())
        .map(|r| r.id)
        .collect();
    let requests: Vec<&RequestFacts> = cases.iter().filter(|r| !r.kind.is_complaint()).collect();
    // Each request id's place in the tables below (a repeated id shares its place).
    let mut place_of: HashMap<RequestId, usize> = HashMap::with_capacity(requests.len());
    let places: Vec<usize> = requests
        .iter()
        .map(|r| {
            let next = place_of.len();
            *place_of.entry(r.id).or_insert(next)
        })
        .collect();
    // The first initial determination, the last review decision and the day of the last grant
    // (a review may grant after an initial one) of each request.
    let mut initial: Vec<Option<&DeterminationFacts>> = vec![None; place_of.len()];
    let mut review: Vec<Option<&DeterminationFacts>> = vec![None; place_of.len()];
    let mut granted: Vec<Option<NaiveDate>> = vec![None; place_of.len()];
    // Initial determinations of requests not among `cases` count in the outcomes all the same.
    let mut other_initial: HashMap<RequestId, Option<&DeterminationFacts>> = HashMap::new();
    for d in determinations
        .iter()
        .filter(|d| !not_requests.contains(&d.request_id))
    {
        let Some(&place) = place_of.get(&d.request_id) else {
            if d.stage == Stage::Initial {
                keep(other_initial.entry(d.request_id).or_default(), d, true);
            }
            continue;
        };
        match d.stage {
            Stage::Initial => keep(&mut initial[place], d, true),
            Stage::Review => keep(&mut review[place], d, false),
        }
        if d.outcome == Status::Granted {
            let day = granted[place].get_or_insert(d.decided);
            *day = (*day).max(d.decided);
        }
    }

    let months = period.months();
    let by_year = period.by_year();
    let label = |d: NaiveDate| {
        if by_year {
            d.format("%Y").to_string()
        } else {
            d.format("%Y-%m").to_string()
        }
    };
    // Volumes by (year, month), or by (year, 1): labelled once each at the end.
    let mut volume_by: BTreeMap<(i32, u32), usize> = BTreeMap::new();
    let mut by_kind: Vec<(RequestKind, usize)> =
        RequestKind::REQUESTS.iter().map(|&k| (k, 0)).collect();
    let mut by_status = [0usize; Status::ALL.len()];
    let mut by_circumstance: Vec<(Circumstance, usize)> =
        Circumstance::ALL.iter().map(|&c| (c, 0)).collect();
    let mut extensions = 0;
    let mut appeals = Appeals::default();
    let mut production = ProductionFigures::default();
    let mut production_days = Vec::new();
    let mut total = Tally::default();
    let mut queues: BTreeMap<&str, QueueTally> = BTreeMap::new();
    for (r, &place) in requests.iter().zip(&places) {
        let month = if by_year { 1 } else { r.received.month() };
        *volume_by.entry((r.received.year(), month)).or_default() += 1;
        if let Some((_, n)) = by_kind.iter_mut().find(|(k, _)| *k == r.kind) {
            *n += 1;
        }
        if let Some(i) = Status::ALL.iter().position(|&s| s == r.status) {
            by_status[i] += 1;
        }
        if r.extended {
            extensions += 1;
            if let Some((_, n)) = by_circumstance
                .iter_mut()
                .find(|(c, _)| Some(*c) == r.circumstance)
            {
                *n += 1;
            }
        }

        if r.appealed {
            appeals.filed += 1;
            // A review decision is final: the request stands as the reviewer decided it.
            let counter = match (r.status, review[place]) {
                (Status::Withdrawn, _) => &mut appeals.withdrawn,
                (_, Some(d)) => match d.review.unwrap_or(ReviewOutcome::of_outcome(d.outcome)) {
                    ReviewOutcome::Upheld => &mut appeals.upheld,
                    ReviewOutcome::Overturned => &mut appeals.overturned,
                    ReviewOutcome::Revised => &mut appeals.revised,
                },
                (_, None) => &mut appeals.pending,
            };
            *counter += 1;
        }

        if let Some(granted_on) = granted[place] {
            production.granted += 1;
            match r.produced {
                Some(produced) => {
                    production.produced += 1;
                    production_days.push((produced - granted_on).num_days().max(0));
                }
                None if r.status == Status::Granted => production.awaiting += 1,
                None => {}
            }
            if r.reopened > 0 {
                production.reopened_requests += 1;
                production.reopenings += r.reopened as usize;
            }
        }

        total.add(r, initial[place], today);
        let queue = queues.entry(r.queue.as_str()).or_default();
        queue.received += 1;
        if r.status.is_open() {
            queue.open += 1;
        }
        queue.timeliness.add(r, initial[place], today);
    }

    let mut volume: BTreeMap<String, usize> = months.iter().map(|&m| (label(m), 0)).collect();
    for ((year, month), n) in volume_by {
        if let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) {
            *volume.entry(label(first)).or_default() += n;
        }
    }

    let open_by_status = Status::ALL
        .iter()
        .zip(by_status)
        .filter(|(s, _)| s.is_open() && !s.is_complaint_state())
        .map(|(&s, n)| (s, n))
        .collect();

    let initials: Vec<&DeterminationFacts> = initial
        .iter()
        .chain(other_initial.values())
        .flatten()
        .copied()
        .collect();
    let count_initial = |outcome: Status, partial: bool| {
        initials
            .iter()
            .filter(|d| d.outcome == outcome && d.partial == partial)
            .count()
    };
    let denials = count_initial(Status::Denied, false);
    let partial_grants = count_initial(Status::Granted, true);
    let no_records = count_initial(Status::NoRecords, false);
    let mut citations: BTreeMap<String, usize> = BTreeMap::new();
    let withholds = |d: &&&DeterminationFacts| {
        d.outcome == Status::Denied || (d.outcome == Status::Granted && d.partial)
    };
    for d in initials.iter().filter(withholds) {
        let mut cited: Vec<&str> = d.legal_basis.iter().map(|c| c.trim()).collect();
        cited.sort_unstable();
        cited.dedup();
        for c in cited.into_iter().filter(|c| !c.is_empty()) {
            match citations.get_mut(c) {
                Some(n) => *n += 1,
                None => {
                    citations.insert(c.to_string(), 1);
                }
            }
        }
    }
    let mut by_exemption: Vec<(String, usize)> = citations.into_iter().collect();
    by_exemption.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));

    production_days.sort_unstable();
    production.median_days = percentile(&production_days, 50);
    production.p90_days = percentile(&production_days, 90);

    let queues = queues
        .into_iter()
        .map(|(q, tally)| QueueFigures {
            queue: q.to_string(),
            received: tally.received,
            open: tally.open,
            timeliness: tally.timeliness.done(),
        })
        .collect();

    Figures {
        period,
        received: requests.len(),
        by_kind,
        by_month: volume.into_iter().collect(),
        by_year,
        open_by_status,
        timeliness: total.done(),
        extensions,
        by_circumstance,
        denials,
        partial_grants,
        no_records,
        by_exemption,
        appeals,
        production,
        queues,
        complaints: complaint_figures(period, today, complaints, directory),
        fees: None,
    }
}

/// The complaint figures of `period`: received and still open count the complaints received
/// in it; the outcomes and closing times, those closed in it, whenever received. A complaint
/// is counted under the department it is with now.
pub fn complaint_figures(
    period: Period,
    today: NaiveDate,
    complaints: &[ComplaintFacts],
    directory: &Directory,
) -> ComplaintFigures {
    let within = |d: NaiveDate| period.from <= d && d <= period.to;
    let mut figures = ComplaintFigures::default();
    let mut departments: BTreeMap<&str, ComplaintCounts> = BTreeMap::new();
    let mut days = Vec::new();
    for c in complaints {
        let mut tally = |count: fn(&mut ComplaintCounts) -> &mut usize| {
            *count(&mut figures.counts) += 1;
            *count(departments.entry(c.queue.as_str()).or_default()) += 1;
        };
        if within(c.received) {
            tally(|n| &mut n.received);
            if c.status.is_open() {
                tally(|n| &mut n.open);
                if today > c.target {
                    figures.closing.overdue_open += 1;
                }
            }
        }
        let Some(closed) = c.closed.filter(|&d| within(d)) else {
            continue;
        };
        match c.status {
            Status::Resolved => tally(|n| &mut n.resolved),
            Status::Referred => tally(|n| &mut n.referred),
            Status::Dismissed => tally(|n| &mut n.dismissed),
            // The complainant's doing, not the City's: no closing time to count.
            Status::Withdrawn => {
                tally(|n| &mut n.withdrawn);
                continue;
            }
            // Not a complaint's way of closing.
            _ => continue,
        }
        figures.closing.closed += 1;
        if closed <= c.target {
            figures.closing.on_target += 1;
        } else {
            figures.closing.late += 1;
        }
        days.push((closed - c.received).num_days().max(0));
    }
    days.sort_unstable();
    figures.closing.median_days = percentile(&days, 50);
    figures.closing.p90_days = percentile(&days, 90);
    let mut departments: Vec<DepartmentComplaints> = departments
        .into_iter()
        .filter(|(_, counts)| *counts != ComplaintCounts::default())
        .map(|(queue, counts)| DepartmentComplaints {
            queue: queue.to_string(),
            name: directory
                .by_queue(queue)
                .map(|d| d.name.clone())
                .unwrap_or_else(|| queue.replace('_', " ")),
            counts,
        })
        .collect();
    departments.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then_with(|| a.queue.cmp(&b.queue))
    });
    figures.departments = departments;
    figures
}

#[cfg(test)]
mod tests {
    use super::*;

    const INITIAL: Stage = Stage::Initial;
    const REVIEW: Stage = Stage::Review;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const TODAY: &str = "2026-11-26";

    #[test]
    fn the_default_period_is_the_last_twelve_calendar_months() {
        let p = Period::parse("", "", d(TODAY)).unwrap();
        assert_eq!((p.from, p.to), (d("2025-12-01"), d(TODAY)));
        assert_eq!(p.months().len(), 12);
    }

    #[test]
    fn an_inverted_period_is_refused_beside_the_end_date() {
        let e = Period::parse("2026-05-02", "2026-05-01", d(TODAY)).unwrap_err();
        assert!(e.0.contains_key("to") && !e.0.contains_key("from"), "{e:?}");
        assert!(Period::parse("2026-05-01", "2026-05-01", d(TODAY)).is_ok());
    }

    #[test]
    fn absurd_periods_are_refused() {
        for (from, to, field) in [
            ("1999-12-31", "2026-01-01", "from"),
            ("2026-01-01", "2027-11-27", "to"),
            ("2027-12-01", "2027-12-31", "from"),
            ("2001-01-01", "2026-01-01", "to"),
            ("2026-13-01", "2026-12-01", "from"),
            ("2026-01-01", "yesterday", "to"),
        ] {
            let e = Period::parse(from, to, d(TODAY)).unwrap_err();
            assert!(e.0.contains_key(field), "{from}..{to}: {e:?}");
        }
        assert!(Period::parse("2001-01-02", "2026-01-01", d(TODAY)).is_ok());
        assert!(Period::parse("2026-01-01", "2027-11-26", d(TODAY)).is_ok());
    }

    #[test]
    fn nearest_rank_percentiles() {
        assert_eq!(percentile(&[], 50), None);
        assert_eq!(percentile(&[7], 90), Some(7));
        assert_eq!(percentile(&[1, 2, 3, 4], 50), Some(2));
        assert_eq!(percentile(&[1, 2, 3, 4, 5], 50), Some(3));
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(percentile(&ten, 90), Some(9));
        let eleven: Vec<i64> = (1..=11).collect();
        assert_eq!(percentile(&eleven, 90), Some(10));
    }

    fn no_directory() -> Directory {
        Directory::new(vec![])
    }

    fn request(id: i64, status: Status, received: &str, due: &str) -> RequestFacts {
        RequestFacts {
            id: RequestId(id),
            kind: RequestKind::PublicRecords,
            status,
            queue: "city_clerk".into(),
            received: d(received),
            due: d(due),
            extended: false,
            circumstance: None,
            appealed: false,
            produced: None,
            reopened: 0,
        }
    }

    fn det(
        request_id: i64,
        stage: Stage,
        outcome: Status,
        decided: &str,
        basis: &[&str],
    ) -> DeterminationFacts {
        DeterminationFacts {
            request_id: RequestId(request_id),
            stage,
            outcome,
            partial: false,
            legal_basis: basis.iter().map(|s| s.to_string()).collect(),
            decided: d(decided),
            review: None,
        }
    }

    #[test]
    fn figures_of_a_small_history() {
        let period = Period::parse("2026-01-01", "2026-03-31", d(TODAY)).unwrap();
        let mut extended = request(3, Status::Granted, "2026-02-01", "2026-02-25");
        extended.extended = true;
        extended.circumstance = Some(Circumstance::Consultation);
        let mut upheld = request(4, Status::Denied, "2026-03-01", "2026-03-11");
        upheld.appealed = true;
        extended.produced = Some(d("2026-02-27"));
        let mut upheld = request(4, Status::Denied, "2026-03-01", "2026-03-11");
        upheld.appealed = true;
        let mut overturned = request(5, Status::Granted, "2026-03-02", "2026-03-12");
        overturned.appealed = true;
        overturned.queue = "parks".into();
        let mut first = request(1, Status::Granted, "2026-01-05", "2026-01-15");
        first.produced = Some(d("2026-01-10"));
        let mut second = request(2, Status::Granted, "2026-01-06", "2026-01-16");
        second.produced = Some(d("2026-01-30"));
        second.reopened = 2;
        let mut revised = request(9, Status::NoRecords, "2026-03-03", "2026-03-13");
        revised.appealed = true;
        let requests = vec![
            first,
            second,
            extended,
            upheld,
            overturned,
            request(6, Status::UnderReview, "2026-03-20", "2026-03-30"),
            request(7, Status::Withdrawn, "2026-03-21", "2026-03-31"),
            request(8, Status::Granted, "2026-03-22", "2026-04-01"),
            request(10, Status::NoRecords, "2026-03-23", "2026-04-02"),
            revised,
        ];
        let partial = DeterminationFacts {
            partial: true,
            ..det(8, INITIAL, Status::Granted, "2026-03-25", &["§B"])
        };
        let revision = DeterminationFacts {
            review: Some(ReviewOutcome::Revised),
            ..det(9, REVIEW, Status::NoRecords, "2026-03-20", &[])
        };
        let dets = vec![
            det(1, INITIAL, Status::Granted, "2026-01-10", &[]),
            det(2, INITIAL, Status::Granted, "2026-01-20", &[]),
            det(3, INITIAL, Status::Granted, "2026-02-20", &[]),
            det(
                4,
                INITIAL,
                Status::Denied,
                "2026-03-05",
                &["§A", "§B", "§A"],
            ),
            det(4, REVIEW, Status::Denied, "2026-03-20", &["§A"]),
            det(5, INITIAL, Status::Denied, "2026-03-12", &["§A"]),
            det(5, REVIEW, Status::Granted, "2026-03-25", &[]),
            partial,
            det(9, INITIAL, Status::Denied, "2026-03-06", &["§C"]),
            revision,
            det(10, INITIAL, Status::NoRecords, "2026-03-30", &[]),
        ];
        let f = compute(period, d(TODAY), &requests, &dets, &[], &no_directory());
        assert_eq!(f.received, 10);
        assert_eq!(
            f.by_month,
            vec![
                ("2026-01".into(), 2),
                ("2026-02".into(), 1),
                ("2026-03".into(), 7)
            ]
        );
        // Days: 5, 14, 19, 4, 10, 3, 3, 7 → sorted 3, 3, 4, 5, 7, 10, 14, 19. A no-records
        // answer is a determination: it stops the clock and counts in the on-time figures.
        assert_eq!(f.timeliness.determined, 8);
        assert_eq!(f.timeliness.on_time, 7);
        assert_eq!(f.timeliness.late, 1);
        assert_eq!(f.timeliness.overdue_open, 1);
        assert_eq!(f.timeliness.median_days, Some(5));
        assert_eq!(f.timeliness.p90_days, Some(19));
        assert_eq!(f.timeliness.on_time_share(), "87.5%");
        assert_eq!(f.extensions, 1);
        assert!(f.by_circumstance.contains(&(Circumstance::Consultation, 1)));
        assert_eq!(f.denials, 3);
        assert_eq!(f.partial_grants, 1);
        assert_eq!(f.no_records, 1);
        // Withholdings by exemption: denials and grants in part, each exemption once each.
        assert_eq!(
            f.by_exemption,
            vec![("§A".into(), 2), ("§B".into(), 2), ("§C".into(), 1)]
        );
        assert_eq!(
            f.appeals,
            Appeals {
                filed: 3,
                pending: 0,
                overturned: 1,
                upheld: 1,
                revised: 1,
                withdrawn: 0
            }
        );
        // Grants: 1 (produced the day it was granted), 2 (10 days, reopened twice), 3 (7 days),
        // 5 (granted on review, awaiting) and 8 (awaiting).
        assert_eq!(
            f.production,
            ProductionFigures {
                granted: 5,
                produced: 3,
                awaiting: 2,
                reopened_requests: 1,
                reopenings: 2,
                median_days: Some(7),
                p90_days: Some(10),
            }
        );
        assert_eq!(f.queues.len(), 2);
        assert_eq!(f.queues[1].queue, "parks");
        assert_eq!(f.queues[1].timeliness.median_days, Some(10));
        assert!(f.open_by_status.contains(&(Status::UnderReview, 1)));
    }

    #[test]
    fn a_long_period_counts_volumes_by_year() {
        let period = Period::parse("2020-01-01", "2026-06-30", d(TODAY)).unwrap();
        let f = compute(
            period,
            d(TODAY),
            &[request(1, Status::Submitted, "2024-05-05", "2024-05-15")],
            &[],
            &[],
            &no_directory(),
        );
        assert!(f.by_year);
        assert_eq!(f.by_month.len(), 7);
        assert!(f.by_month.contains(&("2024".into(), 1)));
    }

    fn department(id: i64, name: &str, queue: &str) -> crate::domain::directory::Department {
        crate::domain::directory::Department {
            id,
            name: name.into(),
            queue: queue.into(),
            email: None,
            phone: None,
            publishers: vec![],
            hosts: vec![],
            signers: vec![],
            version: 1,
        }
    }

    fn complaint(
        status: Status,
        queue: &str,
        received: &str,
        target: &str,
        closed: Option<&str>,
    ) -> ComplaintFacts {
        ComplaintFacts {
            status,
            queue: queue.into(),
            received: d(received),
            target: d(target),
            closed: closed.map(d),
        }
    }

    #[test]
    fn complaints_are_counted_as_received_and_open_and_as_closed_in_the_period_by_outcome() {
        use Status::*;
        let period = Period::parse("2026-01-01", "2026-03-31", d(TODAY)).unwrap();
        let directory = Directory::new(vec![
            department(1, "Parks and Recreation", "parks"),
            department(2, "Code Enforcement", "code_enforcement"),
        ]);
        let ce = "code_enforcement";
        let complaints = [
            // Received in the period and closed in it: on target in 10 days, late in 41, on
            // target in 2; a withdrawal is no closing of the City's.
            complaint(Resolved, ce, "2026-01-05", "2026-02-04", Some("2026-01-15")),
            complaint(Referred, ce, "2026-01-10", "2026-02-09", Some("2026-02-20")),
            complaint(
                Dismissed,
                "parks",
                "2026-02-01",
                "2026-03-03",
                Some("2026-02-03"),
            ),
            complaint(
                Withdrawn,
                "parks",
                "2026-02-10",
                "2026-03-12",
                Some("2026-02-11"),
            ),
            // Open today: one past its target, one not.
            complaint(Investigating, ce, "2026-03-01", "2026-03-31", None),
            complaint(Received, "parks", "2026-03-30", "2026-12-01", None),
            // Received before the period, closed in it (on target, 15 days), with a department
            // the directory has no more.
            complaint(
                Resolved,
                "old_dept",
                "2025-12-20",
                "2026-01-19",
                Some("2026-01-04"),
            ),
            // Received in the period, closed after it: received, neither open nor closed.
            complaint(
                Resolved,
                "parks",
                "2026-03-20",
                "2026-04-19",
                Some("2026-04-10"),
            ),
            // Received and closed before the period: in no figure, its department in no row.
            complaint(
                Resolved,
                "gone",
                "2025-11-01",
                "2025-12-01",
                Some("2025-12-01"),
            ),
        ];
        let c = complaint_figures(period, d(TODAY), &complaints, &directory);
        assert_eq!(
            c.counts,
            ComplaintCounts {
                received: 7,
                open: 2,
                resolved: 2,
                referred: 1,
                dismissed: 1,
                withdrawn: 1,
            }
        );
        assert_eq!(c.counts.closed(), 5);
        // Days 10, 41, 2, 15 → 2, 10, 15, 41.
        assert_eq!(
            c.closing,
            ClosingTimes {
                closed: 4,
                on_target: 3,
                late: 1,
                median_days: Some(10),
                p90_days: Some(41),
                overdue_open: 1,
            }
        );
        assert_eq!(c.closing.on_target_share(), "75.0%");
        let rows: Vec<(&str, &str, ComplaintCounts)> = c
            .departments
            .iter()
            .map(|d| (d.name.as_str(), d.queue.as_str(), d.counts.clone()))
            .collect();
        assert_eq!(
            rows,
            vec![
                (
                    "Code Enforcement",
                    ce,
                    ComplaintCounts {
                        received: 3,
                        open: 1,
                        resolved: 1,
                        referred: 1,
                        dismissed: 0,
                        withdrawn: 0,
                    }
                ),
                (
                    "old dept",
                    "old_dept",
                    ComplaintCounts {
                        resolved: 1,
                        ..ComplaintCounts::default()
                    }
                ),
                (
                    "Parks and Recreation",
                    "parks",
                    ComplaintCounts {
                        received: 4,
                        open: 1,
                        resolved: 0,
                        referred: 0,
                        dismissed: 1,
                        withdrawn: 1,
                    }
                ),
            ]
        );
    }

    #[test]
    fn no_complaint_closed_leaves_the_closing_times_empty() {
        let period = Period::parse("2026-01-01", "2026-03-31", d(TODAY)).unwrap();
        let c = complaint_figures(
            period,
            d(TODAY),
            &[complaint(
                Status::Withdrawn,
                "parks",
                "2026-01-02",
                "2026-02-01",
                Some("2026-01-03"),
            )],
            &no_directory(),
        );
        assert_eq!(c.counts.withdrawn, 1);
        assert_eq!(c.closing, ClosingTimes::default());
        assert_eq!(c.closing.on_target_share(), "—");
        assert_eq!(c.departments[0].name, "parks");
        let none = complaint_figures(period, d(TODAY), &[], &no_directory());
        assert_eq!(none, ComplaintFigures::default());
    }

    #[test]
    fn a_complaint_among_the_requests_counts_in_no_request_figure() {
        let period = Period::parse("2026-01-01", "2026-03-31", d(TODAY)).unwrap();
        let requests = vec![
            request(1, Status::Submitted, "2026-01-05", "2026-01-15"),
            request(2, Status::Granted, "2026-01-06", "2026-01-16"),
        ];
        let dets = vec![det(2, INITIAL, Status::Granted, "2026-01-10", &[])];
        let without = compute(period, d(TODAY), &requests, &dets, &[], &no_directory());
        let mut with = requests.clone();
        for (id, status) in [
            (3, Status::Received),
            (4, Status::Investigating),
            (5, Status::Withdrawn),
        ] {
            with.push(RequestFacts {
                kind: RequestKind::Complaint,
                queue: "code_enforcement".into(),
                ..request(id, status, "2026-02-01", "2026-03-03")
            });
        }
        let mut with_dets = dets.clone();
        with_dets.push(det(3, INITIAL, Status::Denied, "2026-02-02", &["§A"]));
        let f = compute(period, d(TODAY), &with, &with_dets, &[], &no_directory());
        assert_eq!(f, without);
        assert_eq!(f.received, 2);
        assert!(f.by_kind.iter().all(|(k, _)| !k.is_complaint()));
        assert!(f
            .open_by_status
            .iter()
            .all(|(s, _)| !s.is_complaint_state()));
        assert_eq!(f.complaints, ComplaintFigures::default());
    }

    #[test]
    fn a_period_is_summed_by_month_from_its_first_day_and_by_year_when_long() {
        let p = Period::parse("2026-01-15", "2026-03-10", d(TODAY)).unwrap();
        let spans = p.spans();
        assert_eq!(
            spans,
            vec![
                Span {
                    label: "2026-01".into(),
                    from: d("2026-01-15")
                },
                Span {
                    label: "2026-02".into(),
                    from: d("2026-02-01")
                },
                Span {
                    label: "2026-03".into(),
                    from: d("2026-03-01")
                },
            ]
        );
        assert!(!p.by_year());
        let one_day = Period::parse("2026-05-31", "2026-05-31", d(TODAY)).unwrap();
        assert_eq!(one_day.spans().len(), 1);
        // The spans are the months the request volumes are counted by, and so are their names.
        let year = Period::default_for(d(TODAY));
        let labels: Vec<String> = year.spans().into_iter().map(|s| s.label).collect();
        let volume = compute(year, d(TODAY), &[], &[], &[], &no_directory());
        let months: Vec<String> = volume.by_month.into_iter().map(|(m, _)| m).collect();
        assert_eq!(labels, months);

        let long = Period::parse("2020-06-10", "2026-02-01", d(TODAY)).unwrap();
        assert!(long.by_year());
        let spans = long.spans();
        assert_eq!(spans.len(), 7);
        assert_eq!(
            (spans[0].label.as_str(), spans[0].from),
            ("2020", d("2020-06-10"))
        );
        assert_eq!(
            (spans[1].label.as_str(), spans[1].from),
            ("2021", d("2021-01-01"))
        );
        assert_eq!(
            (spans[6].label.as_str(), spans[6].from),
            ("2026", d("2026-01-01"))
        );
    }

    fn fee(span: usize, queue: &str, measure: FeeMeasure, cents: i64) -> FeeFacts {
        FeeFacts {
            span,
            queue: queue.into(),
            measure,
            amount: Cents(cents),
        }
    }

    #[test]
    fn fees_are_summed_by_month_and_by_queue_and_net_collected_is_collected_less_refunded() {
        use FeeMeasure::*;
        let period = Period::parse("2026-01-01", "2026-03-31", d(TODAY)).unwrap();
        let facts = [
            fee(0, "city_clerk", Estimated, 1_200),
            fee(0, "city_clerk", Collected, 1_000),
            fee(0, "city_clerk", Waived, 200),
            fee(0, "public_works", Estimated, 50),
            fee(0, "public_works", Waived, 50),
            // March: a refund of January's money, more than March collected.
            fee(2, "city_clerk", Collected, 250),
            fee(2, "city_clerk", Refunded, 300),
        ];
        let f = fee_figures(period, &facts).unwrap();
        assert!(!f.by_year);
        let sums = |estimated, collected, waived, refunded, net| FeeSums {
            estimated: Cents(estimated),
            collected: Cents(collected),
            waived: Cents(waived),
            refunded: Cents(refunded),
            net_collected: Cents(net),
        };
        assert_eq!(
            f.by_month,
            vec![
                ("2026-01".into(), sums(1_250, 1_000, 250, 0, 1_000)),
                // A month with no fees is there, all zero.
                ("2026-02".into(), FeeSums::default()),
                ("2026-03".into(), sums(0, 250, 0, 300, -50)),
            ]
        );
        assert_eq!(
            f.by_queue,
            vec![
                ("city_clerk".into(), sums(1_200, 1_250, 200, 300, 950)),
                ("public_works".into(), sums(50, 0, 50, 0, 0)),
            ]
        );
        assert_eq!(f.totals, sums(1_250, 1_250, 250, 300, 950));
        // Nothing: every month at zero, no queue.
        let none = fee_figures(period, &[]).unwrap();
        assert_eq!(none.by_month.len(), 3);
        assert!(none.by_month.iter().all(|(_, s)| *s == FeeSums::default()));
        assert!(none.by_queue.is_empty());
    }

    #[test]
    fn fee_sums_too_large_or_outside_the_period_are_refused_never_wrapped() {
        use FeeMeasure::*;
        let period = Period::parse("2026-01-01", "2026-02-28", d(TODAY)).unwrap();
        let big = [
            fee(0, "city_clerk", Collected, i64::MAX),
            fee(1, "city_clerk", Collected, 1),
        ];
        assert_eq!(fee_figures(period, &big), Err(FeeSumError::Overflow));
        // Refunds below the smallest sum.
        let refunds = [
            fee(0, "a", Refunded, i64::MAX),
            fee(0, "b", Refunded, i64::MAX),
        ];
        assert_eq!(fee_figures(period, &refunds), Err(FeeSumError::Overflow));
        // Up to the largest sum is fine.
        let most = [
            fee(0, "a", Estimated, i64::MAX - 1),
            fee(1, "b", Estimated, 1),
        ];
        assert_eq!(
            fee_figures(period, &most).unwrap().totals.estimated,
            Cents(i64::MAX)
        );
        assert_eq!(
            fee_figures(period, &[fee(2, "a", Waived, 1)]),
            Err(FeeSumError::NoSuchSpan(2))
        );
    }
}
