//! The reading room for staff (docs/PRODUCT.md, "Reading room"): a request's publication page
//! (`/staff/requests/{tracking_number}/publication`: publish with a summary, keep out or
//! withdraw with a reason) and the requests ready for review (`/staff/reading-room`).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;
use serde::Deserialize;

use super::{csrf_check, signed_in, signed_in_on};
use crate::app::reading_room::{
    PublicationCommand, PublicationState, RawPublication, Ready, ReadyList,
};
use crate::app::{AppError, Caller};
use crate::web::pages::forms::{summary, Errors, FormData, SummaryItem};
use crate::web::pages::problem::page_error;
use crate::web::pages::{local_time, render, see_other, session, Layout, PageResult};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "pages/publication.html")]
struct PublicationPage {
    layout: Layout,
    state: PublicationState,
    status_words: String,
    changed: String,
    action: String,
    summary_text: String,
    reason: String,
    errors: Errors,
    summary: Vec<SummaryItem>,
    problem: String,
    flash: String,
}

fn status_words(state: &PublicationState) -> String {
    use crate::domain::publication::PublicationStatus as S;
    match state.current.as_ref().map(|p| p.status) {
        None if state.publishable => "Not yet decided: it may be published".into(),
        None => "Not publishable yet: its records have not been released or produced".into(),
        Some(S::Published) => "Published in the reading room".into(),
        Some(S::KeptOut) => "Kept out of the reading room".into(),
        Some(S::Withdrawn) => "Withdrawn from the reading room".into(),
    }
}

fn page_of(
    state: &AppState,
    layout: Layout,
    publication: PublicationState,
    typed: Option<&RawPublication>,
) -> PublicationPage {
    let summary_text = match typed {
        Some(raw) => raw.summary.clone().unwrap_or_default(),
        None => publication
            .current
            .as_ref()
            .and_then(|p| p.summary.clone())
            .unwrap_or_else(|| publication.description.clone()),
    };
    PublicationPage {
        status_words: status_words(&publication),
        changed: publication
            .current
            .as_ref()
            .map(|p| local_time(state, p.changed_at))
            .unwrap_or_default(),
        action: typed.and_then(|r| r.action.clone()).unwrap_or_default(),
        reason: typed.and_then(|r| r.reason.clone()).unwrap_or_default(),
        summary_text,
        state: publication,
        errors: Errors::default(),
        summary: vec![],
        problem: String::new(),
        flash: String::new(),
        layout,
    }
}

/// `GET /staff/requests/{tracking_number}/publication`.
pub async fn page(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
) -> PageResult {
    let (account, layout, tn) = signed_in_on(&state, &session, &path.into_inner()).await?;
    let publication = state
        .app
        .publication(Caller::Staff(account), tn)
        .await
        .map_err(|e| page_error(&layout, e))?;
    let mut page = page_of(&state, layout, publication, None);
    page.flash = session::take_flash(&session);
    Ok(render(StatusCode::OK, &page))
}

/// `POST /staff/requests/{tracking_number}/publication`.
pub async fn send(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    data: FormData,
) -> PageResult {
    let (account, layout, tn) = signed_in_on(&state, &session, &path.into_inner()).await?;
    csrf_check(&session, &data, &layout)?;
    let raw = RawPublication {
        action: data.opt("action"),
        summary: data.opt("summary"),
        reason: data.opt("reason"),
        version: data.version(),
    };
    let caller = Caller::Staff(account);
    let outcome = match PublicationCommand::try_from(&raw) {
        Ok(command) => {
            state
                .app
                .decide_publication(caller.clone(), tn.clone(), command)
                .await
        }
        Err(e) => Err(e),
    };
    let error = match outcome {
        Ok(_) => {
            session::set_flash(&session, "Done: the reading room is updated.");
            return Ok(see_other(&format!(
                "/staff/requests/{}/publication",
                tn.as_str()
            )));
        }
        Err(e) => e,
    };
    let publication = state
        .app
        .publication(caller, tn)
        .await
        .map_err(|e| page_error(&layout, e))?;
    let mut page = page_of(&state, layout.clone(), publication, Some(&raw));
    let status = match error {
        AppError::Invalid(errors) => {
            page.summary = summary(
                &errors,
                &[],
                &[
                    ("action", "f-action", "What to do"),
                    ("summary", "f-summary", "Public summary"),
                    ("reason", "f-reason", "Reason"),
                ],
            );
            page.errors = Errors(errors);
            StatusCode::UNPROCESSABLE_ENTITY
        }
        e @ (AppError::Conflict(_) | AppError::Stale { .. }) => {
            page.problem = e.to_string();
            StatusCode::CONFLICT
        }
        AppError::Forbidden(message) => {
            page.problem = message;
            StatusCode::FORBIDDEN
        }
        other => return Err(page_error(&layout, other)),
    };
    Ok(render(status, &page))
}

#[derive(Template)]
#[template(path = "pages/reading_room_ready.html")]
struct ReadyPage {
    layout: Layout,
    /// (request, released when, in words)
    items: Vec<(Ready, String)>,
    days: u32,
    /// A later page than the first.
    later: bool,
    next_url: Option<String>,
    /// The link followed does not name a page of this list.
    unknown_page: bool,
}

#[derive(Debug, Deserialize)]
pub struct ReadyQuery {
    after: Option<String>,
}

/// `GET /staff/reading-room[?after=…]`: a page of the requests released long enough ago, not
/// yet decided, among those this staff member manages.
pub async fn ready(
    state: web::Data<AppState>,
    session: Session,
    query: web::Query<ReadyQuery>,
) -> PageResult {
    let (account, layout) = signed_in(&state, &session).await?;
    let after = query.into_inner().after;
    let later = after.as_deref().is_some_and(|a| !a.trim().is_empty());
    let (list, unknown_page) = match state
        .app
        .ready_for_reading_room(Caller::Staff(account), after)
        .await
    {
        Ok(list) => (list, false),
        // A cursor this service did not give out (a link cut short, say).
        Err(AppError::Invalid(_)) => (ReadyList::default(), true),
        Err(e) => return Err(page_error(&layout, e)),
    };
    let next_url = list.next.as_ref().map(|cursor| {
        let query = serde_urlencoded::to_string([("after", cursor.as_str())]).unwrap_or_default();
        format!("/staff/reading-room?{query}")
    });
    let items = list
        .items
        .into_iter()
        .map(|r| {
            let at = local_time(&state, r.released_at);
            (r, at)
        })
        .collect();
    let status = if unknown_page {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    Ok(render(
        status,
        &ReadyPage {
            layout,
            items,
            days: state.app.ctx().publish_after_days,
            later: later && !unknown_page,
            next_url,
            unknown_page,
        },
    ))
}
