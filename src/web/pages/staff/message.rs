//! `POST /staff/requests/{tracking_number}/messages`: staff write to the requester.

use super::staff_step;
use crate::app::manage::{PostMessage, RawMessage};
use crate::web::pages::forms::Posted;
use crate::web::pages::PageResult;

pub async fn send(posted: Posted) -> PageResult {
    let parsed = PostMessage::try_from(RawMessage {
        body: Some(posted.data.get("body")),
    });
    let done = "Your message was sent to the requester.";
    staff_step(
        posted,
        parsed,
        "message",
        done,
        |app, caller, tn, message| async move { app.post_message(caller, tn, message).await },
    )
    .await
}
