//! The requester's pages: home, the request form, the confirmation, the private tracking page.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::forms::{merge_indexed, summary, Errors, Field, FormData, SummaryItem};
use super::session;
use super::{
    explain, kind_words, local_time, page_error, render, see_other, status_words, Layout,
    PageError, PageResult,
};
use crate::domain::input::{limits, Text, TrackingNumber};
use crate::domain::{FieldErrors, Status, TransitionInput};
use crate::notify::render::long_date;
use crate::web::api::requests::file_submission;
use crate::web::AppState;
use crate::workflow::submit::{RawRequester, RawSubmission};
use crate::workflow::view::{self, CaseView};
use crate::workflow::{act, manage, Caller, WorkflowError};

fn layout(state: &AppState, session: &Session) -> Layout {
    Layout::new(state, session::csrf(session), None)
}

#[derive(Template)]
#[template(path = "pages/home.html")]
struct Home {
    layout: Layout,
    determination_days: u32,
    appeal_window_days: u32,
}

pub async fn home(state: web::Data<AppState>, session: Session) -> HttpResponse {
    let policy = &state.ctx.policy;
    render(
        StatusCode::OK,
        &Home {
            layout: layout(&state, &session),
            determination_days: policy.determination_days,
            appeal_window_days: policy.appeal_window_days,
        },
    )
}

/// What the request form holds, as typed.
#[derive(Debug, Clone, Default)]
struct RequestForm {
    kind: String,
    values: HashMap<&'static str, String>,
}

#[derive(Template)]
#[template(path = "pages/request_form.html")]
struct RequestFormPage {
    layout: Layout,
    form: RequestForm,
    fields: Vec<Field>,
    errors: Errors,
    summary: Vec<SummaryItem>,
}

/// One text input of the request form.
struct TextInput {
    key: &'static str,
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    multiline: bool,
    input_type: &'static str,
    autocomplete: &'static str,
    required: bool,
}

const TEXT_FIELDS: &[TextInput] = &[
    TextInput {
        key: "dataset_id",
        name: "dataset_id",
        label: "Dataset",
        hint: "For access requests: the dataset's identifier in the City's data catalog.",
        multiline: false,
        input_type: "text",
        autocomplete: "",
        required: false,
    },
    TextInput {
        key: "description",
        name: "description",
        label: "Describe the records or data you want",
        hint: "Be as specific as you can: subject, dates, places, people, departments.",
        multiline: true,
        input_type: "",
        autocomplete: "",
        required: true,
    },
    TextInput {
        key: "fields_needed",
        name: "fields_needed",
        label: "Fields or columns you need",
        hint: "For data requests: which fields, if not all.",
        multiline: true,
        input_type: "",
        autocomplete: "",
        required: false,
    },
    TextInput {
        key: "intended_use",
        name: "intended_use",
        label: "How you will use the data",
        hint: "Required for dataset and API access requests.",
        multiline: true,
        input_type: "",
        autocomplete: "",
        required: false,
    },
    TextInput {
        key: "preferred_format",
        name: "preferred_format",
        label: "Preferred format",
        hint: "For example PDF, CSV, paper copies.",
        multiline: false,
        input_type: "text",
        autocomplete: "",
        required: false,
    },
    TextInput {
        key: "requester.name",
        name: "name",
        label: "Your name",
        hint: "",
        multiline: false,
        input_type: "text",
        autocomplete: "name",
        required: true,
    },
    TextInput {
        key: "requester.email",
        name: "email",
        label: "Your email address",
        hint: "We send notices about your request here.",
        multiline: false,
        input_type: "email",
        autocomplete: "email",
        required: true,
    },
    TextInput {
        key: "requester.phone",
        name: "phone",
        label: "Phone (optional)",
        hint: "",
        multiline: false,
        input_type: "tel",
        autocomplete: "tel",
        required: false,
    },
    TextInput {
        key: "requester.organization",
        name: "organization",
        label: "Organization (optional)",
        hint: "",
        multiline: false,
        input_type: "text",
        autocomplete: "organization",
        required: false,
    },
];

fn form_fields(form: &RequestForm) -> Vec<Field> {
    TEXT_FIELDS
        .iter()
        .map(
            |&TextInput {
                 key,
                 name,
                 label,
                 hint,
                 multiline,
                 input_type,
                 autocomplete,
                 required,
             }| {
                let mut field = if multiline {
                    Field::area(key, &format!("f-{name}"), name, label)
                } else {
                    Field::text(key, &format!("f-{name}"), name, label).kind(input_type)
                };
                if required {
                    field = field.required();
                }
                field
                    .hint(hint)
                    .autocomplete(autocomplete)
                    .value(form.values.get(name).map(String::as_str).unwrap_or(""))
            },
        )
        .collect()
}

fn form_page(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    form: RequestForm,
    errors: FieldErrors,
) -> HttpResponse {
    let fields = form_fields(&form);
    let summary = summary(
        &errors,
        &fields,
        &[("kind", "f-kind", "What are you asking for")],
    );
    let page = RequestFormPage {
        layout: layout(state, session),
        form,
        fields,
        errors: Errors(errors),
        summary,
    };
    render(status, &page)
}

#[derive(Debug, Deserialize)]
pub struct NewRequestQuery {
    dataset: Option<String>,
}

pub async fn new_request(
    state: web::Data<AppState>,
    session: Session,
    query: web::Query<NewRequestQuery>,
) -> HttpResponse {
    let mut form = RequestForm::default();
    if let Some(dataset) = query.into_inner().dataset.filter(|d| !d.trim().is_empty()) {
        form.kind = "dataset_access".into();
        form.values.insert("dataset_id", dataset);
    }
    form_page(
        &state,
        &session,
        StatusCode::OK,
        form,
        FieldErrors::default(),
    )
}

fn csrf_refused(state: &AppState, session: &Session) -> PageError {
    PageError::forbidden(
        layout(state, session),
        "This form has expired or did not come from this site. Go back, reload the page and send it again.".into(),
    )
}

/// The request form as the API's submission, so both are checked by one parser.
pub fn submission_from_form(data: &FormData) -> RawSubmission {
    RawSubmission {
        kind: data.opt("kind"),
        requester: Some(RawRequester {
            name: Some(data.get("name")),
            email: Some(data.get("email")),
            phone: data.opt("phone"),
            organization: data.opt("organization"),
        }),
        description: Some(data.get("description")),
        dataset_id: data.opt("dataset_id"),
        fields_needed: data.opt("fields_needed"),
        intended_use: data.opt("intended_use"),
        preferred_format: data.opt("preferred_format"),
    }
}

pub async fn file_request(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    session: Session,
    data: FormData,
) -> PageResult {
    if !session::csrf_ok(&session, &data.get("csrf")) {
        return Err(csrf_refused(&state, &session));
    }
    if let Err(wait) = state.throttle.submission(state.throttle.address(&req)) {
        let minutes = wait.as_secs().div_ceil(60).max(1);
        let message = format!("Many requests were just filed from your network. Please try again in {minutes} minute(s).");
        return Err(PageError::TooMany(
            Box::new(layout(&state, &session)),
            message,
        ));
    }
    let typed = RequestForm {
        kind: data.get("kind"),
        values: TEXT_FIELDS
            .iter()
            .map(|input| (input.name, data.get(input.name)))
            .collect(),
    };
    let submission = match submission_from_form(&data).parse() {
        Ok(submission) => submission,
        Err(errors) => {
            return Ok(form_page(
                &state,
                &session,
                StatusCode::UNPROCESSABLE_ENTITY,
                typed,
                errors,
            ))
        }
    };
    let result = file_submission(&state, submission, None).await;
    match result {
        Ok(filed) => {
            let token = filed.access_token.clone().unwrap_or_default();
            session::remember_request(&session, &filed.tracking_number, &token);
            Ok(see_other(&format!(
                "/requests/{}/filed",
                filed.tracking_number
            )))
        }
        Err(e) if e.fields.is_some() => Ok(form_page(
            &state,
            &session,
            StatusCode::UNPROCESSABLE_ENTITY,
            typed,
            e.fields.unwrap_or_default(),
        )),
        Err(e) => {
            log::error!(
                "[{}] filing from the form failed: {e}",
                crate::web::request_id::current()
            );
            Err(PageError::internal(layout(&state, &session)))
        }
    }
}

#[derive(Template)]
#[template(path = "pages/filed.html")]
struct Filed {
    layout: Layout,
    tracking_number: String,
    due: String,
    private_url: String,
}

fn valid_tracking_number(
    state: &AppState,
    session: &Session,
    raw: &str,
) -> Result<String, PageError> {
    TrackingNumber::parse(raw)
        .map(|tn| tn.to_string())
        .ok_or_else(|| PageError::not_found(layout(state, session)))
}

/// The requester's own view of a request, with the token this browser holds for it.
async fn requester_case(
    state: &web::Data<AppState>,
    tn: &str,
    token: String,
) -> Result<CaseView, WorkflowError> {
    let tn = tn.to_string();
    let state = state.clone();
    let caller = Caller::Requester { token };
    let result = web::block(move || {
        state
            .db
            .read(|conn| view::get(conn, &state.ctx, &caller, &tn))
    })
    .await;
    result.map_err(|e| WorkflowError::Internal(e.to_string()))?
}

pub async fn filed(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
) -> PageResult {
    let tn = valid_tracking_number(&state, &session, &path)?;
    let Some(token) = session::request_token(&session, &tn) else {
        return Err(PageError::not_found(layout(&state, &session)));
    };
    let case = requester_case(&state, &tn, token.clone())
        .await
        .map_err(|e| page_error(&layout(&state, &session), e))?;
    let private_url = format!("{}/requests/{}?token={}", state.ctx.public_url, tn, token);
    Ok(render(
        StatusCode::OK,
        &Filed {
            layout: layout(&state, &session),
            tracking_number: tn,
            due: long_date(&case.determination_due.to_string()),
            private_url,
        },
    ))
}

pub struct TimelineItem {
    pub when: String,
    pub who: String,
    pub what: String,
    pub body: String,
}

/// The case's history with each message's text beside its event.
pub fn timeline(state: &AppState, case: &CaseView) -> Vec<TimelineItem> {
    let mut messages = case.messages.iter();
    case.history
        .iter()
        .map(|item| {
            let body = if item.action == "message" {
                messages.next().map(|m| m.body.clone()).unwrap_or_default()
            } else {
                String::new()
            };
            TimelineItem {
                when: local_time(state, &item.at),
                who: item.actor.clone(),
                what: item.summary.clone(),
                body,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "pages/tracking.html")]
struct Tracking {
    layout: Layout,
    case: CaseView,
    status_words: &'static str,
    kind_words: &'static str,
    received: String,
    due: String,
    open: bool,
    appeal_stage: bool,
    appeal_deadline: Option<String>,
    office: String,
    timeline: Vec<TimelineItem>,
    can_appeal: bool,
    can_withdraw: bool,
    errors: Errors,
    summary: Vec<SummaryItem>,
    flash: String,
    message_draft: String,
    grounds_draft: String,
}

#[derive(Default)]
struct Drafts {
    errors: FieldErrors,
    problem: String,
    message: String,
    grounds: String,
}

fn tracking_page(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    case: CaseView,
    drafts: Drafts,
) -> HttpResponse {
    let errors = drafts.errors;
    let mut summary = summary(
        &errors,
        &[],
        &[
            ("body", "f-body", "Your message"),
            ("grounds", "f-grounds", "Grounds for your appeal"),
        ],
    );
    if !drafts.problem.is_empty() {
        summary.push(SummaryItem {
            id: "main".into(),
            label: "This step was not taken".into(),
            message: drafts.problem,
        });
    }
    let office = match (&case.assignee, case.queue.as_str()) {
        (_, "city_clerk") | (None, _) => state.ctx.office.name.clone(),
        (Some(_), queue) => format!(
            "{} (department: {})",
            state.ctx.office.name,
            queue.replace('_', " ")
        ),
    };
    let page = Tracking {
        layout: layout(state, session),
        status_words: status_words(case.status),
        kind_words: kind_words(case.kind),
        received: local_time(state, &case.received_at),
        due: long_date(&case.due_on.to_string()),
        open: case.status.is_open(),
        appeal_stage: case.status.is_appeal_stage(),
        appeal_deadline: case
            .appeal_deadline
            .filter(|_| case.allowed_transitions.contains(&Status::Appealed))
            .map(|d| long_date(&d.to_string())),
        office,
        timeline: timeline(state, &case),
        can_appeal: case.allowed_transitions.contains(&Status::Appealed),
        can_withdraw: case.allowed_transitions.contains(&Status::Withdrawn),
        errors: Errors(errors),
        summary,
        flash: session::take_flash(session),
        message_draft: drafts.message,
        grounds_draft: drafts.grounds,
        case,
    };
    render(status, &page)
}

#[derive(Debug, Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

/// The private link: a token in the address is checked, kept in the session, and taken out of
/// the address (so it does not linger in history or travel on in a Referer).
pub async fn tracking(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    query: web::Query<TokenQuery>,
) -> PageResult {
    let tn = valid_tracking_number(&state, &session, &path)?;
    if let Some(token) = query.into_inner().token {
        return match requester_case(&state, &tn, token.clone()).await {
            Ok(_) => {
                session::remember_request(&session, &tn, &token);
                Ok(see_other(&format!("/requests/{tn}")))
            }
            Err(e) => Err(page_error(&layout(&state, &session), e)),
        };
    }
    let token = session::request_token(&session, &tn)
        .ok_or_else(|| PageError::not_found(layout(&state, &session)))?;
    let case = requester_case(&state, &tn, token)
        .await
        .map_err(|e| page_error(&layout(&state, &session), e))?;
    Ok(tracking_page(
        &state,
        &session,
        StatusCode::OK,
        case,
        Drafts::default(),
    ))
}

/// Runs a requester's step from the tracking page; re-renders it with what went wrong.
async fn requester_step<F>(
    state: web::Data<AppState>,
    session: Session,
    raw_tn: &str,
    data: FormData,
    mut drafts: Drafts,
    done: &str,
    step: F,
) -> PageResult
where
    F: Fn(
            &mut crate::db::Conn,
            &crate::workflow::Ctx,
            &Caller,
            &str,
        ) -> Result<CaseView, WorkflowError>
        + Send
        + Sync
        + 'static,
{
    let tn = valid_tracking_number(&state, &session, raw_tn)?;
    if !session::csrf_ok(&session, &data.get("csrf")) {
        return Err(csrf_refused(&state, &session));
    }
    let token = session::request_token(&session, &tn)
        .ok_or_else(|| PageError::not_found(layout(&state, &session)))?;
    let caller = Caller::Requester {
        token: token.clone(),
    };
    let step_tn = tn.clone();
    let result = if drafts.errors.is_empty() {
        let outcome = {
            let state = state.clone();
            web::block(move || {
                state
                    .db
                    .write(|conn| step(conn, &state.ctx, &caller, &step_tn))
            })
            .await
        };
        outcome
            .map_err(|e| WorkflowError::Internal(e.to_string()))
            .and_then(|r| r)
    } else {
        Err(WorkflowError::Invalid(drafts.errors.clone()))
    };
    match result {
        Ok(_) => {
            session::set_flash(&session, done);
            Ok(see_other(&format!("/requests/{tn}")))
        }
        Err(WorkflowError::NotFound) => Err(PageError::not_found(layout(&state, &session))),
        Err(e) => {
            let (errors, problem) = explain(&e);
            drafts.errors = merge_indexed(errors);
            drafts.problem = problem;
            let case = requester_case(&state, &tn, token)
                .await
                .map_err(|e| page_error(&layout(&state, &session), e))?;
            Ok(tracking_page(
                &state,
                &session,
                StatusCode::UNPROCESSABLE_ENTITY,
                case,
                drafts,
            ))
        }
    }
}

fn version_of(data: &FormData) -> Option<i32> {
    data.get("version").parse().ok()
}

pub async fn message(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    data: FormData,
) -> PageResult {
    let mut drafts = Drafts {
        message: data.get("body"),
        ..Default::default()
    };
    let body = Text::multiline(&data.get("body"), limits::MESSAGE);
    if let Err(e) = &body {
        drafts.errors.add("body", e.clone());
    }
    requester_step(
        state,
        session,
        &path,
        data,
        drafts,
        "Your message was sent.",
        move |conn, ctx, caller, tn| {
            let body = body
                .clone()
                .map_err(|_| WorkflowError::Internal("checked above".into()))?;
            manage::post_message(conn, ctx, caller, tn, &body)
        },
    )
    .await
}

pub async fn appeal(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    data: FormData,
) -> PageResult {
    let mut drafts = Drafts {
        grounds: data.get("grounds"),
        ..Default::default()
    };
    let grounds = data.text("grounds", limits::DECISION, &mut drafts.errors);
    let version = version_of(&data);
    requester_step(
        state,
        session,
        &path,
        data,
        drafts,
        "Your appeal was received. A reviewer will consider it.",
        move |conn, ctx, caller, tn| {
            let input = TransitionInput {
                grounds: grounds.clone(),
                ..Default::default()
            };
            act::transition(conn, ctx, caller, tn, Status::Appealed, version, &input)
        },
    )
    .await
}

pub async fn withdraw(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    data: FormData,
) -> PageResult {
    let mut drafts = Drafts::default();
    let reason = data.text("reason", limits::DECISION, &mut drafts.errors);
    let version = version_of(&data);
    requester_step(
        state,
        session,
        &path,
        data,
        drafts,
        "Your request is withdrawn.",
        move |conn, ctx, caller, tn| {
            let input = TransitionInput {
                reason: reason.clone(),
                ..Default::default()
            };
            act::transition(conn, ctx, caller, tn, Status::Withdrawn, version, &input)
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "pages/api_key.html")]
struct ApiKeyPage {
    layout: Layout,
    tracking_number: String,
    key: crate::workflow::api_keys::ClaimedKey,
}

/// "Get your API key": shown once, on this page, never again (and never cached).
pub async fn claim_key(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    data: FormData,
) -> PageResult {
    let tn = valid_tracking_number(&state, &session, &path)?;
    if !session::csrf_ok(&session, &data.get("csrf")) {
        return Err(csrf_refused(&state, &session));
    }
    let token = session::request_token(&session, &tn)
        .ok_or_else(|| PageError::not_found(layout(&state, &session)))?;
    let caller = Caller::Requester { token };
    let (worker, claim_tn) = (state.clone(), tn.clone());
    let claimed = web::block(move || {
        worker
            .db
            .write(|conn| crate::workflow::api_keys::claim(conn, &caller, &claim_tn))
    })
    .await;
    match claimed
        .map_err(|e| WorkflowError::Internal(e.to_string()))
        .and_then(|r| r)
    {
        Ok(key) => {
            let mut response = render(
                StatusCode::OK,
                &ApiKeyPage {
                    layout: layout(&state, &session),
                    tracking_number: tn,
                    key,
                },
            );
            response.headers_mut().insert(
                actix_web::http::header::CACHE_CONTROL,
                actix_web::http::header::HeaderValue::from_static("no-store"),
            );
            Ok(response)
        }
        Err(e @ (WorkflowError::Gone(_) | WorkflowError::Conflict { .. })) => {
            session::set_flash(&session, &e.to_string());
            Ok(see_other(&format!("/requests/{tn}")))
        }
        Err(e) => Err(page_error(&layout(&state, &session), e)),
    }
}
