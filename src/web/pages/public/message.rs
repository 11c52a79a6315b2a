//! `POST /requests/{tracking_number}/messages`: the requester writes to staff.

use super::{requester_step, Drafts};
use crate::app::manage::{PostMessage, RawMessage};
use crate::web::pages::forms::Posted;
use crate::web::pages::PageResult;
use crate::wording::word;

pub async fn send(posted: Posted) -> PageResult {
    let body = posted.data.get("body");
    let parsed = PostMessage::try_from(RawMessage {
        body: Some(body.clone()),
    });
    let drafts = Drafts {
        message: body,
        ..Default::default()
    };
    let done = word(crate::web::language::current(), "done-message");
    requester_step(
        posted,
        parsed,
        drafts,
        &done,
        |app, caller, tn, message| async move { app.post_message(caller, tn, message).await },
    )
    .await
}
