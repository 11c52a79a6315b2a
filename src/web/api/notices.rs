//! Notices that could not be delivered: staff see them and send them again.

use actix_web::{web, HttpRequest, HttpResponse};

use crate::web::auth;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;
use crate::workflow::failed_notices::{self, FailedNotice, FailedNotices};

/// Dead-lettered notices, newest first.
#[utoipa::path(
    get, path = "/api/v1/notices/failed", tag = "staff", operation_id = "list_failed_notices", security(("staff" = [])),
    responses((status = 200, description = "Dead-lettered notices", body = FailedNotices),
              (status = 403, description = "Not staff", body = ErrorBody))
)]
pub async fn failed(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let staff = auth::staff_only(&state, &req).await?;
    let list = state
        .read(move |conn, _| failed_notices::list(conn, &staff))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// Queue a dead-lettered notice for a fresh round of attempts (same Message-ID).
#[utoipa::path(
    post, path = "/api/v1/notices/{id}/retry", tag = "staff", operation_id = "retry_notice", params(("id" = i64, Path)), security(("staff" = [])),
    responses((status = 200, description = "Queued again", body = FailedNotice),
              (status = 403, description = "Not the Clerk's office or an admin", body = ErrorBody),
              (status = 404, description = "No such dead-lettered notice", body = ErrorBody))
)]
pub async fn retry(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id: i64 = path
        .parse()
        .map_err(|_| ApiError::not_found("no such notice"))?;
    let staff = auth::staff_only(&state, &req).await?;
    let notice = state
        .write(move |conn, _| failed_notices::retry(conn, &staff, id))
        .await?;
    Ok(HttpResponse::Ok().json(notice))
}
