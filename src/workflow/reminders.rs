//! Staff reminders: a request due within the due-soon window, and one that has gone overdue,
//! each reminded once per due date.

use super::notices;
use super::{status_of, Ctx, WorkflowError};
use crate::db::{self, requests, Db};
use crate::domain::Status;
use crate::notify::Notice;

/// Queues the reminders that are due now; answers how many requests were reminded about.
pub fn send_due(db: &Db, ctx: &Ctx) -> Result<usize, WorkflowError> {
    let today = ctx.clock.today();
    let open: Vec<&str> = Status::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| s.as_str())
        .collect();
    // Nothing further off than this can be due soon (the window is in business days).
    let horizon = today + chrono::Days::new(u64::from(ctx.policy.due_soon_business_days) * 2 + 7);
    let candidates =
        db.read(|conn| requests::due_by(conn, &open, horizon).map_err(WorkflowError::from))?;
    let mut reminded = 0;
    for row in candidates {
        let notice = if ctx.policy.is_overdue(row.due_on, today) {
            Notice::Overdue
        } else if ctx.policy.is_due_soon(row.due_on, today) {
            Notice::DueSoon
        } else {
            continue;
        };
        let sent = db.write(|conn| {
            let current = requests::by_id(conn, row.id)?;
            if current.due_on != row.due_on || !status_of(&current).is_open() {
                return Ok(false);
            }
            let now = db::now();
            if !requests::record_reminder(conn, row.id, notice.as_str(), row.due_on, now)? {
                return Ok(false);
            }
            notices::queue(
                conn,
                ctx,
                &current,
                &[notice],
                "",
                &serde_json::Value::Null,
                now,
            )?;
            Ok::<_, WorkflowError>(true)
        });
        // One request's failure (say, another instance reminding at the same moment) must not
        // stop the others' reminders; it is tried again next round.
        let sent = match sent {
            Ok(sent) => sent,
            Err(e) => {
                log::warn!(
                    "reminder for {} not queued this round: {e}",
                    row.tracking_number
                );
                false
            }
        };
        reminded += usize::from(sent);
    }
    Ok(reminded)
}
