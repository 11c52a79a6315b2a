//! `POST /staff/requests/{tracking_number}/notes`: staff keep an internal note on the request,
//! for each other; the requester never sees it and no one is emailed.

use super::staff_step;
use crate::app::manage::{PostMessage, RawMessage};
use crate::web::pages::forms::Posted;
use crate::web::pages::PageResult;

pub async fn send(posted: Posted) -> PageResult {
    let parsed = PostMessage::try_from(RawMessage {
        body: Some(posted.data.get("note")),
    })
    .map_err(|mut errors| {
        // The form names its field "note", apart from the message form's "body".
        if let Some(messages) = errors.0.remove("body") {
            errors.0.insert("note".into(), messages);
        }
        errors
    });
    let done = "Your note was added. Only staff see it.";
    staff_step(
        posted,
        parsed,
        "note",
        done,
        |app, caller, tn, note| async move { app.add_note(caller, tn, note, None).await },
    )
    .await
}
