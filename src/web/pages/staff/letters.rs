//! `/staff/requests/{tn}/letters`: the request's letters to its requester, each to print or
//! download as a PDF (docs/PRODUCT.md, "Letters").

use actix_session::Session;
use actix_web::web;

use super::signed_in_on;
use crate::app::Caller;
use crate::web::pages::letters;
use crate::web::pages::problem::page_error;
use crate::web::pages::PageResult;
use crate::web::AppState;

/// `GET /staff/requests/{tracking_number}/letters`
pub async fn list(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
) -> PageResult {
    let (account, layout, tn) = signed_in_on(&state, &session, &path).await?;
    let entries = state
        .app
        .letters(Caller::Staff(account), tn.clone())
        .await
        .map_err(|e| page_error(&layout, e))?;
    Ok(letters::list(
        layout,
        tn.as_str(),
        entries,
        format!("/staff/requests/{tn}"),
        format!("/staff/requests/{tn}/letters"),
    ))
}

/// `GET /staff/requests/{tracking_number}/letters/{seq}/{notice}[?original=en]`: the letter
/// to print, or its English original.
pub async fn page(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(String, String, String)>,
    which: Option<web::Query<letters::Which>>,
) -> PageResult {
    let (tn, seq, notice) = path.into_inner();
    let (account, layout, tn) = signed_in_on(&state, &session, &tn).await?;
    let (seq, kind) = letters::named(&layout, &seq, &notice)?;
    let version = letters::version(&layout, which)?;
    let letter = state
        .app
        .letter(Caller::Staff(account), tn.clone(), seq, kind, version)
        .await
        .map_err(|e| page_error(&layout, e))?;
    Ok(letters::page(
        &state,
        layout,
        letter,
        format!("/staff/requests/{tn}/letters"),
    ))
}

/// `GET /staff/requests/{tracking_number}/letters/{seq}/{notice}.pdf[?original=en]`
pub async fn pdf(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(String, String, String)>,
    which: Option<web::Query<letters::Which>>,
) -> PageResult {
    let (tn, seq, notice) = path.into_inner();
    let (account, layout, tn) = signed_in_on(&state, &session, &tn).await?;
    let (seq, kind) = letters::named(&layout, &seq, &notice)?;
    let version = letters::version(&layout, which)?;
    let (letter, bytes) = state
        .app
        .letter_pdf(Caller::Staff(account), tn, seq, kind, version)
        .await
        .map_err(|e| page_error(&layout, e))?;
    Ok(letters::pdf(&letter, bytes))
}
