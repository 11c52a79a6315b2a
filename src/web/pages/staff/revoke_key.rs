//! `POST /staff/requests/{tracking_number}/api-key/revoke`: the request's API key stops
//! working, and the requester is told.

use super::staff_step;
use crate::web::pages::forms::Posted;
use crate::web::pages::PageResult;

pub async fn send(posted: Posted) -> PageResult {
    let done = "The API key is revoked and the requester is told.";
    staff_step(
        posted,
        Ok(()),
        "revoke",
        done,
        |app, caller, tn, ()| async move { app.revoke_key(caller, tn).await },
    )
    .await
}
