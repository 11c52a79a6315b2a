//! `GET /staff/queue`: open requests sorted by due date, with filters and counts. Everything
//! is shown in words: queues as departments, states as the pages say them, staff by name, a
//! kind column and how many days a request is overdue.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;

use super::signed_in;
use crate::app::queue::{QueueFilter, QueuePage, RawQueueFilter};
use crate::app::AppError;
use crate::domain::{Role, Status};
use crate::web::pages::forms::{summary, SummaryItem};
use crate::web::pages::problem::page_error;
use crate::web::pages::{kind_words, render, status_words, Layout, PageResult};
use crate::web::AppState;

#[derive(Default)]
pub struct QueueFilters {
    pub queue: String,
    pub status: String,
    pub assignee: String,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "pages/queue.html")]
struct QueuePageView {
    layout: Layout,
    filters: QueueFilters,
    /// Status filter choices: value, words.
    statuses: Vec<(&'static str, String)>,
    /// Queue filter choices: value, department name.
    queues: Vec<(String, String)>,
    counts: Vec<CountLink>,
    rows: Vec<Row>,
    next_url: Option<String>,
    summary: Vec<SummaryItem>,
    /// No filter is set: an empty list means nothing is waiting at all.
    unfiltered: bool,
    /// A reviewer's first view: the appeals waiting for a reviewer.
    reviewer_landing: bool,
    clear_href: &'static str,
}

/// One count of open requests by status, a link that filters the queue to them.
struct CountLink {
    words: String,
    count: String,
    href: String,
    current: bool,
}

/// One request, as the table shows it.
struct Row {
    tracking_number: String,
    kind: String,
    status: String,
    department: String,
    due: String,
    overdue_by: Option<i64>,
    due_soon: bool,
    /// Staff asked the requester something and wait for their answer.
    awaiting: bool,
    requester_name: String,
    assignee: String,
    summary: String,
}

/// A queue's name as a department: `city_clerk` is "City clerk".
pub fn department_words(queue: &str) -> String {
    let words = queue.replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => words,
    }
}

/// The departments a list can be narrowed to: every department of the directory (the queues
/// routing files requests under), and the one asked for; value (the queue) and name.
pub fn department_choices(
    departments: &crate::domain::directory::Directory,
    current: &str,
) -> Vec<(String, String)> {
    let mut choices: Vec<(String, String)> = departments
        .departments()
        .iter()
        .map(|d| (d.queue.clone(), d.name.clone()))
        .collect();
    if !current.is_empty() && !choices.iter().any(|(q, _)| q == current) {
        choices.push((current.to_string(), department_words(current)));
    }
    choices
}

pub async fn page(
    state: web::Data<AppState>,
    session: Session,
    params: web::Query<RawQueueFilter>,
) -> PageResult {
    let (account, layout) = signed_in(&state, &session).await?;
    let mut params = params.into_inner();
    // A reviewer's work is appeals: the bare queue opens on those waiting for a reviewer.
    // Any filter chosen, even "All open", shows what it asks for.
    let reviewer_landing = account.role == Role::Reviewer
        && params.queue.is_none()
        && params.status.is_none()
        && params.assignee.is_none()
        && params.overdue.is_none()
        && params.cursor.is_none();
    if reviewer_landing {
        params.status = Some(Status::Appealed.as_str().to_string());
    }
    // Where "Clear the filters" leads: every open request (for a reviewer, not the landing).
    let clear_href = match account.role {
        Role::Reviewer => "/staff/queue?status=",
        _ => "/staff/queue",
    };
    let filters = QueueFilters {
        queue: params.queue.clone().unwrap_or_default(),
        status: params.status.clone().unwrap_or_default(),
        assignee: params.assignee.clone().unwrap_or_default(),
        overdue: params.overdue.as_deref() == Some("true"),
    };
    let listed = match QueueFilter::try_from(&params) {
        Ok(filter) => state.app.queue_with_counts(account, filter).await,
        Err(fields) => Err(AppError::Invalid(fields)),
    };
    let statuses = Status::ALL
        .iter()
        .map(|s| (s.as_str(), status_words(*s)))
        .collect();
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
    let queues = department_choices(&departments, &filters.queue);
    let (page, counts, summary, status) = match listed {
        Ok((page, counts)) => (page, counts, vec![], StatusCode::OK),
        Err(AppError::Invalid(errors)) => {
            let summary = summary(
                &errors,
                &[],
                &[
                    ("status", "f-status", "Status"),
                    ("assignee", "f-assignee", "Assignee"),
                    ("queue", "f-queue", "Queue"),
                ],
            );
            (
                QueuePage {
                    items: vec![],
                    next_cursor: None,
                },
                vec![],
                summary,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => return Err(page_error(&layout, e)),
    };
    let today = state.app.ctx().clock.today();
    let name_of = |email: &str| {
        directory
            .iter()
            .find(|s| s.email.eq_ignore_ascii_case(email))
            .map(|s| s.name.clone())
            .unwrap_or_else(|| email.to_string())
    };
    let rows = page
        .items
        .iter()
        .map(|item| Row {
            tracking_number: item.tracking_number.clone(),
            kind: kind_words(item.kind),
            status: status_words(item.status),
            department: department_words(&item.queue),
            due: item.due_on.format("%b %-d, %Y").to_string(),
            overdue_by: item
                .overdue
                .then(|| (today - item.due_on).num_days().max(1)),
            due_soon: item.due_soon,
            awaiting: item.awaiting_requester,
            requester_name: item
                .requester_name
                .clone()
                .unwrap_or_else(|| crate::app::ANONYMOUS.to_string()),
            assignee: item.assignee.as_deref().map(name_of).unwrap_or_default(),
            summary: item.summary.clone(),
        })
        .collect();
    let counts = counts
        .iter()
        .map(|c| CountLink {
            words: status_words(c.status),
            count: format!("{}{}", c.count, if c.more { "+" } else { "" }),
            href: format!("/staff/queue?status={}", c.status.as_str()),
            current: filters.status == c.status.as_str(),
        })
        .collect();
    let unfiltered = filters.queue.is_empty()
        && filters.status.is_empty()
        && filters.assignee.is_empty()
        && !filters.overdue;
    let next_url = page.next_cursor.as_ref().map(|cursor| {
        let query = serde_urlencoded::to_string([
            ("queue", filters.queue.as_str()),
            ("status", filters.status.as_str()),
            ("assignee", filters.assignee.as_str()),
            ("overdue", if filters.overdue { "true" } else { "" }),
            ("cursor", cursor.as_str()),
        ])
        .unwrap_or_default();
        format!("/staff/queue?{query}")
    });
    Ok(render(
        status,
        &QueuePageView {
            layout,
            filters,
            statuses,
            queues,
            counts,
            rows,
            reviewer_landing,
            clear_href,
            next_url,
            summary,
            unfiltered,
        },
    ))
}
