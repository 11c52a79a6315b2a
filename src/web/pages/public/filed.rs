//! `GET /requests/{tracking_number}/filed`: the confirmation, with the private link, for the
//! browser that filed the request or the complaint.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;

use super::{held_token, layout, requester_case, valid_tracking_number};
use crate::notify::render::long_date_in;
use crate::web::pages::problem::page_error;
use crate::web::pages::{render, Layout, PageResult};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "pages/filed.html")]
struct Filed {
    layout: Layout,
    tracking_number: String,
    due: String,
    private_url: String,
    /// No email address was given: the link on this page is the only way back.
    no_email: bool,
    /// A complaint, which the department looks into by the city's target: said in its words.
    complaint: bool,
    /// The kinds of file a requester may send, and how large, in words.
    file_types: String,
    file_limit: String,
}

impl Filed {
    /// The request's message, or the complaint's in its place.
    fn pick<'a>(&self, request: &'a str, complaint: &'a str) -> &'a str {
        match self.complaint {
            true => complaint,
            false => request,
        }
    }
}

pub async fn page(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
) -> PageResult {
    let tn = valid_tracking_number(&state, &session, &path)?;
    let token = held_token(&state, &session, &tn)?;
    let case = requester_case(&state, &tn, token.clone())
        .await
        .map_err(|e| page_error(&layout(&state, &session), e))?;
    let private_url = format!(
        "{}/requests/{}?token={}",
        state.app.ctx().public_url,
        tn,
        token
    );
    Ok(render(
        StatusCode::OK,
        &Filed {
            layout: layout(&state, &session),
            tracking_number: tn.to_string(),
            due: long_date_in(crate::web::language::current(), case.determination_due),
            private_url,
            no_email: case.requester.email.is_none(),
            complaint: case.kind.is_complaint(),
            file_types: crate::domain::documents::allowed_list(),
            file_limit: crate::notify::render::size_in_words(state.app.files().max_bytes()),
        },
    ))
}
