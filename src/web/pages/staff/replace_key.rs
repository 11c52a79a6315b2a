//! `POST /staff/requests/{tracking_number}/api-key/replace`: staff give a new API key in place of
//! one the requester told us is lost; the requester is emailed and collects it once.

use super::staff_step;
use crate::web::pages::forms::Posted;
use crate::web::pages::PageResult;

pub async fn send(posted: Posted) -> PageResult {
    let done = "A new API key is ready for the requester, and they are emailed. Their old key works until they collect the new one.";
    staff_step(
        posted,
        Ok(()),
        "replace",
        done,
        |app, caller, tn, ()| async move { app.replace_key(caller, tn).await },
    )
    .await
}
