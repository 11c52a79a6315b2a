//! `POST /staff/requests/{tracking_number}/messages`: staff write to the requester.

use actix_session::Session;
use actix_web::web;

use super::staff_step;
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
    let parsed = PostMessage::try_from(RawMessage {
        body: Some(data.get("body")),
    });
    staff_step(
        state,
        session,
        &path,
        &data,
        parsed,
        "message",
        "Your message was sent to the requester.",
        |state, caller, tn, message| async move {
            state.app.post_message(caller, tn, message).await
        },
    )
    .await
}
