//! The staff pages, one file each: sign-in, the queue, the case page and the steps taken from
//! it, failed notices.

pub mod admin;
pub mod assign;
pub mod case;
pub mod documents;
pub mod export;
pub mod fee_estimate;
pub mod fees;
pub mod intake;
pub mod letters;
pub mod login;
pub mod mail;
pub mod message;
pub mod note;
pub mod notices;
pub mod password;
pub mod post;
pub mod publication;
pub mod queue;
pub mod release_check;
pub mod replace_key;
pub mod revoke_key;
pub mod revoke_links;
pub mod search;
pub mod steps;

use actix_session::Session;
use actix_web::web;

use super::forms::{FormData, Posted};
use super::problem::{page_error, Problem};
use super::{attempt, see_other, session, Layout, PageError, PageResult};
use crate::app::view::Case;
use crate::app::{App, AppError, Caller, StaffAccount};
use crate::domain::input::TrackingNumber;
use crate::domain::FieldErrors;
use crate::web::AppState;

/// The signed-in staff member, or off to the sign-in page.
pub(super) async fn signed_in(
    state: &web::Data<AppState>,
    session: &Session,
) -> Result<(StaffAccount, Layout), PageError> {
    let token = session::staff_token(session).ok_or(PageError::SignIn)?;
    match state.app.staff_by_token(token).await {
        Ok(Some(account)) => {
            let mut layout = Layout::new(state, session::csrf(session), Some(account.name.clone()));
            layout.admin = account.role == crate::domain::Role::Admin;
            Ok((account, layout))
        }
        Ok(None) => {
            session::sign_out(session);
            Err(PageError::SignIn)
        }
        Err(e) => Err(page_error(&Layout::new(state, String::new(), None), e)),
    }
}

pub(super) fn csrf_check(
    session: &Session,
    data: &FormData,
    layout: &Layout,
) -> Result<(), PageError> {
    if session::csrf_ok(session, &data.get("csrf")) {
        Ok(())
    } else {
        Err(PageError::stale_form(layout.clone()))
    }
}

pub(super) fn tracking(raw: &str, layout: &Layout) -> Result<TrackingNumber, PageError> {
    TrackingNumber::parse(raw).ok_or_else(|| PageError::not_found(layout.clone()))
}

/// The signed-in staff member and the request a page is about.
pub(super) async fn signed_in_on(
    state: &web::Data<AppState>,
    session: &Session,
    raw_tn: &str,
) -> Result<(StaffAccount, Layout, TrackingNumber), PageError> {
    let (account, layout) = signed_in(state, session).await?;
    let tn = tracking(raw_tn, &layout)?;
    Ok((account, layout, tn))
}

/// Runs a staff step from the case page: on success back to the case with a flash line; on a
/// refusal the case page again, with the form as typed (`key` names it) and what went wrong.
pub(super) async fn staff_step<T, F, Fut>(
    posted: Posted,
    parsed: Result<T, FieldErrors>,
    key: &str,
    done: &str,
    step: F,
) -> PageResult
where
    F: FnOnce(App, Caller, TrackingNumber, T) -> Fut,
    Fut: std::future::Future<Output = Result<Case, AppError>>,
{
    let Posted {
        state,
        session,
        tracking_number,
        data,
    } = posted;
    let (account, layout) = signed_in(&state, &session).await?;
    let tn = tracking(&tracking_number, &layout)?;
    csrf_check(&session, &data, &layout)?;
    let caller = Caller::Staff(account.clone());
    match attempt(&state.app, caller, &tn, parsed, step).await {
        Ok(_) => {
            session::set_flash(&session, done);
            Ok(see_other(&format!("/staff/requests/{tn}")))
        }
        Err(e) => match Problem::of(&layout, e) {
            Problem::Page(page) => Err(page),
            Problem::OnForm(shown) => {
                let case = case::load(&state, &account, &tn)
                    .await
                    .map_err(|e| page_error(&layout, e))?;
                Ok(case::render_page(
                    &state,
                    &session,
                    layout,
                    &account,
                    case,
                    shown,
                    Some((key, &data)),
                )
                .await)
            }
        },
    }
}
