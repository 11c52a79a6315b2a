//! A request's history as both pages show it: each step in a line, with the message's text
//! beside each message.

use super::local_time;
use crate::app::view::Case;
use crate::domain::step::Step;
use crate::web::AppState;

pub struct TimelineItem {
    pub when: String,
    pub who: String,
    pub what: String,
    pub body: String,
}

/// Staff see the log's own summary of every step.
pub fn timeline(state: &AppState, case: &Case) -> Vec<TimelineItem> {
    case.history
        .iter()
        .map(|entry| item(state, entry, entry.step.summary()))
        .collect()
}

/// The requester sees what happened in plain words (`plain`), and only what is theirs to see.
pub fn requester_timeline(state: &AppState, case: &Case) -> Vec<TimelineItem> {
    case.history
        .iter()
        .filter_map(|entry| {
            super::plain::step_for_requester(&entry.step).map(|what| item(state, entry, what))
        })
        .collect()
}

fn item(state: &AppState, entry: &crate::app::view::HistoryEntry, what: String) -> TimelineItem {
    TimelineItem {
        when: local_time(state, entry.at),
        who: entry.by.label(),
        what,
        body: if let Step::Message(message) = &entry.step {
            message.body.clone()
        } else {
            String::new()
        },
    }
}
