//! Health and the API's own description.

use actix_web::{web, HttpResponse};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use super::ApiDoc;
use crate::web::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    #[schema(schema_with = super::fields::health_status)]
    pub status: String,
    #[schema(schema_with = super::fields::database_health)]
    pub database: String,
}

/// Up, and the database answers.
#[utoipa::path(get, path = "/healthz", tag = "meta", operation_id = "health", responses(
    (status = 200, description = "Up", body = Health),
    (status = 503, description = "Up, but the database does not answer", body = Health)
))]
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    match state.app.database_answers().await {
        true => HttpResponse::Ok().json(Health {
            status: "ok".into(),
            database: "ok".into(),
        }),
        false => HttpResponse::ServiceUnavailable().json(Health {
            status: "degraded".into(),
            database: "unreachable".into(),
        }),
    }
}

/// The OpenAPI 3 description of this API, generated from the code.
#[utoipa::path(get, path = "/openapi.json", tag = "meta", operation_id = "openapi_document", responses((status = 200, description = "OpenAPI document", content_type = "application/json", body = Object)))]
pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
