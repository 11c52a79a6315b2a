//! Notices that could not be delivered: staff see them and send them again.

use actix_web::{web, HttpRequest, HttpResponse};

use super::wire::{FailedNoticeView, FailedNoticesView};
use crate::domain::ids::OutboxId;
use crate::web::auth;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;

/// Dead-lettered notices, newest first.
#[utoipa::path(
    get, path = "/api/v1/notices/failed", tag = "staff", operation_id = "list_failed_notices", security(("staff" = [])),
    responses((status = 200, description = "Dead-lettered notices", body = FailedNoticesView),
              (status = 403, description = "Not staff", body = ErrorBody))
)]
pub async fn failed(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let staff = auth::staff_only(&state, &req).await?;
    let list = state.app.failed_notices(staff).await?;
    Ok(HttpResponse::Ok().json(FailedNoticesView::from(list)))
}

/// Queue a dead-lettered notice for a fresh round of attempts (same Message-ID).
#[utoipa::path(
    post, path = "/api/v1/notices/{id}/retry", tag = "staff", operation_id = "retry_notice", params(("id" = i64, Path)), security(("staff" = [])),
    responses((status = 200, description = "Queued again", body = FailedNoticeView),
              (status = 403, description = "Not the Clerk's office or an admin", body = ErrorBody),
              (status = 404, description = "No such notice", body = ErrorBody),
              (status = 409, description = "The notice is not dead-lettered: it is queued, being sent or sent", body = ErrorBody))
)]
pub async fn retry(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path
        .parse()
        .map(OutboxId)
        .map_err(|_| ApiError::not_found("no such notice"))?;
    let staff = auth::staff_only(&state, &req).await?;
    let notice = state.app.retry_notice(staff, id).await?;
    Ok(HttpResponse::Ok().json(FailedNoticeView::from(notice)))
}
