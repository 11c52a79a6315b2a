//! HTTP: the JSON API under `/api/v1`, `/healthz` and `/openapi.json`. Handlers parse input
//! into domain types, run one workflow operation on a blocking thread, and answer JSON.

pub mod api;
pub mod auth;
pub mod error;
pub mod openapi;
pub mod pages;
pub mod request_id;
pub mod throttle;
pub mod upload;

use std::sync::Arc;

use actix_web::web;

use crate::db::{Conn, Db};
use crate::workflow::{Ctx, WorkflowError};
use error::ApiError;

/// What every handler shares; cheap to clone onto a blocking thread.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub ctx: Arc<Ctx>,
    pub throttle: Arc<throttle::Throttle>,
    /// Response documents, by their SHA-256.
    pub files: Arc<crate::blobs::BlobStore>,
}

impl AppState {
    /// Runs `f` in one write transaction on a blocking thread.
    pub async fn write<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Conn, &Ctx) -> Result<T, WorkflowError> + Send + 'static,
    {
        let state = self.clone();
        let result = web::block(move || {
            let db = state.db.clone();
            db.write_grouped(move |conn| f(conn, &state.ctx))
        })
        .await?;
        result.map_err(ApiError::from)
    }

    /// Like `write`, for steps whose caller named no version: when another change commits
    /// first, the step is decided again on the new state rather than refused as stale.
    pub async fn write_latest<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: Fn(&mut Conn, &Ctx) -> Result<T, WorkflowError> + Send + Sync + 'static,
    {
        let f = Arc::new(f);
        let mut attempts = 0;
        loop {
            let step = f.clone();
            let state = self.clone();
            let result = web::block(move || {
                let db = state.db.clone();
                db.write_grouped(move |conn| step(conn, &state.ctx))
            })
            .await?;
            match result {
                Err(WorkflowError::Stale { .. }) if attempts < 3 => attempts += 1,
                other => return other.map_err(ApiError::from),
            }
        }
    }

    /// `write` when the caller named the version they acted on, `write_latest` when not.
    pub async fn write_as_of<T, F>(&self, version: Option<i32>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: Fn(&mut Conn, &Ctx) -> Result<T, WorkflowError> + Send + Sync + 'static,
    {
        match version {
            Some(_) => self.write(f).await,
            None => self.write_latest(f).await,
        }
    }

    /// Runs `f` on a pooled connection on a blocking thread, outside a transaction.
    pub async fn read<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Conn, &Ctx) -> Result<T, WorkflowError> + Send + 'static,
    {
        let state = self.clone();
        let result = web::block(move || state.db.read(|conn| f(conn, &state.ctx))).await?;
        result.map_err(ApiError::from)
    }
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
            .configure(api::meta_routes)
            .app_data(web::FormConfig::default().limit(body_limit))
            .service(web::scope("/api/v1").configure(api::routes))
            .configure(pages::routes)
            .default_service(web::to(not_found));
    }
}
