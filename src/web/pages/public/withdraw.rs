//! `POST /requests/{tracking_number}/withdraw`: the requester withdraws the request, after a
//! page that asks them to confirm (a withdrawn request cannot be reopened).

use super::{held_token, layout, requester_case, requester_step, valid_tracking_number, Drafts};
use crate::app::act::{RawWithdrawal, Transition};
use crate::domain::RequestKind;
use crate::web::pages::confirm::{self, Confirm};
use crate::web::pages::forms::Posted;
use crate::web::pages::problem::{page_error, PageError};
use crate::web::pages::{session, PageResult};
use crate::wording::{say, word, Arg};

pub async fn send(posted: Posted) -> PageResult {
    if !confirm::confirmed(&posted.data) {
        return ask(&posted).await;
    }
    let parsed = Transition::try_from(RawWithdrawal {
        reason: posted.data.opt("reason"),
        note: None,
        version: posted.data.version(),
    });
    // The confirmation names what was withdrawn: a request or a complaint.
    let kind = match valid_tracking_number(&posted.state, &posted.session, &posted.tracking_number)
        .and_then(|tn| Ok((held_token(&posted.state, &posted.session, &tn)?, tn)))
    {
        Ok((token, tn)) => requester_case(&posted.state, &tn, token)
            .await
            .map_or(RequestKind::PublicRecords, |case| case.kind),
        Err(_) => RequestKind::PublicRecords,
    };
    let done = say(
        crate::web::language::current(),
        "done-withdrawn",
        &[("kind", Arg::Text(kind.words_kind()))],
    );
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
    let language = crate::web::language::current();
    let kind = [("kind", Arg::Text(case.kind.words_kind()))];
    let of_kind = |id: &str| say(language, id, &kind);
    let mut answers = vec![(of_kind("withdraw-your-request"), case.description.clone())];
    if !reason.is_empty() {
        answers.push((word(language, "withdraw-your-reason"), reason));
    }
    Ok(confirm::page(
        layout(state, session),
        &Confirm {
            heading: of_kind("withdraw-heading"),
            answers,
            warning: of_kind("withdraw-warning"),
            action: format!("/requests/{tn}/withdraw"),
            hidden: confirm::fields_of(data),
            confirm_label: of_kind("withdraw-confirm"),
            confirm_class: "danger",
            change_in_form: false,
            back_href: format!("/requests/{tn}"),
            back_label: of_kind("withdraw-back"),
        },
    ))
}
