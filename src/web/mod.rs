//! HTTP: the JSON API under `/api/v1` with `/healthz` and `/openapi.json`, and the pages.
//! Handlers read their input into the app's raw commands, call one `App` operation and
//! answer JSON or a page. Each face has one route table (`api::routes!`, `pages::routes!`).

/// `web::get()` or `web::post()`, for the methods the route tables name.
macro_rules! method {
    (GET) => {
        actix_web::web::get()
    };
    (POST) => {
        actix_web::web::post()
    };
}

pub mod api;
pub mod auth;
pub mod body_timeout;
pub mod error;
pub mod harden;
pub mod language;
pub mod openapi;
pub mod pages;
pub mod request_id;
pub mod throttle;
pub mod upload;

use std::sync::Arc;

use actix_web::web;

use crate::app::App;
use error::ApiError;

/// What every handler shares; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub throttle: Arc<throttle::Throttle>,
}

/// Unknown addresses: JSON under /api, a page elsewhere.
async fn not_found(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    session: actix_session::Session,
) -> Result<actix_web::HttpResponse, actix_web::Error> {
    if req.path().starts_with("/api/") {
        return Err(ApiError::not_found("there is no such endpoint").into());
    }
    let layout = pages::Layout::new(&state, pages::session::csrf(&session), None);
    Err(pages::PageError::not_found(layout).into())
}

/// Registers every route; used by `serve` and by the tests alike.
pub fn configure(
    state: web::Data<AppState>,
    body_limit: usize,
) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg: &mut web::ServiceConfig| {
        cfg.app_data(state)
            .app_data(
                web::JsonConfig::default()
                    .limit(body_limit)
                    .error_handler(error::json_error),
            )
            .app_data(web::PayloadConfig::default().limit(body_limit))
            .app_data(web::QueryConfig::default().error_handler(error::query_error))
            .app_data(web::FormConfig::default().limit(body_limit))
            .configure(api::routes)
            .configure(pages::routes)
            .default_service(web::to(not_found));
    }
}
