//! `/requests/{tn}/letters`: the requester's letters about their request, each to print or
//! download as a PDF (docs/PRODUCT.md, "Letters"), for whoever holds its private link.

use actix_session::Session;
use actix_web::web;

use super::{held_token, layout, valid_tracking_number};
use crate::app::letters::Version;
use crate::app::Caller;
use crate::domain::input::TrackingNumber;
use crate::domain::notices::NoticeKind;
use crate::web::pages::letters;
use crate::web::pages::problem::page_error;
use crate::web::pages::PageResult;
use crate::web::pages::{Layout, PageError};
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
/// The letter a path and query name, for the holder of the request's private link.
async fn letter_of(
    state: &web::Data<AppState>,
    session: &Session,
    path: (String, String, String),
    which: Option<web::Query<letters::Which>>,
) -> Result<(Caller, TrackingNumber, i64, NoticeKind, Version, Layout), PageError> {
    let (tn, seq, notice) = path;
    let tn = valid_tracking_number(state, session, &tn)?;
    let token = held_token(state, session, &tn)?;
    let layout = layout(state, session);
    let (seq, kind) = letters::named(&layout, &seq, &notice)?;
    let version = letters::version(&layout, which)?;
    Ok((Caller::Requester { token }, tn, seq, kind, version, layout))
}

/// `GET /requests/{tracking_number}/letters/{seq}/{notice}[?original=en]`: the letter to
/// print, or its English original.
pub async fn page(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(String, String, String)>,
    which: Option<web::Query<letters::Which>>,
) -> PageResult {
    let (caller, tn, seq, kind, version, layout) =
        letter_of(&state, &session, path.into_inner(), which).await?;
    let letter = state
        .app
        .letter(caller, tn.clone(), seq, kind, version)
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
    let (caller, tn, seq, kind, version, layout) =
        letter_of(&state, &session, path.into_inner(), which).await?;
    let (letter, bytes) = state
        .app
        .letter_pdf(caller, tn, seq, kind, version)
        .await
        .map_err(|e| page_error(&layout, e))?;
    Ok(letters::pdf(&letter, bytes))
}
