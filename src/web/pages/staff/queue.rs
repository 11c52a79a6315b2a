//! `GET /staff/queue`: open requests sorted by due date, with filters and counts.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;

use super::signed_in;
use crate::app::queue::{QueueFilter, QueuePage, RawQueueFilter, StatusCount};
use crate::app::AppError;
use crate::domain::Status;
use crate::web::pages::forms::{summary, SummaryItem};
use crate::web::pages::problem::page_error;
use crate::web::pages::{render, Layout, PageResult};
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
    statuses: Vec<&'static str>,
    counts: Vec<StatusCount>,
    page: QueuePage,
    next_url: Option<String>,
    summary: Vec<SummaryItem>,
}

pub async fn page(
    state: web::Data<AppState>,
    session: Session,
    params: web::Query<RawQueueFilter>,
) -> PageResult {
    let (account, layout) = signed_in(&state, &session).await?;
    let params = params.into_inner();
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
    let statuses = Status::ALL.iter().map(|s| s.as_str()).collect();
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
            counts,
            page,
            next_url,
            summary,
        },
    ))
}
