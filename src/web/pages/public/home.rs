//! `GET /`: what can be asked for, and how; where a complaint goes.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::layout;
use crate::web::pages::{render, Layout};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "pages/home.html")]
struct Home {
    layout: Layout,
    determination_days: u32,
    appeal_window_days: u32,
    /// The days the city aims to close a complaint in.
    complaint_days: u32,
}

pub async fn page(state: web::Data<AppState>, session: Session) -> HttpResponse {
    let policy = state.app.ctx().policy();
    render(
        StatusCode::OK,
        &Home {
            layout: layout(&state, &session),
            determination_days: policy.determination_days,
            appeal_window_days: policy.appeal_window_days,
            complaint_days: policy.complaint_days,
        },
    )
}
