//! `POST /requests/{tracking_number}/withdraw`: the requester withdraws the request.

use actix_session::Session;
use actix_web::web;

use super::{requester_step, Drafts};
use crate::app::act::{RawWithdrawal, Transition};
use crate::web::pages::forms::FormData;
use crate::web::pages::PageResult;
use crate::web::AppState;

pub async fn send(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    data: FormData,
) -> PageResult {
    let parsed = Transition::try_from(RawWithdrawal {
        reason: data.opt("reason"),
        version: data.version(),
    });
    requester_step(
        state,
        session,
        &path,
        &data,
        parsed,
        Drafts::default(),
        "Your request is withdrawn.",
        |state, caller, tn, withdrawal| async move {
            state.app.transition(caller, tn, withdrawal).await
        },
    )
    .await
}
