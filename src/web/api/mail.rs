//! `/api/v1/mail/…` (docs/PRODUCT.md, "Replies by email"): the mail server hands over what
//! it received for the reply and return-path addresses; the Clerk's staff work the mail that
//! reached no request.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::fields;
use crate::app::mail::{Ingested, Outcome, ReceivedMail};
use crate::web::auth;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboundQuery {
    /// The address the mail server delivered the email to, when it says (Postfix:
    /// `${original_recipient}`); without it, the email's own headers tell.
    pub recipient: Option<String>,
}

/// The raw email (RFC 5322), as the mail server received it.
#[derive(Debug, ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)] // Describes the body for the OpenAPI document only.
pub struct RawEmail(Vec<u8>);

/// What became of an email handed over.
#[derive(Debug, Serialize, ToSchema)]
pub struct IngestedView {
    pub mail_id: i64,
    /// `filed` (to its request), `unmatched` (left for staff), `bounce` (a delivery report of
    /// a notice), or, for a repeat, what staff did with it (`attached`, `discarded`).
    pub outcome: &'static str,
    /// The same Message-ID was handed over before: nothing new was kept.
    pub repeat: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracking_number: Option<String>,
    /// Why it was left for staff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Whether a bounce flagged the requester's address as not working.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_flagged: Option<bool>,
}

impl From<Ingested> for IngestedView {
    fn from(ingested: Ingested) -> IngestedView {
        let mut view = IngestedView {
            mail_id: ingested.mail_id,
            outcome: ingested.outcome.as_str(),
            repeat: ingested.repeat,
            tracking_number: None,
            reason: None,
            address_flagged: None,
        };
        match ingested.outcome {
            Outcome::Filed { tracking_number } => view.tracking_number = Some(tracking_number),
            Outcome::Unmatched { reason } => view.reason = Some(reason),
            Outcome::Bounce { flagged } if !ingested.repeat => view.address_flagged = Some(flagged),
            _ => {}
        }
        view
    }
}

/// For the city's mail server (bearer RECORDSDESK_MAIL_INGEST_TOKEN): one raw email (RFC
/// 5322) as the body. It is kept, once per Message-ID, and filed to its request or left for
/// staff; only an email that cannot be read at all, or is too large, is refused.
#[utoipa::path(
    post, path = "/api/v1/mail/inbound", tag = "mail", operation_id = "ingest_mail",
    params(InboundQuery),
    request_body(content = RawEmail, content_type = "application/octet-stream", description = "The raw email, as the mail server received it (any content type is read as the raw email; message/rfc822 says so best)"),
    security(("mail_server" = [])),
    responses(
        (status = 200, description = "Kept: filed, left for staff, a bounce, or a repeat", body = IngestedView),
        (status = 401, description = "The mail server's token is missing or wrong", body = ErrorBody),
        (status = 413, description = "Larger than the file size limit", body = ErrorBody),
        (status = 422, description = "Not an email: empty, or without the headers every email has", body = ErrorBody),
    )
)]
pub async fn inbound(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<InboundQuery>,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let given = auth::bearer(&req).ok().flatten().unwrap_or_default();
    if !state.app.is_mail_server(&given) {
        return Err(ApiError::unauthorized(
            "the mail server's token is missing or wrong",
        ));
    }
    let limit = state.app.mail_limit();
    let mut raw = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "bad_request", e.to_string()))?;
        if (raw.len() + chunk.len()) as u64 > limit {
            log::warn!("refused an email over {limit} bytes");
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("an email may be at most {limit} bytes"),
            ));
        }
        raw.extend_from_slice(&chunk);
    }
    let recipients = query.into_inner().recipient.into_iter().collect();
    let ingested = state
        .app
        .ingest_mail(raw, recipients)
        .await
        .inspect_err(|e| {
            if let crate::app::AppError::Invalid(_) = e {
                log::warn!("refused an email: {e}");
            }
        })?;
    Ok(HttpResponse::Ok().json(IngestedView::from(ingested)))
}

/// A received email, as staff see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct MailView {
    pub id: i64,
    pub received_at: chrono::NaiveDateTime,
    pub from: String,
    /// The address it was sent to.
    pub to: String,
    pub subject: String,
    /// What the sender wrote, quoted text trimmed.
    pub body: String,
    /// `filed`, `unmatched`, `attached`, `discarded` or `bounce`.
    pub state: String,
    /// Why it reached no request, or why staff discarded it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The whole email as it came, SHA-256 of its bytes.
    pub sha256: String,
    pub size_bytes: i64,
}

impl From<ReceivedMail> for MailView {
    fn from(row: ReceivedMail) -> MailView {
        MailView {
            id: row.id,
            received_at: row.received_at,
            from: row.from_address,
            to: row.recipient,
            subject: row.subject,
            body: row.body,
            state: row.state,
            reason: row.reason,
            sha256: row.sha256,
            size_bytes: row.size_bytes,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnmatchedMailView {
    /// The oldest first, at most 200.
    pub mail: Vec<MailView>,
    /// How many wait in all.
    pub total: i64,
}

/// Mail that reached no request, for the City Clerk's staff to attach or discard.
#[utoipa::path(
    get, path = "/api/v1/mail/unmatched", tag = "mail", operation_id = "list_unmatched_mail",
    security(("staff" = [])),
    responses(
        (status = 200, description = "Unmatched mail, oldest first", body = UnmatchedMailView),
        (status = 401, description = "No token", body = ErrorBody),
        (status = 403, description = "Not the City Clerk's staff or an admin", body = ErrorBody),
    )
)]
pub async fn unmatched(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let staff = auth::staff_only(&state, &req).await?;
    let (mail, total) = state.app.unmatched_mail(staff).await?;
    Ok(HttpResponse::Ok().json(UnmatchedMailView {
        mail: mail.into_iter().map(MailView::from).collect(),
        total,
    }))
}

fn mail_id(path: &str) -> Result<i64, ApiError> {
    path.parse()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::not_found("no such email"))
}

/// The whole email as it came (`.eml`).
#[utoipa::path(
    get, path = "/api/v1/mail/{id}/raw", tag = "mail", operation_id = "download_mail",
    params(("id" = i64, Path)), security(("staff" = [])),
    responses(
        (status = 200, description = "The email", content_type = "message/rfc822"),
        (status = 401, description = "No token", body = ErrorBody),
        (status = 404, description = "No such email, or not one this staff member may see", body = ErrorBody),
    )
)]
pub async fn raw(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = mail_id(&path)?;
    let staff = auth::staff_only(&state, &req).await?;
    let row = state.app.received_mail(staff, id).await?;
    super::documents::serve_stored(
        &state,
        &req,
        &row.sha256,
        &format!("email-{id}.eml"),
        "message/rfc822",
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachMail {
    #[schema(schema_with = fields::mail_tracking_number, required = true)]
    pub tracking_number: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AttachedView {
    pub tracking_number: String,
}

/// Attach an unmatched email to a request this staff member can see: it becomes the
/// requester's message there, with its files.
#[utoipa::path(
    post, path = "/api/v1/mail/{id}/attach", tag = "mail", operation_id = "attach_mail",
    params(("id" = i64, Path)), request_body = AttachMail, security(("staff" = [])),
    responses(
        (status = 200, description = "Attached", body = AttachedView),
        (status = 403, description = "Not the City Clerk's staff or an admin", body = ErrorBody),
        (status = 404, description = "No such email", body = ErrorBody),
        (status = 409, description = "Already attached or discarded", body = ErrorBody),
        (status = 422, description = "No tracking number, or none of a request this staff member can see", body = ErrorBody),
    )
)]
pub async fn attach(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<AttachMail>,
) -> Result<HttpResponse, ApiError> {
    let id = mail_id(&path)?;
    let staff = auth::staff_only(&state, &req).await?;
    let tracking_number = body
        .into_inner()
        .tracking_number
        .ok_or_else(|| ApiError::field("tracking_number", "give the request's tracking number"))?;
    let tracking_number = state.app.attach_mail(staff, id, tracking_number).await?;
    Ok(HttpResponse::Ok().json(AttachedView { tracking_number }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DiscardMail {
    #[schema(schema_with = fields::discard_reason, required = true)]
    pub reason: Option<String>,
}

/// Discard an unmatched email, saying why. It stays kept, and in the mail chain.
#[utoipa::path(
    post, path = "/api/v1/mail/{id}/discard", tag = "mail", operation_id = "discard_mail",
    params(("id" = i64, Path)), request_body = DiscardMail, security(("staff" = [])),
    responses(
        (status = 200, description = "Discarded", body = MailView),
        (status = 403, description = "Not the City Clerk's staff or an admin", body = ErrorBody),
        (status = 404, description = "No such email", body = ErrorBody),
        (status = 409, description = "Already attached or discarded", body = ErrorBody),
        (status = 422, description = "No reason", body = ErrorBody),
    )
)]
pub async fn discard(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<DiscardMail>,
) -> Result<HttpResponse, ApiError> {
    let id = mail_id(&path)?;
    let staff = auth::staff_only(&state, &req).await?;
    state
        .app
        .discard_mail(staff.clone(), id, body.into_inner().reason)
        .await?;
    let row = state.app.received_mail(staff, id).await?;
    Ok(HttpResponse::Ok().json(MailView::from(row)))
}
