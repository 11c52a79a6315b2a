//! The requester's pages, one file each: home, the request form, the confirmation, the private
//! tracking page and the steps taken from it.

pub mod api_key;
pub mod appeal;
pub mod complaint_form;
pub mod download;
pub mod fees;
pub mod filed;
pub mod files;
pub mod find;
pub mod home;
pub mod letters;
pub mod message;
pub mod reading_room;
pub mod reading_room_export;
pub mod refusals;
pub mod request_form;
pub mod tracking;
pub mod withdraw;

use actix_session::Session;

pub use request_form::submission_from_form;

use super::forms::Posted;
use super::problem::{page_error, Problem, Shown};
use super::{attempt, see_other, session, Layout, PageError, PageResult};
use crate::app::view::Case;
use crate::app::{App, AppError, Caller};
use crate::domain::input::TrackingNumber;
use crate::domain::FieldErrors;
use crate::web::AppState;

pub(super) fn layout(state: &AppState, session: &Session) -> Layout {
    Layout::new(state, session::csrf(session), None)
}

/// A tracking number that cannot exist names no page.
pub(super) fn valid_tracking_number(
    state: &AppState,
    session: &Session,
    raw: &str,
) -> Result<TrackingNumber, PageError> {
    TrackingNumber::parse(raw).ok_or_else(|| PageError::not_found(layout(state, session)))
}

/// The private token this browser holds for the request, or no such page.
pub(super) fn held_token(
    state: &AppState,
    session: &Session,
    tn: &TrackingNumber,
) -> Result<String, PageError> {
    session::request_token(session, tn.as_str())
        .ok_or_else(|| PageError::not_found(layout(state, session)))
}

/// The requester's own view of a request, with the token this browser holds for it.
pub(super) async fn requester_case(
    state: &AppState,
    tn: &TrackingNumber,
    token: String,
) -> Result<Case, AppError> {
    state
        .app
        .case(Caller::Requester { token }, tn.clone())
        .await
}

/// What the requester typed into the tracking page's forms, kept when a step is refused.
#[derive(Default)]
pub(super) struct Drafts {
    pub message: String,
    pub file_message: String,
    pub grounds: String,
    pub lost_reason: String,
}

/// Runs a requester's step from the tracking page: on success back to it with a flash line;
/// refused, the tracking page again with what went wrong and what they typed.
pub(super) async fn requester_step<T, F, Fut>(
    posted: Posted,
    parsed: Result<T, FieldErrors>,
    drafts: Drafts,
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
    let tn = valid_tracking_number(&state, &session, &tracking_number)?;
    if !session::csrf_ok(&session, &data.get("csrf")) {
        return Err(PageError::stale_form(layout(&state, &session)));
    }
    let token = held_token(&state, &session, &tn)?;
    let caller = Caller::Requester {
        token: token.clone(),
    };
    let shown = match attempt(&state.app, caller, &tn, parsed, step).await {
        Ok(_) => {
            session::set_flash(&session, done);
            return Ok(see_other(&format!("/requests/{tn}")));
        }
        Err(e) => {
            let layout = layout(&state, &session);
            match Problem::of(&layout, refusals::plainly(layout.t.language(), e)) {
                Problem::Page(page) => return Err(page),
                Problem::OnForm(shown) => shown,
            }
        }
    };
    let case = requester_case(&state, &tn, token)
        .await
        .map_err(|e| page_error(&layout(&state, &session), e))?;
    // The tracking page answers every refused step alike: the form was not accepted.
    let shown = Shown {
        status: 422,
        ..shown
    };
    Ok(tracking::render_page(&state, &session, case, shown, drafts).await)
}
