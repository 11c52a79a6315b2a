//! Response documents on the pages: staff attach files and links on the case page and release
//! them; the requester downloads released files from the tracking page. The same workflow
//! steps and upload reader as the JSON API.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::forms::FormData;
use super::staff::{case_page, csrf_check, load_case, signed_in, staff_step, tracking};
use super::{page_error, session, Layout, PageError, PageResult};
use crate::domain::documents::parse_link;
use crate::domain::input::{limits, Text, TrackingNumber};
use crate::domain::FieldErrors;
use crate::web::api::documents::{document_id, receive_file, redaction, send};
use crate::web::error::ApiError;
use crate::web::upload;
use crate::web::AppState;
use crate::workflow::documents::{self as docs, NewLink};
use crate::workflow::{Caller, StaffAccount, WorkflowError};

/// An upload refused before it reached the workflow, as the case page explains it.
fn refusal(error: &ApiError) -> WorkflowError {
    let mut message = format!("The file was not attached: {}.", error.message);
    if let Some(fields) = &error.fields {
        message = fields
            .0
            .values()
            .flatten()
            .map(|m| format!("The file was not attached: {m}."))
            .collect::<Vec<_>>()
            .join(" ");
    }
    WorkflowError::Conflict {
        code: error.body_code,
        message,
    }
}

/// The case page again, with why the upload was refused.
async fn refused_upload(
    state: &web::Data<AppState>,
    session: &Session,
    layout: Layout,
    account: &StaffAccount,
    tn: &str,
    error: ApiError,
) -> PageResult {
    if error.status == StatusCode::NOT_FOUND {
        return Err(PageError::not_found(layout));
    }
    if error.status.is_server_error() {
        return Err(PageError::internal(layout));
    }
    let case = load_case(state, account, tn)
        .await
        .map_err(|e| page_error(&layout, e))?;
    Ok(case_page(
        state,
        session,
        layout,
        account,
        case,
        error.status,
        None,
        Some(&refusal(&error)),
    ))
}

/// `POST /staff/requests/{tn}/documents`: a `multipart/form-data` form with the file.
pub async fn attach(
    state: web::Data<AppState>,
    session: Session,
    req: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
) -> PageResult {
    let (account, layout) = match signed_in(&state, &session).await {
        Ok(signed_in) => signed_in,
        Err(e) => {
            upload::discard(payload).await;
            return Err(e);
        }
    };
    let tn = match tracking(&path, &layout) {
        Ok(tn) => tn,
        Err(e) => {
            upload::discard(payload).await;
            return Err(e);
        }
    };
    let caller = Caller::Staff(account.clone());
    let outcome = receive_file(&state, &req, payload, caller, tn.clone(), &["csrf"], |upload| {
        let csrf = FormData(
            [("csrf".to_string(), upload.field("csrf").unwrap_or("").to_string())].into(),
        );
        csrf_check(&session, &csrf, &layout).map_err(|_| {
            ApiError::forbidden(
                "this form has expired or did not come from this site; reload the page and try again",
            )
        })
    })
    .await;
    match outcome {
        Ok(_) => {
            session::set_flash(
                &session,
                "The file is attached. The requester sees it once you release it.",
            );
            Ok(super::see_other(&format!("/staff/requests/{tn}")))
        }
        Err(e) => refused_upload(&state, &session, layout, &account, &tn, e).await,
    }
}

/// `POST /staff/requests/{tn}/links`
pub async fn attach_link(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    data: FormData,
) -> PageResult {
    let mut errors = FieldErrors::default();
    let title = errors.check("title", Text::line(&data.get("title"), limits::NAME));
    let url = errors.check("url", parse_link(data.get("url").trim()));
    let note = data.get("redaction_note");
    let exemption = data.get("exemption");
    let redaction = redaction(&mut errors, Some(&note), Some(&exemption));
    staff_step(
        state,
        session,
        &path,
        FormData(data.0.clone()),
        "links",
        "The link is attached. The requester sees it once you release it.",
        move |conn, ctx, caller, tn| {
            errors.clone().into_result()?;
            let (Some(title), Some(url)) = (title, url) else {
                return Err(WorkflowError::Invalid(errors));
            };
            docs::add_link(conn, ctx, caller, tn, &NewLink { title, url }, &redaction)
        },
    )
    .await
}

/// `POST /staff/requests/{tn}/release`: one checkbox `release_<id>` per document.
pub async fn release(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    data: FormData,
) -> PageResult {
    let ids: Vec<i64> = data
        .0
        .keys()
        .filter_map(|k| k.strip_prefix("release_"))
        .filter_map(|id| id.parse().ok())
        .collect();
    staff_step(
        state,
        session,
        &path,
        FormData(data.0.clone()),
        "release",
        "Released. The requester has been emailed and can download them from their private link.",
        move |conn, ctx, caller, tn| docs::release(conn, ctx, caller, tn, &ids),
    )
    .await
}

async fn download_as(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    layout: &Layout,
    caller: Caller,
    tn: String,
    raw_id: &str,
) -> PageResult {
    let id = document_id(raw_id).map_err(|_| PageError::not_found(layout.clone()))?;
    send(state, req, caller, tn, id).await.map_err(|e| {
        if e.status == StatusCode::NOT_FOUND {
            PageError::not_found(layout.clone())
        } else {
            PageError::internal(layout.clone())
        }
    })
}

/// `GET /staff/requests/{tn}/documents/{id}`: any document of a request staff may see.
pub async fn staff_download(
    state: web::Data<AppState>,
    session: Session,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> PageResult {
    let (account, layout) = signed_in(&state, &session).await?;
    let (raw_tn, raw_id) = path.into_inner();
    let tn = tracking(&raw_tn, &layout)?;
    download_as(&state, &req, &layout, Caller::Staff(account), tn, &raw_id).await
}

/// `GET /requests/{tn}/documents/{id}`: a released file, for the browser holding the
/// request's private link. Anyone else is told there is no such page.
pub async fn requester_download(
    state: web::Data<AppState>,
    session: Session,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let layout = Layout::new(&state, session::csrf(&session), None);
    let (raw_tn, raw_id) = path.into_inner();
    let tn = TrackingNumber::parse(&raw_tn)
        .map(|t| t.to_string())
        .ok_or_else(|| PageError::not_found(layout.clone()))?;
    let token = session::request_token(&session, &tn)
        .ok_or_else(|| PageError::not_found(layout.clone()))?;
    download_as(
        &state,
        &req,
        &layout,
        Caller::Requester { token },
        tn,
        &raw_id,
    )
    .await
}
