//! `/requests/{tracking_number}/files…`: from the tracking page the requester sends a file
//! with a few words about it (a `multipart/form-data` form read by the same upload reader and
//! the same step as the API's), and downloads the files they sent. Staff download them from
//! the case page through `sent_file_as`.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest};

use super::{held_token, layout, requester_case, tracking, valid_tracking_number, Drafts};
use crate::app::requester_files::RawSentFile;
use crate::app::{AppError, Caller};
use crate::domain::ids::RequesterFileId;
use crate::domain::input::TrackingNumber;
use crate::domain::FieldErrors;
use crate::web::api::documents::serve_stored;
use crate::web::error::ApiError;
use crate::web::pages::problem::{page_error, Problem, Shown};
use crate::web::pages::{see_other, session, Layout, PageError, PageResult};
use crate::web::upload::{self, UploadError};
use crate::web::AppState;
use crate::wording::word;

/// `POST /requests/{tn}/files`: the file, its message, the form's CSRF token.
pub async fn send(
    state: web::Data<AppState>,
    session: Session,
    req: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
) -> PageResult {
    let held = valid_tracking_number(&state, &session, &path)
        .and_then(|tn| held_token(&state, &session, &tn).map(|token| (tn, token)));
    let (tn, token) = match held {
        Ok(held) => held,
        Err(e) => {
            upload::discard(payload).await;
            return Err(e);
        }
    };
    let caller = Caller::Requester {
        token: token.clone(),
    };
    // Whether they may send at all, before the file is read.
    let allowed = match upload::check_declared_length(&req, state.app.files()) {
        Err(e) => Err(Refusal::Upload(e)),
        Ok(()) => state
            .app
            .may_send_file(caller.clone(), tn.clone())
            .await
            .map_err(Refusal::App),
    };
    if let Err(refusal) = allowed {
        upload::discard(payload).await;
        return refused(&state, &session, tn, token, refusal, String::new()).await;
    }
    let mut form = match upload::read(
        &req,
        payload,
        state.app.files().clone(),
        "file",
        &["csrf", "file_message"],
    )
    .await
    {
        Ok(form) => form,
        Err(e) => {
            return refused(
                &state,
                &session,
                tn,
                token,
                Refusal::Upload(e),
                String::new(),
            )
            .await
        }
    };
    if !session::csrf_ok(&session, form.field("csrf").unwrap_or("")) {
        return Err(PageError::stale_form(layout(&state, &session)));
    }
    let message = form.field("file_message").unwrap_or("").to_string();
    // A form sent without a file chosen still has the part, empty and nameless.
    let file = form
        .file
        .take()
        .filter(|f| !(form.file_name.is_empty() && f.size() == 0));
    let raw = RawSentFile {
        file_name: std::mem::take(&mut form.file_name),
        file,
        body: Some(message.clone()),
    };
    match state.app.send_file(caller, tn.clone(), raw).await {
        Ok(_) => {
            session::set_flash(
                &session,
                &word(crate::web::language::current(), "done-file"),
            );
            Ok(see_other(&format!("/requests/{tn}")))
        }
        Err(e) => {
            let e = e.renamed_field("body", "file_message");
            refused(&state, &session, tn, token, Refusal::App(e), message).await
        }
    }
}

/// Why a file was not taken.
enum Refusal {
    Upload(UploadError),
    App(AppError),
}

/// The tracking page again, saying what was wrong with the file, with the words they typed.
async fn refused(
    state: &AppState,
    session: &Session,
    tn: TrackingNumber,
    token: String,
    refusal: Refusal,
    typed: String,
) -> PageResult {
    let page_layout = layout(state, session);
    let shown = match refusal {
        Refusal::App(e) => match Problem::of(
            &page_layout,
            super::refusals::plainly(page_layout.t.language(), e),
        ) {
            Problem::Page(page) => return Err(page),
            Problem::OnForm(shown) => shown,
        },
        Refusal::Upload(e) => upload_problem(&page_layout, e)?,
    };
    let case = requester_case(state, &tn, token)
        .await
        .map_err(|e| page_error(&page_layout, e))?;
    let shown = Shown {
        status: shown.status.max(400),
        ..shown
    };
    let drafts = Drafts {
        file_message: typed,
        ..Default::default()
    };
    Ok(tracking::render_page(state, session, case, shown, drafts).await)
}

/// An upload refused as it was read, said beside the file field as the API says it.
fn upload_problem(layout: &Layout, e: UploadError) -> Result<Shown, PageError> {
    let said = ApiError::from(e);
    if said.status.is_server_error() {
        return Err(PageError::internal(layout.clone()));
    }
    let mut fields = said.fields.unwrap_or_default();
    if fields.is_empty() {
        fields = FieldErrors::default();
        fields.add("file", said.message);
    }
    Ok(Shown {
        status: said.status.as_u16(),
        fields,
        message: String::new(),
    })
}

/// `GET /requests/{tn}/files/{id}`: a file this browser's requester sent.
pub async fn download(
    state: web::Data<AppState>,
    session: Session,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> PageResult {
    let (raw_tn, raw_id) = path.into_inner();
    let tn = valid_tracking_number(&state, &session, &raw_tn)?;
    let token = held_token(&state, &session, &tn)?;
    let layout = layout(&state, &session);
    sent_file_as(
        &state,
        &req,
        &layout,
        Caller::Requester { token },
        tn,
        &raw_id,
    )
    .await
}

/// Sends a file the requester sent to this caller, or no such page.
pub(in crate::web::pages) async fn sent_file_as(
    state: &AppState,
    req: &HttpRequest,
    layout: &Layout,
    caller: Caller,
    tn: TrackingNumber,
    raw_id: &str,
) -> PageResult {
    let not_found = || PageError::not_found(layout.clone());
    let id = raw_id
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(RequesterFileId)
        .ok_or_else(not_found)?;
    let file = state
        .app
        .find_sent_file(caller, tn, id)
        .await
        .map_err(|e| match e {
            AppError::NotFound => not_found(),
            _ => PageError::internal(layout.clone()),
        })?;
    serve_stored(state, req, &file.sha256, &file.title, &file.content_type)
        .await
        .map_err(|e| match e.status {
            StatusCode::NOT_FOUND => not_found(),
            _ => PageError::internal(layout.clone()),
        })
}
