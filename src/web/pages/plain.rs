//! What a requester's pages say about each step of their request, in plain words: the
//! timeline of the tracking page. One place for these phrases, so that a second language is
//! one more function here, not strings hunted through the handlers (docs/PRODUCT.md,
//! "Plain words"). Staff pages keep the log's own summaries (`Step::summary`).

use crate::domain::step::{Author, Step};
use crate::domain::Status;
use crate::notify::render::long_date;

/// One line for the requester's timeline; `None` for steps their timeline does not show.
pub fn step_for_requester(step: &Step) -> Option<String> {
    Some(match step {
        Step::Submitted(s) => format!(
            "We received your request. We will tell you our decision by {}.",
            long_date(s.determination_due)
        ),
        Step::Transition(m) => {
            let on_appeal = m.from == Status::AdministrativeReview;
            match m.to {
                Status::UnderReview => "We started reviewing your request.".into(),
                Status::Granted if on_appeal && m.partial => {
                    "The reviewer decided on your appeal: part of the records will be given to you, and some are withheld.".into()
                }
                Status::Granted if on_appeal => {
                    "The reviewer decided on your appeal: the records will be given to you.".into()
                }
                Status::Granted if m.partial => {
                    "We decided to give you part of the records. Some are withheld; the reasons are below.".into()
                }
                Status::Granted => "We decided to give you the records you asked for.".into(),
                Status::Denied if on_appeal => {
                    "The reviewer decided on your appeal: the decision not to give you the records stands.".into()
                }
                Status::Denied => "We decided not to give you the records. The reasons are below.".into(),
                Status::NoRecords if on_appeal => {
                    "The reviewer decided on your appeal: we have no records that match your request.".into()
                }
                Status::NoRecords => "We found no records that match your request.".into(),
                Status::Appealed => "You asked for our decision to be reviewed.".into(),
                Status::AdministrativeReview => {
                    "A reviewer who did not make the decision started reviewing it.".into()
                }
                Status::Withdrawn => "The request was withdrawn.".into(),
                Status::Submitted => "Your request is waiting for review again.".into(),
            }
        }
        Step::Message(m) => match m.author {
            Author::Requester => "You wrote to us.".into(),
            Author::Staff => "We wrote to you.".into(),
        },
        Step::Extended(e) => format!(
            "We need more time, and will tell you our decision by {}.",
            long_date(e.determination_due)
        ),
        Step::Produced(p) => format!("The records were {}.", p.how.words()),
        Step::Reopened(_) => "More records are coming: we found that some were missing.".into(),
        Step::Assigned(_) => "A member of staff is now handling your request.".into(),
        Step::DocumentsReleased(r) => match r.documents.len() {
            1 => "We released 1 document to you.".into(),
            n => format!("We released {n} documents to you."),
        },
        Step::DocumentDownloaded(d) => format!("You downloaded {}.", d.title),
        Step::ApiKeyClaimed(c) if c.replaced.is_some() => {
            "You collected your new API key; the old one no longer works.".into()
        }
        Step::ApiKeyClaimed(_) => "You collected your API key.".into(),
        Step::ApiKeyRevoked(_) => "Your API key was turned off.".into(),
        Step::ApiKeyReplacementAsked(_) => {
            "You told us your API key was lost and asked for a new one.".into()
        }
        Step::ApiKeyReplacementOffered(_) => {
            "We made a new API key ready for you to collect.".into()
        }
        Step::DocumentAdded(_)
        | Step::NoticeQueued(_)
        | Step::NoticeDelivered(_)
        | Step::NoticeFailed(_)
        | Step::NoticeDeadLettered(_)
        | Step::NoticeRetried(_)
        | Step::LinkIssued(_)
        | Step::LinksRevoked(_)
        | Step::LinkRequested(_) => return None,
    })
}

/// The requester's API key, in a sentence.
pub fn key_for_requester(state: crate::app::api_keys::KeyState) -> &'static str {
    use crate::app::api_keys::KeyState;
    match state {
        KeyState::Offered => "Your API key is ready for you to collect.",
        KeyState::Active => "You have collected your API key, and it works.",
        KeyState::Revoked => "Your API key has been turned off and no longer works.",
        KeyState::Expired => "Your API key has expired and no longer works.",
    }
}

/// The stages a request passes through, as the tracking page's progress shows them, and
/// which one it is at (`None` once withdrawn).
pub fn stages(
    status: Status,
    produced: bool,
    appealed: bool,
) -> (Vec<&'static str>, Option<usize>) {
    let appealed = appealed || matches!(status, Status::Appealed | Status::AdministrativeReview);
    let mut names = vec!["Received", "Under review", "Decided"];
    if appealed {
        names.extend(["Review requested", "Reviewed"]);
    }
    if status == Status::Granted {
        names.push("Records given");
    }
    let at = match status {
        Status::Submitted => Some(0),
        Status::UnderReview => Some(1),
        Status::Granted | Status::Denied | Status::NoRecords if appealed => {
            Some(if status == Status::Granted && produced {
                5
            } else {
                4
            })
        }
        Status::Granted if produced => Some(3),
        Status::Granted | Status::Denied | Status::NoRecords => Some(2),
        Status::Appealed => Some(3),
        Status::AdministrativeReview => Some(3),
        Status::Withdrawn => None,
    };
    (names, at)
}

/// What happens next, in a sentence, for the tracking page's summary at the top.
pub fn next_for_requester(
    status: Status,
    due: &str,
    appeal_by: Option<&str>,
    records_by: Option<&str>,
    produced: bool,
    is_final: bool,
) -> String {
    match status {
        Status::Submitted => format!("We will review your request and tell you our decision by {due}."),
        Status::UnderReview => format!("We are reviewing your request and will tell you our decision by {due}."),
        Status::Granted if produced => "The records have been given to you. If anything is missing, write to us below.".into(),
        Status::Granted => match records_by {
            Some(by) => format!("We will make the records available by {by}. We will email you when they are ready."),
            None => "We will email you when the records are ready.".into(),
        },
        Status::Denied | Status::NoRecords if is_final => {
            "This decision is final: it was made on review. You may still write to us below.".into()
        }
        Status::Denied | Status::NoRecords => match appeal_by {
            Some(by) => format!("If you disagree, you can ask for this decision to be reviewed by someone who did not make it, until {by}."),
            None => "You may write to us below.".into(),
        },
        Status::Appealed => format!("A reviewer who did not make the decision will consider your request for a review by {due}."),
        Status::AdministrativeReview => format!("A reviewer is considering your request for a review and will decide by {due}."),
        Status::Withdrawn => "This request is withdrawn. Nothing more will happen on it.".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::step::Moved;

    #[test]
    fn the_progress_marks_where_each_state_stands() {
        assert_eq!(
            stages(Status::Submitted, false, false),
            (vec!["Received", "Under review", "Decided"], Some(0))
        );
        let (names, at) = stages(Status::Granted, true, false);
        assert_eq!(names[at.unwrap()], "Records given");
        let (names, at) = stages(Status::Granted, false, false);
        assert_eq!(names[at.unwrap()], "Decided");
        let (names, at) = stages(Status::AdministrativeReview, false, true);
        assert_eq!(names[at.unwrap()], "Review requested");
        let (names, at) = stages(Status::Denied, false, true);
        assert_eq!(names[at.unwrap()], "Reviewed");
        let (names, at) = stages(Status::Granted, true, true);
        assert_eq!(names[at.unwrap()], "Records given");
        assert_eq!(stages(Status::Withdrawn, false, false).1, None);
        for status in Status::ALL {
            for (produced, appealed) in [(false, false), (true, false), (false, true), (true, true)]
            {
                let (names, at) = stages(status, produced, appealed);
                assert!(at.is_none_or(|i| i < names.len()), "{status:?}");
                let next = next_for_requester(
                    status,
                    "Monday, December 14, 2026",
                    Some("January 2, 2027"),
                    None,
                    produced,
                    false,
                );
                assert!(next.ends_with('.'), "{next}");
            }
        }
    }

    #[test]
    fn every_move_is_said_in_plain_words() {
        for from in Status::ALL {
            for to in Status::ALL {
                for partial in [false, true] {
                    let step = Step::Transition(Moved {
                        partial,
                        ..Moved::bare(from, to)
                    });
                    let said = step_for_requester(&step).unwrap();
                    // No state's code ("withdrawn" is a word too; tests/api/plain_words.rs
                    // checks the pages for every other internal name).
                    for code in Status::ALL
                        .map(Status::as_str)
                        .into_iter()
                        .filter(|c| c.contains('_'))
                    {
                        assert!(!said.contains(code), "{from:?} → {to:?}: {said}");
                    }
                    assert!(said.ends_with('.'), "{said}");
                }
            }
        }
        let review = Step::Transition(Moved::bare(Status::AdministrativeReview, Status::Denied));
        assert!(step_for_requester(&review)
            .unwrap()
            .starts_with("The reviewer decided"));
        let start = Step::Transition(Moved::bare(Status::Submitted, Status::UnderReview));
        assert_eq!(
            step_for_requester(&start).unwrap(),
            "We started reviewing your request."
        );
    }
}
