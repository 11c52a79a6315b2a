//! `POST /requests/{tracking_number}/appeal`: the requester appeals a decision.

use super::{requester_step, Drafts};
use crate::app::act::{RawAppeal, Transition};
use crate::web::pages::forms::Posted;
use crate::web::pages::PageResult;
use crate::wording::word;

pub async fn send(posted: Posted) -> PageResult {
    let parsed = Transition::try_from(RawAppeal {
        grounds: posted.data.opt("grounds"),
        version: posted.data.version(),
    });
    let drafts = Drafts {
        grounds: posted.data.get("grounds"),
        ..Default::default()
    };
    let done = word(crate::web::language::current(), "done-appeal");
    requester_step(
        posted,
        parsed,
        drafts,
        &done,
        |app, caller, tn, appeal| async move { app.transition(caller, tn, appeal).await },
    )
    .await
}
