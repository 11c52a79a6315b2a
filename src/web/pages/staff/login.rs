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
use crate::web::pages::problem::{page_error, PageError};
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
            let seconds = crate::web::throttle::retry_after(wait);
            let summary = refused(&format!(
                "Too many tries just now. Try again in {seconds} seconds."
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
    let ended = match session::staff_token(&session) {
        Some(token) => state.app.sign_out(token).await,
        None => Ok(()),
    };
    // This browser is signed out either way; the person is told when the server could not end
    // the sign-in too, since a copy of the cookie would then still work until it goes idle.
    session::sign_out(&session);
    if let Err(e) = ended {
        log::error!(
            "[{}] a staff token was not deleted at sign-out: {e}",
            crate::web::request_id::current()
        );
        let idle = state.app.ctx().staff_idle.num_minutes();
        return Err(PageError::Failed(
            Box::new(layout),
            format!(
                "You are signed out of this browser, but your sign-in could not be ended on the server. It ends by itself after {idle} minutes unused. If someone else may have a copy of it, ask an admin to end all your sessions."
            ),
        ));
    }
    Ok(see_other("/staff/login"))
}
