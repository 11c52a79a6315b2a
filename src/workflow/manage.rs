//! Steps that change a request without changing its state: messages, extensions, assignment.

use serde_json::json;

use super::view::{case_view, CaseView};
use super::{check_version, facts, load_for, Caller, Ctx, WorkflowError};
use crate::audit;
use crate::db::models::{NewMessage, RequestChanges, RequestRow};
use crate::db::{self, requests, staff as staff_db, Conn};
use crate::domain::access::queue_name;
use crate::domain::deadlines::ExtensionError;
use crate::domain::input::{Email, Text};
use crate::domain::transitions::may_manage;
use crate::domain::{Actor, Circumstance, Role, StaffId, Status};
use crate::notify::Notice;

/// Writes the change with the version check, then the audit event and the notices.
#[allow(clippy::too_many_arguments)]
pub(super) fn record(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    actor: &Actor,
    row: &RequestRow,
    changes: &RequestChanges,
    action: &str,
    details: serde_json::Value,
    notices: &[Notice],
) -> Result<CaseView, WorkflowError> {
    let now = db::now();
    // A message or a document being prepared changes nothing about the case itself, so it
    // leaves the version alone (staff acting on the version they saw are not refused because
    // the requester wrote or a colleague attached a file).
    let keeps_version = matches!(action, "message" | "document_added");
    let updated = if keeps_version {
        None
    } else {
        Some(super::update_or_stale(conn, row, changes, now)?)
    };
    let mut chain = audit::OpenChain::open(conn, row.id)?;
    chain.append(conn, now, &caller.audit_actor(), action, &details)?;
    // Without an update, the row as it stands under the chain's lock.
    let updated = match updated {
        Some(updated) => updated,
        None => requests::by_id(conn, row.id)?,
    };
    super::notices::queue(
        conn,
        ctx,
        &mut chain,
        &updated,
        notices,
        Some((action, &details)),
        now,
    )?;
    chain.close(conn)?;
    case_view(conn, ctx, caller, actor, &updated)
}

/// A message between the requester and staff, kept on the request and in its chain.
pub fn post_message(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    body: &Text,
) -> Result<CaseView, WorkflowError> {
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    let (author, author_name, staff_id, notice) = match caller {
        Caller::Requester { .. } => {
            let name = requests::requester(conn, row.requester_id)?.name;
            ("requester", name, None, Notice::RequesterMessage)
        }
        Caller::Staff(staff) => (
            "staff",
            staff.name.clone(),
            Some(staff.id),
            Notice::StaffMessage,
        ),
    };
    let now = db::now();
    let message_id = requests::insert_message(
        conn,
        &NewMessage {
            request_id: row.id,
            author,
            staff_id,
            body: body.as_str(),
            created_at: now,
        },
    )?;
    let details = json!({
        "message_id": message_id,
        "author": author,
        "author_name": author_name,
        "body": body.as_str(),
    });
    record(
        conn,
        ctx,
        caller,
        &actor,
        &row,
        &RequestChanges::default(),
        "message",
        details,
        &[notice],
    )
}

/// What an extension notice says: by how many days, under which circumstance, and why.
#[derive(Debug, Clone)]
pub struct Extension {
    pub days: u32,
    pub circumstance: Circumstance,
    pub reason: Option<Text>,
}

/// One extension of 1–14 days for a statutory circumstance, with written notice.
pub fn extend(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    version: Option<i32>,
    extension: &Extension,
) -> Result<CaseView, WorkflowError> {
    let Extension {
        days,
        circumstance,
        reason,
    } = extension;
    let (days, circumstance, reason) = (*days, *circumstance, reason.as_ref());
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    check_version(&row, version)?;
    if !may_manage(&facts(&row), &actor) {
        return Err(WorkflowError::Forbidden(
            "only the assigned clerk or steward, or an admin, may extend a request".into(),
        ));
    }
    let status = super::status_of(&row);
    let received_on = ctx.clock.date_of(row.received_at);
    let awaiting = matches!(status, Status::Submitted | Status::UnderReview);
    let today = ctx.clock.today();
    let new_due = ctx
        .policy
        .extended_due(received_on, days, row.extension_days.is_some(), awaiting)
        .and_then(|due| {
            ctx.policy
                .extension_in_time(received_on, today)
                .map(|_| due)
        })
        .map_err(|e| match e {
            ExtensionError::DaysOutOfRange => WorkflowError::field("days", e.to_string()),
            ExtensionError::AlreadyExtended => WorkflowError::Conflict {
                code: "already_extended",
                message: e.to_string(),
            },
            ExtensionError::NotAwaitingDetermination => WorkflowError::Conflict {
                code: "not_extendable",
                message: e.to_string(),
            },
            ExtensionError::TooLate => WorkflowError::Conflict {
                code: "extension_too_late",
                message: e.to_string(),
            },
        })?;
    let changes = RequestChanges {
        determination_due: Some(new_due),
        due_on: Some(new_due),
        extension_days: Some(days as i32),
        extension_circumstance: Some(circumstance.as_str().into()),
        extension_reason: reason.map(|r| r.as_str().to_string()),
        ..Default::default()
    };
    let details = json!({
        "days": days,
        "circumstance": circumstance.as_str(),
        "circumstance_text": circumstance.description(),
        "reason": reason.map(Text::as_str),
        "previous_due": row.determination_due.to_string(),
        "determination_due": new_due.to_string(),
    });
    record(
        conn,
        ctx,
        caller,
        &actor,
        &row,
        &changes,
        "extended",
        details,
        &[Notice::Extended],
    )
}

/// Hands the request to another staff member, who is told.
pub fn assign(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    version: Option<i32>,
    assignee: &Email,
) -> Result<CaseView, WorkflowError> {
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    check_version(&row, version)?;
    let Actor::Staff(member) = &actor else {
        return Err(WorkflowError::Forbidden(
            "only staff assign requests".into(),
        ));
    };
    if !member.can_assign(row.assignee_id.map(StaffId)) {
        return Err(WorkflowError::Forbidden(
            "only the Clerk's office, an admin or the current assignee may reassign a request"
                .into(),
        ));
    }
    let no_such = || {
        WorkflowError::field(
            "assignee",
            "no active clerk, steward or admin has this email",
        )
    };
    let target = staff_db::by_email(conn, &assignee.as_str().to_lowercase())?
        .filter(|s| s.active != 0)
        .filter(|s| {
            matches!(
                Role::parse(&s.role),
                Some(Role::Clerk | Role::Steward | Role::Admin)
            )
        })
        .ok_or_else(no_such)?;
    if row.assignee_id == Some(target.id) {
        return case_view(conn, ctx, caller, &actor, &row);
    }
    let previous = match row.assignee_id {
        Some(id) => staff_db::by_id(conn, id)?.map(|s| s.email),
        None => None,
    };
    let changes = RequestChanges {
        assignee_id: Some(target.id),
        ..Default::default()
    };
    let details = json!({
        "from": previous,
        "to": target.email,
        "to_queue": target.department.as_deref().map(queue_name),
    });
    record(
        conn,
        ctx,
        caller,
        &actor,
        &row,
        &changes,
        "assigned",
        details,
        &[Notice::Assigned],
    )
}
