//! The reports (issue 8): `/staff/reports` for staff and `/reports`, the city's transparency
//! page, with the same aggregate figures, each chart beside a table of its numbers, and the
//! same figures as CSV. Nothing here names a person or quotes a request: the figures are
//! counts and days, queue and department names and legal-basis citations. Complaints have a
//! part of their own: totals on both pages and CSVs, by department for staff only. Fees are
//! for staff only: their money, by month and by queue, is on neither public face.

use actix_session::Session;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::charts;
use super::forms::{summary, Errors, SummaryItem};
use super::problem::page_error;
use super::staff::signed_in;
use super::{plain, render, session, Layout, PageResult};
use crate::app::StaffAccount;
use crate::domain::fees::Cents;
use crate::domain::reports::{
    share, ClosingTimes, ComplaintFigures, FeeFigures, FeeSums, Figures, Period, Timeliness,
};
use crate::domain::{Circumstance, FieldErrors};
use crate::web::AppState;
use crate::wording::{say, word, Arg, Language};

/// The longest queue name the filter accepts.
const QUEUE_CHARS: usize = 100;

/// The report form, as typed: dates as YYYY-MM-DD, blank for the default period.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReportParams {
    pub from: Option<String>,
    pub to: Option<String>,
    pub queue: Option<String>,
}

/// One figure: a chart (maybe none) and the table of its numbers, in the reader's language.
pub struct Section {
    pub id: &'static str,
    pub title: String,
    pub intro: String,
    pub chart: String,
    pub label_heading: String,
    pub value_heading: String,
    pub rows: Vec<(String, String)>,
}

/// A section whose title and headings are the messages `title`, `label_heading` and
/// `value_heading`.
fn section(
    language: Language,
    id: &'static str,
    title: &str,
    intro: String,
    label_heading: &str,
    value_heading: &str,
    counts: Vec<(String, usize)>,
) -> Section {
    let title = word(language, title);
    Section {
        id,
        chart: charts::bars(language, &title, &counts),
        title,
        intro,
        label_heading: word(language, label_heading),
        value_heading: word(language, value_heading),
        rows: counts
            .into_iter()
            .map(|(l, n)| (l, n.to_string()))
            .collect(),
    }
}

/// "2026-11" as "November 2026"; a year, or anything else, as it is. The month's name comes
/// from the wording, not chrono, whose names are English only.
fn month_words(language: Language, period: &str) -> String {
    use chrono::Datelike;
    match chrono::NaiveDate::parse_from_str(&format!("{period}-01"), "%Y-%m-%d") {
        Ok(d) => say(
            language,
            "page-reports-month",
            &[
                ("month", Arg::Number(i64::from(d.month()))),
                // A year as text: it is a name, not an amount to format or pluralize.
                ("year", Arg::Text(&d.year().to_string())),
            ],
        ),
        Err(_) => period.to_string(),
    }
}

/// "Nov 26, 2026", with the month's name from the wording.
fn date_words(language: Language, day: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    say(
        language,
        "page-reports-date",
        &[
            ("month", Arg::Number(i64::from(day.month()))),
            ("day", Arg::Text(&day.day().to_string())),
            ("year", Arg::Text(&day.year().to_string())),
        ],
    )
}

/// A count placed in a message, which may choose its form by it.
fn number(count: usize) -> Arg<'static> {
    Arg::Number(i64::try_from(count).unwrap_or(i64::MAX))
}

fn days(d: Option<i64>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
}

fn circumstance_words(language: Language, circumstance: Circumstance) -> String {
    let id = match circumstance {
        Circumstance::FieldFacilities => "page-reports-field-facilities",
        Circumstance::VoluminousRecords => "page-reports-voluminous-records",
        Circumstance::Consultation => "page-reports-consultation",
        Circumstance::DataCompilation => "page-reports-data-compilation",
        Circumstance::StateOfEmergency => "page-reports-state-of-emergency",
    };
    word(language, id)
}

fn timeliness_rows(language: Language, t: &Timeliness) -> Vec<(String, String)> {
    let w = |id| word(language, id);
    vec![
        (w("page-reports-determined"), t.determined.to_string()),
        (w("page-reports-on-time"), t.on_time.to_string()),
        (w("page-reports-late"), t.late.to_string()),
        (w("page-reports-share-on-time"), t.on_time_share()),
        (w("page-reports-median-days"), days(t.median_days)),
        (w("page-reports-ninetieth"), days(t.p90_days)),
        (w("page-reports-overdue-today"), t.overdue_open.to_string()),
    ]
}

/// The figures as the page shows them, section by section, in `language`.
fn sections(language: Language, f: &Figures, determination_days: u32) -> Vec<Section> {
    let t = &f.timeliness;
    let a = &f.appeals;
    let w = |id| word(language, id);
    vec![
        section(
            language,
            "by-month",
            if f.by_year {
                "page-reports-by-year"
            } else {
                "page-reports-by-month"
            },
            say(
                language,
                "page-reports-received-count",
                &[("count", number(f.received))],
            ),
            if f.by_year {
                "page-reports-year-heading"
            } else {
                "page-reports-month-heading"
            },
            "page-reports-requests",
            f.by_month
                .iter()
                .map(|(period, n)| (month_words(language, period), *n))
                .collect(),
        ),
        section(
            language,
            "by-kind",
            "page-reports-by-kind",
            String::new(),
            "page-reports-kind",
            "page-reports-requests",
            f.by_kind
                .iter()
                .map(|(k, n)| (plain::kind_words(language, *k), *n))
                .collect(),
        ),
        section(
            language,
            "open",
            "page-reports-open",
            w("page-reports-open-intro"),
            "page-reports-status",
            "page-reports-requests",
            f.open_by_status
                .iter()
                .map(|(s, n)| (plain::status_words(language, *s), *n))
                .collect(),
        ),
        Section {
            rows: timeliness_rows(language, t),
            ..section(
                language,
                "on-time",
                "page-reports-on-time-title",
                say(
                    language,
                    "page-reports-on-time-intro",
                    &[
                        ("days", Arg::Number(i64::from(determination_days))),
                        ("overdue", number(t.overdue_open)),
                    ],
                ),
                "page-reports-figure",
                "page-reports-value",
                // Decided requests only: the open ones past due are another kind of count,
                // said in the text and the table, not a third bar beside these.
                vec![
                    (w("page-reports-on-time"), t.on_time),
                    (w("page-reports-late"), t.late),
                ],
            )
        },
        section(
            language,
            "extensions",
            "page-reports-extensions",
            say(
                language,
                "page-reports-extensions-intro",
                &[("count", number(f.extensions))],
            ),
            "page-reports-reason",
            "page-reports-extensions-heading",
            f.by_circumstance
                .iter()
                .map(|&(c, n)| (circumstance_words(language, c), n))
                .collect(),
        ),
        section(
            language,
            "withholdings",
            "page-reports-withholdings",
            say(
                language,
                "page-reports-withholdings-intro",
                &[
                    ("denied", number(f.denials)),
                    ("partial", number(f.partial_grants)),
                    ("none", number(f.no_records)),
                ],
            ),
            "page-reports-exemption",
            "page-reports-determinations",
            f.by_exemption.clone(),
        ),
        section(
            language,
            "production",
            "page-reports-production",
            say(
                language,
                "page-reports-production-intro",
                &[
                    ("granted", number(f.production.granted)),
                    (
                        "median",
                        Arg::Text(&days_words(language, f.production.median_days)),
                    ),
                    (
                        "ninetieth",
                        Arg::Text(&days_words(language, f.production.p90_days)),
                    ),
                ],
            ),
            "page-reports-figure",
            "page-reports-requests",
            vec![
                (w("page-reports-produced"), f.production.produced),
                (w("page-reports-awaiting"), f.production.awaiting),
                (w("page-reports-reopened"), f.production.reopened_requests),
            ],
        ),
        section(
            language,
            "appeals",
            "page-reports-appeals",
            say(
                language,
                "page-reports-appeals-intro",
                &[("count", number(a.filed))],
            ),
            "page-reports-outcome",
            "page-reports-appeals-heading",
            vec![
                (w("page-reports-pending"), a.pending),
                (w("page-reports-overturned"), a.overturned),
                (w("page-reports-upheld"), a.upheld),
                (w("page-reports-revised"), a.revised),
                (w("page-reports-withdrawn"), a.withdrawn),
            ],
        ),
    ]
}

/// The complaint figures as the page shows them: received and still open, closed by outcome,
/// closed on target.
fn complaint_sections(language: Language, c: &ComplaintFigures) -> Vec<Section> {
    let n = &c.counts;
    let t = &c.closing;
    let w = |id| word(language, id);
    vec![
        Section {
            chart: String::new(),
            ..section(
                language,
                "complaints-received",
                "page-reports-complaints-received-title",
                String::new(),
                "page-reports-figure",
                "page-reports-complaints-heading",
                vec![
                    (w("page-reports-complaints-received"), n.received),
                    (w("page-reports-complaints-open"), n.open),
                ],
            )
        },
        section(
            language,
            "complaints-outcomes",
            "page-reports-complaints-outcomes",
            say(
                language,
                "page-reports-complaints-outcomes-intro",
                &[("count", number(n.closed()))],
            ),
            "page-reports-outcome",
            "page-reports-complaints-heading",
            vec![
                (w("page-reports-complaints-resolved"), n.resolved),
                (w("page-reports-complaints-referred"), n.referred),
                (w("page-reports-complaints-dismissed"), n.dismissed),
                (w("page-reports-complaints-withdrawn"), n.withdrawn),
            ],
        ),
        Section {
            rows: closing_rows(language, t),
            ..section(
                language,
                "complaints-on-target",
                "page-reports-complaints-on-target-title",
                w("page-reports-complaints-on-target-intro"),
                "page-reports-figure",
                "page-reports-value",
                vec![
                    (w("page-reports-complaints-on-target"), t.on_target),
                    (w("page-reports-complaints-late"), t.late),
                ],
            )
        },
    ]
}

fn closing_rows(language: Language, t: &ClosingTimes) -> Vec<(String, String)> {
    let w = |id| word(language, id);
    vec![
        (
            w("page-reports-complaints-closed-by-city"),
            t.closed.to_string(),
        ),
        (
            w("page-reports-complaints-on-target"),
            t.on_target.to_string(),
        ),
        (w("page-reports-complaints-late"), t.late.to_string()),
        (
            w("page-reports-complaints-share-on-target"),
            t.on_target_share(),
        ),
        (
            w("page-reports-complaints-median-days"),
            days(t.median_days),
        ),
        (w("page-reports-ninetieth"), days(t.p90_days)),
        (
            w("page-reports-complaints-overdue-today"),
            t.overdue_open.to_string(),
        ),
    ]
}

/// A fee table's row: its month, year or queue, and each sum as a US reader writes dollars.
pub struct FeeRow {
    pub label: String,
    pub estimated: String,
    pub collected: String,
    pub waived: String,
    pub refunded: String,
    pub net_collected: String,
}

impl FeeRow {
    fn of(label: String, s: &FeeSums) -> FeeRow {
        FeeRow {
            label,
            estimated: s.estimated.dollars(),
            collected: s.collected.dollars(),
            waived: s.waived.dollars(),
            refunded: s.refunded.dollars(),
            net_collected: s.net_collected.dollars(),
        }
    }
}

/// The fees as the staff page shows them: the period's sums, then by month (or year) and by
/// queue.
pub struct FeesView {
    pub totals: Section,
    /// "Fees by month (US dollars)" or "… by year …".
    pub by_month_title: String,
    /// "Month" or "Year".
    pub span_heading: String,
    pub by_month: Vec<FeeRow>,
    pub by_queue: Vec<FeeRow>,
}

fn fees_view(language: Language, fees: &FeeFigures) -> FeesView {
    let w = |id| word(language, id);
    let t = &fees.totals;
    FeesView {
        totals: Section {
            id: "fees-totals",
            title: w("page-reports-fees-totals"),
            intro: String::new(),
            chart: String::new(),
            label_heading: w("page-reports-figure"),
            value_heading: w("page-reports-fees-amount"),
            rows: vec![
                (w("page-reports-fees-estimated"), t.estimated.dollars()),
                (w("page-reports-fees-collected"), t.collected.dollars()),
                (w("page-reports-fees-waived"), t.waived.dollars()),
                (w("page-reports-fees-refunded"), t.refunded.dollars()),
                (w("page-reports-fees-net"), t.net_collected.dollars()),
            ],
        },
        by_month_title: w(if fees.by_year {
            "page-reports-fees-by-year"
        } else {
            "page-reports-fees-by-month"
        }),
        span_heading: w(if fees.by_year {
            "page-reports-year-heading"
        } else {
            "page-reports-month-heading"
        }),
        by_month: fees
            .by_month
            .iter()
            .map(|(span, sums)| FeeRow::of(month_words(language, span), sums))
            .collect(),
        by_queue: fees
            .by_queue
            .iter()
            .map(|(queue, sums)| FeeRow::of(queue.replace('_', " "), sums))
            .collect(),
    }
}

/// An amount as the CSV writes it: plain dollars with two decimals (`1234.05`, `-3.50`), no
/// sign of the currency, no thousands separator.
fn csv_dollars(amount: Cents) -> String {
    let sign = if amount.0 < 0 { "-" } else { "" };
    let abs = amount.0.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Each fee sum under its CSV name.
fn fee_measures(s: &FeeSums) -> [(&'static str, Cents); 5] {
    [
        ("estimated", s.estimated),
        ("collected", s.collected),
        ("waived", s.waived),
        ("refunded", s.refunded),
        ("net_collected", s.net_collected),
    ]
}

/// "4 days", or "none yet" when nothing was produced.
fn days_words(language: Language, d: Option<i64>) -> String {
    match d {
        Some(d) => say(language, "page-reports-days", &[("days", Arg::Number(d))]),
        None => word(language, "page-reports-none-yet"),
    }
}

/// A number of days, or nothing when there is none.
fn optional(d: Option<i64>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// The figures as CSV rows of (figure, group, value), machine words rather than prose; the
/// complaints by department and the fees for staff only. A fee figure's name ends in `_usd`:
/// its values are US dollars with two decimals.
pub fn csv_rows(f: &Figures, staff: bool) -> Vec<[String; 3]> {
    let mut rows: Vec<[String; 3]> = Vec::new();
    let mut push = |figure: &str, group: &str, value: String| {
        rows.push([figure.into(), group.into(), value]);
    };
    push("period", "from", f.period.from.to_string());
    push("period", "to", f.period.to.to_string());
    push("received", "all", f.received.to_string());
    let volume = if f.by_year {
        "received_by_year"
    } else {
        "received_by_month"
    };
    for (m, n) in &f.by_month {
        push(volume, m, n.to_string());
    }
    for (k, n) in &f.by_kind {
        push("received_by_kind", k.as_str(), n.to_string());
    }
    for (s, n) in &f.open_by_status {
        push("open_by_status", s.as_str(), n.to_string());
    }
    let t = &f.timeliness;
    push("timeliness", "determined", t.determined.to_string());
    push("timeliness", "on_time", t.on_time.to_string());
    push("timeliness", "late", t.late.to_string());
    push(
        "timeliness",
        "on_time_share",
        share(t.on_time, t.determined),
    );
    push("timeliness", "median_days", optional(t.median_days));
    push("timeliness", "p90_days", optional(t.p90_days));
    push("timeliness", "overdue_open", t.overdue_open.to_string());
    push("extensions", "all", f.extensions.to_string());
    for (c, n) in &f.by_circumstance {
        push("extensions_by_circumstance", c.as_str(), n.to_string());
    }
    push("denials", "all", f.denials.to_string());
    push("partial_grants", "all", f.partial_grants.to_string());
    push("no_records", "all", f.no_records.to_string());
    for (c, n) in &f.by_exemption {
        push("withholdings_by_exemption", c, n.to_string());
    }
    let p = &f.production;
    push("production", "granted", p.granted.to_string());
    push("production", "produced", p.produced.to_string());
    push("production", "awaiting", p.awaiting.to_string());
    push(
        "production",
        "reopened_requests",
        p.reopened_requests.to_string(),
    );
    push("production", "reopenings", p.reopenings.to_string());
    push("production", "median_days", optional(p.median_days));
    push("production", "p90_days", optional(p.p90_days));
    let a = &f.appeals;
    for (outcome, n) in [
        ("filed", a.filed),
        ("pending", a.pending),
        ("overturned", a.overturned),
        ("upheld", a.upheld),
        ("revised", a.revised),
        ("withdrawn", a.withdrawn),
    ] {
        push("appeals", outcome, n.to_string());
    }
    for q in &f.queues {
        push("queue_received", &q.queue, q.received.to_string());
        push("queue_open", &q.queue, q.open.to_string());
        let t = &q.timeliness;
        push("queue_determined", &q.queue, t.determined.to_string());
        push("queue_on_time", &q.queue, t.on_time.to_string());
        push("queue_late", &q.queue, t.late.to_string());
        push("queue_median_days", &q.queue, optional(t.median_days));
        push("queue_p90_days", &q.queue, optional(t.p90_days));
        push("queue_overdue_open", &q.queue, t.overdue_open.to_string());
    }
    let c = &f.complaints;
    let n = &c.counts;
    push("complaints", "received", n.received.to_string());
    push("complaints", "open", n.open.to_string());
    for (outcome, count) in [
        ("resolved", n.resolved),
        ("referred", n.referred),
        ("dismissed", n.dismissed),
        ("withdrawn", n.withdrawn),
    ] {
        push("complaints_closed", outcome, count.to_string());
    }
    let t = &c.closing;
    push("complaint_timeliness", "closed", t.closed.to_string());
    push("complaint_timeliness", "on_target", t.on_target.to_string());
    push("complaint_timeliness", "late", t.late.to_string());
    push(
        "complaint_timeliness",
        "on_target_share",
        share(t.on_target, t.closed),
    );
    push(
        "complaint_timeliness",
        "median_days",
        optional(t.median_days),
    );
    push("complaint_timeliness", "p90_days", optional(t.p90_days));
    push(
        "complaint_timeliness",
        "overdue_open",
        t.overdue_open.to_string(),
    );
    if staff {
        for d in &c.departments {
            let n = &d.counts;
            for (figure, count) in [
                ("department_complaints_received", n.received),
                ("department_complaints_open", n.open),
                ("department_complaints_resolved", n.resolved),
                ("department_complaints_referred", n.referred),
                ("department_complaints_dismissed", n.dismissed),
                ("department_complaints_withdrawn", n.withdrawn),
            ] {
                push(figure, &d.name, count.to_string());
            }
        }
    }
    if let (true, Some(fees)) = (staff, &f.fees) {
        for (measure, amount) in fee_measures(&fees.totals) {
            push("fees_usd", measure, csv_dollars(amount));
        }
        let span = if fees.by_year { "by_year" } else { "by_month" };
        for (label, sums) in &fees.by_month {
            for (measure, amount) in fee_measures(sums) {
                push(
                    &format!("fees_{measure}_{span}_usd"),
                    label,
                    csv_dollars(amount),
                );
            }
        }
        for (queue, sums) in &fees.by_queue {
            for (measure, amount) in fee_measures(sums) {
                push(
                    &format!("queue_fees_{measure}_usd"),
                    queue,
                    csv_dollars(amount),
                );
            }
        }
    }
    rows
}

/// Whether `value` is a plain decimal number (`12`, `-3.50`): a spreadsheet reads it as one.
fn is_number(value: &str) -> bool {
    let digits = value.strip_prefix('-').unwrap_or(value);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// A cell a spreadsheet would take for a formula is written as text; a plain number (a
/// negative amount) stays a number.
pub(crate) fn cell(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_number(value) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

fn csv_body(f: &Figures, staff: bool) -> Result<Vec<u8>, String> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(["figure", "group", "value"])
        .map_err(|e| e.to_string())?;
    for row in csv_rows(f, staff) {
        out.write_record(row.iter().map(|v| cell(v)))
            .map_err(|e| e.to_string())?;
    }
    out.into_inner().map_err(|e| e.to_string())
}

/// The form's values and what was wrong with them.
struct Checked {
    from: String,
    to: String,
    queue: String,
    outcome: Result<(Period, Option<String>), FieldErrors>,
}

fn check(language: Language, params: ReportParams, state: &AppState) -> Checked {
    let from = params.from.unwrap_or_default().trim().to_string();
    let to = params.to.unwrap_or_default().trim().to_string();
    let queue = params.queue.unwrap_or_default().trim().to_string();
    let period = Period::parse(&from, &to, state.app.ctx().clock.today());
    let mut errors = period.as_ref().err().cloned().unwrap_or_default();
    if queue.chars().count() > QUEUE_CHARS || queue.chars().any(char::is_control) {
        errors.add(
            "queue",
            say(
                language,
                "page-reports-queue-too-long",
                &[("chars", number(QUEUE_CHARS))],
            ),
        );
    }
    let outcome = match period {
        Ok(period) if errors.0.is_empty() => {
            Ok((period, Some(queue.clone()).filter(|q| !q.is_empty())))
        }
        _ => Err(errors),
    };
    Checked {
        from,
        to,
        queue,
        outcome,
    }
}

#[derive(Template)]
#[template(path = "pages/reports.html")]
struct ReportsPage {
    layout: Layout,
    /// Where the form goes: `/staff/reports` or `/reports`.
    action: &'static str,
    staff: bool,
    from: String,
    to: String,
    queue: String,
    errors: Errors,
    summary: Vec<SummaryItem>,
    /// "Oct 5, 2026 to Dec 4, 2026".
    period: String,
    csv_url: String,
    sections: Vec<Section>,
    queues: Vec<QueueRow>,
    complaint_sections: Vec<Section>,
    /// "Complaints to City departments … { $days } calendar days after receipt …".
    complaints_intro: String,
    /// Staff only: the complaints of each department.
    departments: Vec<DepartmentRow>,
    /// Staff only: the fees.
    fees: Option<FeesView>,
}

pub struct DepartmentRow {
    pub name: String,
    pub received: usize,
    pub open: usize,
    pub resolved: usize,
    pub referred: usize,
    pub dismissed: usize,
    pub withdrawn: usize,
}

pub struct QueueRow {
    pub queue: String,
    pub received: usize,
    pub open: usize,
    pub determined: usize,
    pub on_time_share: String,
    pub median_days: String,
    pub p90_days: String,
    pub overdue_open: usize,
}

/// The report of `period`: the staff report (with the fees) for a staff member, else the
/// public one.
async fn report(
    state: &AppState,
    staff: Option<&StaffAccount>,
    period: Period,
    queue: Option<String>,
) -> Result<Figures, crate::app::AppError> {
    match staff {
        Some(staff) => state.app.staff_report(staff, period, queue).await,
        None => state.app.report(period, queue).await,
    }
}

async fn page(
    state: web::Data<AppState>,
    layout: Layout,
    viewer: Option<StaffAccount>,
    params: ReportParams,
) -> PageResult {
    let staff = viewer.is_some();
    let action = if staff { "/staff/reports" } else { "/reports" };
    let language = layout.t.0;
    let checked = check(language, params, &state);
    let mut view = ReportsPage {
        layout,
        action,
        staff,
        from: checked.from,
        to: checked.to,
        queue: checked.queue,
        errors: Errors::default(),
        summary: vec![],
        period: String::new(),
        csv_url: String::new(),
        sections: vec![],
        queues: vec![],
        complaint_sections: vec![],
        complaints_intro: String::new(),
        departments: vec![],
        fees: None,
    };
    let (period, queue) = match checked.outcome {
        Ok(ok) => ok,
        Err(errors) => {
            view.summary = summary(
                &errors,
                &[],
                &[
                    ("from", "f-from", &word(language, "page-reports-from")),
                    ("to", "f-to", &word(language, "page-reports-to")),
                    ("queue", "f-queue", &word(language, "page-reports-queue")),
                ],
            );
            view.errors = Errors(errors);
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &view));
        }
    };
    let f = report(&state, viewer.as_ref(), period, queue)
        .await
        .map_err(|e| page_error(&view.layout, e))?;
    view.from = f.period.from.to_string();
    view.to = f.period.to.to_string();
    view.period = say(
        language,
        "page-reports-period",
        &[
            ("from", Arg::Text(&date_words(language, f.period.from))),
            ("to", Arg::Text(&date_words(language, f.period.to))),
        ],
    );
    view.csv_url = format!(
        "{action}.csv?{}",
        serde_urlencoded::to_string([
            ("from", view.from.as_str()),
            ("to", view.to.as_str()),
            ("queue", view.queue.as_str()),
        ])
        .unwrap_or_default()
    );
    let policy = state.app.ctx().policy();
    view.sections = sections(language, &f, policy.determination_days);
    view.complaint_sections = complaint_sections(language, &f.complaints);
    view.complaints_intro = say(
        language,
        "page-reports-complaints-intro",
        &[("days", Arg::Number(i64::from(policy.complaint_days)))],
    );
    if staff {
        view.departments = f
            .complaints
            .departments
            .iter()
            .map(|d| DepartmentRow {
                name: d.name.clone(),
                received: d.counts.received,
                open: d.counts.open,
                resolved: d.counts.resolved,
                referred: d.counts.referred,
                dismissed: d.counts.dismissed,
                withdrawn: d.counts.withdrawn,
            })
            .collect();
        view.fees = f.fees.as_ref().map(|fees| fees_view(language, fees));
    }
    view.queues = f
        .queues
        .iter()
        .map(|q| QueueRow {
            queue: q.queue.clone(),
            received: q.received,
            open: q.open,
            determined: q.timeliness.determined,
            on_time_share: q.timeliness.on_time_share(),
            median_days: days(q.timeliness.median_days),
            p90_days: days(q.timeliness.p90_days),
            overdue_open: q.timeliness.overdue_open,
        })
        .collect();
    Ok(render(StatusCode::OK, &view))
}

async fn csv_download(
    state: web::Data<AppState>,
    params: ReportParams,
    viewer: Option<StaffAccount>,
) -> HttpResponse {
    let staff = viewer.is_some();
    // The CSV is data for machines: its words stay as they are, and a refusal is in the
    // wording's first language, there being no reader's language to take.
    let checked = check(Language::default(), params, &state);
    let (period, queue) = match checked.outcome {
        Ok(ok) => ok,
        Err(errors) => {
            let text: Vec<String> = errors
                .0
                .iter()
                .map(|(field, messages)| format!("{field}: {}", messages.join(" ")))
                .collect();
            return HttpResponse::UnprocessableEntity()
                .content_type("text/plain; charset=utf-8")
                .body(text.join("\n"));
        }
    };
    let computed = report(&state, viewer.as_ref(), period, queue).await;
    match computed
        .map_err(|e| e.to_string())
        .and_then(|f| csv_body(&f, staff))
    {
        Ok(body) => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"recordsdesk-report-{period_from}-{period_to}.csv\"",
                    period_from = period.from,
                    period_to = period.to
                ),
            ))
            .body(body),
        Err(e) => {
            log::error!("[{}] report failed: {e}", crate::web::request_id::current());
            HttpResponse::InternalServerError()
                .content_type("text/plain")
                .body("Something went wrong on our side.")
        }
    }
}

/// `GET /staff/reports`.
pub async fn staff_page(
    state: web::Data<AppState>,
    session: Session,
    params: web::Query<ReportParams>,
) -> PageResult {
    let (staff, layout) = signed_in(&state, &session).await?;
    page(state, layout, Some(staff), params.into_inner()).await
}

/// `GET /staff/reports.csv`.
pub async fn staff_csv(
    state: web::Data<AppState>,
    session: Session,
    params: web::Query<ReportParams>,
) -> PageResult {
    let (staff, _) = signed_in(&state, &session).await?;
    Ok(csv_download(state, params.into_inner(), Some(staff)).await)
}

/// `GET /reports`: the public transparency page.
pub async fn public_page(
    state: web::Data<AppState>,
    session: Session,
    params: web::Query<ReportParams>,
) -> PageResult {
    let layout = Layout::new(&state, session::csrf(&session), None);
    page(state, layout, None, params.into_inner()).await
}

/// `GET /reports.csv`.
pub async fn public_csv(
    state: web::Data<AppState>,
    params: web::Query<ReportParams>,
) -> HttpResponse {
    csv_download(state, params.into_inner(), None).await
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: Language = Language::English;

    #[test]
    fn months_and_dates_take_their_names_from_the_wording_as_chrono_wrote_them() {
        for month in 1..=12 {
            let day = chrono::NaiveDate::from_ymd_opt(2026, month, 5).unwrap();
            let period = day.format("%Y-%m").to_string();
            assert_eq!(month_words(EN, &period), day.format("%B %Y").to_string());
            assert_eq!(date_words(EN, day), day.format("%b %-d, %Y").to_string());
        }
        // A year (a long period counts by year) stays as it is.
        assert_eq!(month_words(EN, "2026"), "2026");
    }

    #[test]
    fn days_choose_their_form_and_none_is_said() {
        assert_eq!(days_words(EN, Some(1)), "1 day");
        assert_eq!(days_words(EN, Some(0)), "0 days");
        assert_eq!(days_words(EN, Some(12)), "12 days");
        assert_eq!(days_words(EN, None), "none yet");
    }

    #[test]
    fn the_csv_writes_plain_dollars_and_keeps_a_negative_amount_a_number() {
        assert_eq!(csv_dollars(Cents(1250)), "12.50");
        assert_eq!(csv_dollars(Cents(0)), "0.00");
        assert_eq!(csv_dollars(Cents(5)), "0.05");
        assert_eq!(csv_dollars(Cents(123_456_705)), "1234567.05");
        assert_eq!(csv_dollars(Cents(-350)), "-3.50");
        assert_eq!(csv_dollars(Cents(i64::MIN)), "-92233720368547758.08");
        assert_eq!(cell("-3.50"), "-3.50");
        assert_eq!(cell("-12"), "-12");
        for formula in ["-", "-1+2", "-.5", "-1.", "=SUM(A1)", "+1", "@x", "-1.2.3"] {
            assert_eq!(cell(formula), format!("'{formula}"), "{formula}");
        }
    }

    #[test]
    fn the_fees_are_in_the_staff_csv_only() {
        use crate::domain::reports::{compute, FeeFacts, FeeMeasure};
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let period = Period::parse("2026-10-01", "2026-11-26", today).unwrap();
        let mut f = compute(
            period,
            today,
            &[],
            &[],
            &[],
            &crate::domain::directory::Directory::new(vec![]),
        );
        let public = csv_rows(&f, false);
        f.fees = Some(
            crate::domain::reports::fee_figures(
                period,
                &[
                    FeeFacts {
                        span: 1,
                        queue: "city_clerk".into(),
                        measure: FeeMeasure::Collected,
                        amount: Cents(1200),
                    },
                    FeeFacts {
                        span: 1,
                        queue: "city_clerk".into(),
                        measure: FeeMeasure::Refunded,
                        amount: Cents(1250),
                    },
                ],
            )
            .unwrap(),
        );
        assert_eq!(csv_rows(&f, false), public, "never on the public CSV");
        let staff = csv_rows(&f, true);
        assert_eq!(&staff[..public.len()], &public[..]);
        let fees: Vec<[&str; 3]> = staff[public.len()..]
            .iter()
            .map(|[a, b, c]| [a.as_str(), b.as_str(), c.as_str()])
            .collect();
        for row in [
            ["fees_usd", "collected", "12.00"],
            ["fees_usd", "net_collected", "-0.50"],
            ["fees_estimated_by_month_usd", "2026-10", "0.00"],
            ["fees_collected_by_month_usd", "2026-11", "12.00"],
            ["fees_refunded_by_month_usd", "2026-11", "12.50"],
            ["queue_fees_net_collected_usd", "city_clerk", "-0.50"],
        ] {
            assert!(fees.contains(&row), "{row:?} in {fees:#?}");
        }
        // Five totals, five for each of two months, five for the one queue.
        assert_eq!(fees.len(), 20);
    }

    #[test]
    fn every_circumstance_has_its_name() {
        assert_eq!(
            circumstance_words(EN, Circumstance::Consultation),
            "Consultation with another agency or department"
        );
        assert_eq!(
            circumstance_words(EN, Circumstance::StateOfEmergency),
            "A state of emergency"
        );
    }
}
