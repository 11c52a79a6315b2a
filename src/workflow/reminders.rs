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
    let yesterday = today - chrono::Days::new(1);
    let candidates = db.read(|conn| {
        let overdue =
            requests::unreminded_due(conn, &open, None, yesterday, Notice::Overdue.as_str())?;
        let due_soon =
            requests::unreminded_due(conn, &open, Some(today), horizon, Notice::DueSoon.as_str())?;
        Ok::<_, WorkflowError>(overdue.into_iter().chain(due_soon))
    })?;
    let mut reminded = 0;
    for (id, tracking_number, due_on) in candidates {
        let notice = if ctx.policy.is_overdue(due_on, today) {
            Notice::Overdue
        } else if ctx.policy.is_due_soon(due_on, today) {
            Notice::DueSoon
        } else {
            continue;
        };
        let sent = db.write(|conn| {
            let current = requests::by_id(conn, id)?;
            if current.due_on != due_on || !status_of(&current).is_open() {
                return Ok(false);
            }
            let now = db::now();
            if !requests::record_reminder(conn, id, notice.as_str(), due_on, now)? {
                return Ok(false);
            }
            let mut chain = crate::audit::OpenChain::open(conn, id)?;
            notices::queue(conn, ctx, &mut chain, &current, &[notice], None, now)?;
            chain.close(conn)?;
            Ok::<_, WorkflowError>(true)
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
