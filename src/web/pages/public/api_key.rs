//! `POST /requests/{tracking_number}/api-key`: "Get your API key", shown once, on this page,
//! never again (and never cached).

use crate::wording::word;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;

use super::{held_token, layout, requester_step, valid_tracking_number, Drafts};
use crate::app::api_keys::ClaimedKey;
use crate::app::{AppError, Caller};
use crate::web::pages::forms::{FormData, Posted};
use crate::web::pages::problem::page_error;
use crate::web::pages::{local_time, render, see_other, session, Layout, PageError, PageResult};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "pages/api_key.html")]
struct ApiKeyPage {
    layout: Layout,
    tracking_number: String,
    key: ClaimedKey,
    expires: Option<String>,
    /// Each dataset the key opens: its identifier, title and the address its data is at.
    datasets: Vec<(String, String, Option<String>)>,
    /// The address the usage example calls.
    example_url: String,
}

impl ApiKeyPage {
    fn request_url(&self) -> String {
        format!("/requests/{}", self.tracking_number)
    }
}

pub async fn claim(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    data: FormData,
) -> PageResult {
    let tn = valid_tracking_number(&state, &session, &path)?;
    if !session::csrf_ok(&session, &data.get("csrf")) {
        return Err(PageError::stale_form(layout(&state, &session)));
    }
    let token = held_token(&state, &session, &tn)?;
    match state
        .app
        .claim_key(Caller::Requester { token }, tn.clone())
        .await
    {
        Ok(key) => {
            let mut datasets = Vec::new();
            for id in &key.scopes {
                datasets.push(match state.app.dataset(id.clone()).await {
                    Ok(found) => (
                        id.clone(),
                        found.title,
                        found.distributions.first().map(|d| d.url.clone()),
                    ),
                    Err(_) => (id.clone(), id.clone(), None),
                });
            }
            let example_url = datasets
                .iter()
                .find_map(|(_, _, url)| url.clone())
                .unwrap_or_else(|| "https://data.example.gov/the-dataset".into());
            let mut response = render(
                StatusCode::OK,
                &ApiKeyPage {
                    layout: layout(&state, &session),
                    tracking_number: tn.to_string(),
                    expires: key.expires_at.map(|at| local_time(&state, at)),
                    datasets,
                    example_url,
                    key,
                },
            );
            response.headers_mut().insert(
                actix_web::http::header::CACHE_CONTROL,
                actix_web::http::header::HeaderValue::from_static("no-store"),
            );
            Ok(response)
        }
        // Already claimed, revoked or expired, or never granted: said on the tracking page.
        Err(e @ (AppError::Gone(_) | AppError::Conflict(_))) => {
            let language = crate::web::language::current();
            let said = match e {
                AppError::Gone(_) => crate::wording::word(language, "refusal-key-gone"),
                other => super::refusals::plainly(language, other).to_string(),
            };
            session::set_flash(&session, &said);
            Ok(see_other(&format!("/requests/{tn}")))
        }
        Err(e) => Err(page_error(&layout(&state, &session), e)),
    }
}

/// `POST /requests/{tracking_number}/api-key/lost`: the requester says their key is lost and asks
/// for a new one; staff give it, and the requester collects it here as the first.
pub async fn lost(posted: Posted) -> PageResult {
    let reason = posted.data.get("lost_reason");
    let drafts = Drafts {
        lost_reason: reason.clone(),
        ..Default::default()
    };
    let done = word(crate::web::language::current(), "done-key-lost");
    requester_step(
        posted,
        Ok(()),
        drafts,
        &done,
        |app, caller, tn, ()| async move {
            app.ask_key_replacement(caller, tn, Some(reason))
                .await
                .map_err(|e| e.renamed_field("reason", "lost_reason"))
        },
    )
    .await
}
