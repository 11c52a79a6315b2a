//! The catalog pages: search the datasets, read one, and ask for access; the catalog as
//! `data.json`.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;

use super::forms::{summary, SummaryItem};
use super::problem::page_error;
use super::{render, session, Layout, PageError, PageResult};
use crate::app::AppError;
use crate::catalog::view::{CatalogPage, CatalogQuery, Dataset};
use crate::web::AppState;

fn layout(state: &AppState, session: &Session) -> Layout {
    Layout::new(state, session::csrf(session), None)
}

#[derive(Template)]
#[template(path = "pages/datasets.html")]
struct Datasets {
    layout: Layout,
    q: String,
    access_level: String,
    page: CatalogPage,
    items: Vec<(Dataset, String)>,
    prev_url: Option<String>,
    next_url: Option<String>,
    summary: Vec<SummaryItem>,
}

fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(240).collect();
    if text.chars().count() > 240 {
        out.push('…');
    }
    out
}

fn page_url(q: &str, access_level: &str, page: i64) -> String {
    let query = serde_urlencoded::to_string([
        ("q", q),
        ("access_level", access_level),
        ("page", &page.to_string()),
    ])
    .unwrap_or_default();
    format!("/datasets?{query}")
}

pub async fn list(
    state: web::Data<AppState>,
    session: Session,
    query: web::Query<CatalogQuery>,
) -> PageResult {
    let layout = layout(&state, &session);
    let query = query.into_inner();
    let (q, access_level) = (
        query.q.clone().unwrap_or_default(),
        query.access_level.clone().unwrap_or_default(),
    );
    let (page, summary, status) = match state.app.datasets(query).await {
        Ok(page) => (page, vec![], StatusCode::OK),
        Err(AppError::Invalid(errors)) => {
            let summary = summary(
                &errors,
                &[],
                &[
                    ("q", "f-q", "Search"),
                    ("access_level", "f-access_level", "Access"),
                ],
            );
            (
                CatalogPage {
                    items: vec![],
                    total: 0,
                    page: 1,
                    pages: 0,
                },
                summary,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => return Err(page_error(&layout, e)),
    };
    let prev_url = (page.page > 1).then(|| page_url(&q, &access_level, page.page - 1));
    let next_url = (page.page < page.pages).then(|| page_url(&q, &access_level, page.page + 1));
    let items = page
        .items
        .iter()
        .map(|d| (d.clone(), excerpt(&d.description)))
        .collect();
    Ok(render(
        status,
        &Datasets {
            layout,
            q,
            access_level,
            page,
            items,
            prev_url,
            next_url,
            summary,
        },
    ))
}

#[derive(Template)]
#[template(path = "pages/dataset.html")]
struct DatasetPage {
    layout: Layout,
    d: Dataset,
}

pub async fn show(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
) -> PageResult {
    let layout = layout(&state, &session);
    match state.app.dataset_with_handler(path.into_inner()).await {
        Ok(d) => Ok(render(StatusCode::OK, &DatasetPage { layout, d })),
        Err(AppError::NotFound) => Err(PageError::not_found(layout)),
        Err(e) => Err(page_error(&layout, e)),
    }
}

/// `/data.json`: the catalog as DCAT-US 1.1, for portal tooling to harvest (docs/PRODUCT.md,
/// "The catalog as data.json").
pub async fn data_json(state: web::Data<AppState>, session: Session) -> PageResult {
    match state.app.data_json().await {
        Ok(catalog) => Ok(actix_web::HttpResponse::Ok()
            .content_type("application/json")
            .body(catalog.to_string())),
        Err(e) => Err(page_error(&layout(&state, &session), e)),
    }
}
