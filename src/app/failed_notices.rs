//! Notices that could not be delivered, for staff to see and send again.

use chrono::NaiveDateTime;

use super::{AppError, Conflict, StaffAccount};
use crate::db::models::OutboxRow;
use crate::db::{self, Conn};
use crate::domain::ids::OutboxId;
use crate::domain::notices::NoticeKind;
use crate::domain::Role;
use crate::notify::outbox;

#[derive(Debug, Clone)]
pub struct FailedNotice {
    pub id: OutboxId,
    pub tracking_number: Option<String>,
    pub notice: NoticeKind,
    pub recipient: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub queued_at: NaiveDateTime,
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
            queued_at: row.created_at,
            message_id: row.message_id,
        }
    }
}

#[derive(Debug, Clone)]
pub struct FailedNotices {
    pub notices: Vec<FailedNotice>,
}

/// Dead-lettered notices; stewards see those of the requests they may see.
pub fn list(conn: &mut Conn, staff: &StaffAccount) -> Result<FailedNotices, AppError> {
    let rows = outbox::dead(conn, 500)?;
    let member = staff.member();
    let mut notices = Vec::with_capacity(rows.len());
    for (row, tracking_number) in rows {
        if staff.role == Role::Steward {
            let visible = match &tracking_number {
                Some(tn) => db::requests::by_tracking_number(conn, tn)?
                    .is_some_and(|r| member.can_see(&r.queue, r.assignee_id)),
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
    id: OutboxId,
) -> Result<FailedNotice, AppError> {
    if !may_resend(staff) {
        return Err(AppError::Forbidden(
            "only the Clerk's office or an admin may resend notices".into(),
        ));
    }
    let Some(row) = outbox::requeue(conn, id, db::now(), &staff.audit_actor())? else {
        return Err(match outbox::status_of(conn, id)? {
            None => AppError::Missing("there is no notice with this id"),
            Some(status) => Conflict::NoticeNotDead(status).into(),
        });
    };
    let tracking_number = match row.request_id {
        Some(request_id) => Some(db::requests::by_id(conn, request_id)?.tracking_number),
        None => None,
    };
    Ok(FailedNotice::from_row(row, tracking_number))
}
