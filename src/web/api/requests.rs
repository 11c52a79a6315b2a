//! `/api/v1/requests…`: filing a request and everything done to it afterwards.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::fields;
use crate::db::Conn;
use crate::domain::input::{limits, parse_citation, Email, Responsible, Text, TrackingNumber};
use crate::domain::{Circumstance, FieldErrors, Status, TransitionInput};
use crate::web::auth;
use crate::web::error::{body_error, payload_error, ApiError, ErrorBody};
use crate::web::AppState;
use crate::workflow::submit::{
    self, IdempotencyKey, Prepared, RawSubmission, Routing, Submission, SubmittedView,
};
use crate::workflow::view::{self, AuditLog, CaseView};
use crate::workflow::{act, manage, Caller};

/// Tracking numbers that cannot exist are simply not found.
pub(crate) fn tracking_number(path: web::Path<String>) -> Result<String, ApiError> {
    TrackingNumber::parse(&path.into_inner())
        .map(|tn| tn.as_str().to_string())
        .ok_or_else(|| {
            ApiError::not_found("no request with this tracking number is visible to you")
        })
}

/// Content-Type application/json, or a `+json` type, as the JSON extractor takes them.
fn is_json(req: &HttpRequest) -> bool {
    use actix_web::HttpMessage;
    matches!(req.mime_type(), Ok(Some(mime))
        if mime.subtype() == actix_web::mime::JSON || mime.suffix() == Some(actix_web::mime::JSON))
}

fn idempotency_key(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get("Idempotency-Key") else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or("").trim();
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::field(
            "Idempotency-Key",
            "must be 1 to 255 visible ASCII characters",
        ));
    }
    Ok(Some(key.to_string()))
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
    body: web::Json<RawSubmission>,
) -> Result<HttpResponse, ApiError> {
    let address = state.throttle.address(&req);
    if let Err(wait) = state.throttle.submission(address) {
        let message = "too many requests filed from this address just now; try again shortly";
        return Err(ApiError::too_many(message, wait));
    }
    let raw = body.into_inner();
    let submission = raw.parse().map_err(ApiError::invalid)?;
    let key = idempotency_key(&req)?.map(|key| IdempotencyKey {
        key,
        fingerprint: raw.fingerprint(),
    });
    let filed = file_submission(&state, submission, key).await?;
    let location = format!("/api/v1/requests/{}", filed.tracking_number);
    let mut response = if filed.replayed {
        HttpResponse::Ok()
    } else {
        HttpResponse::Created()
    };
    Ok(response
        .insert_header((header::LOCATION, location))
        .json(filed))
}

/// Files a checked submission (the API's and the form's).
pub async fn file_submission(
    state: &AppState,
    submission: Submission,
    key: Option<IdempotencyKey>,
) -> Result<SubmittedView, ApiError> {
    let mut attempt = 0;
    loop {
        match file_once(state, &submission, &key).await {
            // Another request with this key committed first; the retry will find and replay it.
            Err(e) if e.body_code == "idempotency_race" && attempt == 0 => attempt += 1,
            other => return other,
        }
    }
}

/// How far a filing got on its pooled connection.
enum OnReader {
    Answered(SubmittedView),
    /// SQLite: what the group-commit writer still has to write.
    ForWriter(Routing),
}

/// The reads on a pooled connection, and then, as each backend is fastest:
/// - on PostgreSQL the filing's two statements on that same connection
///   (`submit::file_at_once`): a filing there is bound by round trips, and a second checkout
///   is one more (and a thread hop);
/// - on SQLite the filing alone in the writer's next group commit, so the writer does nothing
///   a reader could do; it numbers the request there, without gaps.
async fn file_once(
    state: &AppState,
    submission: &Submission,
    key: &Option<IdempotencyKey>,
) -> Result<SubmittedView, ApiError> {
    let (for_read, read_key) = (submission.clone(), key.clone());
    let read = state
        .read(move |conn, ctx| {
            let routing = match submit::prepare(conn, &for_read, read_key.as_ref())? {
                Prepared::Replay(view) => return Ok(OnReader::Answered(view)),
                Prepared::File(routing) => routing,
            };
            match conn {
                Conn::Postgres(pg) => {
                    submit::file_at_once(pg, ctx, &for_read, &routing, read_key.as_ref())
                        .map(OnReader::Answered)
                }
                Conn::Sqlite(_) => Ok(OnReader::ForWriter(routing)),
            }
        })
        .await?;
    let routing = match read {
        OnReader::Answered(view) => return Ok(view),
        OnReader::ForWriter(routing) => routing,
    };
    let (for_write, write_key) = (submission.clone(), key.clone());
    state
        .write(move |conn, ctx| submit::file(conn, ctx, &for_write, &routing, write_key.as_ref()))
        .await
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
    let case = state
        .read(move |conn, ctx| view::get(conn, ctx, &caller, &tn))
        .await?;
    Ok(HttpResponse::Ok().json(case))
}

/// A person responsible for a denial (Gov. Code §7922.540).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ResponsibleBody {
    #[schema(schema_with = fields::name, required = true)]
    pub name: Option<String>,
    #[schema(schema_with = fields::title, required = true)]
    pub title: Option<String>,
}

/// A move to another state with what that move must carry (see DESIGN.md §1).
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
    /// A partial grant names what is withheld and its legal basis.
    pub partial: Option<bool>,
    #[schema(schema_with = fields::withheld)]
    pub withheld: Option<String>,
    #[schema(schema_with = fields::citations)]
    pub legal_basis: Option<Vec<String>>,
    /// Each person responsible for a denial, with their title (required to deny).
    pub responsible: Option<Vec<ResponsibleBody>>,
    #[schema(schema_with = fields::grounds)]
    pub grounds: Option<String>,
}

fn multiline(
    errors: &mut FieldErrors,
    field: &str,
    raw: &Option<String>,
    max: usize,
) -> Option<Text> {
    raw.as_deref()
        .filter(|s| !s.trim().is_empty())
        .and_then(|s| errors.check(field, Text::multiline(s, max)))
}

impl TransitionBody {
    /// The parsed carry-along fields; presence is the domain's business, shape is ours.
    fn input(&self, errors: &mut FieldErrors) -> TransitionInput {
        let legal_basis = self
            .legal_basis
            .iter()
            .flatten()
            .enumerate()
            .filter_map(|(i, c)| errors.check(&format!("legal_basis[{i}]"), parse_citation(c)))
            .collect();
        let responsible = self
            .responsible
            .iter()
            .flatten()
            .enumerate()
            .filter_map(|(i, r)| {
                let parsed = Responsible::parse(
                    r.name.as_deref().unwrap_or(""),
                    r.title.as_deref().unwrap_or(""),
                );
                errors.check(&format!("responsible[{i}]"), parsed)
            })
            .collect();
        TransitionInput {
            decision: multiline(errors, "decision", &self.decision, limits::DECISION),
            partial: self.partial.unwrap_or(false),
            withheld: multiline(errors, "withheld", &self.withheld, limits::DECISION),
            legal_basis,
            responsible,
            reason: multiline(errors, "reason", &self.reason, limits::DECISION),
            grounds: multiline(errors, "grounds", &self.grounds, limits::DECISION),
        }
    }
}

async fn run_transition(
    state: web::Data<AppState>,
    req: HttpRequest,
    tn: String,
    to: Status,
    version: Option<i32>,
    input: TransitionInput,
) -> Result<HttpResponse, ApiError> {
    let caller = auth::caller(&state, &req).await?;
    let case = state
        .write_as_of(version, move |conn, ctx| {
            act::transition(conn, ctx, &caller, &tn, to, version, &input)
        })
        .await?;
    Ok(HttpResponse::Ok().json(case))
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
    let mut errors = FieldErrors::default();
    let to = match body.to.as_deref() {
        None => {
            errors.add("to", "name the state to move to");
            None
        }
        Some(raw) => errors.check(
            "to",
            Status::parse(raw).ok_or_else(|| format!("unknown state {raw:?}")),
        ),
    };
    if body.version.is_none() {
        errors.add(
            "version",
            "send the version of the request you are acting on",
        );
    }
    let input = body.input(&mut errors);
    let Some(to) = to.filter(|_| errors.is_empty()) else {
        return Err(ApiError::invalid(errors));
    };
    run_transition(state, req, tn, to, body.version, input).await
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
    let mut errors = FieldErrors::default();
    let grounds = multiline(&mut errors, "grounds", &body.grounds, limits::DECISION);
    errors.into_result().map_err(ApiError::invalid)?;
    let input = TransitionInput {
        grounds,
        ..Default::default()
    };
    run_transition(state, req, tn, Status::Appealed, body.version, input).await
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct WithdrawBody {
    #[schema(schema_with = fields::reason)]
    pub reason: Option<String>,
    /// The version of the request the caller saw; without it, the latest.
    #[schema(minimum = 1, maximum = 2147483647)]
    #[serde(default, deserialize_with = "super::whole::i32_opt")]
    pub version: Option<i32>,
}

/// The requester withdraws their request.
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
    let mut errors = FieldErrors::default();
    let reason = multiline(&mut errors, "reason", &body.reason, limits::DECISION);
    errors.into_result().map_err(ApiError::invalid)?;
    let input = TransitionInput {
        reason,
        ..Default::default()
    };
    run_transition(state, req, tn, Status::Withdrawn, body.version, input).await
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
              (status = 409, description = "The request kept changing under the message; send it again", body = ErrorBody))
)]
pub async fn message(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<MessageBody>,
) -> Result<HttpResponse, ApiError> {
    let tn = tracking_number(path)?;
    let text = Text::multiline(body.body.as_deref().unwrap_or(""), limits::MESSAGE)
        .map_err(|e| ApiError::field("body", &e))?;
    let caller = auth::caller(&state, &req).await?;
    let case = state
        .write_latest(move |conn, ctx| manage::post_message(conn, ctx, &caller, &tn, &text))
        .await?;
    Ok(HttpResponse::Ok().json(case))
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
    let mut errors = FieldErrors::default();
    let days = match body.days {
        Some(d) if (1..=14).contains(&d) => Some(d as u32),
        Some(_) => {
            errors.add("days", "an extension must be between 1 and 14 days");
            None
        }
        None => {
            errors.add("days", "say by how many days (1–14)");
            None
        }
    };
    let circumstance = match body.circumstance.as_deref() {
        Some(raw) => errors.check(
            "circumstance",
            Circumstance::parse(raw).ok_or_else(|| {
                "must be one of field_facilities, voluminous_records, consultation, data_compilation".to_string()
            }),
        ),
        None => {
            errors.add("circumstance", "name the statutory circumstance");
            None
        }
    };
    let reason = multiline(&mut errors, "reason", &body.reason, limits::DECISION);
    let (Some(days), Some(circumstance)) = (days, circumstance) else {
        return Err(ApiError::invalid(errors));
    };
    errors.into_result().map_err(ApiError::invalid)?;
    let version = body.version;
    let caller = Caller::Staff(staff);
    let extension = manage::Extension {
        days,
        circumstance,
        reason,
    };
    let case = state
        .write_as_of(version, move |conn, ctx| {
            manage::extend(conn, ctx, &caller, &tn, version, &extension)
        })
        .await?;
    Ok(HttpResponse::Ok().json(case))
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
    let assignee = Email::parse(body.assignee.as_deref().unwrap_or(""))
        .map_err(|e| ApiError::field("assignee", &e))?;
    let version = body.version;
    let caller = Caller::Staff(staff);
    let case = state
        .write_as_of(version, move |conn, ctx| {
            manage::assign(conn, ctx, &caller, &tn, version, &assignee)
        })
        .await?;
    Ok(HttpResponse::Ok().json(case))
}

/// The request's audit chain, in order, with each event's hashes.
#[utoipa::path(
    get, path = "/api/v1/requests/{tracking_number}/audit", tag = "requests", operation_id = "get_audit_log",
    params(("tracking_number" = String, Path)), security(("staff" = [])),
    responses((status = 200, description = "The chain, oldest first", body = AuditLog),
              (status = 403, description = "Not staff", body = ErrorBody))
)]
pub async fn audit(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let tn = tracking_number(path)?;
    let staff = auth::staff_only(&state, &req).await?;
    let caller = Caller::Staff(staff);
    let log = state
        .read(move |conn, _| view::audit_log(conn, &caller, &tn))
        .await?;
    Ok(HttpResponse::Ok().json(log))
}
