//! `POST /staff/requests/{tracking_number}/api-key/revoke`: the request's API key stops
//! working, and the requester is told.

use actix_session::Session;
use actix_web::web;

use super::staff_step;
use crate::web::pages::forms::FormData;
use crate::web::pages::PageResult;
use crate::web::AppState;

pub async fn send(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    data: FormData,
) -> PageResult {
    staff_step(
        state,
        session,
        &path,
        &data,
        Ok(()),
        "revoke",
        "The API key is revoked and the requester is told.",
        |state, caller, tn, ()| async move { state.app.revoke_key(caller, tn).await },
    )
    .await
}
