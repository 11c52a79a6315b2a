//! `/requests/find`: "Find your request". A requester who has lost their private link gives
//! the tracking number and the email they filed with; if both match, a new link goes to that
//! email (app/links.rs). The answer is the same whether or not they match, so the form tells
//! nobody which requests exist or who filed them; it counts against the same per-address limit
//! as filing, and each request gets at most `RESENDS_PER_HOUR` new links an hour.
//!
//! The tracking page shows the same form when this browser holds no link for the request
//! (an old bookmark, another device, a link staff turned off), with 404: nothing of the
//! request is shown.

use crate::wording::{say, word, Arg};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::layout;
use crate::app::links::Resend;
use crate::domain::input::TrackingNumber;
use crate::web::pages::forms::{FormData, SummaryItem};
use crate::web::pages::problem::{page_error, PageError};
use crate::web::pages::{render, session, Layout, PageResult};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "pages/find.html")]
struct FindPage {
    layout: Layout,
    /// Shown from the tracking page: this browser could not open the request.
    from_tracking: bool,
    tracking_number: String,
    email: String,
    tracking_number_error: String,
    email_error: String,
    summary: Vec<SummaryItem>,
}

#[derive(Template)]
#[template(path = "pages/find_sent.html")]
struct SentPage {
    layout: Layout,
}

#[derive(Debug, Deserialize)]
pub struct FindQuery {
    tracking_number: Option<String>,
}

pub async fn page(
    state: web::Data<AppState>,
    session: Session,
    query: web::Query<FindQuery>,
) -> HttpResponse {
    let tracking_number = query
        .into_inner()
        .tracking_number
        .and_then(|raw| TrackingNumber::parse(raw.trim()))
        .map(|tn| tn.as_str().to_string())
        .unwrap_or_default();
    form(&state, &session, StatusCode::OK, false, tracking_number)
}

/// The form, blank but for the tracking number.
pub(super) fn form(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    from_tracking: bool,
    tracking_number: String,
) -> HttpResponse {
    render(
        status,
        &FindPage {
            layout: layout(state, session),
            from_tracking,
            tracking_number,
            email: String::new(),
            tracking_number_error: String::new(),
            email_error: String::new(),
            summary: vec![],
        },
    )
}

pub async fn send(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    data: FormData,
) -> PageResult {
    if !session::csrf_ok(&session, &data.get("csrf")) {
        return Err(PageError::stale_form(layout(&state, &session)));
    }
    let typed_number = data.get("tracking_number").trim().to_uppercase();
    let email = data.get("email").trim().to_string();
    let tracking_number = TrackingNumber::parse(&typed_number);
    let language = crate::web::language::current();
    let mut page = FindPage {
        layout: layout(&state, &session),
        from_tracking: false,
        tracking_number: typed_number.clone(),
        email: email.clone(),
        tracking_number_error: String::new(),
        email_error: String::new(),
        summary: vec![],
    };
    if typed_number.is_empty() {
        page.tracking_number_error = word(language, "find-tracking-number-missing");
    } else if tracking_number.is_none() {
        page.tracking_number_error = word(language, "find-tracking-number-invalid");
    }
    if email.is_empty() {
        page.email_error = word(language, "find-email-missing");
    } else if !email.contains('@') {
        page.email_error = word(language, "find-email-invalid");
    }
    for (id, message) in [
        ("f-tracking-number", &page.tracking_number_error),
        ("f-email", &page.email_error),
    ] {
        if !message.is_empty() {
            page.summary.push(SummaryItem {
                id: id.into(),
                label: String::new(),
                message: message.clone(),
            });
        }
    }
    let Some(tracking_number) = tracking_number.filter(|_| page.summary.is_empty()) else {
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page));
    };
    if let Err(wait) = state
        .throttle
        .submission(state.throttle.address(&req))
        .await
    {
        let minutes = wait.as_secs().div_ceil(60).max(1);
        return Err(PageError::TooMany(
            Box::new(page.layout),
            say(
                language,
                "find-too-many",
                &[(
                    "minutes",
                    Arg::Number(i64::try_from(minutes).unwrap_or(i64::MAX)),
                )],
            ),
            wait,
        ));
    }
    match state.app.resend_link(tracking_number, email).await {
        Ok(outcome) => {
            // Which of the three it was is for the log only; the visitor is told the same.
            let said = match outcome {
                Resend::Sent => "a new link is queued",
                Resend::NoMatch => "no request matched",
                Resend::Limited => "this request had its new links for the hour",
            };
            log::info!(
                "[{}] find your request: {said}",
                crate::web::request_id::current()
            );
            Ok(render(
                StatusCode::OK,
                &SentPage {
                    layout: layout(&state, &session),
                },
            ))
        }
        Err(e) => Err(page_error(&layout(&state, &session), e)),
    }
}
