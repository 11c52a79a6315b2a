//! Notices that could not be delivered: staff see them and send them again.

use actix_web::{web, HttpRequest, HttpResponse};

use crate::web::auth;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;
use crate::workflow::failed_notices::{self, FailedNotice, FailedNotices};

/// Dead-lettered notices, newest first.
#[utoipa::path(
    get, path = "/api/v1/notices/failed", tag = "staff", security(("bearer" = [])),
    responses((status = 200, body = FailedNotices), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
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
    post, path = "/api/v1/notices/{id}/retry", tag = "staff", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = FailedNotice), (status = 403, body = ErrorBody), (status = 404, description = "No such dead-lettered notice", body = ErrorBody))
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
