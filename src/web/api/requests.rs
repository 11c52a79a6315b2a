//! `/api/v1/requests…`: filing a request and everything done to it afterwards.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::fields;
use super::wire::{AuditLogView, CaseView, SubmittedView};
use crate::app::act::{RawAppeal, RawResponsible, RawTransition, RawWithdrawal, Transition};
use crate::app::manage::{
    Assignment, Extension, PostMessage, RawAssignment, RawExtension, RawMessage,
};
use crate::app::production::{RawProduction, RawReopening, RecordProduction, Reopening};
use crate::app::submit::{FileRequest, IdempotencyKey, ObjectOnly, RawSubmission, Submission};
use crate::app::view::Case;
use crate::app::Caller;
use crate::domain::exemptions::RawWithheld;
use crate::domain::input::TrackingNumber;
use crate::domain::{Circumstance, Status};
use crate::web::auth;
use crate::web::error::{body_error, payload_error, ApiError, ErrorBody};
use crate::web::AppState;

/// Tracking numbers that cannot exist are simply not found.
pub(crate) fn tracking_number(path: web::Path<String>) -> Result<TrackingNumber, ApiError> {
    TrackingNumber::parse(&path.into_inner()).ok_or_else(|| {
        ApiError::not_found("no request with this tracking number is visible to you")
    })
}

/// Content-Type application/json, or a `+json` type, as the JSON extractor takes them.
fn is_json(req: &HttpRequest) -> bool {
    use actix_web::HttpMessage;
    matches!(req.mime_type(), Ok(Some(mime))
        if mime.subtype() == actix_web::mime::JSON || mime.suffix() == Some(actix_web::mime::JSON))
}

/// A request as the API answers it.
fn answer(case: Case) -> HttpResponse {
    HttpResponse::Ok().json(CaseView::from(case))
}

/// File a request. No account is needed; the answer carries the private access token.
#[utoipa::path(
    post, path = "/api/v1/requests", tag = "requests", operation_id = "submit_request",
    request_body = RawSubmission,
    params(("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,255}$",
            description = "Retry safely: the same key and body file one request (1 to 255 visible ASCII characters)")),
    responses(
        (status = 201, description = "Filed", body = SubmittedView,
         headers(("Location" = String, description = "The request's address"))),
        (status = 200, description = "A retry of an already filed request (no token shown)", body = SubmittedView,
         headers(("Location" = String, description = "The request's address"))),
        (status = 409, description = "A retry with the same Idempotency-Key is being filed at this moment", body = ErrorBody),
        (status = 422, description = "Invalid fields; an unknown dataset; an Idempotency-Key already used for another body", body = ErrorBody),
        (status = 429, description = "Too many requests filed from this address just now (see Retry-After)", body = ErrorBody,
         headers(("Retry-After" = String, description = "Seconds to wait"))),
    )
)]
pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<ObjectOnly<RawSubmission>>,
) -> Result<HttpResponse, ApiError> {
    let address = state.throttle.address(&req);
    if let Err(wait) = state.throttle.submission(address).await {
        let message = "too many requests filed from this address just now; try again shortly";
        return Err(ApiError::too_many(message, wait));
    }
    let raw = body.into_inner().0;
    let mut submission = Submission::try_from(&raw).map_err(ApiError::invalid)?;
    // Not said in the body: the language the call's Accept-Language prefers, else English.
    submission
        .language
        .get_or_insert_with(crate::web::language::current);
    let idempotency = match req.headers().get("Idempotency-Key") {
        None => None,
        Some(value) => Some(
            IdempotencyKey::parse(value.to_str().unwrap_or(""), &raw).map_err(ApiError::invalid)?,
        ),
    };
    let filed = state
        .app
        .file(FileRequest {
            submission,
            idempotency,
        })
        .await?;
    let location = format!("/api/v1/requests/{}", filed.tracking_number);
    let mut response = if filed.replayed {
        HttpResponse::Ok()
    } else {
        HttpResponse::Created()
    };
    Ok(response
        .insert_header((header::LOCATION, location))
        .json(SubmittedView::from(filed)))
}

/// A request as its requester (bearer access token) or staff see it.
#[utoipa::path(
    get, path = "/api/v1/requests/{tracking_number}", tag = "requests", operation_id = "get_request",
    params(("tracking_number" = String, Path)),
    security(("staff" = []), ("requester" = [])),
    responses(
        (status = 200, description = "The request as this caller may see it", body = CaseView),
        (status = 404, description = "No such request, or not yours", body = ErrorBody),
    )
)]
pub async fn get(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let tn = tracking_number(path)?;
    let caller = auth::caller(&state, &req).await?;
    Ok(answer(state.app.case(caller, tn).await?))
}

/// A person responsible for withholding records (Gov. Code §7922.540(b)): a staff account
/// by email (its name and title are on file), or a name and title for someone without one.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ResponsibleBody {
    /// A staff account's email; then `name` is ignored and `title`, if given, replaces the
    /// title on file.
    #[schema(schema_with = fields::optional_email)]
    pub staff: Option<String>,
    #[schema(schema_with = fields::responsible_name)]
    pub name: Option<String>,
    #[schema(schema_with = fields::responsible_title)]
    pub title: Option<String>,
}

/// One record or category withheld, with the exemption it rests on and why.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct WithheldBody {
    #[schema(schema_with = fields::withheld_item, required = true)]
    pub item: Option<String>,
    #[schema(schema_with = fields::exemption_choice, required = true)]
    pub exemption: Option<String>,
    #[schema(schema_with = fields::other_citation)]
    pub citation: Option<String>,
    #[schema(schema_with = fields::withheld_reason, required = true)]
    pub reason: Option<String>,
    #[schema(schema_with = fields::justification)]
    pub justification: Option<String>,
}

/// A move to another state with what that move must carry (see docs/PRODUCT.md).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct TransitionBody {
    /// The target state.
    #[schema(value_type = Status, required = true)]
    pub to: Option<String>,
    /// The version of the request the caller saw (a stale one gets 409).
    #[schema(value_type = i32, minimum = 1, maximum = 2147483647, required = true)]
    #[serde(default, deserialize_with = "super::whole::i32_opt")]
    pub version: Option<i32>,
    #[schema(schema_with = fields::decision)]
    pub decision: Option<String>,
    #[schema(schema_with = fields::reason)]
    pub reason: Option<String>,
    /// A grant in part: it lists what is withheld and who is responsible.
    pub partial: Option<bool>,
    /// Each item withheld (a grant in part, a denial).
    pub withheld: Option<Vec<WithheldBody>>,
    /// No longer read: each withheld item names its exemption. A non-empty list is refused.
    #[schema(schema_with = fields::citations)]
    pub legal_basis: Option<Vec<String>>,
    /// Each person responsible for withholding (a grant in part, a denial).
    pub responsible: Option<Vec<ResponsibleBody>>,
    #[schema(schema_with = fields::segregability)]
    pub segregability: Option<String>,
    #[schema(schema_with = fields::search)]
    pub search: Option<String>,
    #[schema(schema_with = fields::records_due_at)]
    pub records_due_at: Option<String>,
    #[schema(schema_with = fields::grounds)]
    pub grounds: Option<String>,
    #[schema(schema_with = fields::on_behalf_note)]
    pub note: Option<String>,
    #[schema(schema_with = fields::duplicate_of)]
    pub duplicate_of: Option<String>,
    #[schema(schema_with = fields::referred_to)]
    pub referred_to: Option<String>,
}

impl From<TransitionBody> for RawTransition {
    fn from(body: TransitionBody) -> RawTransition {
        RawTransition {
            to: body.to,
            version: body.version,
            decision: body.decision,
            reason: body.reason,
            partial: body.partial,
            withheld: body.withheld.map(|items| {
                items
                    .into_iter()
                    .map(|w| RawWithheld {
                        item: w.item,
                        exemption: w.exemption,
                        citation: w.citation,
                        reason: w.reason,
                        justification: w.justification,
                    })
                    .collect()
            }),
            legal_basis: body.legal_basis,
            responsible: body.responsible.map(|people| {
                people
                    .into_iter()
                    .map(|r| RawResponsible {
                        staff: r.staff,
                        name: r.name,
                        title: r.title,
                    })
                    .collect()
            }),
            segregability: body.segregability,
            search: body.search,
            records_due_at: body.records_due_at,
            grounds: body.grounds,
            note: body.note,
            duplicate_of: body.duplicate_of,
            referred_to: body.referred_to,
        }
    }
}

async fn run_transition(
    state: web::Data<AppState>,
    req: HttpRequest,
    tn: TrackingNumber,
    transition: Transition,
) -> Result<HttpResponse, ApiError> {
    let caller = auth::caller(&state, &req).await?;
    Ok(answer(state.app.transition(caller, tn, transition).await?))
}

/// Move a request to another state.
#[utoipa::path(
    post, path = "/api/v1/requests/{tracking_number}/transitions", tag = "requests", operation_id = "move_request",
    params(("tracking_number" = String, Path)),
    request_body = TransitionBody,
    security(("staff" = []), ("requester" = [])),
    responses(
        (status = 200, description = "Moved", body = CaseView),
        (status = 403, description = "Not yours to make", body = ErrorBody),
        (status = 409, description = "Not allowed from this state, or stale version; `allowed` lists what is", body = ErrorBody),
        (status = 422, description = "Missing or invalid fields, or what this move must carry is missing", body = ErrorBody),
    )
)]
pub async fn transition(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<TransitionBody>,
) -> Result<HttpResponse, ApiError> {
    let tn = tracking_number(path)?;
    let raw = RawTransition::from(body.into_inner());
    let transition = raw
        .check(state.app.exemptions())
        .map_err(ApiError::invalid)?;
    run_transition(state, req, tn, transition).await
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AppealBody {
    #[schema(schema_with = fields::grounds_required, required = true)]
    pub grounds: Option<String>,
    /// The version of the request the caller saw; without it, the latest.
    #[schema(minimum = 1, maximum = 2147483647)]
    #[serde(default, deserialize_with = "super::whole::i32_opt")]
    pub version: Option<i32>,
}

/// The requester appeals a denial, within the appeal window.
#[utoipa::path(
    post, path = "/api/v1/requests/{tracking_number}/appeal", tag = "requests", operation_id = "appeal_request",
    params(("tracking_number" = String, Path)), request_body = AppealBody,
    security(("requester" = []), ("staff" = [])),
    responses((status = 200, description = "Appealed", body = CaseView),
              (status = 403, description = "Not yours to make", body = ErrorBody),
              (status = 409, description = "Not allowed from this state, or stale version", body = ErrorBody))
)]
pub async fn appeal(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<AppealBody>,
) -> Result<HttpResponse, ApiError> {
    let tn = tracking_number(path)?;
    let body = body.into_inner();
    let raw = RawAppeal {
        grounds: body.grounds,
        version: body.version,
    };
    let appeal = Transition::try_from(raw).map_err(ApiError::invalid)?;
    run_transition(state, req, tn, appeal).await
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct WithdrawBody {
    #[schema(schema_with = fields::reason)]
    pub reason: Option<String>,
    /// Staff withdrawing for the requester: how the requester asked (required of staff).
    #[schema(schema_with = fields::on_behalf_note)]
    pub note: Option<String>,
    /// The version of the request the caller saw; without it, the latest.
    #[schema(minimum = 1, maximum = 2147483647)]
    #[serde(default, deserialize_with = "super::whole::i32_opt")]
    pub version: Option<i32>,
}

/// The requester withdraws their request, or staff of its queue withdraw it for them.
#[utoipa::path(
    post, path = "/api/v1/requests/{tracking_number}/withdraw", tag = "requests", operation_id = "withdraw_request",
    params(("tracking_number" = String, Path)),
    request_body(content = Option<WithdrawBody>, description = "Optional: a reason, and the version acted on"),
    security(("requester" = []), ("staff" = [])),
    responses((status = 200, description = "Withdrawn", body = CaseView),
              (status = 403, description = "Not yours to make", body = ErrorBody),
              (status = 409, description = "Not allowed from this state, or stale version", body = ErrorBody))
)]
pub async fn withdraw(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: Result<web::Bytes, actix_web::Error>,
) -> Result<HttpResponse, ApiError> {
    let tn = tracking_number(path)?;
    let body = body.map_err(|e| payload_error(&e))?;
    // The body is optional, but a body that is there must be right: JSON, said to be JSON.
    let body: WithdrawBody = if body.iter().all(u8::is_ascii_whitespace) {
        WithdrawBody::default()
    } else {
        if !is_json(&req) {
            return Err(ApiError::unsupported_media_type());
        }
        let body: Option<WithdrawBody> =
            serde_json::from_slice(&body).map_err(|e| body_error(&e))?;
        body.unwrap_or_default()
    };
    let raw = RawWithdrawal {
        reason: body.reason,
        note: body.note,
        version: body.version,
    };
    let withdrawal = Transition::try_from(raw).map_err(ApiError::invalid)?;
    run_transition(state, req, tn, withdrawal).await
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MessageBody {
    #[schema(schema_with = fields::message_body, required = true)]
    pub body: Option<String>,
}

/// A message from the requester to staff, or from staff to the requester.
#[utoipa::path(
    post, path = "/api/v1/requests/{tracking_number}/messages", tag = "requests", operation_id = "post_message",
    params(("tracking_number" = String, Path)), request_body = MessageBody,
    security(("staff" = []), ("requester" = [])),
    responses((status = 200, description = "Posted", body = CaseView),
              (status = 409, description = "The request was withdrawn or is closed, or holds as many messages as it may (requesters); or it kept changing under the message: send it again", body = ErrorBody),
              (status = 429, description = "The requester sent many messages on this request in the last hour (see Retry-After)", body = ErrorBody,
               headers(("Retry-After" = String, description = "Seconds to wait"))))
)]
pub async fn message(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<MessageBody>,
) -> Result<HttpResponse, ApiError> {
    let tn = tracking_number(path)?;
    let raw = RawMessage {
        body: body.into_inner().body,
    };
    let message = PostMessage::try_from(raw).map_err(ApiError::invalid)?;
    let caller = auth::caller(&state, &req).await?;
    Ok(answer(state.app.post_message(caller, tn, message).await?))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AssistanceBody {
    #[schema(schema_with = fields::assist_records, required = true)]
    pub records: Option<String>,
    #[schema(schema_with = fields::assist_location)]
    pub location: Option<String>,
    #[schema(schema_with = fields::assist_suggestions, required = true)]
    pub suggestions: Option<String>,
    #[schema(schema_with = fields::assist_question)]
    pub question: Option<String>,
}

/// Staff help the requester identify records (Gov. Code §7922.600): records that may answer,
/// how and where they are kept, how to focus the request, and optionally a question. The
/// requester is emailed; with a question the request waits on their answer. The clock keeps
/// running.
#[utoipa::path(
    post, path = "/api/v1/requests/{tracking_number}/assistance", tag = "requests", operation_id = "offer_assistance",
    params(("tracking_number" = String, Path)), request_body = AssistanceBody, security(("staff" = [])),
    responses((status = 200, description = "Offered; the requester is emailed", body = CaseView),
              (status = 403, description = "Not staff, or not theirs to assist on", body = ErrorBody),
              (status = 409, description = "The request no longer awaits its determination", body = ErrorBody))
)]
pub async fn assist(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<AssistanceBody>,
) -> Result<HttpResponse, ApiError> {
    let tn = tracking_number(path)?;
    let caller = Caller::Staff(auth::staff_only(&state, &req).await?);
    let body = body.into_inner();
    let help = crate::app::manage::Assist::try_from(crate::app::manage::RawAssistance {
        records: body.records,
        location: body.location,
        suggestions: body.suggestions,
        question: body.question,
    })
    .map_err(ApiError::invalid)?;
    Ok(answer(state.app.assist(caller, tn, help).await?))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NoteBody {
    #[schema(schema_with = fields::note_body, required = true)]
    pub body: Option<String>,
}

/// Staff keep an internal note on the request: in its audit log and on staff views, never shown
/// to the requester nor emailed to anyone.
#[utoipa::path(
    post, path = "/api/v1/requests/{tracking_number}/notes", tag = "requests", operation_id = "add_note",
    params(("tracking_number" = String, Path)), request_body = NoteBody, security(("staff" = [])),
    responses((status = 200, description = "Noted", body = CaseView),
              (status = 403, description = "Not staff", body = ErrorBody),
              (status = 409, description = "The request kept changing under the note: send it again", body = ErrorBody))
)]
pub async fn note(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<NoteBody>,
) -> Result<HttpResponse, ApiError> {
    let tn = tracking_number(path)?;
    let caller = Caller::Staff(auth::staff_only(&state, &req).await?);
    let note = PostMessage::try_from(RawMessage {
        body: body.into_inner().body,
    })
    .map_err(ApiError::invalid)?;
    Ok(answer(state.app.add_note(caller, tn, note, None).await?))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ExtensionBody {
    /// Days added to the determination deadline.
    #[schema(value_type = i64, minimum = 1, maximum = 14, required = true)]
    #[serde(default, deserialize_with = "super::whole::i64_opt")]
    pub days: Option<i64>,
    /// The statutory unusual circumstance.
    #[schema(value_type = Circumstance, required = true)]
    pub circumstance: Option<String>,
    #[schema(schema_with = fields::reason)]
    pub reason: Option<String>,
    /// The version of the request the caller saw; without it, the latest.
    #[schema(minimum = 1, maximum = 2147483647)]
    #[serde(default, deserialize_with = "super::whole::i32_opt")]
    pub version: Option<i32>,
}

/// Extend the determination deadline once, by 1–14 days, for a statutory circumstance.
#[utoipa::path(
    post, path = "/api/v1/requests/{tracking_number}/extension", tag = "requests", operation_id = "extend_deadline",
    params(("tracking_number" = String, Path)), request_body = ExtensionBody, security(("staff" = [])),
    responses((status = 200, description = "Extended", body = CaseView),
              (status = 403, description = "Not staff, or not theirs to extend", body = ErrorBody),
              (status = 409, description = "Already extended, decided, past the original period, or a stale version", body = ErrorBody))
)]
pub async fn extend(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<ExtensionBody>,
) -> Result<HttpResponse, ApiError> {
    let tn = tracking_number(path)?;
    let staff = auth::staff_only(&state, &req).await?;
    let body = body.into_inner();
    let raw = RawExtension {
        days: body.days,
        circumstance: body.circumstance,
        reason: body.reason,
        version: body.version,
    };
    let extension = Extension::try_from(raw).map_err(ApiError::invalid)?;
    let case = state
        .app
        .extend(Caller::Staff(staff), tn, extension)
        .await?;
    Ok(answer(case))
}

/// How a grant's records reached the requester outside the service.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ProductionBody {
    /// paper (delivered on paper or other media) or inspection (inspected in person).
    #[schema(schema_with = fields::production_how, required = true)]
    #[serde(default, deserialize_with = "super::words::exact_opt")]
    pub how: Option<String>,
    #[schema(schema_with = fields::production_note, required = true)]
    pub note: Option<String>,
    /// The version of the request the caller saw; without it, the latest.
    #[schema(minimum = 1, maximum = 2147483647)]
    #[serde(default, deserialize_with = "super::whole::i32_opt")]
    pub version: Option<i32>,
}

/// Record that a grant's records were delivered on paper or inspected in person (records
/// released through the service are recorded when they are released).
#[utoipa::path(
    post, path = "/api/v1/requests/{tracking_number}/production", tag = "requests", operation_id = "record_production",
    params(("tracking_number" = String, Path)), request_body = ProductionBody, security(("staff" = [])),
    responses((status = 200, description = "Production recorded", body = CaseView),
              (status = 403, description = "Not staff, or not theirs to manage", body = ErrorBody),
              (status = 409, description = "Not a grant awaiting production, or a stale version", body = ErrorBody),
              (status = 422, description = "How, or the note, is missing", body = ErrorBody))
)]
pub async fn production(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<ProductionBody>,
) -> Result<HttpResponse, ApiError> {
    let tn = tracking_number(path)?;
    let staff = auth::staff_only(&state, &req).await?;
    let body = body.into_inner();
    let raw = RawProduction {
        how: body.how,
        note: body.note,
        version: body.version,
    };
    let production = RecordProduction::try_from(raw).map_err(ApiError::invalid)?;
    let case = state
        .app
        .record_production(Caller::Staff(staff), tn, production)
        .await?;
    Ok(answer(case))
}

/// A produced grant back to production, with why and when the rest will be available.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReopenBody {
    #[schema(schema_with = fields::reopen_reason, required = true)]
    pub reason: Option<String>,
    #[schema(schema_with = fields::records_due_at_required, required = true)]
    pub records_due_at: Option<String>,
    /// The version of the request the caller saw; without it, the latest.
    #[schema(minimum = 1, maximum = 2147483647)]
    #[serde(default, deserialize_with = "super::whole::i32_opt")]
    pub version: Option<i32>,
}

/// Reopen a produced grant whose records turned out incomplete.
#[utoipa::path(
    post, path = "/api/v1/requests/{tracking_number}/reopen", tag = "requests", operation_id = "reopen_production",
    params(("tracking_number" = String, Path)), request_body = ReopenBody, security(("staff" = [])),
    responses((status = 200, description = "Back in production", body = CaseView),
              (status = 403, description = "Not staff, or not theirs to manage", body = ErrorBody),
              (status = 409, description = "Not a produced grant, or a stale version", body = ErrorBody),
              (status = 422, description = "The reason or the new estimate is missing or wrong", body = ErrorBody))
)]
pub async fn reopen(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<ReopenBody>,
) -> Result<HttpResponse, ApiError> {
    let tn = tracking_number(path)?;
    let staff = auth::staff_only(&state, &req).await?;
    let body = body.into_inner();
    let raw = RawReopening {
        reason: body.reason,
        records_due_at: body.records_due_at,
        version: body.version,
    };
    let reopening = Reopening::try_from(raw).map_err(ApiError::invalid)?;
    let case = state
        .app
        .reopen(Caller::Staff(staff), tn, reopening)
        .await?;
    Ok(answer(case))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AssignBody {
    /// The new assignee: an active staff member's email.
    #[schema(schema_with = fields::email, required = true)]
    pub assignee: Option<String>,
    /// The version of the request the caller saw; without it, the latest.
    #[schema(minimum = 1, maximum = 2147483647)]
    #[serde(default, deserialize_with = "super::whole::i32_opt")]
    pub version: Option<i32>,
}

/// Hand the request to another staff member.
#[utoipa::path(
    post, path = "/api/v1/requests/{tracking_number}/assign", tag = "requests", operation_id = "assign_request",
    params(("tracking_number" = String, Path)), request_body = AssignBody, security(("staff" = [])),
    responses((status = 200, description = "Assigned", body = CaseView),
              (status = 403, description = "Not staff, or not theirs to reassign", body = ErrorBody),
              (status = 409, description = "A stale version", body = ErrorBody),
              (status = 422, description = "Invalid fields, or no active staff member has this email", body = ErrorBody))
)]
pub async fn assign(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<AssignBody>,
) -> Result<HttpResponse, ApiError> {
    let tn = tracking_number(path)?;
    let staff = auth::staff_only(&state, &req).await?;
    let body = body.into_inner();
    let raw = RawAssignment {
        assignee: body.assignee,
        version: body.version,
    };
    let assignment = Assignment::try_from(raw).map_err(ApiError::invalid)?;
    let case = state
        .app
        .assign(Caller::Staff(staff), tn, assignment)
        .await?;
    Ok(answer(case))
}

/// The request's audit chain, in order, with each event's hashes.
#[utoipa::path(
    get, path = "/api/v1/requests/{tracking_number}/audit", tag = "requests", operation_id = "get_audit_log",
    params(("tracking_number" = String, Path)), security(("staff" = [])),
    responses((status = 200, description = "The chain, oldest first", body = AuditLogView),
              (status = 403, description = "Not staff", body = ErrorBody))
)]
pub async fn audit(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let tn = tracking_number(path)?;
    let staff = auth::staff_only(&state, &req).await?;
    let log = state.app.audit_log(Caller::Staff(staff), tn).await?;
    Ok(HttpResponse::Ok().json(AuditLogView::from(log)))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RevokeLinksBody {
    #[schema(schema_with = fields::revoke_reason, required = true)]
    pub reason: Option<String>,
}

/// Staff revoke every private link the request has given; the requester is emailed a new one.
#[utoipa::path(
    post, path = "/api/v1/requests/{tracking_number}/private-links/revoke", tag = "requests", operation_id = "revoke_private_links",
    params(("tracking_number" = String, Path)), request_body = RevokeLinksBody, security(("staff" = [])),
    responses((status = 200, description = "Revoked; a new link is on its way to the requester, or, for a requester who gave neither an email nor a postal address, in new_private_url", body = RevokedView),
              (status = 403, description = "Not staff, or not theirs to revoke", body = ErrorBody),
              (status = 409, description = "No link left to revoke", body = ErrorBody))
)]
pub async fn revoke_links(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<RevokeLinksBody>,
) -> Result<HttpResponse, ApiError> {
    let tn = tracking_number(path)?;
    let caller = Caller::Staff(auth::staff_only(&state, &req).await?);
    let reason = body.into_inner().reason;
    let revoked = state.app.revoke_links(caller, tn, reason).await?;
    Ok(HttpResponse::Ok().json(RevokedView {
        case: CaseView::from(revoked.case),
        new_private_url: revoked.private_url,
    }))
}

/// The request with its links revoked.
#[derive(Debug, Clone, serde::Serialize, ToSchema)]
pub struct RevokedView {
    #[serde(flatten)]
    pub case: CaseView,
    /// Only for a requester who gave neither an email nor a postal address: their new private
    /// link, shown this once, to give them in person. Otherwise null: it goes by email or post.
    pub new_private_url: Option<String>,
}
