//! The one JSON error shape every endpoint answers with, and the one place errors become
//! HTTP statuses: `{"error": code, "message": text, ...}`.

use actix_web::error::{JsonPayloadError, PayloadError, QueryPayloadError};
use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::release_checks::DocumentFindings;
use crate::app::{AppError, Conflict};
use crate::domain::{FieldErrors, Status, TransitionError};

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// A stable machine-readable code, e.g. `validation_failed`, `transition_not_allowed`.
    pub error: String,
    /// What went wrong, in words.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = super::api::fields::field_errors)]
    pub fields: Option<FieldErrors>,
    /// For a refused transition: the states the caller may move the request to now.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Vec<Status>, required = false)]
    pub allowed: Option<Vec<Status>>,
    /// For a stale version: the request's version now.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = i32, required = false)]
    pub current_version: Option<i32>,
    /// For a release refused as `release_findings`: what the release checks found in each
    /// document. Release again with `confirm_findings: true` once staff have looked.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Vec<DocumentFindingsBody>, required = false)]
    pub findings: Option<Vec<DocumentFindingsBody>>,
}

/// What the release checks found in one document chosen for release.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentFindingsBody {
    pub document_id: i64,
    pub title: String,
    pub findings: Vec<FindingBody>,
}

/// One thing a release check found.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FindingBody {
    /// `hidden_sheet`, `hidden_rows`, `hidden_columns`, `spreadsheet_comments`,
    /// `personal_metadata`, `tracked_changes`, `document_comments`, `pdf_metadata`,
    /// `pdf_annotations`, `pdf_attachments`, `text_under_box` or `unreadable`.
    pub code: String,
    /// What was found, in plain words, quoting at most a few words of the file.
    pub words: String,
}

impl From<&DocumentFindings> for DocumentFindingsBody {
    fn from(d: &DocumentFindings) -> Self {
        DocumentFindingsBody {
            document_id: d.document_id.0,
            title: d.title.clone(),
            findings: d
                .findings
                .iter()
                .map(|f| FindingBody {
                    code: f.code.as_str().to_string(),
                    words: f.words.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    pub status: StatusCode,
    pub body_code: &'static str,
    pub message: String,
    pub fields: Option<FieldErrors>,
    /// A boxed slice, and `findings` boxed: an error stays small.
    pub allowed: Option<Box<[Status]>>,
    pub current_version: Option<i32>,
    pub findings: Option<Box<Vec<DocumentFindingsBody>>>,
    /// Seconds to wait, sent as Retry-After with a 429.
    pub retry_after: Option<u32>,
}

impl ApiError {
    pub fn too_many(message: &str, wait: std::time::Duration) -> ApiError {
        ApiError {
            retry_after: Some(super::throttle::retry_after(wait)),
            ..ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too_many_requests", message)
        }
    }

    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body_code: code,
            message: message.into(),
            fields: None,
            allowed: None,
            current_version: None,
            findings: None,
            retry_after: None,
        }
    }

    pub fn invalid(fields: FieldErrors) -> ApiError {
        ApiError {
            fields: Some(fields),
            ..ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                "some fields are missing or invalid",
            )
        }
    }

    pub fn field(name: &str, message: &str) -> ApiError {
        let mut fields = FieldErrors::default();
        fields.add(name, message);
        ApiError::invalid(fields)
    }

    pub fn not_found(message: &str) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn unauthorized(message: &str) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn unsupported_media_type() -> ApiError {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the body as JSON with Content-Type: application/json",
        )
    }

    pub fn internal() -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "something went wrong on our side; it has been logged",
        )
    }

    fn with_allowed(mut self, allowed: Vec<Status>) -> ApiError {
        self.allowed = Some(allowed.into_boxed_slice());
        self
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        if self.status == StatusCode::UNAUTHORIZED {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        if let Some(seconds) = self.retry_after {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        response.json(self.body())
    }
}

impl ApiError {
    /// The answer's body: also what a bulk action reports of each request it could not change.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: self.body_code.to_string(),
            message: self.message.clone(),
            fields: self.fields.clone(),
            allowed: self.allowed.as_deref().map(<[Status]>::to_vec),
            current_version: self.current_version,
            findings: self.findings.as_deref().cloned(),
        }
    }
}

impl From<AppError> for ApiError {
    /// The one place an operation's refusal becomes an HTTP answer.
    fn from(error: AppError) -> ApiError {
        let message = error.to_string();
        match error {
            AppError::NotFound => {
                ApiError::not_found("no request with this tracking number is visible to you")
            }
            AppError::Invalid(fields) => ApiError::invalid(fields),
            AppError::Transition(TransitionError::Missing(fields)) => ApiError::invalid(fields),
            AppError::Transition(TransitionError::Forbidden(reason)) => ApiError::forbidden(reason),
            AppError::Transition(TransitionError::NotAllowed { allowed, .. }) => {
                ApiError::new(StatusCode::CONFLICT, "transition_not_allowed", message)
                    .with_allowed(allowed)
            }
            AppError::Transition(TransitionError::FinalDecision { allowed }) => {
                ApiError::new(StatusCode::CONFLICT, "decision_final", message).with_allowed(allowed)
            }
            AppError::Transition(TransitionError::NothingWithheld { allowed }) => {
                ApiError::new(StatusCode::CONFLICT, "nothing_withheld", message)
                    .with_allowed(allowed)
            }
            AppError::Transition(TransitionError::AppealWindowClosed { allowed, .. }) => {
                ApiError::new(StatusCode::CONFLICT, "appeal_window_closed", message)
                    .with_allowed(allowed)
            }
            AppError::Stale { current, .. } => ApiError {
                current_version: Some(current),
                ..ApiError::new(StatusCode::CONFLICT, "stale_version", message)
            },
            AppError::Forbidden(reason) => ApiError::forbidden(reason),
            AppError::Conflict(Conflict::ReleaseFindings(found)) => ApiError {
                findings: Some(Box::new(
                    found.iter().map(DocumentFindingsBody::from).collect(),
                )),
                ..ApiError::new(
                    StatusCode::CONFLICT,
                    "release_findings",
                    "the release checks found what some documents would give away: look at \
                     each finding, then release again confirming you have checked them",
                )
            },
            AppError::Conflict(conflict) => {
                ApiError::new(StatusCode::CONFLICT, conflict_code(&conflict), message)
            }
            AppError::Gone(_) => ApiError::new(StatusCode::GONE, "gone", message),
            AppError::Missing(what) => ApiError::not_found(what),
            AppError::TooMany { wait, .. } => ApiError::too_many(&message, wait),
            AppError::BadCredentials => ApiError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
                "wrong email or password",
            ),
            AppError::Db(e) => {
                log::error!(
                    "[{}] database error: {e}",
                    crate::web::request_id::current()
                );
                ApiError::internal()
            }
            e @ (AppError::Internal(_) | AppError::Undone) => {
                log::error!(
                    "[{}] internal error: {e}",
                    crate::web::request_id::current()
                );
                ApiError::internal()
            }
        }
    }
}

/// The code a refused step answers with.
fn conflict_code(conflict: &Conflict) -> &'static str {
    match conflict {
        Conflict::AlreadyExtended => "already_extended",
        Conflict::NotExtendable => "not_extendable",
        Conflict::NotReroutable(_) => "not_reroutable",
        Conflict::ExtensionTooLate => "extension_too_late",
        Conflict::NotAttachable(_) => "not_attachable",
        Conflict::NotAssistable(_) => "not_assistable",
        Conflict::NotReleasable(_) => "not_releasable",
        Conflict::AlreadyReleased => "already_released",
        Conflict::NotInProduction => "not_in_production",
        Conflict::NotProduced => "not_produced",
        Conflict::NoFeeHere(_) => "no_fee_here",
        Conflict::FeePaid => "fee_paid",
        Conflict::NoFeeEstimate => "no_fee_estimate",
        Conflict::FeeAnswered(_) => "fee_answered",
        Conflict::FeeNotAccepted(_) => "fee_not_accepted",
        Conflict::FeeUnpaid(_) => "fee_unpaid",
        Conflict::NoApiKey => "no_api_key",
        Conflict::AlreadyRevoked => "already_revoked",
        Conflict::KeyNotReplaceable => "key_not_replaceable",
        Conflict::NoKeyReplacementAsked => "no_key_replacement_asked",
        Conflict::WithdrawnNoMessages => "request_withdrawn",
        Conflict::ClosedToMessages => "request_closed",
        Conflict::ComplaintClosed => "complaint_closed",
        Conflict::MessagesFull(_) => "messages_full",
        Conflict::NoOpenLinks => "no_open_links",
        Conflict::NoticeNotDead(_) => "notice_not_dead",
        Conflict::StaffExists(_) => "staff_exists",
        Conflict::LastAdmin => "last_admin",
        Conflict::AccountDisabled => "account_disabled",
        Conflict::IdempotencyRace => "idempotency_race",
        Conflict::MailDecided => "mail_decided",
        Conflict::NotPublishable => "not_publishable",
        Conflict::AlreadyPublished => "already_published",
        Conflict::NotPublished => "not_published",
        Conflict::ReleaseFindings(_) => "release_findings",
    }
}

/// Malformed JSON is 400; JSON of the wrong shape is 422; too large is 413.
pub fn json_error(error: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let api = match &error {
        JsonPayloadError::OverflowKnownLength { .. }
        | JsonPayloadError::Overflow { .. }
        | JsonPayloadError::Payload(PayloadError::Overflow) => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            error.to_string(),
        ),
        JsonPayloadError::ContentType => ApiError::unsupported_media_type(),
        JsonPayloadError::Deserialize(e) => body_error(e),
        _ => ApiError::new(StatusCode::BAD_REQUEST, "bad_request", error.to_string()),
    };
    api.into()
}

/// A body read as bytes that could not be read: too large (413) or broken off (400).
pub fn payload_error(e: &actix_web::Error) -> ApiError {
    match e.as_error::<PayloadError>() {
        Some(PayloadError::Overflow) => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "the body is larger than this service takes",
        ),
        _ => ApiError::new(StatusCode::BAD_REQUEST, "bad_request", e.to_string()),
    }
}

/// A JSON body that is not JSON (400) or not of this endpoint's shape (422).
pub fn body_error(e: &serde_json::Error) -> ApiError {
    if e.is_data() {
        let message = format!("the body does not fit this endpoint: {e}");
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body", message)
    } else {
        let message = format!("the body is not valid JSON: {e}");
        ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", message)
    }
}

pub fn query_error(error: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_query",
        error.to_string(),
    )
    .into()
}
