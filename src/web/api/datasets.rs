//! The public catalog.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::fields;
use super::wire::{CatalogPageView, DatasetView};
use crate::app::AppError;
use crate::catalog::view::CatalogQuery;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;

/// The catalog search as a query string carries it.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CatalogParams {
    #[param(schema_with = fields::search_words)]
    pub q: Option<String>,
    #[param(schema_with = fields::access_level_filter)]
    pub access_level: Option<String>,
    #[param(schema_with = fields::page_number)]
    pub page: Option<String>,
}

/// Search the catalog: current datasets by title, 20 a page.
#[utoipa::path(
    get, path = "/api/v1/datasets", tag = "catalog", operation_id = "search_datasets", params(CatalogParams),
    responses((status = 200, description = "One page of matching datasets", body = CatalogPageView),
              (status = 422, description = "A search that is not valid", body = ErrorBody))
)]
pub async fn search(
    state: web::Data<AppState>,
    query: web::Query<CatalogParams>,
) -> Result<HttpResponse, ApiError> {
    let CatalogParams {
        q,
        access_level,
        page,
    } = query.into_inner();
    let found = state
        .app
        .datasets(CatalogQuery {
            q,
            access_level,
            page,
        })
        .await?;
    Ok(HttpResponse::Ok().json(CatalogPageView::from(found)))
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
    match state.app.dataset(path.into_inner()).await {
        Ok(dataset) => Ok(HttpResponse::Ok().json(DatasetView::from(dataset))),
        Err(AppError::NotFound) => Err(ApiError::not_found("no dataset with this identifier")),
        Err(e) => Err(e.into()),
    }
}
