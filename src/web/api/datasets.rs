//! The public catalog.

use actix_web::{web, HttpResponse};

use crate::catalog::view::{self, CatalogPage, CatalogQuery, DatasetView};
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;

/// Search the catalog: current datasets by title, 20 a page.
#[utoipa::path(
    get, path = "/api/v1/datasets", tag = "catalog", operation_id = "search_datasets", params(CatalogQuery),
    responses((status = 200, description = "One page of matching datasets", body = CatalogPage),
              (status = 422, description = "A search that is not valid", body = ErrorBody))
)]
pub async fn search(
    state: web::Data<AppState>,
    query: web::Query<CatalogQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let page = state
        .read(move |conn, _| view::search(conn, &query))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One dataset's catalog entry.
#[utoipa::path(
    get, path = "/api/v1/datasets/{id}", tag = "catalog", operation_id = "get_dataset", params(("id" = String, Path, min_length = 1, max_length = 200,
            description = "The dataset's identifier in the catalog (often a URL)")),
    responses((status = 200, description = "The dataset", body = DatasetView),
              (status = 404, description = "No dataset with this identifier", body = ErrorBody))
)]
pub async fn get(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    match state.read(move |conn, _| view::get(conn, &id)).await {
        Ok(dataset) => Ok(HttpResponse::Ok().json(dataset)),
        Err(e) if e.status == actix_web::http::StatusCode::NOT_FOUND => {
            Err(ApiError::not_found("no dataset with this identifier"))
        }
        Err(e) => Err(e),
    }
}
