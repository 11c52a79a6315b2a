//! `POST /requests/{tracking_number}/appeal`: the requester appeals a decision.

use super::{requester_step, Drafts};
use crate::app::act::{RawAppeal, Transition};
use crate::web::pages::forms::Posted;
use crate::web::pages::PageResult;

pub async fn send(posted: Posted) -> PageResult {
    let parsed = Transition::try_from(RawAppeal {
        grounds: posted.data.opt("grounds"),
        version: posted.data.version(),
    });
    let drafts = Drafts {
        grounds: posted.data.get("grounds"),
        ..Default::default()
    };
    let done = "Your request for a review was received. A reviewer who had no part in the decision will consider it.";
    requester_step(
        posted,
        parsed,
        drafts,
        done,
        |app, caller, tn, appeal| async move { app.transition(caller, tn, appeal).await },
    )
    .await
}
