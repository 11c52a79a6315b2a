//! Who is calling: a bearer token is either a requester's private access token (`rdr_…`)
//! or a staff token from `POST /api/v1/auth/login` (`rds_…`).

use actix_web::http::header;
use actix_web::{web, HttpRequest};

use super::error::ApiError;
use super::AppState;
use crate::app::staff::{Login, SignedIn};
use crate::app::{AppError, Caller, StaffAccount};
use crate::secrets::{REQUESTER_TOKEN_PREFIX, STAFF_TOKEN_PREFIX};

/// The bearer token of the Authorization header, if there is one.
pub fn bearer(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| ApiError::unauthorized("the Authorization header is not readable"))?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(Some(token.trim().to_string()))
        }
        _ => Err(ApiError::unauthorized("use Authorization: Bearer <token>")),
    }
}

/// The caller of an endpoint open to the requester and to staff.
pub async fn caller(state: &web::Data<AppState>, req: &HttpRequest) -> Result<Caller, ApiError> {
    let token = bearer(req)?.ok_or_else(|| {
        ApiError::unauthorized(
            "send the request's access token, or a staff token, as a bearer token",
        )
    })?;
    if token.starts_with(REQUESTER_TOKEN_PREFIX) {
        return Ok(Caller::Requester { token });
    }
    Ok(Caller::Staff(staff_from_token(state, token).await?))
}

/// The caller of a staff-only endpoint.
pub async fn staff_only(
    state: &web::Data<AppState>,
    req: &HttpRequest,
) -> Result<StaffAccount, ApiError> {
    let token =
        bearer(req)?.ok_or_else(|| ApiError::unauthorized("sign in: POST /api/v1/auth/login"))?;
    if token.starts_with(REQUESTER_TOKEN_PREFIX) {
        return Err(ApiError::forbidden("this endpoint is for City staff"));
    }
    staff_from_token(state, token).await
}

async fn staff_from_token(
    state: &web::Data<AppState>,
    token: String,
) -> Result<StaffAccount, ApiError> {
    if !token.starts_with(STAFF_TOKEN_PREFIX) {
        return Err(ApiError::unauthorized("this token is not valid"));
    }
    state.app.staff_by_token(token).await?.ok_or_else(|| {
        ApiError::unauthorized("this token is not valid or has expired; sign in again")
    })
}

/// Why a sign-in was refused.
pub enum SignInRefused {
    /// Too soon after the last tries for this account (at this address): wait this long.
    TooMany(std::time::Duration),
    App(AppError),
}

/// Signs staff in, for the API and the sign-in page alike: a try that comes too soon is
/// refused unchecked, and every other counts until it succeeds (`throttle::signin`).
pub async fn sign_in(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    login: Login,
) -> Result<SignedIn, SignInRefused> {
    let address = state.throttle.address(req);
    let email = login.email.clone();
    state
        .throttle
        .sign_in_attempt(&email, address)
        .await
        .map_err(SignInRefused::TooMany)?;
    let outcome = state.app.sign_in(login).await;
    if outcome.is_ok() {
        state.throttle.sign_in_succeeded(&email, address).await;
    }
    outcome.map_err(SignInRefused::App)
}
