//! `GET /staff/requests/{tracking_number}`: the case page, with a form for each step this
//! staff member may take now, each with exactly the fields that step needs.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::signed_in_on;
use crate::app::view::Case;
use crate::app::{AppError, Caller, StaffAccount};
use crate::domain::input::TrackingNumber;
use crate::domain::transitions::{rule_for, Requirement};
use crate::domain::{Role, Status};
use crate::web::pages::forms::{summary, Errors, Field, FormData, SummaryItem};
use crate::web::pages::problem::{page_error, Shown};
use crate::web::pages::timeline::{timeline, TimelineItem};
use crate::web::pages::{
    kind_words, local_time, render, session, status_words, Layout, PageResult,
};
use crate::web::AppState;

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
    let on_review = from == Status::AdministrativeReview;
    match to {
        Status::UnderReview => ("Accept for review", "Accept"),
        Status::Granted if on_review => {
            ("Grant on review (overturn the denial)", "Grant on review")
        }
        Status::Granted => ("Grant", "Grant the request"),
        Status::Denied if on_review => ("Uphold the denial (final)", "Uphold the denial"),
        Status::Denied => ("Deny", "Deny the request"),
        Status::AdministrativeReview => ("Take up the appeal", "Start the review"),
        // The requester's steps, taken from the tracking page, not here.
        Status::Submitted | Status::Appealed | Status::Withdrawn => ("Move", "Move"),
    }
}

/// The fields a step needs, straight from the transition table.
fn transition_fields(case: &Case, to: Status, draft: &FormData) -> Vec<Field> {
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
fn actions(case: &Case, account: &StaffAccount, failed: Option<(&str, &FormData)>) -> Vec<Action> {
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
        Some(account.id)
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
    if case.status.awaits_determination() && case.extension.is_none() {
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
    if case.api_key.as_ref().is_some_and(|k| k.state.revocable()) {
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
    case: Case,
    status_words: &'static str,
    kind_words: &'static str,
    received: String,
    /// Documents released now go out before a determination.
    partial_release: bool,
    actions: Vec<Action>,
    timeline: Vec<TimelineItem>,
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
pub(super) fn render_page(
    state: &AppState,
    session: &Session,
    layout: Layout,
    account: &StaffAccount,
    case: Case,
    shown: Shown,
    failed: Option<(&str, &FormData)>,
) -> HttpResponse {
    let actions = actions(&case, account, failed);
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
    let page = CasePage {
        max_upload_mb: state.app.files().max_bytes() / (1024 * 1024),
        layout,
        status_words: status_words(case.status),
        kind_words: kind_words(case.kind),
        received: local_time(state, case.received_at),
        partial_release: case.status == Status::UnderReview,
        actions,
        timeline: timeline(state, &case),
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
    Ok(render_page(
        &state, &session, layout, &account, case, shown, None,
    ))
}
