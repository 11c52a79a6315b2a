//! `/api/v1/requests/{tracking_number}/documents…`: staff attach response documents (files or
//! links) and release them; the requester (or staff) downloads released files.

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::fields;
use super::requests::tracking_number;
use super::wire::CaseView;
use crate::app::documents::{NewLink, RawLink, RawRelease, Release};
use crate::app::Caller;
use crate::domain::ids::DocumentId;
use crate::domain::input::TrackingNumber;
use crate::web::auth;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::upload::{self, Refused, UploadError};
use crate::web::AppState;

impl From<UploadError> for ApiError {
    fn from(e: UploadError) -> ApiError {
        match e {
            UploadError::NotMultipart => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the file as multipart/form-data, in a part named file",
            ),
            UploadError::TooLarge { .. } => {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", e.to_string())
            }
            UploadError::Malformed(m) => ApiError::new(StatusCode::BAD_REQUEST, "bad_upload", m),
            UploadError::Field(name, message) => ApiError::field(&name, &message),
            UploadError::Store(io) => {
                log::error!("[{}] file store: {io}", crate::web::request_id::current());
                ApiError::internal()
            }
        }
    }
}

impl From<Refused> for ApiError {
    fn from(refused: Refused) -> ApiError {
        match refused {
            Refused::Upload(e) => e.into(),
            Refused::App(e) => e.into(),
            Refused::Form => ApiError::forbidden("this form did not come from this site"),
        }
    }
}

/// The parts of `POST …/documents`; no others are taken.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // Describes the multipart form for the OpenAPI document only.
pub struct DocumentUpload {
    /// The file: PDF, CSV, XLSX, DOCX, TXT, ZIP, PNG, JPEG, GIF or WEBP, told by its
    /// name and checked against its contents; at most the configured size (50 MiB by default).
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    #[schema(schema_with = fields::redaction_note)]
    pub redaction_note: Option<String>,
    #[schema(schema_with = fields::exemption)]
    pub exemption: Option<String>,
}

/// Attach a file to the request. The requester sees it only once it is released.
#[utoipa::path(
    post, path = "/api/v1/requests/{tracking_number}/documents", tag = "documents",
    operation_id = "attach_document",
    params(("tracking_number" = String, Path)),
    request_body(content = DocumentUpload, content_type = "multipart/form-data"),
    security(("staff" = [])),
    responses(
        (status = 200, description = "Attached; the request with its documents", body = CaseView),
        (status = 400, description = "The form could not be read", body = ErrorBody),
        (status = 401, description = "No staff token", body = ErrorBody),
        (status = 403, description = "Not theirs to attach to", body = ErrorBody),
        (status = 409, description = "The request is withdrawn or denied", body = ErrorBody),
        (status = 413, description = "The file is larger than the limit", body = ErrorBody),
        (status = 415, description = "Not sent as multipart/form-data", body = ErrorBody),
        (status = 422, description = "No file, an empty file, a type not allowed, or a bad note", body = ErrorBody),
    )
)]
pub async fn attach(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let checked = async {
        let tn = tracking_number(path)?;
        let staff = auth::staff_only(&state, &req).await?;
        Ok::<_, ApiError>((tn, Caller::Staff(staff)))
    }
    .await;
    let (tn, caller) = match checked {
        Ok(checked) => checked,
        Err(e) => {
            upload::discard(payload).await;
            return Err(e);
        }
    };
    let case = upload::attach(&state, &req, payload, caller, tn, &[], |_| true).await?;
    Ok(HttpResponse::Ok().json(CaseView::from(case)))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LinkBody {
    #[schema(schema_with = fields::link_title, required = true)]
    pub title: Option<String>,
    #[schema(schema_with = fields::link_url, required = true)]
    pub url: Option<String>,
    #[schema(schema_with = fields::redaction_note)]
    pub redaction_note: Option<String>,
    #[schema(schema_with = fields::exemption)]
    pub exemption: Option<String>,
}

/// Attach a link to records kept elsewhere (a dataset export). Released like a file.
#[utoipa::path(
    post, path = "/api/v1/requests/{tracking_number}/links", tag = "documents",
    operation_id = "attach_link",
    params(("tracking_number" = String, Path)), request_body = LinkBody, security(("staff" = [])),
    responses(
        (status = 200, description = "Attached; the request with its documents", body = CaseView),
        (status = 403, description = "Not theirs to attach to", body = ErrorBody),
        (status = 409, description = "The request is withdrawn or denied", body = ErrorBody),
    )
)]
pub async fn attach_link(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<LinkBody>,
) -> Result<HttpResponse, ApiError> {
    let tn = tracking_number(path)?;
    let staff = auth::staff_only(&state, &req).await?;
    let body = body.into_inner();
    let raw = RawLink {
        title: body.title,
        url: body.url,
        redaction_note: body.redaction_note,
        exemption: body.exemption,
    };
    let link = NewLink::try_from(raw).map_err(ApiError::invalid)?;
    let case = state
        .app
        .attach_link(Caller::Staff(staff), tn, link)
        .await?;
    Ok(HttpResponse::Ok().json(CaseView::from(case)))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReleaseBody {
    #[schema(schema_with = fields::document_ids, required = true)]
    #[serde(default, deserialize_with = "super::whole::i64_list_opt")]
    pub documents: Option<Vec<i64>>,
    /// Those of `documents` released to the public too (the reading room, once the request
    /// is published). The rest go to the requester only; without this field, all of them do.
    #[schema(schema_with = fields::public_document_ids, required = false)]
    #[serde(default, deserialize_with = "super::whole::i64_list_opt")]
    pub public: Option<Vec<i64>>,
    /// Release even though the release checks found something (hidden sheets, tracked
    /// changes, text under a redaction box, …): staff looked at each finding. Without it, such
    /// a release is refused with 409 `release_findings` listing what was found.
    #[serde(default)]
    pub confirm_findings: bool,
}

/// Release documents to the requester, who is emailed how many and where to get them; those
/// named in `public` go to the reading room too. Each file is checked first for what it would
/// give away by accident; findings must be confirmed.
#[utoipa::path(
    post, path = "/api/v1/requests/{tracking_number}/release", tag = "documents",
    operation_id = "release_documents",
    params(("tracking_number" = String, Path)), request_body = ReleaseBody, security(("staff" = [])),
    responses(
        (status = 200, description = "Released; the request with its documents", body = CaseView),
        (status = 403, description = "Not theirs to release", body = ErrorBody),
        (status = 409, description = "Not granted or under review, every document chosen is already released, or the release checks found something not confirmed (`release_findings`, with `findings`)", body = ErrorBody),
    )
)]
pub async fn release(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<ReleaseBody>,
) -> Result<HttpResponse, ApiError> {
    let tn = tracking_number(path)?;
    let staff = auth::staff_only(&state, &req).await?;
    let body = body.into_inner();
    let raw = RawRelease {
        documents: body.documents,
        public: body.public,
        confirm_findings: body.confirm_findings,
    };
    let release = Release::try_from(raw).map_err(ApiError::invalid)?;
    let case = state.app.release(Caller::Staff(staff), tn, release).await?;
    Ok(HttpResponse::Ok().json(CaseView::from(case)))
}

/// Download a file: the requester, once it is released; staff, always. Each download is an
/// audit event with the file's SHA-256.
#[utoipa::path(
    get, path = "/api/v1/requests/{tracking_number}/documents/{id}", tag = "documents",
    operation_id = "download_document",
    params(("tracking_number" = String, Path), ("id" = i64, Path, minimum = 1)),
    security(("staff" = []), ("requester" = [])),
    responses(
        (status = 200, description = "The file's bytes, as attached, with the media type of its kind",
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
        (status = 404, description = "No such document, not released yet, or not yours", body = ErrorBody),
    )
)]
pub async fn download(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (raw_tn, raw_id) = path.into_inner();
    let tn = tracking_number(web::Path::from(raw_tn))?;
    let id = document_id(&raw_id)?;
    let caller = auth::caller(&state, &req).await?;
    send(&state, &req, caller, tn, id)
        .await
        .map_err(|e| match e.status {
            StatusCode::NOT_FOUND => ApiError::not_found("no such document is visible to you"),
            _ => e,
        })
}

/// Document ids are positive whole numbers; anything else names nothing.
pub fn document_id(raw: &str) -> Result<DocumentId, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(DocumentId)
        .ok_or_else(|| ApiError::not_found("no such document is visible to you"))
}

/// Sends a document's file: found, opened, and only then recorded in the chain as sent (with
/// the range asked for, if any), then streamed from disk as an attachment named as the
/// document is shown. An answer without the bytes (304, 416) is not recorded.
pub async fn send(
    state: &AppState,
    req: &HttpRequest,
    caller: Caller,
    tn: TrackingNumber,
    id: DocumentId,
) -> Result<HttpResponse, ApiError> {
    let download = state
        .app
        .find_download(caller.clone(), tn.clone(), id)
        .await?;
    let response = serve_stored(
        state,
        req,
        &download.sha256,
        &download.title,
        &download.content_type,
    )
    .await?;
    // Recorded only when bytes go out (not for a 304 or a refused range), and before they do.
    let status = response.status();
    if status == StatusCode::OK || status == StatusCode::PARTIAL_CONTENT {
        let range = (status == StatusCode::PARTIAL_CONTENT)
            .then(|| req.headers().get(header::RANGE))
            .flatten()
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        state.app.record_download(caller, tn, id, range).await?;
    }
    Ok(response)
}

/// A stored file as a download: streamed from disk or from the bucket (ranges and conditional
/// requests answered), named as it is shown, typed as its kind, with its digest; never cached.
pub async fn serve_stored(
    state: &AppState,
    req: &HttpRequest,
    sha256: &str,
    title: &str,
    content_type: &str,
) -> Result<HttpResponse, ApiError> {
    let path = state.app.files().path_of(sha256).ok_or_else(|| {
        log::error!(
            "[{}] a stored file's hash is not a SHA-256: {:?}",
            crate::web::request_id::current(),
            sha256
        );
        ApiError::internal()
    })?;
    let content_type = content_type
        .parse()
        .unwrap_or(actix_web::mime::APPLICATION_OCTET_STREAM);
    let ascii_name: String = title
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![
            DispositionParam::Filename(ascii_name),
            DispositionParam::FilenameExt(header::ExtendedValue {
                charset: header::Charset::Ext("UTF-8".into()),
                language_tag: None,
                value: title.to_string().into_bytes(),
            }),
        ],
    };
    let digest = hex::decode(sha256).unwrap_or_default();
    let mut response = match state.app.files().bucket() {
        Some(bucket) => {
            let mut response = super::bucket_download::respond(bucket, req, sha256).await?;
            let headers = response.headers_mut();
            if let Ok(value) = header::HeaderValue::from_str(content_type.as_ref()) {
                headers.insert(header::CONTENT_TYPE, value);
            }
            if let Ok(value) = header::HeaderValue::from_str(&disposition.to_string()) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
        None => actix_files::NamedFile::open_async(&path)
            .await
            .map_err(|e| {
                log::error!(
                    "[{}] stored file {} cannot be opened: {e}",
                    crate::web::request_id::current(),
                    path.display()
                );
                ApiError::internal()
            })?
            .set_content_type(content_type)
            .set_content_disposition(disposition)
            .into_response(req),
    };
    let headers = response.headers_mut();
    if let Ok(value) = header::HeaderValue::from_str(&format!(
        "sha-256=:{}:",
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, digest)
    )) {
        headers.insert(header::HeaderName::from_static("repr-digest"), value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}
