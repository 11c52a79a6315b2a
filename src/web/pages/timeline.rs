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

pub fn timeline(state: &AppState, case: &Case) -> Vec<TimelineItem> {
    case.history
        .iter()
        .map(|entry| TimelineItem {
            when: local_time(state, entry.at),
            who: entry.by.label(),
            what: entry.step.summary(),
            body: if let Step::Message(message) = &entry.step {
                message.body.clone()
            } else {
                String::new()
            },
        })
        .collect()
}
