//! `GET /staff/search`: find any request by its number, its requester's name or email, or
//! words in it and its messages; `POST /staff/search/bulk`: one action on the requests ticked
//! in the results (docs/PRODUCT.md, "Search").

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;

use super::queue::{department_choices, department_words};
use super::{csrf_check, signed_in};
use crate::app::bulk::{Bulk, BulkAction, BulkOutcome, BulkResult, RawBulk, RawSelected};
use crate::app::search::{RawSearch, Search, SearchResults};
use crate::app::{AppError, StaffAccount};
use crate::domain::{FieldErrors, RequestKind, Status};
use crate::web::pages::forms::{summary, FormData, SummaryItem};
use crate::web::pages::problem::page_error;
use crate::web::pages::{kind_words, render, status_words, Layout, PageResult};
use crate::web::AppState;

/// A ticked result: `select.RR-2026-00042` with the version it was shown at as the value.
const SELECT: &str = "select.";

#[derive(Template)]
#[template(path = "pages/search.html")]
struct SearchPage {
    layout: Layout,
    form: RawForm,
    statuses: Choices,
    kinds: Choices,
    queues: Vec<(String, String)>,
    /// None before anything is searched for.
    results: Option<Results>,
    summary: Vec<SummaryItem>,
    /// Active staff to assign to: email, name.
    assignees: Vec<(String, String)>,
    /// What the bulk form held, when it was refused.
    bulk: BulkForm,
}

/// The search form's values as typed.
#[derive(Default)]
struct RawForm {
    q: String,
    status: String,
    kind: String,
    queue: String,
    received_from: String,
    received_to: String,
    /// The query string of this search, to come back to it.
    query: String,
}

#[derive(Default)]
struct BulkForm {
    action: String,
    assignee: String,
    duplicate_of: String,
    note: String,
    ticked: Vec<String>,
}

struct Results {
    found: String,
    rows: Vec<Row>,
    next_url: Option<String>,
    previous_url: Option<String>,
    /// The words looked for, as they were matched.
    words: String,
}

struct Row {
    tracking_number: String,
    version: i32,
    kind: String,
    status: String,
    department: String,
    due: String,
    received: String,
    requester_name: String,
    summary: String,
}

#[derive(Template)]
#[template(path = "pages/search_done.html")]
struct DonePage {
    layout: Layout,
    heading: String,
    rows: Vec<(String, bool, String)>,
    back: String,
}

/// Choices of a select: the value sent, the words shown.
type Choices = Vec<(&'static str, String)>;

fn choices() -> (Choices, Choices) {
    let statuses = Status::ALL
        .iter()
        .map(|s| (s.as_str(), status_words(*s)))
        .collect();
    let kinds = RequestKind::ALL
        .iter()
        .map(|k| (k.as_str(), kind_words(*k)))
        .collect();
    (statuses, kinds)
}

fn form_of(raw: &RawSearch) -> RawForm {
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let query = serde_urlencoded::to_string([
        ("q", v(&raw.q)),
        ("status", v(&raw.status)),
        ("kind", v(&raw.kind)),
        ("queue", v(&raw.queue)),
        ("received_from", v(&raw.received_from)),
        ("received_to", v(&raw.received_to)),
    ])
    .unwrap_or_default();
    RawForm {
        q: v(&raw.q),
        status: v(&raw.status),
        kind: v(&raw.kind),
        queue: v(&raw.queue),
        received_from: v(&raw.received_from),
        received_to: v(&raw.received_to),
        query,
    }
}

fn found_words(r: &SearchResults) -> String {
    match (r.total, r.more) {
        (_, true) => format!(
            "More than {} requests found. Add words or choose filters to find fewer.",
            crate::app::search::COUNT_CAP
        ),
        (0, _) => "No requests found.".to_string(),
        (1, _) => "1 request found.".to_string(),
        (n, _) => format!("{n} requests found."),
    }
}

const FIELDS: &[(&str, &str, &str)] = &[
    ("q", "f-q", "Search"),
    ("status", "f-status", "Status"),
    ("kind", "f-kind", "Kind of request"),
    ("queue", "f-queue", "Department"),
    ("received_from", "f-received-from", "Received from"),
    ("received_to", "f-received-to", "Received to"),
    ("page", "f-q", "Page"),
    ("requests", "results", "Requests"),
    ("action", "f-action", "What to do"),
    ("assignee", "f-assignee", "Assign to"),
    ("duplicate_of", "f-duplicate-of", "The original request"),
    ("note", "f-note", "Note"),
];

/// Words for what staff type, in place of the parsers' terse messages.
fn plain(errors: &mut FieldErrors) {
    let mut reword = |key: &str, words: &str| {
        if let Some(messages) = errors.0.get_mut(key) {
            *messages = vec![words.to_string()];
        }
    };
    reword("action", "Choose what to do to the selected requests");
    reword("assignee", "Choose a colleague to assign them to");
    reword("note", "Write the note to add to each request");
    reword(
        "duplicate_of",
        "Choose which of the selected requests the others repeat",
    );
    reword(
        "received_from",
        "Enter the first day as a date, like 2026-03-20",
    );
    reword(
        "received_to",
        "Enter the last day as a date, like 2026-03-20, on or after the first day",
    );
    if errors.0.keys().any(|k| k.starts_with("requests")) {
        errors.0.retain(|k, _| !k.starts_with("requests"));
        errors.add("requests", "Tick at least one request in the results");
    }
}

#[allow(clippy::too_many_arguments)]
async fn show(
    state: &AppState,
    layout: Layout,
    account: StaffAccount,
    raw: RawSearch,
    bulk: BulkForm,
    mut errors: FieldErrors,
    status: StatusCode,
) -> PageResult {
    let (statuses, kinds) = choices();
    let form = form_of(&raw);
    let asked = raw.q.is_some();
    let searched = if asked {
        match Search::try_from(&raw) {
            Ok(search) => Some(state.app.search(account, search).await),
            Err(fields) => Some(Err(AppError::Invalid(fields))),
        }
    } else {
        None
    };
    let results = match searched {
        None => None,
        Some(Ok(found)) => Some(found),
        Some(Err(AppError::Invalid(fields))) => {
            for (k, v) in fields.0 {
                errors.0.entry(k).or_default().extend(v);
            }
            None
        }
        Some(Err(e)) => return Err(page_error(&layout, e)),
    };
    let status = if errors.is_empty() {
        status
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    plain(&mut errors);
    let directory = state
        .app
        .staff_directory()
        .await
        .map_err(|e| page_error(&layout, e))?;
    let departments = state
        .app
        .directory()
        .await
        .map_err(|e| page_error(&layout, e))?;
    let queues = department_choices(&departments, &form.queue);
    let assignees = directory
        .iter()
        .filter(|s| s.role.takes_assignments())
        .map(|s| (s.email.clone(), s.name.clone()))
        .collect();
    let results = results.map(|r| {
        let page_url = |page: i64| format!("/staff/search?{}&page={page}", form.query);
        Results {
            found: found_words(&r),
            words: r.words.join(" "),
            next_url: r.next_page.map(page_url),
            previous_url: (r.page > 1).then(|| page_url(r.page - 1)),
            rows: r
                .items
                .into_iter()
                .map(|item| Row {
                    version: item.version,
                    kind: kind_words(item.kind),
                    status: status_words(item.status),
                    department: department_words(&item.queue),
                    due: item.due_on.format("%b %-d, %Y").to_string(),
                    received: crate::web::pages::local_time(state, item.received_at),
                    requester_name: item
                        .requester_name
                        .unwrap_or_else(|| crate::app::ANONYMOUS.to_string()),
                    summary: item.summary,
                    tracking_number: item.tracking_number,
                })
                .collect(),
        }
    });
    let summary = summary(&errors, &[], FIELDS);
    Ok(render(
        status,
        &SearchPage {
            layout,
            form,
            statuses,
            kinds,
            queues,
            results,
            summary,
            assignees,
            bulk,
        },
    ))
}

pub async fn page(
    state: web::Data<AppState>,
    session: Session,
    params: web::Query<RawSearch>,
) -> PageResult {
    let (account, layout) = signed_in(&state, &session).await?;
    show(
        &state,
        layout,
        account,
        params.into_inner(),
        BulkForm::default(),
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// `POST /staff/search/bulk`: the ticked results, the action, and the search to go back to.
pub async fn bulk(state: web::Data<AppState>, session: Session, data: FormData) -> PageResult {
    let (account, layout) = signed_in(&state, &session).await?;
    csrf_check(&session, &data, &layout)?;
    let back = data.get("back");
    let raw_search: RawSearch = serde_urlencoded::from_str(&back).unwrap_or_default();
    let mut ticked: Vec<(String, String)> = data
        .0
        .iter()
        .filter_map(|(k, v)| k.strip_prefix(SELECT).map(|n| (n.to_string(), v.clone())))
        .collect();
    ticked.sort();
    let form = BulkForm {
        action: data.get("action"),
        assignee: data.get("assignee"),
        duplicate_of: data.get("duplicate_of"),
        note: data.get("note"),
        ticked: ticked.iter().map(|(n, _)| n.clone()).collect(),
    };
    let raw = RawBulk {
        action: data.opt("action"),
        requests: Some(
            ticked
                .iter()
                .map(|(n, v)| RawSelected {
                    tracking_number: Some(n.clone()),
                    version: v.parse().ok(),
                })
                .collect(),
        ),
        // Only the action's own field: the others stay on the page unused.
        assignee: (form.action == "assign").then(|| form.assignee.clone()),
        duplicate_of: (form.action == "close_as_duplicate").then(|| form.duplicate_of.clone()),
        note: (form.action == "note").then(|| form.note.clone()),
    };
    let bulk = match Bulk::try_from(raw) {
        Ok(bulk) => bulk,
        Err(errors) => {
            return show(
                &state,
                layout,
                account,
                raw_search,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    let directory = state
        .app
        .staff_directory()
        .await
        .map_err(|e| page_error(&layout, e))?;
    let done_words = match &bulk.action {
        BulkAction::Assign(email) => {
            let name = directory
                .iter()
                .find(|s| s.email.eq_ignore_ascii_case(email.as_str()))
                .map_or_else(|| email.as_str().to_string(), |s| s.name.clone());
            format!("Assigned to {name}")
        }
        BulkAction::CloseAsDuplicateOf(original) => format!("Closed as a repeat of {original}"),
        BulkAction::Note(_) => "Note added".to_string(),
    };
    let outcomes = state.app.bulk(account, bulk).await;
    let done = outcomes
        .iter()
        .filter(|o| matches!(o.result, BulkResult::Done { .. }))
        .count();
    let refused = outcomes
        .iter()
        .filter(|o| matches!(o.result, BulkResult::Refused(_)))
        .count();
    let requests = |n: usize| match n {
        1 => "1 request".to_string(),
        n => format!("{n} requests"),
    };
    let heading = match (done, refused) {
        (0, _) => "Nothing was changed".to_string(),
        (_, 0) => format!("{} changed", requests(done)),
        _ => format!("{} changed, {refused} not changed", requests(done)),
    };
    let rows = outcomes
        .into_iter()
        .map(|o: BulkOutcome| {
            let (ok, words) = match o.result {
                BulkResult::Done { .. } => (true, done_words.clone()),
                BulkResult::Original => (
                    true,
                    "Left as it was: the others are closed as repeats of it".to_string(),
                ),
                BulkResult::Refused(e) => (false, refusal_words(&e)),
            };
            (o.tracking_number, ok, words)
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &DonePage {
            layout,
            heading,
            rows,
            back: format!("/staff/search?{back}"),
        },
    ))
}

/// Why one request was not changed, in words a clerk acts on.
fn refusal_words(e: &AppError) -> String {
    match e {
        AppError::Stale { .. } => {
            "Someone changed it after you searched. Open it to see what changed.".into()
        }
        AppError::NotFound => "You cannot see this request.".into(),
        AppError::Invalid(fields) => {
            let said: Vec<String> = fields.0.values().flatten().cloned().collect();
            capitalized(&said.join("; "))
        }
        other => capitalized(&other.to_string()),
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect::<String>() + ".",
        None => String::new(),
    }
}
