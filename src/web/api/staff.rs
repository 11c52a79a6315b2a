//! Staff sign-in, sign-out and the queue.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::fields;
use super::wire::{LoginView, QueuePageView};
use crate::app::queue::{QueueFilter, RawQueueFilter};
use crate::app::staff::{Login, RawLogin};
use crate::web::auth;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LoginBody {
    #[schema(value_type = String, required = true)]
    pub email: Option<String>,
    #[schema(value_type = String, format = Password, required = true)]
    pub password: Option<String>,
}

/// Sign in with email and password; the answer's token authorises staff API calls.
#[utoipa::path(
    post, path = "/api/v1/auth/login", tag = "staff", operation_id = "sign_in", request_body = LoginBody,
    responses((status = 200, description = "Signed in", body = LoginView),
              (status = 401, description = "Wrong email or password", body = ErrorBody),
              (status = 429, description = "Too soon after the last tries for this account (see Retry-After); the wait doubles per try, up to a cap", body = ErrorBody,
               headers(("Retry-After" = String, description = "Seconds to wait"))))
)]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<LoginBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let raw = RawLogin {
        email: body.email,
        password: body.password,
    };
    let login = Login::try_from(raw).map_err(ApiError::invalid)?;
    match auth::sign_in(&state, &req, login).await {
        Ok(signed) => Ok(HttpResponse::Ok().json(LoginView::from(signed))),
        Err(auth::SignInRefused::TooMany(wait)) => Err(ApiError::too_many(
            "too many failed sign-ins; wait before trying again",
            wait,
        )),
        Err(auth::SignInRefused::App(e)) => Err(e.into()),
    }
}

/// Sign out: ends the session of the token presented (and the staff page session holding it).
#[utoipa::path(
    post, path = "/api/v1/auth/logout", tag = "staff", operation_id = "sign_out", security(("staff" = [])),
    responses((status = 204, description = "Signed out; the token no longer works"),
              (status = 401, description = "No live staff token", body = ErrorBody),
              (status = 403, description = "Not staff", body = ErrorBody))
)]
pub async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    auth::staff_only(&state, &req).await?;
    let token = auth::bearer(&req)?.unwrap_or_default();
    state.app.sign_out(token).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Queue filters as they arrive in a query string; blank ones are ignored.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueParams {
    #[param(schema_with = fields::queue_name)]
    pub queue: Option<String>,
    #[param(schema_with = fields::status_list)]
    pub status: Option<String>,
    #[param(schema_with = fields::assignee_filter)]
    pub assignee: Option<String>,
    #[param(schema_with = fields::query_flag)]
    pub overdue: Option<String>,
    #[param(schema_with = fields::cursor)]
    pub cursor: Option<String>,
    #[param(schema_with = fields::page_size)]
    pub limit: Option<String>,
}

impl From<QueueParams> for RawQueueFilter {
    fn from(p: QueueParams) -> RawQueueFilter {
        RawQueueFilter {
            queue: p.queue,
            status: p.status,
            assignee: p.assignee,
            overdue: p.overdue,
            cursor: p.cursor,
            limit: p.limit,
        }
    }
}

/// The requests this staff member may see, sorted by due date, with cursor paging.
#[utoipa::path(
    get, path = "/api/v1/queue", tag = "staff", operation_id = "list_queue", params(QueueParams), security(("staff" = [])),
    responses((status = 200, description = "One page of the queue", body = QueuePageView),
              (status = 403, description = "Not staff", body = ErrorBody),
              (status = 422, description = "A filter that is not valid; an assignee who is not staff; a cursor not given out here", body = ErrorBody))
)]
pub async fn queue(
    state: web::Data<AppState>,
    req: HttpRequest,
    params: web::Query<QueueParams>,
) -> Result<HttpResponse, ApiError> {
    let staff = auth::staff_only(&state, &req).await?;
    let raw = RawQueueFilter::from(params.into_inner());
    let filter = QueueFilter::try_from(&raw).map_err(ApiError::invalid)?;
    let page = state.app.queue(staff, filter).await?;
    Ok(HttpResponse::Ok().json(QueuePageView::from(page)))
}
