//! The reports (issue 8): `/staff/reports` for staff and `/reports`, the city's transparency
//! page, with the same aggregate figures, each chart beside a table of its numbers, and the
//! same figures as CSV. Nothing here names a person or quotes a request: the figures are
//! counts and days, queue names and legal-basis citations.

use actix_session::Session;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::charts;
use super::forms::{summary, Errors, SummaryItem};
use super::problem::page_error;
use super::staff::signed_in;
use super::{kind_words, render, session, status_words, Layout, PageResult};
use crate::domain::reports::{share, Figures, Period, Timeliness};
use crate::domain::{Circumstance, FieldErrors};
use crate::web::AppState;

/// The longest queue name the filter accepts.
const QUEUE_CHARS: usize = 100;

/// The report form, as typed: dates as YYYY-MM-DD, blank for the default period.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReportParams {
    pub from: Option<String>,
    pub to: Option<String>,
    pub queue: Option<String>,
}

/// One figure: a chart (maybe none) and the table of its numbers.
pub struct Section {
    pub id: &'static str,
    pub title: String,
    pub intro: String,
    pub chart: String,
    pub label_heading: &'static str,
    pub value_heading: &'static str,
    pub rows: Vec<(String, String)>,
}

fn section(
    id: &'static str,
    title: &str,
    intro: String,
    label_heading: &'static str,
    value_heading: &'static str,
    counts: Vec<(String, usize)>,
) -> Section {
    Section {
        id,
        title: title.into(),
        intro,
        chart: charts::bars(title, &counts),
        label_heading,
        value_heading,
        rows: counts
            .into_iter()
            .map(|(l, n)| (l, n.to_string()))
            .collect(),
    }
}

/// "2026-11" as "November 2026"; a year, or anything else, as it is.
fn month_words(period: &str) -> String {
    chrono::NaiveDate::parse_from_str(&format!("{period}-01"), "%Y-%m-%d")
        .map(|d| d.format("%B %Y").to_string())
        .unwrap_or_else(|_| period.to_string())
}

fn days(d: Option<i64>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
}

fn circumstance_words(circumstance: Circumstance) -> String {
    match circumstance {
        Circumstance::FieldFacilities => "Records in field facilities".into(),
        Circumstance::VoluminousRecords => "Voluminous records".into(),
        Circumstance::Consultation => "Consultation with another agency or department".into(),
        Circumstance::DataCompilation => "Compiling data or writing a program".into(),
        Circumstance::StateOfEmergency => "A state of emergency".into(),
    }
}

fn timeliness_rows(t: &Timeliness) -> Vec<(String, String)> {
    vec![
        ("Determined".into(), t.determined.to_string()),
        ("On time".into(), t.on_time.to_string()),
        ("Late".into(), t.late.to_string()),
        ("Share on time".into(), t.on_time_share()),
        ("Median days to determination".into(), days(t.median_days)),
        ("90th percentile, days".into(), days(t.p90_days)),
        ("Open and past due today".into(), t.overdue_open.to_string()),
    ]
}

/// The figures as the page shows them, section by section.
fn sections(f: &Figures, determination_days: u32) -> Vec<Section> {
    let t = &f.timeliness;
    let a = &f.appeals;
    vec![
        section(
            "by-month",
            if f.by_year { "Requests received by year" } else { "Requests received by month" },
            format!("Requests received in the period: {}.", f.received),
            if f.by_year { "Year" } else { "Month" },
            "Requests",
            f.by_month
                .iter()
                .map(|(period, n)| (month_words(period), *n))
                .collect(),
        ),
        section(
            "by-kind",
            "Requests received by kind",
            String::new(),
            "Kind",
            "Requests",
            f.by_kind.iter().map(|(k, n)| (kind_words(*k).to_string(), *n)).collect(),
        ),
        section(
            "open",
            "Still open, by status",
            "Requests received in the period that are still open today.".into(),
            "Status",
            "Requests",
            f.open_by_status.iter().map(|(s, n)| (status_words(*s).to_string(), *n)).collect(),
        ),
        Section {
            rows: timeliness_rows(t),
            ..section(
                "on-time",
                "Determinations on time",
                format!(
                    "On time means the first determination was made on or before the due date: {} calendar days after receipt (moved to the next business day), or the extended date. Days to determination count calendar days from the day a request was received to the day it was determined; percentiles are nearest-rank. Not yet determined and already past due today: {}.",
                    determination_days, t.overdue_open
                ),
                "Figure",
                "Value",
                // Decided requests only: the open ones past due are another kind of count,
                // said in the text and the table, not a third bar beside these.
                vec![("On time".into(), t.on_time), ("Late".into(), t.late)],
            )
        },
        section(
            "extensions",
            "Extensions by statutory reason",
            format!("Deadlines extended: {}.", f.extensions),
            "Reason",
            "Extensions",
            f.by_circumstance.iter().map(|&(c, n)| (circumstance_words(c), n)).collect(),
        ),
        section(
            "withholdings",
            "Records withheld, by exemption",
            format!(
                "At the first determination: {} denied, {} granted in part, {} answered that the City holds no responsive records. A determination citing several exemptions counts once under each.",
                f.denials, f.partial_grants, f.no_records
            ),
            "Exemption",
            "Determinations",
            f.by_exemption.clone(),
        ),
        section(
            "production",
            "Records produced after a grant",
            format!(
                "Grants: {}. Days from the grant to the records being produced (released, delivered or inspected): median {}, 90th percentile {}.",
                f.production.granted,
                days_words(f.production.median_days),
                days_words(f.production.p90_days)
            ),
            "Figure",
            "Requests",
            vec![
                ("Produced".into(), f.production.produced),
                ("Awaiting production".into(), f.production.awaiting),
                ("Reopened: the records were incomplete".into(), f.production.reopened_requests),
            ],
        ),
        section(
            "appeals",
            "Appeals and their outcomes",
            format!("Decisions appealed: {}.", a.filed),
            "Outcome",
            "Appeals",
            vec![
                ("Pending".into(), a.pending),
                ("Overturned: more released".into(), a.overturned),
                ("Upheld".into(), a.upheld),
                ("Changed without more released".into(), a.revised),
                ("Withdrawn after appeal".into(), a.withdrawn),
            ],
        ),
    ]
}

/// "4 days", or "none yet" when nothing was produced.
fn days_words(d: Option<i64>) -> String {
    match d {
        Some(1) => "1 day".into(),
        Some(d) => format!("{d} days"),
        None => "none yet".into(),
    }
}

/// A number of days, or nothing when there is none.
fn optional(d: Option<i64>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// The figures as CSV rows of (figure, group, value), machine words rather than prose.
pub fn csv_rows(f: &Figures) -> Vec<[String; 3]> {
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
    rows
}

/// A cell a spreadsheet would take for a formula is written as text.
fn cell(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

fn csv_body(f: &Figures) -> Result<Vec<u8>, String> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(["figure", "group", "value"])
        .map_err(|e| e.to_string())?;
    for row in csv_rows(f) {
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

fn check(params: ReportParams, state: &AppState) -> Checked {
    let from = params.from.unwrap_or_default().trim().to_string();
    let to = params.to.unwrap_or_default().trim().to_string();
    let queue = params.queue.unwrap_or_default().trim().to_string();
    let period = Period::parse(&from, &to, state.app.ctx().clock.today());
    let mut errors = period.as_ref().err().cloned().unwrap_or_default();
    if queue.chars().count() > QUEUE_CHARS || queue.chars().any(char::is_control) {
        errors.add(
            "queue",
            format!("A queue name is at most {QUEUE_CHARS} characters of text."),
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
    period: String,
    csv_url: String,
    sections: Vec<Section>,
    queues: Vec<QueueRow>,
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

async fn page(
    state: web::Data<AppState>,
    layout: Layout,
    staff: bool,
    params: ReportParams,
) -> PageResult {
    let action = if staff { "/staff/reports" } else { "/reports" };
    let checked = check(params, &state);
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
    };
    let (period, queue) = match checked.outcome {
        Ok(ok) => ok,
        Err(errors) => {
            view.summary = summary(
                &errors,
                &[],
                &[
                    ("from", "f-from", "From"),
                    ("to", "f-to", "To"),
                    ("queue", "f-queue", "Queue"),
                ],
            );
            view.errors = Errors(errors);
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &view));
        }
    };
    let f = state
        .app
        .report(period, queue)
        .await
        .map_err(|e| page_error(&view.layout, e))?;
    view.from = f.period.from.to_string();
    view.to = f.period.to.to_string();
    view.period = format!(
        "{} to {}",
        f.period.from.format("%b %-d, %Y"),
        f.period.to.format("%b %-d, %Y")
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
    view.sections = sections(&f, state.app.ctx().policy.determination_days);
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

async fn csv_download(state: web::Data<AppState>, params: ReportParams) -> HttpResponse {
    let checked = check(params, &state);
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
    let computed = state.app.report(period, queue).await;
    match computed
        .map_err(|e| e.to_string())
        .and_then(|f| csv_body(&f))
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
    let (_, layout) = signed_in(&state, &session).await?;
    page(state, layout, true, params.into_inner()).await
}

/// `GET /staff/reports.csv`.
pub async fn staff_csv(
    state: web::Data<AppState>,
    session: Session,
    params: web::Query<ReportParams>,
) -> PageResult {
    signed_in(&state, &session).await?;
    Ok(csv_download(state, params.into_inner()).await)
}

/// `GET /reports`: the public transparency page.
pub async fn public_page(
    state: web::Data<AppState>,
    session: Session,
    params: web::Query<ReportParams>,
) -> PageResult {
    let layout = Layout::new(&state, session::csrf(&session), None);
    page(state, layout, false, params.into_inner()).await
}

/// `GET /reports.csv`.
pub async fn public_csv(
    state: web::Data<AppState>,
    params: web::Query<ReportParams>,
) -> HttpResponse {
    csv_download(state, params.into_inner()).await
}
