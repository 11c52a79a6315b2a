//! `POST /requests/{tracking_number}/withdraw`: the requester withdraws the request, after a
//! page that asks them to confirm (a withdrawn request cannot be reopened).

use super::{held_token, layout, requester_case, requester_step, valid_tracking_number, Drafts};
use crate::app::act::{RawWithdrawal, Transition};
use crate::web::pages::confirm::{self, Confirm};
use crate::web::pages::forms::Posted;
use crate::web::pages::problem::{page_error, PageError};
use crate::web::pages::{session, PageResult};
use crate::wording::{word, Language};

pub async fn send(posted: Posted) -> PageResult {
    if !confirm::confirmed(&posted.data) {
        return ask(&posted).await;
    }
    let parsed = Transition::try_from(RawWithdrawal {
        reason: posted.data.opt("reason"),
        note: None,
        version: posted.data.version(),
    });
    let done = word(Language::English, "done-withdrawn");
    requester_step(
        posted,
        parsed,
        Drafts::default(),
        &done,
        |app, caller, tn, withdrawal| async move { app.transition(caller, tn, withdrawal).await },
    )
    .await
}

/// "Are you sure?", to whoever holds the request's link; nothing is taken yet.
async fn ask(posted: &Posted) -> PageResult {
    let Posted {
        state,
        session,
        tracking_number,
        data,
    } = posted;
    let tn = valid_tracking_number(state, session, tracking_number)?;
    if !session::csrf_ok(session, &data.get("csrf")) {
        return Err(PageError::stale_form(layout(state, session)));
    }
    let token = held_token(state, session, &tn)?;
    let case = requester_case(state, &tn, token)
        .await
        .map_err(|e| page_error(&layout(state, session), e))?;
    let reason = data.get("reason").trim().to_string();
    let language = Language::English;
    let mut answers = vec![(
        word(language, "withdraw-your-request"),
        case.description.clone(),
    )];
    if !reason.is_empty() {
        answers.push((word(language, "withdraw-your-reason"), reason));
    }
    Ok(confirm::page(
        layout(state, session),
        &Confirm {
            heading: word(language, "withdraw-heading"),
            answers,
            warning: word(language, "withdraw-warning"),
            action: format!("/requests/{tn}/withdraw"),
            hidden: confirm::fields_of(data),
            confirm_label: word(language, "withdraw-confirm"),
            confirm_class: "danger",
            change_in_form: false,
            back_href: format!("/requests/{tn}"),
            back_label: word(language, "withdraw-back"),
        },
    ))
}
