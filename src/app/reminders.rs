//! Staff reminders: a request due within the due-soon window, and one that has gone overdue,
//! each reminded once per due date.

use super::notices;
use super::{AppError, Ctx};
use crate::db::{self, requests, Db};
use crate::domain::Status;
use crate::notify::notice::Reminder;

/// Queues the reminders that are due now; answers how many requests were reminded about.
pub fn send_due(db: &Db, ctx: &Ctx) -> Result<usize, AppError> {
    let today = ctx.clock.today();
    let open: Vec<Status> = Status::ALL.into_iter().filter(|s| s.is_open()).collect();
    // Nothing further off than this can be due soon (the window is in business days).
    let horizon = today + chrono::Days::new(u64::from(ctx.policy().due_soon_business_days) * 2 + 7);
    let yesterday = today - chrono::Days::new(1);
    let candidates = db.read(|conn| {
        let mut found = Vec::new();
        // Open requests, and grants whose records are due (asked apart: see `unreminded_due`).
        for statuses in [open.as_slice(), &[Status::Granted]] {
            found.extend(requests::unreminded_due(
                conn,
                statuses,
                None,
                yesterday,
                Reminder::Overdue.kind(),
            )?);
            found.extend(requests::unreminded_due(
                conn,
                statuses,
                Some(today),
                horizon,
                Reminder::DueSoon.kind(),
            )?);
        }
        Ok::<_, AppError>(found)
    })?;
    let mut reminded = 0;
    for (id, tracking_number, due_on) in candidates {
        let which = if ctx.policy().is_overdue(due_on, today) {
            Reminder::Overdue
        } else if ctx.policy().is_due_soon(due_on, today) {
            Reminder::DueSoon
        } else {
            continue;
        };
        let sent = db.write(|conn| {
            let current = requests::by_id(conn, id)?;
            let facts = super::facts(&current);
            if current.due_on != due_on || !(current.status.is_open() || facts.in_production()) {
                return Ok(false);
            }
            let now = db::now();
            if !requests::record_reminder(conn, id, which.kind(), due_on, now)? {
                return Ok(false);
            }
            let mut chain = crate::audit::OpenChain::open(conn, id)?;
            notices::remind(conn, ctx, &mut chain, &current, which, now)?;
            chain.close(conn)?;
            Ok::<_, AppError>(true)
        });
        // One request's failure (say, another instance reminding at the same moment) must not
        // stop the others' reminders; it is tried again next round.
        let sent = match sent {
            Ok(sent) => sent,
            Err(e) => {
                log::warn!("reminder for {tracking_number} not queued this round: {e}");
                false
            }
        };
        reminded += usize::from(sent);
    }
    Ok(reminded)
}
