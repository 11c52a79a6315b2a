//! One action on several requests staff selected from search results: assign them, close
//! them as repeats of one of them, or add the same internal note to each. Each request's step
//! is its own transaction with its own version check, audited as if taken alone; one that
//! fails is reported and the others stand (docs/PRODUCT.md, "Search").

use serde::Deserialize;

use super::act::RawTransition;
use super::manage::{Assignment, PostMessage};
use super::AppError;
use crate::domain::input::{limits, Email, Text, TrackingNumber};
use crate::domain::FieldErrors;

/// The most requests one action takes: a page of results at its longest.
pub const MAX_REQUESTS: usize = 200;

/// One selected request, with the version it was shown at.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawSelected {
    pub tracking_number: Option<String>,
    pub version: Option<i32>,
}

/// An action on selected requests as either face reads it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawBulk {
    /// `assign`, `close_as_duplicate` or `note`.
    pub action: Option<String>,
    pub requests: Option<Vec<RawSelected>>,
    /// For `assign`: the staff member's email.
    pub assignee: Option<String>,
    /// For `close_as_duplicate`: the selected request the others repeat.
    pub duplicate_of: Option<String>,
    /// For `note`: the note.
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub enum BulkAction {
    Assign(Email),
    /// The others are closed as repeats of this one, which is left as it is.
    CloseAsDuplicateOf(TrackingNumber),
    Note(Text),
}

/// A checked action: every selected request once, with its version.
#[derive(Debug, Clone)]
pub struct Bulk {
    pub action: BulkAction,
    pub selected: Vec<(TrackingNumber, i32)>,
}

/// A field given and not blank.
fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.trim().is_empty())
}

const TRACKING_NUMBER_FORM: &str = "is not a tracking number like RR-2026-00001";

impl TryFrom<RawBulk> for Bulk {
    type Error = FieldErrors;

    /// Every field given is checked, whichever the action: a field the action does not use
    /// is still refused when it is not valid, never silently ignored.
    fn try_from(raw: RawBulk) -> Result<Bulk, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut selected: Vec<(TrackingNumber, i32)> = Vec::new();
        let given = raw.requests.unwrap_or_default();
        if given.is_empty() {
            errors.add("requests", "select at least one request");
        }
        if given.len() > MAX_REQUESTS {
            errors.add(
                "requests",
                format!("select at most {MAX_REQUESTS} requests at once"),
            );
        }
        for (i, item) in given.iter().enumerate().take(MAX_REQUESTS) {
            let number = item.tracking_number.as_deref().unwrap_or("");
            let number = match TrackingNumber::parse(number) {
                Some(n) if selected.iter().any(|(s, _)| *s == n) => {
                    errors.add(
                        format!("requests[{i}].tracking_number"),
                        format!("{n} is selected twice"),
                    );
                    None
                }
                Some(n) => Some(n),
                None => {
                    errors.add(
                        format!("requests[{i}].tracking_number"),
                        TRACKING_NUMBER_FORM,
                    );
                    None
                }
            };
            let version = item.version.filter(|v| *v >= 1);
            if version.is_none() {
                errors.add(
                    format!("requests[{i}].version"),
                    "give the version shown, 1 or more",
                );
            }
            if let (Some(n), Some(v)) = (number, version) {
                selected.push((n, v));
            }
        }
        let assignee =
            present(&raw.assignee).and_then(|a| errors.check("assignee", Email::parse(a)));
        let duplicate_of = present(&raw.duplicate_of).and_then(|d| {
            let parsed = TrackingNumber::parse(d);
            if parsed.is_none() {
                errors.add("duplicate_of", TRACKING_NUMBER_FORM);
            }
            parsed
        });
        let note = present(&raw.note)
            .and_then(|n| errors.check("note", Text::multiline(n, limits::MESSAGE)));
        let action = match raw.action.as_deref() {
            Some("assign") => {
                if present(&raw.assignee).is_none() {
                    errors.add("assignee", "give the email of the staff member to assign");
                }
                assignee.map(BulkAction::Assign)
            }
            Some("close_as_duplicate") => match (present(&raw.duplicate_of), duplicate_of) {
                (None, _) => {
                    errors.add(
                        "duplicate_of",
                        "choose which of the selected requests the others repeat",
                    );
                    None
                }
                (Some(_), Some(n)) if given.len() > selected.len() => {
                    Some(BulkAction::CloseAsDuplicateOf(n))
                }
                (Some(_), Some(n)) if selected.iter().any(|(s, _)| *s == n) => {
                    Some(BulkAction::CloseAsDuplicateOf(n))
                }
                (Some(_), Some(_)) => {
                    errors.add(
                        "duplicate_of",
                        "choose the original from the requests selected",
                    );
                    None
                }
                (Some(_), None) => None,
            },
            Some("note") => {
                if present(&raw.note).is_none() {
                    errors.add("note", "write the note to add");
                }
                note.map(BulkAction::Note)
            }
            _ => {
                errors.add("action", "choose assign, close_as_duplicate or note");
                None
            }
        };
        errors.into_result()?;
        Ok(Bulk {
            action: action.expect("checked above"),
            selected,
        })
    }
}

impl Bulk {
    /// The requests the action changes (not the original a repeat is closed against).
    pub fn changed(&self) -> impl Iterator<Item = &(TrackingNumber, i32)> {
        self.selected
            .iter()
            .filter(move |(n, _)| match &self.action {
                BulkAction::CloseAsDuplicateOf(original) => n != original,
                _ => true,
            })
    }

    /// The step one selected request takes.
    pub fn step_for(&self, version: i32) -> BulkStep {
        match &self.action {
            BulkAction::Assign(email) => BulkStep::Assign(Assignment {
                assignee: email.clone(),
                version: Some(version),
            }),
            BulkAction::CloseAsDuplicateOf(original) => {
                BulkStep::Transition(Box::new(RawTransition {
                    to: Some(crate::domain::Status::Duplicate.as_str().to_string()),
                    version: Some(version),
                    duplicate_of: Some(original.as_str().to_string()),
                    ..Default::default()
                }))
            }
            BulkAction::Note(text) => BulkStep::Note {
                note: PostMessage { body: text.clone() },
                version,
            },
        }
    }
}

/// What one selected request is asked to do.
#[derive(Debug, Clone)]
pub enum BulkStep {
    Assign(Assignment),
    Transition(Box<RawTransition>),
    Note { note: PostMessage, version: i32 },
}

/// How one selected request came out.
#[derive(Debug)]
pub struct BulkOutcome {
    pub tracking_number: String,
    pub result: BulkResult,
}

#[derive(Debug)]
pub enum BulkResult {
    /// The step was taken: the request's status and version now.
    Done {
        status: crate::domain::Status,
        version: i32,
    },
    /// Not taken, and why; nothing of it was kept.
    Refused(AppError),
    /// The original the others were closed as repeats of: left as it was.
    Original,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selected(numbers: &[&str]) -> Option<Vec<RawSelected>> {
        Some(
            numbers
                .iter()
                .map(|n| RawSelected {
                    tracking_number: Some(n.to_string()),
                    version: Some(2),
                })
                .collect(),
        )
    }

    #[test]
    fn the_original_of_repeats_is_one_of_those_selected_and_is_not_changed() {
        let raw = RawBulk {
            action: Some("close_as_duplicate".into()),
            requests: selected(&["RR-2026-00001", "RR-2026-00002", "RR-2026-00003"]),
            duplicate_of: Some("RR-2026-00002".into()),
            ..Default::default()
        };
        let bulk = Bulk::try_from(raw.clone()).unwrap();
        let changed: Vec<_> = bulk.changed().map(|(n, _)| n.as_str()).collect();
        assert_eq!(changed, ["RR-2026-00001", "RR-2026-00003"]);

        let elsewhere = RawBulk {
            duplicate_of: Some("RR-2026-00009".into()),
            ..raw
        };
        let errors = Bulk::try_from(elsewhere).unwrap_err();
        assert!(errors.0.contains_key("duplicate_of"));
    }

    #[test]
    fn selections_are_checked_whole() {
        let twice = RawBulk {
            action: Some("note".into()),
            requests: selected(&["RR-2026-00001", "RR-2026-00001", "nope"]),
            note: Some("Checked with Public Works".into()),
            ..Default::default()
        };
        let errors = Bulk::try_from(twice).unwrap_err();
        assert!(errors.0.contains_key("requests[1].tracking_number"));
        assert!(errors.0.contains_key("requests[2].tracking_number"));

        let nothing = RawBulk {
            action: Some("assign".into()),
            assignee: Some("clerk@concordca.gov".into()),
            ..Default::default()
        };
        assert!(Bulk::try_from(nothing)
            .unwrap_err()
            .0
            .contains_key("requests"));

        let unknown = RawBulk {
            action: Some("delete".into()),
            requests: selected(&["RR-2026-00001"]),
            ..Default::default()
        };
        assert!(Bulk::try_from(unknown)
            .unwrap_err()
            .0
            .contains_key("action"));
    }
}
