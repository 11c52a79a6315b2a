//! The public catalog (a minimal read of one dataset until the catalog import lands).

use actix_web::{web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::datasets;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DatasetView {
    pub id: String,
    pub title: String,
    pub access_level: String,
    pub department: Option<String>,
    pub withdrawn: bool,
}

/// One dataset's catalog entry.
#[utoipa::path(
    get, path = "/api/v1/datasets/{id}", tag = "catalog", params(("id" = String, Path)),
    responses((status = 200, body = DatasetView), (status = 404, body = ErrorBody))
)]
pub async fn get(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    if id.chars().any(char::is_control) || id.len() > crate::domain::input::limits::DATASET_ID {
        return Err(ApiError::not_found("no dataset with this identifier"));
    }
    let found = state
        .read(move |conn, _| Ok(datasets::by_id(conn, &id)?))
        .await?;
    let dataset = found.ok_or_else(|| ApiError::not_found("no dataset with this identifier"))?;
    Ok(HttpResponse::Ok().json(DatasetView {
        id: dataset.id,
        title: dataset.title,
        access_level: dataset.access_level,
        department: dataset.department,
        withdrawn: dataset.withdrawn != 0,
    }))
}
