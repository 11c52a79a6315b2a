//! `/api/v1/requests/{tracking_number}/files…`: the requester sends the City a file with a
//! message (docs/PRODUCT.md, "Files from requesters"); they and staff who can see the request
//! download it.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::documents::serve_stored;
use super::fields;
use super::requests::tracking_number;
use super::wire::CaseView;
use crate::app::requester_files::RawSentFile;
use crate::domain::ids::RequesterFileId;
use crate::web::auth;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::upload;
use crate::web::AppState;

/// The parts of `POST …/files`; no others are taken.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // Describes the multipart form for the OpenAPI document only.
pub struct SentFileUpload {
    /// The file: PDF, CSV, XLSX, DOCX, TXT, ZIP, PNG, JPEG, GIF or WEBP, told by its
    /// name and checked against its contents; at most the configured size (50 MiB by default).
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    #[schema(schema_with = fields::file_message)]
    pub body: Option<String>,
}

/// The requester sends a file, with a message if they like. It counts as one of their
/// messages (the same limits), and its audit event carries the file's SHA-256.
#[utoipa::path(
    post, path = "/api/v1/requests/{tracking_number}/files", tag = "requests",
    operation_id = "send_file",
    params(("tracking_number" = String, Path)),
    request_body(content = SentFileUpload, content_type = "multipart/form-data"),
    security(("requester" = [])),
    responses(
        (status = 200, description = "Sent; the request with the message and its file", body = CaseView),
        (status = 400, description = "The form could not be read", body = ErrorBody),
        (status = 401, description = "No token", body = ErrorBody),
        (status = 403, description = "Staff attach documents instead", body = ErrorBody),
        (status = 409, description = "The request was withdrawn or is closed, or holds as many messages as it may", body = ErrorBody),
        (status = 413, description = "The file is larger than the limit", body = ErrorBody),
        (status = 415, description = "Not sent as multipart/form-data", body = ErrorBody),
        (status = 422, description = "No file, an empty file, a type not allowed, or a bad message", body = ErrorBody),
        (status = 429, description = "Many messages on this request in the last hour (see Retry-After)", body = ErrorBody,
         headers(("Retry-After" = String, description = "Seconds to wait"))),
    )
)]
pub async fn send(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    // Who may send, first: a refusal throws the body away unread.
    let checked = async {
        let tn = tracking_number(path)?;
        let caller = auth::caller(&state, &req).await?;
        upload::check_declared_length(&req, state.app.files())?;
        state.app.may_send_file(caller.clone(), tn.clone()).await?;
        Ok::<_, ApiError>((tn, caller))
    }
    .await;
    let (tn, caller) = match checked {
        Ok(checked) => checked,
        Err(e) => {
            upload::discard(payload).await;
            return Err(e);
        }
    };
    let mut form =
        upload::read(&req, payload, state.app.files().clone(), "file", &["body"]).await?;
    let raw = RawSentFile {
        file_name: std::mem::take(&mut form.file_name),
        file: form.file.take(),
        body: form.fields.remove("body"),
    };
    let case = state.app.send_file(caller, tn, raw).await?;
    Ok(HttpResponse::Ok().json(CaseView::from(case)))
}

/// Download a file the requester sent: the requester, and staff who can see the request.
#[utoipa::path(
    get, path = "/api/v1/requests/{tracking_number}/files/{id}", tag = "requests",
    operation_id = "download_sent_file",
    params(("tracking_number" = String, Path), ("id" = i64, Path, minimum = 1)),
    security(("staff" = []), ("requester" = [])),
    responses(
        (status = 200, description = "The file's bytes, as sent, with the media type of its kind",
         content(
            (Vec<u8> = "application/pdf"),
            (Vec<u8> = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            (Vec<u8> = "text/plain"),
            (Vec<u8> = "application/zip"),
            (Vec<u8> = "image/png"),
            (Vec<u8> = "image/jpeg"),
            (Vec<u8> = "image/gif"),
            (Vec<u8> = "image/webp"),
         ),
         headers(("Repr-Digest" = String, description = "sha-256=:<base64 of the SHA-256>:"))),
        (status = 404, description = "No such file, or not yours", body = ErrorBody),
    )
)]
pub async fn download(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (raw_tn, raw_id) = path.into_inner();
    let tn = tracking_number(web::Path::from(raw_tn))?;
    let unseen = || ApiError::not_found("no such file is visible to you");
    let id = raw_id
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(RequesterFileId)
        .ok_or_else(unseen)?;
    let caller = auth::caller(&state, &req).await?;
    let file =
        state
            .app
            .find_sent_file(caller, tn, id)
            .await
            .map_err(|e| match ApiError::from(e) {
                e if e.status == StatusCode::NOT_FOUND => unseen(),
                e => e,
            })?;
    serve_stored(&state, &req, &file.sha256, &file.title, &file.content_type).await
}
