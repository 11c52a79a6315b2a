//! `POST /requests/{tracking_number}/appeal`: the requester appeals a decision.

use actix_session::Session;
use actix_web::web;

use super::{requester_step, Drafts};
use crate::app::act::{RawAppeal, Transition};
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
        grounds: data.get("grounds"),
        ..Default::default()
    };
    let parsed = Transition::try_from(RawAppeal {
        grounds: data.opt("grounds"),
        version: data.version(),
    });
    requester_step(
        state,
        session,
        &path,
        &data,
        parsed,
        drafts,
        "Your appeal was received. A reviewer will consider it.",
        |state, caller, tn, appeal| async move { state.app.transition(caller, tn, appeal).await },
    )
    .await
}
