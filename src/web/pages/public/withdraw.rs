//! `POST /requests/{tracking_number}/withdraw`: the requester withdraws the request.

use super::{requester_step, Drafts};
use crate::app::act::{RawWithdrawal, Transition};
use crate::web::pages::forms::Posted;
use crate::web::pages::PageResult;

pub async fn send(posted: Posted) -> PageResult {
    let parsed = Transition::try_from(RawWithdrawal {
        reason: posted.data.opt("reason"),
        note: None,
        version: posted.data.version(),
    });
    let done = "Your request is withdrawn.";
    requester_step(
        posted,
        parsed,
        Drafts::default(),
        done,
        |app, caller, tn, withdrawal| async move { app.transition(caller, tn, withdrawal).await },
    )
    .await
}
