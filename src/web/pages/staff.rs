//! The staff pages: sign-in, the queue, the case page with the steps allowed now, failed notices.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde_json::json;

use super::forms::{merge_indexed, summary, Errors, Field, FormData, SummaryItem};
use super::public::{timeline, TimelineItem};
use super::session;
use super::{
    explain, kind_words, local_time, page_error, render, see_other, status_words, Layout,
    PageError, PageResult,
};
use crate::db::staff as staff_db;
use crate::domain::input::{limits, parse_citation, Email, Responsible, Text, TrackingNumber};
use crate::domain::transitions::{rule_for, Requirement};
use crate::domain::{Circumstance, FieldErrors, Role, StaffId, Status, TransitionInput};
use crate::secrets;
use crate::web::auth::{self, SignInRefused};
use crate::web::AppState;
use crate::workflow::failed_notices::{self, FailedNotices};
use crate::workflow::queue::{self, QueuePage, QueueParams};
use crate::workflow::view::{self, CaseView};
use crate::workflow::{act, manage, staff, Caller, Ctx, StaffAccount, WorkflowError};

/// The signed-in staff member, or off to the sign-in page.
pub(super) async fn signed_in(
    state: &web::Data<AppState>,
    session: &Session,
) -> Result<(StaffAccount, Layout), PageError> {
    let token = session::staff_token(session).ok_or(PageError::SignIn)?;
    let lookup = {
        let state = state.clone();
        web::block(move || state.db.read(|conn| staff::by_token(conn, &token))).await
    };
    match lookup {
        Ok(Ok(Some(account))) => {
            let layout = Layout::new(state, session::csrf(session), Some(account.name.clone()));
            Ok((account, layout))
        }
        Ok(Ok(None)) => {
            session::sign_out(session);
            Err(PageError::SignIn)
        }
        Ok(Err(e)) => Err(page_error(&Layout::new(state, String::new(), None), e)),
        Err(_) => Err(PageError::internal(Layout::new(state, String::new(), None))),
    }
}

/// Runs a workflow read or write on a blocking thread.
pub(super) async fn run<T, F>(
    state: &web::Data<AppState>,
    write: bool,
    f: F,
) -> Result<T, WorkflowError>
where
    T: Send + 'static,
    F: FnOnce(&mut crate::db::Conn, &Ctx) -> Result<T, WorkflowError> + Send + 'static,
{
    let state = state.clone();
    let outcome = web::block(move || {
        if write {
            let db = state.db.clone();
            db.write_grouped(move |conn| f(conn, &state.ctx))
        } else {
            state.db.read(|conn| f(conn, &state.ctx))
        }
    })
    .await;
    outcome.map_err(|e| WorkflowError::Internal(e.to_string()))?
}

pub(super) fn csrf_check(
    session: &Session,
    data: &FormData,
    layout: &Layout,
) -> Result<(), PageError> {
    if session::csrf_ok(session, &data.get("csrf")) {
        Ok(())
    } else {
        Err(PageError::forbidden(
            layout.clone(),
            "This form has expired or did not come from this site. Go back, reload the page and try again.".into(),
        ))
    }
}

#[derive(Template)]
#[template(path = "pages/login.html")]
struct Login {
    layout: Layout,
    email: String,
    summary: Vec<SummaryItem>,
}

pub async fn login_page(state: web::Data<AppState>, session: Session) -> HttpResponse {
    if session::staff_token(&session).is_some() && signed_in(&state, &session).await.is_ok() {
        return see_other("/staff/queue");
    }
    let layout = Layout::new(&state, session::csrf(&session), None);
    render(
        StatusCode::OK,
        &Login {
            layout,
            email: String::new(),
            summary: vec![],
        },
    )
}

pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    data: FormData,
) -> PageResult {
    let layout = Layout::new(&state, session::csrf(&session), None);
    csrf_check(&session, &data, &layout)?;
    let (email, password) = (data.get("email"), data.get("password"));
    let refused = |message: &str| {
        vec![SummaryItem {
            id: "f-email".into(),
            label: "Sign in".into(),
            message: message.into(),
        }]
    };
    match auth::sign_in(&state, &req, email.clone(), password).await {
        Ok(signed) => {
            session::sign_in(&session, &signed.token);
            Ok(see_other("/staff/queue"))
        }
        Err(SignInRefused::Workflow(WorkflowError::BadCredentials)) => {
            let summary = refused("Wrong email or password.");
            Ok(render(
                StatusCode::UNAUTHORIZED,
                &Login {
                    layout,
                    email,
                    summary,
                },
            ))
        }
        Err(SignInRefused::TooMany(wait)) => {
            let minutes = wait.as_secs().div_ceil(60).max(1);
            let summary = refused(&format!(
                "Too many failed sign-ins. Try again in {minutes} minutes."
            ));
            let mut response = render(
                StatusCode::TOO_MANY_REQUESTS,
                &Login {
                    layout,
                    email,
                    summary,
                },
            );
            response.headers_mut().insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from(crate::web::throttle::retry_after(wait)),
            );
            Ok(response)
        }
        Err(SignInRefused::Workflow(e)) => Err(page_error(&layout, e)),
    }
}

pub async fn logout(state: web::Data<AppState>, session: Session, data: FormData) -> PageResult {
    let layout = Layout::new(&state, session::csrf(&session), None);
    csrf_check(&session, &data, &layout)?;
    if let Some(token) = session::staff_token(&session) {
        let _ = run(&state, true, move |conn, _| {
            Ok(staff_db::delete_token(conn, &secrets::token_hash(&token))?)
        })
        .await;
    }
    session::sign_out(&session);
    Ok(see_other("/staff/login"))
}

#[derive(Default)]
pub struct QueueFilters {
    pub queue: String,
    pub status: String,
    pub assignee: String,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "pages/queue.html")]
struct QueuePageView {
    layout: Layout,
    filters: QueueFilters,
    statuses: Vec<&'static str>,
    counts: Vec<queue::StatusCount>,
    page: QueuePage,
    next_url: Option<String>,
    summary: Vec<SummaryItem>,
}

pub async fn queue(
    state: web::Data<AppState>,
    session: Session,
    params: web::Query<QueueParams>,
) -> PageResult {
    let (account, layout) = signed_in(&state, &session).await?;
    let params = params.into_inner();
    let filters = QueueFilters {
        queue: params.queue.clone().unwrap_or_default(),
        status: params.status.clone().unwrap_or_default(),
        assignee: params.assignee.clone().unwrap_or_default(),
        overdue: params.overdue.as_deref() == Some("true"),
    };
    let for_list = (account.clone(), params.clone());
    let listed = run(&state, false, move |conn, ctx| {
        let page = queue::list(conn, ctx, &for_list.0, &for_list.1)?;
        let counts = queue::open_counts(conn, &for_list.0)?;
        Ok((page, counts))
    })
    .await;
    let statuses = Status::ALL.iter().map(|s| s.as_str()).collect();
    let (page, counts, summary, status) = match listed {
        Ok((page, counts)) => (page, counts, vec![], StatusCode::OK),
        Err(WorkflowError::Invalid(errors)) => {
            let summary = summary(
                &errors,
                &[],
                &[
                    ("status", "f-status", "Status"),
                    ("assignee", "f-assignee", "Assignee"),
                    ("queue", "f-queue", "Queue"),
                ],
            );
            (
                QueuePage {
                    items: vec![],
                    next_cursor: None,
                },
                vec![],
                summary,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => return Err(page_error(&layout, e)),
    };
    let next_url = page.next_cursor.as_ref().map(|cursor| {
        let query = serde_urlencoded::to_string([
            ("queue", filters.queue.as_str()),
            ("status", filters.status.as_str()),
            ("assignee", filters.assignee.as_str()),
            ("overdue", if filters.overdue { "true" } else { "" }),
            ("cursor", cursor.as_str()),
        ])
        .unwrap_or_default();
        format!("/staff/queue?{query}")
    });
    Ok(render(
        status,
        &QueuePageView {
            layout,
            filters,
            statuses,
            counts,
            page,
            next_url,
            summary,
        },
    ))
}

/// A form for one step on the case page.
pub struct Action {
    pub to: String,
    pub url: String,
    pub title: String,
    pub button: String,
    pub danger: bool,
    pub fields: Vec<Field>,
}

fn action_title(from: Status, to: Status) -> (&'static str, &'static str) {
    match (from, to) {
        (_, Status::UnderReview) => ("Accept for review", "Accept"),
        (Status::UnderReview, Status::Granted) => ("Grant", "Grant the request"),
        (Status::UnderReview, Status::Denied) => ("Deny", "Deny the request"),
        (_, Status::AdministrativeReview) => ("Take up the appeal", "Start the review"),
        (Status::AdministrativeReview, Status::Granted) => {
            ("Grant on review (overturn the denial)", "Grant on review")
        }
        (Status::AdministrativeReview, Status::Denied) => {
            ("Uphold the denial (final)", "Uphold the denial")
        }
        _ => ("Move", "Move"),
    }
}

/// The fields a step needs, straight from the transition table.
fn transition_fields(case: &CaseView, to: Status, draft: &FormData) -> Vec<Field> {
    let id = |name: &str| format!("f-{}-{name}", to.as_str());
    let mut fields = Vec::new();
    let requires = rule_for(case.status, to).map(|r| r.requires).unwrap_or(&[]);
    let wants = |r: Requirement| requires.contains(&r);
    if wants(Requirement::Decision) {
        let label = if case.status == Status::AdministrativeReview {
            "Review decision"
        } else {
            "Determination"
        };
        fields.push(
            Field::area("decision", &id("decision"), "decision", label)
                .required()
                .hint("What is released and how the requester gets it, or why the denial stands.")
                .value(&draft.get("decision")),
        );
    }
    if wants(Requirement::Reason) {
        fields.push(
            Field::area("reason", &id("reason"), "reason", "Reasons for the denial")
                .required()
                .value(&draft.get("reason")),
        );
    }
    if wants(Requirement::PartialDetails) {
        fields.push(
            Field::text(
                "partial",
                &id("partial"),
                "partial",
                "Grant in part (some records withheld)",
            )
            .kind("checkbox")
            .value(&draft.get("partial")),
        );
        fields.push(
            Field::area(
                "withheld",
                &id("withheld"),
                "withheld",
                "What is withheld, and why",
            )
            .hint("Only for a partial grant.")
            .value(&draft.get("withheld")),
        );
    }
    if wants(Requirement::LegalBasis) || wants(Requirement::PartialDetails) {
        let hint = if wants(Requirement::LegalBasis) {
            "One citation per line, e.g. Gov. Code §7922.000."
        } else {
            "For a partial grant: one citation per line."
        };
        let mut field = Field::area(
            "legal_basis",
            &id("legal_basis"),
            "legal_basis",
            "Legal basis",
        )
        .hint(hint)
        .value(&draft.get("legal_basis"));
        if wants(Requirement::LegalBasis) {
            field = field.required();
        }
        fields.push(field);
    }
    if wants(Requirement::Responsible) {
        fields.push(
            Field::area(
                "responsible",
                &id("responsible"),
                "responsible",
                "Persons responsible for the denial",
            )
            .required()
            .hint("One per line, as Name, Title (Gov. Code §7922.540).")
            .value(&draft.get("responsible")),
        );
    }
    fields
}

/// The steps this staff member may take now, each with exactly its fields.
fn actions(
    case: &CaseView,
    account: &StaffAccount,
    failed: Option<(&str, &FormData)>,
) -> Vec<Action> {
    let empty = FormData(HashMap::new());
    let draft_for = |key: &str| match failed {
        Some((k, data)) if k == key => data,
        _ => &empty,
    };
    let tn = &case.tracking_number;
    let mut list: Vec<Action> = case
        .allowed_transitions
        .iter()
        .map(|&to| {
            let (title, button) = action_title(case.status, to);
            Action {
                to: to.as_str().into(),
                url: format!("/staff/requests/{tn}/transition"),
                title: title.into(),
                button: button.into(),
                danger: to == Status::Denied,
                fields: transition_fields(case, to, draft_for(to.as_str())),
            }
        })
        .collect();
    let draft = draft_for("message");
    list.push(Action {
        to: String::new(),
        url: format!("/staff/requests/{tn}/messages"),
        title: "Write to the requester".into(),
        button: "Send message".into(),
        danger: false,
        fields: vec![Field::area("body", "f-message-body", "body", "Message")
            .required()
            .value(&draft.get("body"))],
    });
    let member = account.member();
    let assignee = case.assignee.as_ref().and_then(|a| a.email.clone());
    let assignee_id = if assignee.as_deref() == Some(account.email.as_str()) {
        Some(StaffId(account.id))
    } else {
        None
    };
    if member.can_assign(assignee_id)
        || (assignee.is_none() && matches!(account.role, Role::Clerk | Role::Admin))
    {
        let draft = draft_for("assign");
        list.push(Action {
            to: String::new(),
            url: format!("/staff/requests/{tn}/assign"),
            title: "Assign".into(),
            button: "Assign".into(),
            danger: false,
            fields: vec![Field::text(
                "assignee",
                "f-assign-assignee",
                "assignee",
                "Staff member's email",
            )
            .kind("email")
            .required()
            .value(&draft.get("assignee"))],
        });
    }
    if matches!(case.status, Status::Submitted | Status::UnderReview) && case.extension.is_none() {
        let draft = draft_for("extend");
        list.push(Action {
            to: String::new(),
            url: format!("/staff/requests/{tn}/extend"),
            title: "Extend the deadline (once, up to 14 days)".into(),
            button: "Extend".into(),
            danger: false,
            fields: vec![
                Field::text("days", "f-extend-days", "days", "Days (1 to 14)")
                    .kind("number")
                    .required()
                    .value(&draft.get("days")),
                Field::text(
                    "circumstance",
                    "f-extend-circumstance",
                    "circumstance",
                    "Statutory circumstance",
                )
                .required()
                .hint(
                    "One of: field_facilities, voluminous_records, consultation, data_compilation.",
                )
                .value(&draft.get("circumstance")),
                Field::area(
                    "reason",
                    "f-extend-reason",
                    "reason",
                    "Explanation for the requester",
                )
                .value(&draft.get("reason")),
            ],
        });
    }
    if case
        .api_key
        .as_ref()
        .is_some_and(|k| k.state == "offered" || k.state == "active")
    {
        list.push(Action {
            to: String::new(),
            url: format!("/staff/requests/{tn}/api-key/revoke"),
            title: "Revoke the API key".into(),
            button: "Revoke the key".into(),
            danger: true,
            fields: vec![],
        });
    }
    list
}

#[derive(Template)]
#[template(path = "pages/case.html")]
struct CasePage {
    layout: Layout,
    max_upload_mb: u64,
    case: CaseView,
    status_words: &'static str,
    kind_words: &'static str,
    received: String,
    actions: Vec<Action>,
    timeline: Vec<TimelineItem>,
    errors: Errors,
    summary: Vec<SummaryItem>,
    problem: String,
    flash: String,
}

pub(super) fn tracking(raw: &str, layout: &Layout) -> Result<String, PageError> {
    TrackingNumber::parse(raw)
        .map(|t| t.to_string())
        .ok_or_else(|| PageError::not_found(layout.clone()))
}

pub(super) async fn load_case(
    state: &web::Data<AppState>,
    account: &StaffAccount,
    tn: &str,
) -> Result<CaseView, WorkflowError> {
    let (caller, tn) = (Caller::Staff(account.clone()), tn.to_string());
    run(state, false, move |conn, ctx| {
        view::get(conn, ctx, &caller, &tn)
    })
    .await
}

#[allow(clippy::too_many_arguments)]
pub(super) fn case_page(
    state: &AppState,
    session: &Session,
    layout: Layout,
    account: &StaffAccount,
    case: CaseView,
    status: StatusCode,
    failed: Option<(&str, &FormData)>,
    error: Option<&WorkflowError>,
) -> HttpResponse {
    let (errors, problem) = error.map(explain).unwrap_or_default();
    let errors = merge_indexed(errors);
    let actions = actions(&case, account, failed);
    let fields: Vec<Field> = actions.iter().flat_map(|a| a.fields.clone()).collect();
    let relevant: Vec<Field> = match failed {
        Some((key, _)) => actions
            .iter()
            .filter(|a| {
                a.to == key
                    || a.url.ends_with(key)
                    || (key == "message" && a.url.ends_with("messages"))
            })
            .flat_map(|a| a.fields.clone())
            .collect(),
        None => fields,
    };
    // The document forms are not transition actions; their fields are named here.
    let document_fields = [
        ("title", "link-title", "What it is"),
        ("url", "link-url", "Address"),
        (
            "redaction_note",
            "link-redaction_note",
            "What was redacted or withheld",
        ),
        ("exemption", "link-exemption", "Exemption"),
        ("documents", "records", "Documents to release"),
    ];
    let summary = summary(&errors, &relevant, &document_fields);
    let page = CasePage {
        max_upload_mb: state.files.max_bytes() / (1024 * 1024),
        layout,
        status_words: status_words(case.status),
        kind_words: kind_words(case.kind),
        received: local_time(state, &case.received_at),
        actions,
        timeline: timeline(state, &case),
        errors: Errors(errors),
        summary,
        problem,
        flash: session::take_flash(session),
        case,
    };
    render(status, &page)
}

pub async fn case(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
) -> PageResult {
    let (account, layout) = signed_in(&state, &session).await?;
    let tn = tracking(&path, &layout)?;
    let case = load_case(&state, &account, &tn)
        .await
        .map_err(|e| page_error(&layout, e))?;
    Ok(case_page(
        &state,
        &session,
        layout,
        &account,
        case,
        StatusCode::OK,
        None,
        None,
    ))
}

/// Runs a staff step from the case page: on success back to the case with a flash line; on a
/// refusal the case page again, with the form as typed and what went wrong.
pub(super) async fn staff_step<F>(
    state: web::Data<AppState>,
    session: Session,
    raw_tn: &str,
    data: FormData,
    key: &str,
    done: &str,
    step: F,
) -> PageResult
where
    F: FnOnce(&mut crate::db::Conn, &Ctx, &Caller, &str) -> Result<CaseView, WorkflowError>
        + Send
        + 'static,
{
    let (account, layout) = signed_in(&state, &session).await?;
    let tn = tracking(raw_tn, &layout)?;
    csrf_check(&session, &data, &layout)?;
    let caller = Caller::Staff(account.clone());
    let step_tn = tn.clone();
    match run(&state, true, move |conn, ctx| {
        step(conn, ctx, &caller, &step_tn)
    })
    .await
    {
        Ok(_) => {
            session::set_flash(&session, done);
            Ok(see_other(&format!("/staff/requests/{tn}")))
        }
        Err(WorkflowError::NotFound) => Err(PageError::not_found(layout)),
        Err(e @ (WorkflowError::Db(_) | WorkflowError::Internal(_))) => Err(page_error(&layout, e)),
        Err(e) => {
            let case = load_case(&state, &account, &tn)
                .await
                .map_err(|e| page_error(&layout, e))?;
            let status = match &e {
                WorkflowError::Invalid(_)
                | WorkflowError::Transition(crate::domain::TransitionError::Missing(_)) => {
                    StatusCode::UNPROCESSABLE_ENTITY
                }
                WorkflowError::Forbidden(_)
                | WorkflowError::Transition(crate::domain::TransitionError::Forbidden(_)) => {
                    StatusCode::FORBIDDEN
                }
                _ => StatusCode::CONFLICT,
            };
            Ok(case_page(
                &state,
                &session,
                layout,
                &account,
                case,
                status,
                Some((key, &data)),
                Some(&e),
            ))
        }
    }
}

fn version(data: &FormData) -> Option<i32> {
    data.get("version").parse().ok()
}

/// Reads a transition form with the same parsers as the JSON API.
fn transition_input(data: &FormData) -> Result<TransitionInput, FieldErrors> {
    let mut errors = FieldErrors::default();
    let legal_basis = data
        .lines("legal_basis")
        .iter()
        .filter_map(|c| errors.check("legal_basis", parse_citation(c)))
        .collect();
    let responsible = data
        .lines("responsible")
        .iter()
        .filter_map(|line| {
            let parsed = match line.split_once(',') {
                Some((name, title)) => Responsible::parse(name, title),
                None => Err(format!("write {line:?} as Name, Title")),
            };
            errors.check("responsible", parsed)
        })
        .collect();
    let input = TransitionInput {
        decision: data.text("decision", limits::DECISION, &mut errors),
        partial: data.get("partial") == "true",
        withheld: data.text("withheld", limits::DECISION, &mut errors),
        legal_basis,
        responsible,
        reason: data.text("reason", limits::DECISION, &mut errors),
        grounds: None,
    };
    errors.into_result().map(|_| input)
}

pub async fn transition(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    data: FormData,
) -> PageResult {
    let to = Status::parse(&data.get("to"));
    let key = to.map(|s| s.as_str()).unwrap_or("transition");
    let parsed = transition_input(&data);
    let version = version(&data);
    let done = match to {
        Some(to) => format!("The request is now {}.", to.as_str().replace('_', " ")),
        None => String::new(),
    };
    staff_step(
        state,
        session,
        &path,
        FormData(data.0.clone()),
        key,
        &done,
        move |conn, ctx, caller, tn| {
            let to = to.ok_or_else(|| WorkflowError::field("to", "choose a step"))?;
            let input = parsed.map_err(WorkflowError::Invalid)?;
            act::transition(conn, ctx, caller, tn, to, version, &input)
        },
    )
    .await
}

pub async fn message(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    data: FormData,
) -> PageResult {
    let body = Text::multiline(&data.get("body"), limits::MESSAGE);
    staff_step(
        state,
        session,
        &path,
        FormData(data.0.clone()),
        "message",
        "Your message was sent to the requester.",
        move |conn, ctx, caller, tn| {
            let body = body.map_err(|e| WorkflowError::field("body", e))?;
            manage::post_message(conn, ctx, caller, tn, &body)
        },
    )
    .await
}

pub async fn assign(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    data: FormData,
) -> PageResult {
    let assignee = Email::parse(&data.get("assignee"));
    let version = version(&data);
    staff_step(
        state,
        session,
        &path,
        FormData(data.0.clone()),
        "assign",
        "The request is reassigned.",
        move |conn, ctx, caller, tn| {
            let assignee = assignee.map_err(|e| WorkflowError::field("assignee", e))?;
            manage::assign(conn, ctx, caller, tn, version, &assignee)
        },
    )
    .await
}

pub async fn extend(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    data: FormData,
) -> PageResult {
    let mut errors = FieldErrors::default();
    let days = match data.get("days").trim().parse::<u32>() {
        Ok(d) if (1..=14).contains(&d) => Some(d),
        _ => {
            errors.add("days", "an extension must be between 1 and 14 days");
            None
        }
    };
    let circumstance = errors.check(
        "circumstance",
        Circumstance::parse(data.get("circumstance").trim())
            .ok_or_else(|| "must be one of field_facilities, voluminous_records, consultation, data_compilation".to_string()),
    );
    let reason = data.text("reason", limits::DECISION, &mut errors);
    let version = version(&data);
    staff_step(
        state,
        session,
        &path,
        FormData(data.0.clone()),
        "extend",
        "The deadline is extended and the requester is told why.",
        move |conn, ctx, caller, tn| {
            let (Some(days), Some(circumstance)) = (days, circumstance) else {
                return Err(WorkflowError::Invalid(errors));
            };
            errors.into_result()?;
            manage::extend(
                conn,
                ctx,
                caller,
                tn,
                version,
                &manage::Extension {
                    days,
                    circumstance,
                    reason,
                },
            )
        },
    )
    .await
}

/// The whole case file: the request as staff see it, its audit chain, its notices.
pub async fn export(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
) -> PageResult {
    let (account, layout) = signed_in(&state, &session).await?;
    let tn = tracking(&path, &layout)?;
    let caller = Caller::Staff(account);
    let file = run(&state, false, move |conn, ctx| {
        let case = view::get(conn, ctx, &caller, &tn)?;
        let audit = view::audit_log(conn, &caller, &tn)?;
        let notices = crate::notify::outbox::for_request(conn, &tn)?;
        Ok(json!({ "request": case, "audit": audit.events, "notices": notices }))
    })
    .await
    .map_err(|e| page_error(&layout, e))?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{}.json\"", path.as_str()),
        ))
        .body(serde_json::to_string_pretty(&file).unwrap_or_default()))
}

#[derive(Template)]
#[template(path = "pages/notices.html")]
struct NoticesPage {
    layout: Layout,
    list: FailedNotices,
    may_resend: bool,
    flash: String,
    problem: String,
}

pub async fn notices(state: web::Data<AppState>, session: Session) -> PageResult {
    let (account, layout) = signed_in(&state, &session).await?;
    let may_resend = failed_notices::may_resend(&account);
    let list = run(&state, false, move |conn, _| {
        failed_notices::list(conn, &account)
    })
    .await
    .map_err(|e| page_error(&layout, e))?;
    let flash = session::take_flash(&session);
    Ok(render(
        StatusCode::OK,
        &NoticesPage {
            layout,
            list,
            may_resend,
            flash,
            problem: String::new(),
        },
    ))
}

pub async fn retry_notice(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    data: FormData,
) -> PageResult {
    let (account, layout) = signed_in(&state, &session).await?;
    csrf_check(&session, &data, &layout)?;
    let id: i64 = path
        .parse()
        .map_err(|_| PageError::not_found(layout.clone()))?;
    match run(&state, true, move |conn, _| {
        failed_notices::retry(conn, &account, id)
    })
    .await
    {
        Ok(notice) => {
            session::set_flash(
                &session,
                &format!(
                    "The {} notice to {} is queued again.",
                    notice.notice.replace('_', " "),
                    notice.recipient
                ),
            );
            Ok(see_other("/staff/notices"))
        }
        Err(e) => Err(page_error(&layout, e)),
    }
}

pub async fn revoke_key(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    data: FormData,
) -> PageResult {
    staff_step(
        state,
        session,
        &path,
        FormData(data.0.clone()),
        "revoke",
        "The API key is revoked and the requester is told.",
        crate::workflow::api_keys::revoke,
    )
    .await
}
