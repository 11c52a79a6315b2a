//! `POST /staff/requests/{tracking_number}/private-links/revoke`: every private link the
//! request has given stops working, and the requester's email gets a new one.

use super::staff_step;
use crate::web::pages::forms::Posted;
use crate::web::pages::PageResult;

pub async fn send(posted: Posted) -> PageResult {
    let done = "The private links are turned off, and a new one is on its way to the requester.";
    let reason = posted.data.opt("reason");
    staff_step(
        posted,
        Ok(reason),
        "links",
        done,
        |app, caller, tn, reason| async move { app.revoke_links(caller, tn, reason).await },
    )
    .await
}
