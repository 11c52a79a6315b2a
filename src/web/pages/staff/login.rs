//! `/staff/login` and `/staff/logout`: staff sign in with email and password.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::{csrf_check, signed_in};
use crate::app::staff::{Login, RawLogin};
use crate::app::AppError;
use crate::web::auth::{self, SignInRefused};
use crate::web::pages::forms::{FormData, SummaryItem};
use crate::web::pages::problem::page_error;
use crate::web::pages::{render, see_other, session, Layout, PageResult};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "pages/login.html")]
struct LoginPage {
    layout: Layout,
    email: String,
    summary: Vec<SummaryItem>,
}

pub async fn page(state: web::Data<AppState>, session: Session) -> HttpResponse {
    if session::staff_token(&session).is_some() && signed_in(&state, &session).await.is_ok() {
        return see_other("/staff/queue");
    }
    let layout = Layout::new(&state, session::csrf(&session), None);
    render(
        StatusCode::OK,
        &LoginPage {
            layout,
            email: String::new(),
            summary: vec![],
        },
    )
}

pub async fn sign_in(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    data: FormData,
) -> PageResult {
    let layout = Layout::new(&state, session::csrf(&session), None);
    csrf_check(&session, &data, &layout)?;
    let email = data.get("email");
    let refused = |message: &str| {
        vec![SummaryItem {
            id: "f-email".into(),
            label: "Sign in".into(),
            message: message.into(),
        }]
    };
    let login = Login::try_from(RawLogin {
        email: Some(email.clone()),
        password: Some(data.get("password")),
    })
    .map_err(|_| page_error(&layout, AppError::BadCredentials))?;
    match auth::sign_in(&state, &req, login).await {
        Ok(signed) => {
            session::sign_in(&session, &signed.token);
            Ok(see_other("/staff/queue"))
        }
        Err(SignInRefused::App(AppError::BadCredentials)) => {
            let summary = refused("Wrong email or password.");
            Ok(render(
                StatusCode::UNAUTHORIZED,
                &LoginPage {
                    layout,
                    email,
                    summary,
                },
            ))
        }
        Err(SignInRefused::TooMany(wait)) => {
            let minutes = wait.as_secs().div_ceil(60).max(1);
            let summary = refused(&format!(
                "Too many failed sign-ins. Try again in {minutes} minutes."
            ));
            let mut response = render(
                StatusCode::TOO_MANY_REQUESTS,
                &LoginPage {
                    layout,
                    email,
                    summary,
                },
            );
            response.headers_mut().insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from(crate::web::throttle::retry_after(wait)),
            );
            Ok(response)
        }
        Err(SignInRefused::App(e)) => Err(page_error(&layout, e)),
    }
}

pub async fn sign_out(state: web::Data<AppState>, session: Session, data: FormData) -> PageResult {
    let layout = Layout::new(&state, session::csrf(&session), None);
    csrf_check(&session, &data, &layout)?;
    if let Some(token) = session::staff_token(&session) {
        if let Err(e) = state.app.sign_out(token).await {
            log::error!(
                "[{}] a staff token was not deleted at sign-out: {e}",
                crate::web::request_id::current()
            );
        }
    }
    session::sign_out(&session);
    Ok(see_other("/staff/login"))
}
