//! The requester's side of a fee (docs/PRODUCT.md, "Fees"): `POST
//! /requests/{tracking_number}/fees/answer` accepts or declines the estimate from the tracking
//! page, and `GET /requests/{tracking_number}/fees/invoice` and `…/receipt` are the printable
//! invoice and receipt, for whoever holds the request's private link.

use actix_session::Session;
use actix_web::web;

use super::{held_token, layout, requester_case, requester_step, valid_tracking_number, Drafts};
use crate::app::fees::{AnswerEstimate, RawAnswer};
use crate::domain::FieldErrors;
use crate::web::pages::fees::{document, Printed};
use crate::web::pages::forms::Posted;
use crate::web::pages::problem::page_error;
use crate::web::pages::PageResult;
use crate::web::AppState;
use crate::wording::word;

pub async fn answer(posted: Posted) -> PageResult {
    let language = crate::web::language::current();
    let chosen = posted.data.get("answer");
    let parsed = AnswerEstimate::try_from(RawAnswer {
        answer: Some(chosen.clone()),
        version: posted.data.version(),
    })
    .map_err(|_| {
        let mut errors = FieldErrors::default();
        errors.add("answer", word(language, "page-fee-choose"));
        errors
    });
    let done = word(
        language,
        if chosen == "accept" {
            "done-fee-accepted"
        } else {
            "done-fee-declined"
        },
    );
    requester_step(
        posted,
        parsed,
        Drafts::default(),
        &done,
        // The engine's refusals say which state the estimate is in; the requester_step says
        // them in the requester's words (refusals.rs).
        |app, caller, tn, answer| async move { app.answer_fees(caller, tn, answer).await },
    )
    .await
}

pub async fn invoice(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
) -> PageResult {
    print(state, session, path, Printed::Invoice).await
}

pub async fn receipt(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
) -> PageResult {
    print(state, session, path, Printed::Receipt).await
}

/// The invoice or receipt, to whoever holds the request's private link.
async fn print(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    printed: Printed,
) -> PageResult {
    let tn = valid_tracking_number(&state, &session, &path)?;
    let token = held_token(&state, &session, &tn)?;
    let case = requester_case(&state, &tn, token)
        .await
        .map_err(|e| page_error(&layout(&state, &session), e))?;
    Ok(document(
        &state,
        layout(&state, &session),
        &case,
        printed,
        format!("/requests/{tn}"),
    ))
}
