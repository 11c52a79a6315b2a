//! Health and the API's own description.

use actix_web::{web, HttpResponse};
use diesel::connection::SimpleConnection;
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::web::error::ApiError;
use crate::web::openapi::ApiDoc;
use crate::web::AppState;
use crate::workflow::WorkflowError;

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
    let probe: Result<(), ApiError> = state
        .read(|conn, _| conn.batch_execute("SELECT 1").map_err(WorkflowError::from))
        .await;
    match probe {
        Ok(()) => HttpResponse::Ok().json(Health {
            status: "ok".into(),
            database: "ok".into(),
        }),
        Err(_) => HttpResponse::ServiceUnavailable().json(Health {
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
