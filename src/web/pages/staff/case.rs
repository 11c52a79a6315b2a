//! `GET /staff/requests/{tracking_number}`: the case page: the request, its decisions and
//! its timeline, a task list of the steps this staff member may take now (each a page of its
//! own), and the forms for a message, an assignment and the records.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::fees::FeeStep;
use super::signed_in_on;
use super::steps::StepPage;
use crate::app::api_keys::{KeyState, Replacement};
use crate::app::view::Case;
use crate::app::{AppError, Caller, StaffAccount};
use crate::domain::input::TrackingNumber;
use crate::domain::{Role, Status};
use crate::web::pages::fees::FeeView;
use crate::web::pages::forms::{summary, Choice, Errors, Field, FormData, SummaryItem};
use crate::web::pages::problem::{page_error, Shown};
use crate::web::pages::timeline::{timeline, TimelineItem};
use crate::web::pages::{
    kind_words, local_time, render, session, status_words, Layout, PageResult,
};
use crate::web::AppState;

/// A form for one step taken on the case page itself (a message, an assignment, revoking a
/// key); decisions and the steps after them have pages of their own (`steps`).
pub struct Action {
    pub key: String,
    pub url: String,
    pub title: String,
    pub button: String,
    pub danger: bool,
    pub fields: Vec<Field>,
}

/// One line of the task list: a link to a step's page.
pub struct Task {
    pub url: String,
    pub title: String,
    pub hint: String,
}

fn tasks(state: &AppState, case: &Case) -> Vec<Task> {
    let mut list: Vec<Task> = StepPage::available(case)
        .into_iter()
        .map(|step| Task {
            url: format!(
                "/staff/requests/{}/steps/{}",
                case.tracking_number,
                step.slug()
            ),
            title: step.title(case).into(),
            hint: step.hint().into(),
        })
        .collect();
    list.extend(fee_tasks(case));
    if let Some(Replacement::Asked(at)) = case.api_key.as_ref().and_then(|k| k.replacement) {
        list.push(Task {
            url: "#action-replace".into(),
            title: "Give the requester a new API key".into(),
            hint: format!(
                "They told us on {} that their key is lost.",
                local_time(state, at)
            ),
        });
    }
    list
}

/// The fee steps open now (docs/PRODUCT.md, "Fees"): in the task list, and again beside the
/// fees.
fn fee_tasks(case: &Case) -> Vec<Task> {
    FeeStep::available(case)
        .into_iter()
        .map(|step| Task {
            url: format!(
                "/staff/requests/{}/steps/{}",
                case.tracking_number,
                step.slug()
            ),
            title: step.title(case).into(),
            hint: step.hint(case),
        })
        .collect()
}

/// The request's API key, for the case facts.
fn key_words(state: &AppState, case: &Case) -> Option<String> {
    let key = case.api_key.as_ref()?;
    let mut words = match key.state {
        KeyState::Offered => "Granted; not yet collected by the requester.".to_string(),
        KeyState::Active => "Collected by the requester; it works.".to_string(),
        KeyState::Revoked => "Revoked.".to_string(),
        KeyState::Expired => "Expired.".to_string(),
    };
    if let Some(at) = key.expires_at.filter(|_| key.state.revocable()) {
        words.push_str(&format!(" Stops working on {}.", local_time(state, at)));
    }
    match key.replacement {
        Some(Replacement::Asked(at)) => words.push_str(&format!(
            " On {} the requester told us it is lost and asked for a new one.",
            local_time(state, at)
        )),
        Some(Replacement::Ready) => words.push_str(
            " A new key, given in place of a lost one, waits for the requester to collect it; the old one works until then.",
        ),
        None => {}
    }
    Some(words)
}

/// The steps taken on the case page, each with exactly its fields.
fn actions(
    case: &Case,
    account: &StaffAccount,
    directory: &[StaffAccount],
    failed: Option<(&str, &FormData)>,
) -> Vec<Action> {
    let empty = FormData(HashMap::new());
    let draft_for = |key: &str| match failed {
        Some((k, data)) if k == key => data,
        _ => &empty,
    };
    let tn = &case.tracking_number;
    // Who filed it, as the page names them.
    let filer = match case.complaint {
        Some(_) => "complainant",
        None => "requester",
    };
    let mut list = Vec::new();
    let draft = draft_for("message");
    list.push(Action {
        key: "message".into(),
        url: format!("/staff/requests/{tn}/messages"),
        title: format!("Write to the {filer}"),
        button: "Send message".into(),
        danger: false,
        fields: vec![Field::area("body", "f-message-body", "body", "Message")
            .required()
            .value(&draft.get("body"))],
    });
    let draft = draft_for("note");
    list.push(Action {
        key: "note".into(),
        url: format!("/staff/requests/{tn}/notes"),
        title: "Add an internal note".into(),
        button: "Add note".into(),
        danger: false,
        fields: vec![Field::area("note", "f-note", "note", "Note")
            .hint("For staff only: the requester never sees it, and no one is emailed.")
            .required()
            .value(&draft.get("note"))],
    });
    let member = account.member();
    let assignee = case.assignee.as_ref().and_then(|a| a.email.clone());
    let assignee_id = if assignee.as_deref() == Some(account.email.as_str()) {
        Some(account.id)
    } else {
        None
    };
    if member.can_assign(assignee_id)
        || (assignee.is_none() && matches!(account.role, Role::Clerk | Role::Admin))
    {
        let draft = draft_for("assign");
        list.push(Action {
            key: "assign".into(),
            url: format!("/staff/requests/{tn}/assign"),
            title: "Assign".into(),
            button: "Assign".into(),
            danger: false,
            fields: vec![Field::select(
                "assignee",
                "f-assign-assignee",
                "assignee",
                "Assign to",
                std::iter::once(Choice::new("", "Choose a member of staff"))
                    .chain(directory.iter().map(|s| {
                        let role = s.role.as_str();
                        let label = match &s.department {
                            Some(d) => format!(
                                "{} ({role}, {})",
                                s.name,
                                super::queue::department_words(d)
                            ),
                            None => format!("{} ({role})", s.name),
                        };
                        Choice::new(&s.email, &label)
                    }))
                    .collect(),
            )
            .value(&draft.get("assignee"))],
        });
    }
    if case
        .api_key
        .as_ref()
        .is_some_and(|k| matches!(k.replacement, Some(Replacement::Asked(_))))
    {
        list.push(Action {
            key: "replace".into(),
            url: format!("/staff/requests/{tn}/api-key/replace"),
            title: "Give the requester a new API key".into(),
            button: "Give a new key".into(),
            danger: false,
            fields: vec![],
        });
    }
    if case.api_key.as_ref().is_some_and(|k| k.state.revocable()) {
        list.push(Action {
            key: "revoke".into(),
            url: format!("/staff/requests/{tn}/api-key/revoke"),
            title: "Revoke the API key".into(),
            button: "Revoke the key".into(),
            danger: true,
            fields: vec![],
        });
    }
    if assignee_id.is_some() || matches!(account.role, Role::Clerk | Role::Admin) {
        let draft = draft_for("links");
        list.push(Action {
            key: "links".into(),
            url: format!("/staff/requests/{tn}/private-links/revoke"),
            title: format!("Turn off the {filer}'s private links"),
            button: "Turn off the links and email a new one".into(),
            danger: true,
            fields: vec![Field::area("reason", "f-links-reason", "reason", "Why")
                .hint("For example: the requester says their email was forwarded. Every link sent so far stops working; the requester's email address gets a new one.")
                .required()
                .value(&draft.get("reason"))],
        });
    }
    list
}

#[derive(Template)]
#[template(path = "pages/case.html")]
struct CasePage {
    layout: Layout,
    max_upload_mb: u64,
    case: Case,
    status_words: String,
    kind_words: String,
    received: String,
    department: String,
    due: String,
    appeal_deadline: Option<String>,
    /// Documents released now go out before a determination.
    partial_release: bool,
    tasks: Vec<Task>,
    /// A grant's fees, and the fee steps open now (also in the task list).
    fee: Option<FeeView>,
    fee_tasks: Vec<Task>,
    actions: Vec<Action>,
    key_words: Option<String>,
    /// When staff asked the requester something, while the request waits on their answer.
    awaiting_since: Option<String>,
    records_due: String,
    produced: String,
    timeline: Vec<TimelineItem>,
    /// Emails and links as they went out, folded away under the timeline.
    delivery: Vec<TimelineItem>,
    errors: Errors,
    summary: Vec<SummaryItem>,
    problem: String,
    flash: String,
}

/// The request as this staff member may see it.
pub(super) async fn load(
    state: &web::Data<AppState>,
    account: &StaffAccount,
    tn: &TrackingNumber,
) -> Result<Case, AppError> {
    state
        .app
        .case(Caller::Staff(account.clone()), tn.clone())
        .await
}

/// The case page; after a refused step (`failed`: the form's key and what was typed), with
/// that form as typed and what went wrong.
pub(super) async fn render_page(
    state: &AppState,
    session: &Session,
    layout: Layout,
    account: &StaffAccount,
    case: Case,
    shown: Shown,
    failed: Option<(&str, &FormData)>,
) -> HttpResponse {
    // Whom a request can be assigned to: chosen by name, never typed as an email.
    let directory = state.app.staff_directory().await.unwrap_or_default();
    let actions = actions(&case, account, &directory, failed);
    let relevant: Vec<Field> = match failed {
        Some((key, _)) => actions
            .iter()
            .filter(|a| a.key == key)
            .flat_map(|a| a.fields.clone())
            .collect(),
        None => actions.iter().flat_map(|a| a.fields.clone()).collect(),
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
    let summary = summary(&shown.fields, &relevant, &document_fields);
    let (timeline, delivery) = timeline(state, &case);
    let page = CasePage {
        // A complaint knows its department's name; a request shows its queue in words.
        department: case.complaint.as_ref().map_or_else(
            || super::queue::department_words(&case.queue),
            |c| c.department.clone(),
        ),
        due: crate::notify::render::long_date(case.due_on),
        appeal_deadline: case.appeal_deadline.map(crate::notify::render::long_date),
        max_upload_mb: state.app.files().max_bytes() / (1024 * 1024),
        layout,
        status_words: status_words(case.status),
        kind_words: kind_words(case.kind),
        received: local_time(state, case.received_at),
        partial_release: case.status == Status::UnderReview,
        tasks: tasks(state, &case),
        fee: FeeView::of_case(state, &case),
        fee_tasks: fee_tasks(&case),
        key_words: key_words(state, &case),
        awaiting_since: case
            .awaiting_requester_since
            .map(|at| local_time(state, at)),
        actions,
        records_due: case
            .records_due_at
            .map(|at| local_time(state, at))
            .unwrap_or_default(),
        produced: case
            .produced_at
            .map(|at| local_time(state, at))
            .unwrap_or_default(),
        timeline,
        delivery,
        errors: Errors(shown.fields.clone()),
        summary,
        problem: shown.message.clone(),
        flash: session::take_flash(session),
        case,
    };
    render(shown.status(), &page)
}

pub async fn page(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
) -> PageResult {
    let (account, layout, tn) = signed_in_on(&state, &session, &path).await?;
    let case = load(&state, &account, &tn)
        .await
        .map_err(|e| page_error(&layout, e))?;
    let shown = Shown {
        status: StatusCode::OK.as_u16(),
        ..Shown::default()
    };
    Ok(render_page(&state, &session, layout, &account, case, shown, None).await)
}
