//! API keys: the requester claims one, staff revoke it, the city's API gateway verifies it; a
//! lost key is replaced (the requester asks, staff give a new one, the requester claims it).

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::fields;
use super::requests::tracking_number;
use super::wire::{CaseView, ClaimedKeyView, KeyCheckView};
use crate::app::Caller;
use crate::web::auth;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;

/// The requester claims the API key granted with their request: shown once, then 410.
#[utoipa::path(
    post, path = "/api/v1/requests/{tracking_number}/api-key", tag = "keys", operation_id = "claim_api_key",
    params(("tracking_number" = String, Path)), security(("requester" = []), ("staff" = [])),
    responses((status = 200, description = "The key, shown this once", body = ClaimedKeyView),
              (status = 403, description = "Only the requester claims the key", body = ErrorBody),
              (status = 409, description = "No key was granted", body = ErrorBody),
              (status = 410, description = "Already claimed, revoked or expired", body = ErrorBody))
)]
pub async fn claim(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let tn = tracking_number(path)?;
    let caller = auth::caller(&state, &req).await?;
    let key = state.app.claim_key(caller, tn).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(ClaimedKeyView::from(key)))
}

/// Staff revoke a request's API key; the requester is told.
#[utoipa::path(
    post, path = "/api/v1/requests/{tracking_number}/api-key/revoke", tag = "keys", operation_id = "revoke_api_key",
    params(("tracking_number" = String, Path)), security(("staff" = [])),
    responses((status = 200, description = "Revoked", body = CaseView),
              (status = 403, description = "Not staff, or not theirs to revoke", body = ErrorBody),
              (status = 409, description = "No key to revoke", body = ErrorBody))
)]
pub async fn revoke(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let tn = tracking_number(path)?;
    let caller = Caller::Staff(auth::staff_only(&state, &req).await?);
    let case = state.app.revoke_key(caller, tn).await?;
    Ok(HttpResponse::Ok().json(CaseView::from(case)))
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct LostKeyBody {
    #[schema(schema_with = fields::lost_key_reason)]
    pub reason: Option<String>,
}

/// The requester says their key is lost and asks for a new one. The lost key keeps working
/// until the new one is claimed; the staff on the request are told.
#[utoipa::path(
    post, path = "/api/v1/requests/{tracking_number}/api-key/replacement", tag = "keys", operation_id = "ask_api_key_replacement",
    params(("tracking_number" = String, Path)), request_body = LostKeyBody, security(("requester" = []), ("staff" = [])),
    responses((status = 200, description = "Asked; staff are told", body = CaseView),
              (status = 403, description = "Only the requester asks", body = ErrorBody),
              (status = 409, description = "No key was granted, it is not collected or no longer works, or a new one is already asked for", body = ErrorBody))
)]
pub async fn ask_replacement(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<LostKeyBody>,
) -> Result<HttpResponse, ApiError> {
    let tn = tracking_number(path)?;
    let caller = auth::caller(&state, &req).await?;
    let reason = body.into_inner().reason;
    let case = state.app.ask_key_replacement(caller, tn, reason).await?;
    Ok(HttpResponse::Ok().json(CaseView::from(case)))
}

/// Staff give a new key in place of the lost one the requester told of: the same datasets,
/// rate and end date. The requester is emailed and claims it once at
/// `POST /api/v1/requests/{tracking_number}/api-key`; claiming it revokes the lost key.
#[utoipa::path(
    post, path = "/api/v1/requests/{tracking_number}/api-key/replacement/approve", tag = "keys", operation_id = "approve_api_key_replacement",
    params(("tracking_number" = String, Path)), security(("staff" = [])),
    responses((status = 200, description = "A new key waits to be claimed", body = CaseView),
              (status = 403, description = "Not staff, or not theirs to approve", body = ErrorBody),
              (status = 404, description = "No key was granted", body = ErrorBody),
              (status = 409, description = "No new key was asked for, or one already waits", body = ErrorBody))
)]
pub async fn approve_replacement(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let tn = tracking_number(path)?;
    let caller = Caller::Staff(auth::staff_only(&state, &req).await?);
    let case = state.app.replace_key(caller, tn).await?;
    Ok(HttpResponse::Ok().json(CaseView::from(case)))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct VerifyBody {
    /// The API key a caller presented to the gateway.
    #[schema(value_type = String, required = true)]
    pub key: Option<String>,
}

/// For the city's API gateway (bearer RECORDSDESK_GATEWAY_TOKEN): is this key good, for what?
#[utoipa::path(
    post, path = "/api/v1/keys/verify", tag = "keys", operation_id = "verify_api_key", request_body = VerifyBody, security(("gateway" = [])),
    responses((status = 200, description = "Whether the key is good, and for what", body = KeyCheckView))
)]
pub async fn verify(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<VerifyBody>,
) -> Result<HttpResponse, ApiError> {
    // The scheme is case-insensitive (RFC 9110 §11.1), as for every other bearer token.
    let given = crate::web::auth::bearer(&req)
        .ok()
        .flatten()
        .unwrap_or_default();
    if !state.app.is_gateway(&given) {
        return Err(ApiError::unauthorized(
            "the gateway token is missing or wrong",
        ));
    }
    let key = body
        .into_inner()
        .key
        .ok_or_else(|| ApiError::field("key", "send the key to check"))?;
    let check = state.app.verify_key(key).await?;
    Ok(HttpResponse::Ok().json(KeyCheckView::from(check)))
}
