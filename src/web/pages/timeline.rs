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
    /// The files the requester sent with a message.
    pub files: Vec<TimelineFile>,
    /// For staff, the received email a message came in (its id under `/staff/mail`).
    pub email: Option<i64>,
}

/// A file the requester sent, as a timeline lists it: its id (each page links it under its
/// own path), name, and kind and size in words ("PDF, 12 KB").
pub struct TimelineFile {
    pub id: i64,
    pub title: String,
    pub about: String,
}

/// Staff see the log's own summary of every step: what people said and did, and apart from
/// it (folded away on the case page) how each email and link went out.
pub fn timeline(state: &AppState, case: &Case) -> (Vec<TimelineItem>, Vec<TimelineItem>) {
    let (delivery, done): (Vec<_>, Vec<_>) = case
        .history
        .iter()
        .partition(|entry| is_delivery(&entry.step));
    let items = |entries: Vec<&crate::app::view::HistoryEntry>| {
        entries
            .into_iter()
            .map(|entry| {
                let mut item = item(state, entry, for_staff(&entry.step));
                if let Step::Message(message) = &entry.step {
                    item.email = case
                        .messages
                        .iter()
                        .find(|m| m.id == message.message_id)
                        .and_then(|m| m.email);
                }
                item
            })
            .collect()
    };
    (items(done), items(delivery))
}

/// The log's summary, but states and dates in the pages' words.
fn for_staff(step: &Step) -> String {
    use crate::notify::render::long_date;
    match step {
        Step::Submitted(s) if s.kind.is_complaint() => format!(
            "Complaint received; the City aims to close it by {}",
            long_date(s.determination_due)
        ),
        Step::Submitted(s) => format!(
            "Request received; determination due {}",
            long_date(s.determination_due)
        ),
        Step::Transition(m) => format!(
            "{} → {}",
            super::status_words(m.from),
            super::status_words(m.to)
        ),
        Step::Extended(e) => format!("Deadline extended to {}", long_date(e.determination_due)),
        Step::Note(_) => "Internal note (staff only; the requester never sees it)".into(),
        other => other.summary(),
    }
}

/// The mail log and the links it carried.
fn is_delivery(step: &Step) -> bool {
    matches!(
        step,
        Step::NoticeQueued(_)
            | Step::NoticeDelivered(_)
            | Step::NoticeFailed(_)
            | Step::NoticeDeadLettered(_)
            | Step::NoticeRetried(_)
            | Step::LinkIssued(_)
    )
}

/// The requester sees what happened in plain words (`plain`), and only what is theirs to see.
pub fn requester_timeline(
    state: &AppState,
    language: crate::wording::Language,
    case: &Case,
) -> Vec<TimelineItem> {
    case.history
        .iter()
        .filter_map(|entry| {
            super::plain::step_for_requester(language, &entry.step)
                .map(|what| item(state, entry, what))
        })
        .collect()
}

fn item(state: &AppState, entry: &crate::app::view::HistoryEntry, what: String) -> TimelineItem {
    TimelineItem {
        when: local_time(state, entry.at),
        who: entry.by.label(),
        what,
        body: match &entry.step {
            Step::Message(message) => message.body.clone(),
            Step::Note(note) => note.body.clone(),
            _ => String::new(),
        },
        files: match &entry.step {
            Step::Message(message) => message
                .files
                .iter()
                .map(|f| TimelineFile {
                    id: f.file_id.0,
                    title: f.title.clone(),
                    about: format!(
                        "{}, {}",
                        f.title
                            .rsplit_once('.')
                            .map(|(_, ext)| ext.to_ascii_uppercase())
                            .unwrap_or_default(),
                        crate::notify::render::size_in_words(f.size_bytes.max(0) as u64)
                    ),
                })
                .collect(),
            _ => vec![],
        },
        email: None,
    }
}
