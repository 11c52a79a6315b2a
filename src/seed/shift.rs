//! A model's state-changing events moved to a clone's receipt date: the dates they carry are
//! the columns `audit verify` replays the request row from (`audit::replay`), and the clone's
//! row has its dates moved by whole days (times by `shift`).

use chrono::Duration;

use crate::domain::step::Step;

/// `content` with the dates its step writes to the request moved; other events as they are.
pub fn dates(action: &str, content: String, days: Duration, shift: Duration) -> String {
    if !crate::audit::replay::changes_state(action) {
        return content;
    }
    let Ok(mut step) = Step::from_stored(action, &content) else {
        return content;
    };
    match &mut step {
        Step::Submitted(s) => s.determination_due += days,
        Step::Transition(m) => {
            m.appeal_deadline = m.appeal_deadline.map(|d| d + days);
            m.due_on = m.due_on.map(|d| d + days);
            m.records_due_at = m.records_due_at.map(|t| t + shift);
        }
        Step::Extended(e) => {
            e.previous_due += days;
            e.determination_due += days;
        }
        Step::Produced(p) => p.records_due_at += shift,
        Step::Reopened(r) => {
            r.records_due_at += shift;
            r.produced_at += shift;
            r.due_on = r.due_on.map(|d| d + days);
        }
        _ => return content,
    }
    serde_json::to_string(&step.content()).expect("JSON values always serialise")
}
