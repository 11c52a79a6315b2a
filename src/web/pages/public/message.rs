//! `POST /requests/{tracking_number}/messages`: the requester writes to staff.

use actix_session::Session;
use actix_web::web;

use super::{requester_step, Drafts};
use crate::app::manage::{PostMessage, RawMessage};
use crate::web::pages::forms::FormData;
use crate::web::pages::PageResult;
use crate::web::AppState;

pub async fn send(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    data: FormData,
) -> PageResult {
    let drafts = Drafts {
        message: data.get("body"),
        ..Default::default()
    };
    let parsed = PostMessage::try_from(RawMessage {
        body: Some(data.get("body")),
    });
    requester_step(
        state,
        session,
        &path,
        &data,
        parsed,
        drafts,
        "Your message was sent.",
        |state, caller, tn, message| async move {
            state.app.post_message(caller, tn, message).await
        },
    )
    .await
}
