//! `GET /staff/requests/{tracking_number}/export.json`: the whole case file to keep: the
//! request as staff see it, its audit chain, its notices.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use serde_json::json;

use super::signed_in_on;
use crate::app::Caller;
use crate::notify::outbox::NoticeRecord;
use crate::web::api::wire::{AuditEventView, CaseView};
use crate::web::pages::problem::page_error;
use crate::web::pages::{instant, PageResult};
use crate::web::AppState;

fn notice(record: NoticeRecord) -> serde_json::Value {
    json!({
        "id": record.id,
        "notice": record.notice,
        "to": record.to,
        "status": record.status.as_str(),
        "attempts": record.attempts,
        "message_id": record.message_id,
        "last_error": record.last_error,
        "queued_at": instant(record.queued_at),
        "sent_at": record.sent_at.map(instant),
        "subject": record.message.subject,
        "text": record.message.text,
    })
}

pub async fn file(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
) -> PageResult {
    let (account, layout, tn) = signed_in_on(&state, &session, &path).await?;
    let file = state
        .app
        .case_file(Caller::Staff(account), tn.clone())
        .await
        .map_err(|e| page_error(&layout, e))?;
    let body = json!({
        "request": CaseView::from(file.case),
        "audit": file.audit.into_iter().map(AuditEventView::from).collect::<Vec<_>>(),
        "notices": file.notices.into_iter().map(notice).collect::<Vec<_>>(),
    });
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{tn}.json\""),
        ))
        .body(serde_json::to_string_pretty(&body).expect("a case file always serialises")))
}
