//! `POST /api/v1/intake`: staff record a request that reached the office by email, mail,
//! phone, fax or in person (docs/PRODUCT.md, "Requests taken by staff").

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::fields;
use super::wire::SubmittedView;
use crate::app::intake::RawIntake;
use crate::app::submit::RawSubmission;
use crate::web::auth;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct IntakeBody {
    #[schema(schema_with = fields::channel, required = true)]
    #[serde(default, deserialize_with = "super::words::exact_opt")]
    pub channel: Option<String>,
    #[schema(schema_with = fields::received_at, required = true)]
    pub received_at: Option<String>,
    /// The request as the requester made it: the same fields as filing one
    /// (`POST /api/v1/requests`).
    #[schema(value_type = RawSubmission, required = true)]
    pub request: Option<RawSubmission>,
    #[schema(schema_with = fields::postal_address)]
    pub postal_address: Option<String>,
    #[schema(schema_with = fields::follows)]
    pub follows: Option<String>,
}

/// Record a request that arrived by email, mail, phone, fax or in person, with the time the
/// office received it. The answer carries the private link to give the requester.
#[utoipa::path(
    post, path = "/api/v1/intake", tag = "requests", operation_id = "record_request",
    request_body = IntakeBody, security(("staff" = [])),
    responses(
        (status = 201, description = "Recorded and filed", body = SubmittedView,
         headers(("Location" = String, description = "The request's address"))),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 422, description = "An unknown channel, a receipt in the future or too long ago, or the request's own errors (under request.)", body = ErrorBody),
    )
)]
pub async fn record(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<IntakeBody>,
) -> Result<HttpResponse, ApiError> {
    let staff = auth::staff_only(&state, &req).await?;
    let body = body.into_inner();
    let raw = RawIntake {
        channel: body.channel,
        received_at: body.received_at,
        request: body.request,
        postal_address: body.postal_address,
        follows: body.follows,
    };
    let filed = state.app.record_intake(raw, staff).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/requests/{}", filed.tracking_number),
        ))
        .json(SubmittedView::from(filed)))
}
