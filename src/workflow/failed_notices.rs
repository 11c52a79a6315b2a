//! Notices that could not be delivered, for staff to see and send again.

use serde::Serialize;
use utoipa::ToSchema;

use super::{StaffAccount, WorkflowError};
use crate::audit::chain::format_time;
use crate::db::models::OutboxRow;
use crate::db::{self, Conn};
use crate::domain::Role;
use crate::notify::outbox;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FailedNotice {
    pub id: i64,
    pub tracking_number: Option<String>,
    pub notice: String,
    pub recipient: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    #[schema(format = DateTime)]
    pub queued_at: String,
    pub message_id: String,
}

impl FailedNotice {
    fn from_row(row: OutboxRow, tracking_number: Option<String>) -> FailedNotice {
        FailedNotice {
            id: row.id,
            tracking_number,
            notice: row.notice,
            recipient: row.recipient,
            attempts: row.attempts,
            last_error: row.last_error,
            queued_at: format_time(row.created_at),
            message_id: row.message_id,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FailedNotices {
    pub notices: Vec<FailedNotice>,
}

/// Dead-lettered notices; stewards see those of the requests they may see.
pub fn list(conn: &mut Conn, staff: &StaffAccount) -> Result<FailedNotices, WorkflowError> {
    let rows = outbox::dead(conn, 500)?;
    let member = staff.member();
    let mut notices = Vec::with_capacity(rows.len());
    for (row, tracking_number) in rows {
        if staff.role == Role::Steward {
            let visible = match &tracking_number {
                Some(tn) => db::requests::by_tracking_number(conn, tn)?.is_some_and(|r| {
                    member.can_see(&r.queue, r.assignee_id.map(crate::domain::StaffId))
                }),
                None => false,
            };
            if !visible {
                continue;
            }
        }
        notices.push(FailedNotice::from_row(row, tracking_number));
    }
    Ok(FailedNotices { notices })
}

/// Resending is the Clerk's office's call (and admins'): it owns the contact with requesters.
pub fn may_resend(staff: &StaffAccount) -> bool {
    matches!(staff.role, Role::Clerk | Role::Admin)
}

/// Sends a dead-lettered notice again (Clerk's office and admins).
pub fn retry(
    conn: &mut Conn,
    staff: &StaffAccount,
    id: i64,
) -> Result<FailedNotice, WorkflowError> {
    if !may_resend(staff) {
        return Err(WorkflowError::Forbidden(
            "only the Clerk's office or an admin may resend notices".into(),
        ));
    }
    let row = outbox::requeue(conn, id, db::now(), &staff.audit_actor())?
        .ok_or(WorkflowError::NotFound)?;
    let tracking_number = match row.request_id {
        Some(request_id) => Some(db::requests::by_id(conn, request_id)?.tracking_number),
        None => None,
    };
    Ok(FailedNotice::from_row(row, tracking_number))
}
