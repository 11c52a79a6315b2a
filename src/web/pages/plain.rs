//! What a requester's pages say about each step of their request, in plain words: the
//! timeline of the tracking page, its stages and next step, the names of states and kinds.
//! Which message says what is chosen here; the words themselves are the wording's
//! (`src/wording.rs`, one file per language; docs/PRODUCT.md, "Plain words"). Staff pages keep
//! the log's own summaries (`Step::summary`).

use crate::app::api_keys::KeyState;
use crate::domain::step::{Author, Production, Step};
use crate::domain::Status;
use crate::notify::render::long_date_in;
use crate::wording::{say, word, Arg, Language};

/// One line for the requester's timeline; `None` for steps their timeline does not show.
pub fn step_for_requester(language: Language, step: &Step) -> Option<String> {
    let id = match step {
        Step::Submitted(s) => {
            let due = long_date_in(language, s.determination_due);
            let id = match s.kind.is_complaint() {
                true => "timeline-complaint-received",
                false => "timeline-received",
            };
            return Some(say(language, id, &[("due", Arg::Text(&due))]));
        }
        Step::Transition(m) => {
            let on_appeal = m.from == Status::AdministrativeReview;
            match m.to {
                Status::UnderReview => "timeline-review-started",
                Status::Granted if on_appeal && m.partial => "timeline-appeal-granted-in-part",
                Status::Granted if on_appeal => "timeline-appeal-granted",
                Status::Granted if m.partial => "timeline-granted-in-part",
                Status::Granted => "timeline-granted",
                Status::Denied if on_appeal => "timeline-appeal-denied",
                Status::Denied => "timeline-denied",
                Status::NoRecords if on_appeal => "timeline-appeal-no-records",
                Status::NoRecords => "timeline-no-records",
                Status::Appealed => "timeline-appealed",
                Status::AdministrativeReview => "timeline-appeal-taken-up",
                Status::Withdrawn => {
                    return Some(say(
                        language,
                        "timeline-withdrawn",
                        &[(
                            "kind",
                            Arg::Text(if m.from.is_complaint_state() {
                                "complaint"
                            } else {
                                "request"
                            }),
                        )],
                    ))
                }
                Status::Duplicate => "timeline-duplicate",
                Status::Submitted | Status::Received => "timeline-back-to-received",
                Status::Investigating => "timeline-investigating",
                Status::Resolved => "timeline-resolved",
                Status::Referred => "timeline-referred",
                Status::Dismissed => "timeline-dismissed",
            }
        }
        Step::Message(m) => match m.author {
            Author::Requester if m.body.is_empty() => "timeline-you-sent-file",
            Author::Requester => "timeline-you-wrote",
            Author::Staff => "timeline-we-wrote",
        },
        Step::Extended(e) => {
            let due = long_date_in(language, e.determination_due);
            return Some(say(
                language,
                "timeline-extended",
                &[("due", Arg::Text(&due))],
            ));
        }
        Step::Produced(p) => match p.how {
            Production::Released => "timeline-produced-released",
            Production::Paper => "timeline-produced-paper",
            Production::Inspection => "timeline-produced-inspection",
        },
        Step::Reopened(_) => "timeline-reopened",
        Step::Assisted(a) if a.question.is_some() => "timeline-assistance-question",
        Step::Assisted(_) => "timeline-assistance",
        Step::Assigned(_) => "timeline-assigned",
        Step::Rerouted(r) => {
            return Some(say(
                language,
                "timeline-rerouted",
                &[("department", Arg::Text(&r.department))],
            ));
        }
        Step::DocumentsReleased(r) => {
            let count = i64::try_from(r.documents.len()).unwrap_or(i64::MAX);
            return Some(say(
                language,
                "timeline-documents-released",
                &[("count", Arg::Number(count))],
            ));
        }
        Step::DocumentDownloaded(d) => {
            return Some(say(
                language,
                "timeline-downloaded",
                &[("title", Arg::Text(&d.title))],
            ));
        }
        Step::ApiKeyClaimed(c) if c.replaced.is_some() => "timeline-new-key-collected",
        Step::ApiKeyClaimed(_) => "timeline-key-collected",
        Step::ApiKeyRevoked(_) => "timeline-key-revoked",
        Step::ApiKeyReplacementAsked(_) => "timeline-key-lost",
        Step::ApiKeyReplacementOffered(_) => "timeline-new-key-ready",
        Step::FeeEstimated(f) if f.waived => "timeline-fee-waived-whole",
        Step::FeeEstimated(f) => {
            let total = f.total.dollars();
            return Some(say(
                language,
                "timeline-fee-estimated",
                &[("total", Arg::Text(&total))],
            ));
        }
        Step::FeeAnswered(a) if a.accepted => "timeline-fee-accepted",
        Step::FeeAnswered(_) => "timeline-fee-declined",
        Step::FeeRecorded(f) => {
            let amount = f.amount.dollars();
            let id = match f.kind {
                crate::domain::fees::EntryKind::Payment => "timeline-fee-paid",
                crate::domain::fees::EntryKind::Waiver => "timeline-fee-waived",
                crate::domain::fees::EntryKind::Refund => "timeline-fee-refunded",
            };
            return Some(say(language, id, &[("amount", Arg::Text(&amount))]));
        }
        Step::DocumentAdded(_)
        | Step::Note(_)
        | Step::NoticeQueued(_)
        | Step::NoticeDelivered(_)
        | Step::NoticeFailed(_)
        | Step::NoticeDeadLettered(_)
        | Step::NoticeRetried(_)
        | Step::LinkIssued(_)
        | Step::LinksRevoked(_)
        | Step::LinkRequested(_)
        | Step::LetterPosted(_)
        | Step::NoticeBounced(_)
        | Step::Published(_)
        | Step::KeptOut(_)
        | Step::PublicationWithdrawn(_) => return None,
    };
    Some(word(language, id))
}

/// The requester's API key, in a sentence.
pub fn key_for_requester(language: Language, state: KeyState) -> String {
    word(
        language,
        match state {
            KeyState::Offered => "key-offered",
            KeyState::Active => "key-active",
            KeyState::Revoked => "key-revoked",
            KeyState::Expired => "key-expired",
        },
    )
}

/// The stages a request passes through, as the tracking page's progress shows them, and
/// which one it is at (`None` once withdrawn).
pub fn stages(
    language: Language,
    status: Status,
    produced: bool,
    appealed: bool,
) -> (Vec<String>, Option<usize>) {
    if status.is_complaint_state() {
        let ids = ["stage-received", "stage-investigating", "stage-closed"];
        let at = match status {
            Status::Received => 0,
            Status::Investigating => 1,
            _ => 2,
        };
        return (
            ids.into_iter().map(|id| word(language, id)).collect(),
            Some(at),
        );
    }
    let appealed = appealed || matches!(status, Status::Appealed | Status::AdministrativeReview);
    let mut ids = vec!["stage-received", "stage-under-review", "stage-decided"];
    if appealed {
        ids.extend(["stage-review-requested", "stage-reviewed"]);
    }
    if status == Status::Granted {
        ids.push("stage-records-given");
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
        Status::Withdrawn | Status::Duplicate => None,
        // Answered above.
        Status::Received
        | Status::Investigating
        | Status::Resolved
        | Status::Referred
        | Status::Dismissed => None,
    };
    (ids.into_iter().map(|id| word(language, id)).collect(), at)
}

/// What happens next, in a sentence, for the tracking page's summary at the top.
/// `repeats` is the request a repeat was closed into.
#[allow(clippy::too_many_arguments)]
pub fn next_for_requester(
    language: Language,
    kind: crate::domain::RequestKind,
    status: Status,
    due: &str,
    appeal_by: Option<&str>,
    records_by: Option<&str>,
    produced: bool,
    is_final: bool,
    repeats: Option<&str>,
) -> String {
    let with_due = |id| say(language, id, &[("due", Arg::Text(due))]);
    let with_by = |id, by| say(language, id, &[("by", Arg::Text(by))]);
    match status {
        Status::Submitted => with_due("next-received"),
        Status::UnderReview => with_due("next-under-review"),
        Status::Granted if produced => word(language, "next-records-given"),
        Status::Granted => match records_by {
            Some(by) => with_by("next-records-by", by),
            None => word(language, "next-records-soon"),
        },
        Status::Denied | Status::NoRecords if is_final => word(language, "next-final"),
        Status::Denied | Status::NoRecords => match appeal_by {
            Some(by) => with_by("next-may-appeal", by),
            None => word(language, "next-write-to-us"),
        },
        Status::Appealed => with_due("next-appealed"),
        Status::AdministrativeReview => with_due("next-appeal-under-review"),
        Status::Withdrawn => say(
            language,
            "next-withdrawn",
            &[("kind", Arg::Text(kind.words_kind()))],
        ),
        Status::Duplicate => say(
            language,
            "next-duplicate",
            &[("original", Arg::Text(repeats.unwrap_or("")))],
        ),
        Status::Received => with_due("next-complaint-received"),
        Status::Investigating => with_due("next-complaint-investigating"),
        Status::Resolved => word(language, "next-complaint-resolved"),
        Status::Referred => word(language, "next-complaint-referred"),
        Status::Dismissed => word(language, "next-complaint-dismissed"),
    }
}

/// Where a request stands, in words (the tracking page's heading; staff pages too).
pub fn status_words(language: Language, status: Status) -> String {
    word(
        language,
        match status {
            Status::Submitted => "status-submitted",
            Status::UnderReview => "status-under-review",
            Status::Granted => "status-granted",
            Status::Denied => "status-denied",
            Status::NoRecords => "status-no-records",
            Status::Appealed => "status-appealed",
            Status::AdministrativeReview => "status-administrative-review",
            Status::Withdrawn => "status-withdrawn",
            Status::Duplicate => "status-duplicate",
            Status::Received => "status-received",
            Status::Investigating => "status-investigating",
            Status::Resolved => "status-resolved",
            Status::Referred => "status-referred",
            Status::Dismissed => "status-dismissed",
        },
    )
}

/// What kind of request it is, in words.
pub fn kind_words(language: Language, kind: crate::domain::RequestKind) -> String {
    use crate::domain::RequestKind;
    word(
        language,
        match kind {
            RequestKind::PublicRecords => "kind-public-records",
            RequestKind::DatasetAccess => "kind-dataset-access",
            RequestKind::ApiAccess => "kind-api-access",
            RequestKind::Complaint => "kind-complaint",
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::step::Moved;

    #[test]
    fn the_progress_marks_where_each_state_stands() {
        let (names, at) = stages(Language::English, Status::Submitted, false, false);
        assert_eq!(names, ["Received", "Under review", "Decided"]);
        assert_eq!(at, Some(0));
        let (names, at) = stages(Language::English, Status::Granted, true, false);
        assert_eq!(names[at.unwrap()], "Records given");
        let (names, at) = stages(Language::English, Status::Granted, false, false);
        assert_eq!(names[at.unwrap()], "Decided");
        let (names, at) = stages(Language::English, Status::AdministrativeReview, false, true);
        assert_eq!(names[at.unwrap()], "Review requested");
        let (names, at) = stages(Language::English, Status::Denied, false, true);
        assert_eq!(names[at.unwrap()], "Reviewed");
        let (names, at) = stages(Language::English, Status::Granted, true, true);
        assert_eq!(names[at.unwrap()], "Records given");
        assert_eq!(
            stages(Language::English, Status::Withdrawn, false, false).1,
            None
        );
        for status in Status::ALL {
            for (produced, appealed) in [(false, false), (true, false), (false, true), (true, true)]
            {
                let (names, at) = stages(Language::English, status, produced, appealed);
                assert!(at.is_none_or(|i| i < names.len()), "{status:?}");
                let next = next_for_requester(
                    Language::English,
                    crate::domain::RequestKind::PublicRecords,
                    status,
                    "Monday, December 14, 2026",
                    Some("January 2, 2027"),
                    None,
                    produced,
                    false,
                    Some("RR-2026-00001"),
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
                    let said = step_for_requester(Language::English, &step).unwrap();
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
        assert!(step_for_requester(Language::English, &review)
            .unwrap()
            .starts_with("The reviewer decided"));
        let start = Step::Transition(Moved::bare(Status::Submitted, Status::UnderReview));
        assert_eq!(
            step_for_requester(Language::English, &start).unwrap(),
            "We started reviewing your request."
        );
    }
}
