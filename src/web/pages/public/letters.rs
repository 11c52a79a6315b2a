//! `/requests/{tn}/letters`: the requester's letters about their request, each to print or
//! download as a PDF (docs/PRODUCT.md, "Letters"), for whoever holds its private link.

use actix_session::Session;
use actix_web::web;

use super::{held_token, layout, valid_tracking_number};
use crate::app::Caller;
use crate::web::pages::letters;
use crate::web::pages::problem::page_error;
use crate::web::pages::PageResult;
use crate::web::AppState;

/// `GET /requests/{tracking_number}/letters`
pub async fn list(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
) -> PageResult {
    let tn = valid_tracking_number(&state, &session, &path)?;
    let token = held_token(&state, &session, &tn)?;
    let layout = layout(&state, &session);
    let entries = state
        .app
        .letters(Caller::Requester { token }, tn.clone())
        .await
        .map_err(|e| page_error(&layout, e))?;
    Ok(letters::list(
        layout,
        tn.as_str(),
        entries,
        format!("/requests/{tn}"),
        format!("/requests/{tn}/letters"),
    ))
}

/// The letter the path names, for the holder of the request's private link.
/// `GET /requests/{tracking_number}/letters/{seq}/{notice}[?original=en]`: the letter to
/// print, or its English original.
pub async fn page(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(String, String, String)>,
    which: Option<web::Query<letters::Which>>,
) -> PageResult {
    let (tn, seq, notice) = path.into_inner();
    let tn = valid_tracking_number(&state, &session, &tn)?;
    let token = held_token(&state, &session, &tn)?;
    let layout = layout(&state, &session);
    let (seq, kind) = letters::named(&layout, &seq, &notice)?;
    let version = letters::version(&layout, which)?;
    let letter = state
        .app
        .letter(Caller::Requester { token }, tn.clone(), seq, kind, version)
        .await
        .map_err(|e| page_error(&layout, e))?;
    let base = format!("/requests/{tn}/letters");
    Ok(letters::page(&state, layout, letter, base))
}

/// `GET /requests/{tracking_number}/letters/{seq}/{notice}.pdf[?original=en]`
pub async fn pdf(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(String, String, String)>,
    which: Option<web::Query<letters::Which>>,
) -> PageResult {
    let (tn, seq, notice) = path.into_inner();
    let tn = valid_tracking_number(&state, &session, &tn)?;
    let token = held_token(&state, &session, &tn)?;
    let layout = layout(&state, &session);
    let (seq, kind) = letters::named(&layout, &seq, &notice)?;
    let version = letters::version(&layout, which)?;
    let (letter, bytes) = state
        .app
        .letter_pdf(Caller::Requester { token }, tn, seq, kind, version)
        .await
        .map_err(|e| page_error(&layout, e))?;
    Ok(letters::pdf(&letter, bytes))
}
