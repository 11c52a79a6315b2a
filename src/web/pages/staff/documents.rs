//! Response documents on the case page: staff attach files and links and release them; the
//! same steps and upload reader as the JSON API. Downloads for staff and the requester.

use actix_session::Session;
use actix_web::{web, HttpRequest};

use super::{csrf_check, release_check, signed_in, signed_in_on, staff_step, tracking};
use crate::app::documents::{NewLink, RawLink, RawRelease, Release};
use crate::app::{AppError, Caller, Conflict, StaffAccount};
use crate::domain::input::TrackingNumber;
use crate::web::api::documents::{document_id, send};
use crate::web::error::ApiError;
use crate::web::pages::forms::{FormData, Posted};
use crate::web::pages::problem::{page_error, Problem, Shown};
use crate::web::pages::{see_other, session, Layout, PageError, PageResult};
use crate::web::upload::{self, Refused};
use crate::web::AppState;

/// The case page again, with why the upload was refused.
async fn refused_upload(
    state: &web::Data<AppState>,
    session: &Session,
    layout: Layout,
    account: &StaffAccount,
    tn: &TrackingNumber,
    refused: Refused,
) -> PageResult {
    let shown = match refused {
        Refused::Form => return Err(PageError::stale_form(layout)),
        Refused::App(e) => match Problem::of(&layout, e) {
            Problem::Page(page) => return Err(page),
            Problem::OnForm(shown) => not_attached(shown),
        },
        Refused::Upload(e) => {
            // Said as the API says it: what was wrong with the form or its file.
            let said = ApiError::from(e);
            if said.status.is_server_error() {
                return Err(PageError::internal(layout));
            }
            let fields = said.fields.unwrap_or_default();
            let message = match fields.is_empty() {
                true => said.message,
                false => String::new(),
            };
            not_attached(Shown {
                status: said.status.as_u16(),
                fields,
                message,
            })
        }
    };
    let case = super::case::load(state, account, tn)
        .await
        .map_err(|e| page_error(&layout, e))?;
    Ok(super::case::render_page(state, session, layout, account, case, shown, None).await)
}

/// "The file was not attached: …", once for each thing wrong with it.
fn not_attached(shown: Shown) -> Shown {
    let mut messages: Vec<String> = shown.fields.0.values().flatten().cloned().collect();
    if !shown.message.is_empty() {
        messages.insert(0, shown.message.clone());
    }
    let message = messages
        .iter()
        .map(|m| format!("The file was not attached: {m}."))
        .collect::<Vec<_>>()
        .join(" ");
    Shown {
        status: shown.status,
        fields: Default::default(),
        message,
    }
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
    let outcome = upload::attach(
        &state,
        &req,
        payload,
        caller,
        tn.clone(),
        &["csrf"],
        |form| {
            let csrf = FormData(
                [(
                    "csrf".to_string(),
                    form.field("csrf").unwrap_or("").to_string(),
                )]
                .into(),
            );
            csrf_check(&session, &csrf, &layout).is_ok()
        },
    )
    .await;
    match outcome {
        Ok(_) => {
            session::set_flash(
                &session,
                "The file is attached. The requester sees it once you release it.",
            );
            Ok(see_other(&format!("/staff/requests/{tn}")))
        }
        Err(refused) => refused_upload(&state, &session, layout, &account, &tn, refused).await,
    }
}

/// `POST /staff/requests/{tn}/links`
pub async fn attach_link(posted: Posted) -> PageResult {
    let data = &posted.data;
    let parsed = NewLink::try_from(RawLink {
        title: Some(data.get("title")),
        url: Some(data.get("url")),
        redaction_note: Some(data.get("redaction_note")),
        exemption: Some(data.get("exemption")),
    });
    let done = "The link is attached. The requester sees it once you release it.";
    staff_step(
        posted,
        parsed,
        "links",
        done,
        |app, caller, tn, link| async move { app.attach_link(caller, tn, link).await },
    )
    .await
}

/// The ids of the fields `<prefix><id>` whose value is `on`.
fn ids_ticked(data: &FormData, prefix: &str) -> Vec<i64> {
    data.0
        .iter()
        .filter(|(_, value)| value.as_str() == "on")
        .filter_map(|(key, _)| key.strip_prefix(prefix))
        .filter_map(|id| id.parse().ok())
        .collect()
}

/// `POST /staff/requests/{tn}/release`: one checkbox `release_<id>` per document, and
/// `public_<id>` for those the public may see too (the rest go to the requester only). When
/// the release checks find something, the page "Check the documents before you release them"
/// (`release_check`) asks for the confirmation `confirm_findings`, and posts here again.
pub async fn release(posted: Posted) -> PageResult {
    let ids = ids_ticked(&posted.data, "release_");
    let public: Vec<i64> = ids_ticked(&posted.data, "public_")
        .into_iter()
        .filter(|id| ids.contains(id))
        .collect();
    let from_check = posted.data.get("checked") == "yes";
    let parsed = Release::try_from(RawRelease {
        documents: Some(ids),
        public: Some(public),
        confirm_findings: posted.data.get("confirm_findings") == "on",
    });
    let done =
        "Released. The requester has been emailed and can download them from their private link.";
    let refused = match parsed {
        Err(errors) => Err(errors),
        Ok(release) => {
            let (account, layout) = signed_in(&posted.state, &posted.session).await?;
            let tn = tracking(&posted.tracking_number, &layout)?;
            csrf_check(&posted.session, &posted.data, &layout)?;
            let caller = Caller::Staff(account.clone());
            match posted
                .state
                .app
                .release(caller, tn.clone(), release.clone())
                .await
            {
                Ok(_) => {
                    session::set_flash(&posted.session, done);
                    return Ok(see_other(&format!("/staff/requests/{tn}")));
                }
                Err(AppError::Conflict(Conflict::ReleaseFindings(found))) => {
                    let case = super::case::load(&posted.state, &account, &tn)
                        .await
                        .map_err(|e| page_error(&layout, e))?;
                    return Ok(release_check::page(
                        layout,
                        &case,
                        &release.documents,
                        &release.public,
                        &found,
                        from_check,
                    ));
                }
                Err(other) => Ok(other),
            }
        }
    };
    // Any other refusal is shown on the case page, as every step's is.
    staff_step(posted, refused, "release", done, |_, _, _, e| async move {
        Err(e)
    })
    .await
}

/// Sends a document's file to this caller, or no such page.
pub(in crate::web::pages) async fn download_as(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    layout: &Layout,
    caller: Caller,
    tn: TrackingNumber,
    raw_id: &str,
) -> PageResult {
    let id = document_id(raw_id).map_err(|_| PageError::not_found(layout.clone()))?;
    send(state, req, caller, tn, id).await.map_err(|e| {
        if e.status == actix_web::http::StatusCode::NOT_FOUND {
            PageError::not_found(layout.clone())
        } else {
            PageError::internal(layout.clone())
        }
    })
}

/// `GET /staff/requests/{tn}/documents/{id}`: any document of a request staff may see.
pub async fn download(
    state: web::Data<AppState>,
    session: Session,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> PageResult {
    let (raw_tn, raw_id) = path.into_inner();
    let (account, layout, tn) = signed_in_on(&state, &session, &raw_tn).await?;
    download_as(&state, &req, &layout, Caller::Staff(account), tn, &raw_id).await
}

/// `GET /staff/requests/{tn}/files/{id}`: a file the requester sent, for staff who can see
/// the request.
pub async fn sent_file(
    state: web::Data<AppState>,
    session: Session,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> PageResult {
    let (raw_tn, raw_id) = path.into_inner();
    let (account, layout, tn) = signed_in_on(&state, &session, &raw_tn).await?;
    crate::web::pages::public::files::sent_file_as(
        &state,
        &req,
        &layout,
        Caller::Staff(account),
        tn,
        &raw_id,
    )
    .await
}
