//! Staff sign-in and the queue.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::web::auth;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;
use crate::workflow::queue::{self, QueuePage, QueueParams};
use crate::workflow::staff::LoginView;

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
              (status = 429, description = "Too many failed sign-ins for this account or address (see Retry-After)", body = ErrorBody,
               headers(("Retry-After" = String, description = "Seconds to wait"))))
)]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<LoginBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let (Some(email), Some(password)) = (body.email, body.password) else {
        let mut fields = crate::domain::FieldErrors::default();
        fields.add("credentials", "send email and password");
        return Err(ApiError::invalid(fields));
    };
    match auth::sign_in(&state, &req, email, password).await {
        Ok(login) => Ok(HttpResponse::Ok().json(login)),
        Err(auth::SignInRefused::TooMany(wait)) => Err(ApiError::too_many(
            "too many failed sign-ins; wait before trying again",
            wait,
        )),
        Err(auth::SignInRefused::Workflow(e)) => Err(e.into()),
    }
}

/// The requests this staff member may see, sorted by due date, with cursor paging.
#[utoipa::path(
    get, path = "/api/v1/queue", tag = "staff", operation_id = "list_queue", params(QueueParams), security(("staff" = [])),
    responses((status = 200, description = "One page of the queue", body = QueuePage),
              (status = 403, description = "Not staff", body = ErrorBody),
              (status = 422, description = "A filter that is not valid; an assignee who is not staff; a cursor not given out here", body = ErrorBody))
)]
pub async fn queue(
    state: web::Data<AppState>,
    req: HttpRequest,
    params: web::Query<QueueParams>,
) -> Result<HttpResponse, ApiError> {
    let staff = auth::staff_only(&state, &req).await?;
    let params = params.into_inner();
    let page = state
        .read(move |conn, ctx| queue::list(conn, ctx, &staff, &params))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}
