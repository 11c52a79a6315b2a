//! The reading room's bulk export (docs/PRODUCT.md, "Reading room"): every published item
//! and its public documents' metadata, as JSON and as two CSV files (items; documents), for
//! researchers and the city's annual report. The files themselves stay behind their links.

use actix_session::Session;
use actix_web::http::header;
use actix_web::{web, HttpResponse};
use chrono::NaiveDateTime;
use serde::Serialize;

use super::layout;
use crate::app::reading_room::ItemPage;
use crate::web::pages::problem::page_error;
use crate::web::pages::reports::cell;
use crate::web::pages::{PageError, PageResult};
use crate::web::AppState;

#[derive(Debug, Serialize)]
struct Export {
    publisher: String,
    /// When the export was made (UTC, RFC 3339).
    generated_at: String,
    items: Vec<ExportItem>,
}

#[derive(Debug, Serialize)]
struct ExportItem {
    tracking_number: String,
    url: String,
    summary: String,
    department: String,
    /// "granted" or "granted_in_part".
    outcome: &'static str,
    /// Dates in the city's time zone, YYYY-MM-DD.
    received_on: String,
    decided_on: Option<String>,
    produced_on: Option<String>,
    published_on: String,
    decision: Option<String>,
    documents: Vec<ExportDocument>,
}

#[derive(Debug, Serialize)]
struct ExportDocument {
    id: i64,
    title: String,
    /// "file" or "link".
    kind: &'static str,
    media_type: Option<String>,
    size_bytes: Option<i64>,
    sha256: Option<String>,
    /// Where the file is downloaded, or the link's own address.
    url: String,
}

fn date(state: &AppState, at: NaiveDateTime) -> String {
    state.app.ctx().clock.date_of(at).to_string()
}

fn export_item(state: &AppState, page: ItemPage) -> ExportItem {
    let base = &state.app.ctx().public_url;
    let tn = page.item.tracking_number.clone();
    ExportItem {
        url: format!("{base}/reading-room/{tn}"),
        summary: page.item.summary,
        department: page.item.department,
        outcome: page.item.outcome.as_str(),
        received_on: date(state, page.item.received_at),
        decided_on: page.decided_at.map(|at| date(state, at)),
        produced_on: page.produced_at.map(|at| date(state, at)),
        published_on: date(state, page.item.published_at),
        decision: page.decision,
        documents: page
            .documents
            .into_iter()
            .map(|d| ExportDocument {
                id: d.id.0,
                kind: if d.url.is_some() { "link" } else { "file" },
                url: d
                    .url
                    .clone()
                    .unwrap_or_else(|| format!("{base}/reading-room/{tn}/documents/{}", d.id.0)),
                title: d.title,
                media_type: d.content_type,
                size_bytes: d.size_bytes,
                sha256: d.sha256,
            })
            .collect(),
        tracking_number: tn,
    }
}

async fn export(state: &AppState, session: &Session) -> Result<Export, PageError> {
    let layout = layout(state, session);
    let pages = state
        .app
        .reading_room_export()
        .await
        .map_err(|e| page_error(&layout, e))?;
    Ok(Export {
        publisher: layout.office_name.clone(),
        generated_at: state
            .app
            .ctx()
            .clock
            .now()
            .and_utc()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        items: pages.into_iter().map(|p| export_item(state, p)).collect(),
    })
}

fn attachment(content_type: &str, name: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .body(body)
}

/// `GET /reading-room/export.json`
pub async fn json(state: web::Data<AppState>, session: Session) -> PageResult {
    let export = export(&state, &session).await?;
    let body = serde_json::to_vec_pretty(&export)
        .map_err(|_| PageError::internal(layout(&state, &session)))?;
    Ok(attachment("application/json", "reading-room.json", body))
}

fn csv_of(rows: Vec<Vec<String>>) -> Result<Vec<u8>, String> {
    let mut out = csv::Writer::from_writer(Vec::new());
    for row in rows {
        out.write_record(row.iter().map(|v| cell(v)))
            .map_err(|e| e.to_string())?;
    }
    out.into_inner().map_err(|e| e.to_string())
}

fn item_rows(export: &Export) -> Vec<Vec<String>> {
    let mut rows = vec![[
        "tracking_number",
        "url",
        "summary",
        "department",
        "outcome",
        "received_on",
        "decided_on",
        "produced_on",
        "published_on",
        "decision",
        "documents",
    ]
    .map(String::from)
    .to_vec()];
    for i in &export.items {
        rows.push(vec![
            i.tracking_number.clone(),
            i.url.clone(),
            i.summary.clone(),
            i.department.clone(),
            i.outcome.to_string(),
            i.received_on.clone(),
            i.decided_on.clone().unwrap_or_default(),
            i.produced_on.clone().unwrap_or_default(),
            i.published_on.clone(),
            i.decision.clone().unwrap_or_default(),
            i.documents.len().to_string(),
        ]);
    }
    rows
}

fn document_rows(export: &Export) -> Vec<Vec<String>> {
    let mut rows = vec![[
        "tracking_number",
        "document_id",
        "title",
        "kind",
        "media_type",
        "size_bytes",
        "sha256",
        "url",
    ]
    .map(String::from)
    .to_vec()];
    for i in &export.items {
        for d in &i.documents {
            rows.push(vec![
                i.tracking_number.clone(),
                d.id.to_string(),
                d.title.clone(),
                d.kind.to_string(),
                d.media_type.clone().unwrap_or_default(),
                d.size_bytes.map(|n| n.to_string()).unwrap_or_default(),
                d.sha256.clone().unwrap_or_default(),
                d.url.clone(),
            ]);
        }
    }
    rows
}

/// `GET /reading-room/export.csv`: one row an item.
pub async fn items_csv(state: web::Data<AppState>, session: Session) -> PageResult {
    let export = export(&state, &session).await?;
    let body =
        csv_of(item_rows(&export)).map_err(|_| PageError::internal(layout(&state, &session)))?;
    Ok(attachment(
        "text/csv; charset=utf-8",
        "reading-room-items.csv",
        body,
    ))
}

/// `GET /reading-room/export-documents.csv`: one row a public document.
pub async fn documents_csv(state: web::Data<AppState>, session: Session) -> PageResult {
    let export = export(&state, &session).await?;
    let body = csv_of(document_rows(&export))
        .map_err(|_| PageError::internal(layout(&state, &session)))?;
    Ok(attachment(
        "text/csv; charset=utf-8",
        "reading-room-documents.csv",
        body,
    ))
}
