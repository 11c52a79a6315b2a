//! `/api/v1/complaints`, `/api/v1/departments` and a complaint sent to another department
//! (docs/PRODUCT.md, "Complaints"). Everything else done to a complaint goes through the
//! request endpoints: it is a case like any other, of kind `complaint`.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::fields;
use super::requests::tracking_number;
use super::wire::{CaseView, DepartmentView, SubmittedView};
use crate::app::complaints::{RawComplaint, RawReroute, Reroute};
use crate::app::submit::ObjectOnly;
use crate::app::Caller;
use crate::web::auth;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;

/// File a complaint to a department. No account is needed, and no name: the answer carries
/// the private access token, the one way back to an anonymous complaint.
#[utoipa::path(
    post, path = "/api/v1/complaints", tag = "complaints", operation_id = "file_complaint",
    request_body = RawComplaint,
    responses(
        (status = 201, description = "Filed: status received, determination_due the day the city aims to close it by", body = SubmittedView,
         headers(("Location" = String, description = "The complaint's address"))),
        (status = 422, description = "Invalid fields, or a department that is not in the directory", body = ErrorBody),
        (status = 429, description = "Too many filed from this address just now (see Retry-After)", body = ErrorBody,
         headers(("Retry-After" = String, description = "Seconds to wait"))),
    )
)]
pub async fn file(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<ObjectOnly<RawComplaint>>,
) -> Result<HttpResponse, ApiError> {
    let address = state.throttle.address(&req);
    if let Err(wait) = state.throttle.submission(address).await {
        let message = "too many filed from this address just now; try again shortly";
        return Err(ApiError::too_many(message, wait));
    }
    let mut raw = body.into_inner().0;
    // Not said in the body: the language the call's Accept-Language prefers, else English.
    if raw.language.is_none() {
        raw.language = Some(crate::web::language::current().code().to_string());
    }
    let filed = state.app.file_complaint(raw).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/requests/{}", filed.tracking_number),
        ))
        .json(SubmittedView::from(filed)))
}

/// The city's departments, as a complaint names one.
#[utoipa::path(
    get, path = "/api/v1/departments", tag = "complaints", operation_id = "list_departments_public",
    responses((status = 200, description = "Every department, by name", body = Vec<DepartmentView>))
)]
pub async fn departments(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let departments: Vec<DepartmentView> = state
        .app
        .departments_public()
        .await?
        .into_iter()
        .map(|d| DepartmentView {
            name: d.name,
            queue: d.queue,
            email: d.email,
            phone: d.phone,
        })
        .collect();
    Ok(HttpResponse::Ok().json(departments))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RerouteBody {
    /// The department to send it to, by its queue.
    #[schema(schema_with = fields::complaint_department, required = true)]
    pub department: Option<String>,
    /// Why, for the staff (the complainant is told only where it went).
    #[schema(schema_with = fields::reroute_note)]
    pub note: Option<String>,
    /// The version of the complaint the caller saw; without it, the latest.
    #[schema(minimum = 1, maximum = 2147483647)]
    #[serde(default, deserialize_with = "super::whole::i32_opt")]
    pub version: Option<i32>,
}

/// Send an open complaint to another department: it leaves its assignee and waits in that
/// department's queue, whose staff are told.
#[utoipa::path(
    post, path = "/api/v1/requests/{tracking_number}/department", tag = "complaints", operation_id = "reroute_complaint",
    params(("tracking_number" = String, Path)), request_body = RerouteBody, security(("staff" = [])),
    responses((status = 200, description = "Sent", body = CaseView),
              (status = 403, description = "Not staff of the complaint's department or an admin", body = ErrorBody),
              (status = 404, description = "No such request", body = ErrorBody),
              (status = 409, description = "Not an open complaint, or a stale version", body = ErrorBody),
              (status = 422, description = "Invalid fields, a department not in the directory, or the one it is with", body = ErrorBody))
)]
pub async fn reroute(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<ObjectOnly<RerouteBody>>,
) -> Result<HttpResponse, ApiError> {
    let tn = tracking_number(path)?;
    let staff = auth::staff_only(&state, &req).await?;
    let body = body.into_inner().0;
    let command = Reroute::try_from(RawReroute {
        department: body.department,
        note: body.note,
        version: body.version,
    })
    .map_err(ApiError::invalid)?;
    let case = state.app.reroute(Caller::Staff(staff), tn, command).await?;
    Ok(HttpResponse::Ok().json(CaseView::from(case)))
}
