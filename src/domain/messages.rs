//! When a requester may write on a request, and how often (docs/PRODUCT.md, "Messages").
//! Pure rules; the counts come from the database.

use chrono::{Duration, NaiveDateTime};

use super::transitions::CaseFacts;
use super::Status;

/// How much one request may be written to by its requester.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageLimits {
    /// Messages in any hour.
    pub per_hour: u32,
    /// Messages over the request's life.
    pub per_request: u32,
}

/// Why a requester's message is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageRefusal {
    /// The requester withdrew the request.
    Withdrawn,
    /// A final decision was made (and a grant's records produced): nothing is left to ask.
    Closed,
    /// The request holds as many messages as it may.
    Full { limit: u32 },
    /// Too many just now; the next may be sent after `wait`.
    TooFast { wait: Duration },
}

/// A request is closed to messages once nothing remains to decide or deliver: withdrawn, or
/// decided for good (on review, or a grant in full that nobody can appeal) and, for a grant,
/// its records produced. An initial denial still takes questions: it may be appealed.
pub fn refusal_for_state(case: &CaseFacts) -> Option<MessageRefusal> {
    if case.status == Status::Withdrawn {
        return Some(MessageRefusal::Withdrawn);
    }
    // A complaint closed (resolved, referred or dismissed) has nothing to follow and no appeal:
    // the complainant writes to the office or files a new complaint.
    if case.status.is_complaint_state() {
        return (!case.status.is_open()).then_some(MessageRefusal::Closed);
    }
    let decided_for_good = case.status.is_determination()
        && (case.decision_final || (case.status == Status::Granted && !case.partial));
    let delivered = case.status != Status::Granted || case.produced;
    (decided_for_good && delivered).then_some(MessageRefusal::Closed)
}

/// Whether one more message fits: `recent` are the times of the requester's messages in the
/// last hour (oldest first), `total` all of them.
pub fn check_rate(
    limits: MessageLimits,
    recent: &[NaiveDateTime],
    total: i64,
    now: NaiveDateTime,
) -> Result<(), MessageRefusal> {
    if total >= i64::from(limits.per_request) {
        return Err(MessageRefusal::Full {
            limit: limits.per_request,
        });
    }
    let hour_ago = now - Duration::hours(1);
    let in_hour: Vec<_> = recent.iter().filter(|at| **at > hour_ago).collect();
    if in_hour.len() >= limits.per_hour as usize {
        // The oldest of the hour's messages leaves the window first.
        let oldest = in_hour.iter().min().copied().copied().unwrap_or(now);
        let wait = (oldest + Duration::hours(1)) - now;
        return Err(MessageRefusal::TooFast {
            wait: wait.max(Duration::seconds(1)),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RequestKind;
    use chrono::NaiveDate;

    #[test]
    fn a_complaint_takes_messages_while_open_and_none_once_closed() {
        for status in [Status::Received, Status::Investigating] {
            assert_eq!(refusal_for_state(&case(status)), None, "{status}");
        }
        for status in [Status::Resolved, Status::Referred, Status::Dismissed] {
            assert_eq!(
                refusal_for_state(&case(status)),
                Some(MessageRefusal::Closed),
                "{status}"
            );
        }
    }

    fn case(status: Status) -> CaseFacts {
        CaseFacts {
            status,
            kind: RequestKind::PublicRecords,
            queue: "city_clerk".into(),
            assignee: None,
            determined_by: None,
            responsible: vec![],
            reviewer: None,
            partial: false,
            decision_final: false,
            appeal_deadline: None,
            produced: false,
        }
    }

    fn at(minute: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, 2)
            .unwrap()
            .and_hms_opt(10, minute, 0)
            .unwrap()
    }

    #[test]
    fn withdrawn_and_closed_requests_take_no_messages_open_and_appealable_ones_do() {
        assert_eq!(
            refusal_for_state(&case(Status::Withdrawn)),
            Some(MessageRefusal::Withdrawn)
        );
        for open in [Status::Submitted, Status::UnderReview, Status::Appealed] {
            assert_eq!(refusal_for_state(&case(open)), None, "{open}");
        }
        // An initial denial may be appealed: the requester may still ask.
        assert_eq!(refusal_for_state(&case(Status::Denied)), None);
        let final_denial = CaseFacts {
            decision_final: true,
            ..case(Status::Denied)
        };
        assert_eq!(
            refusal_for_state(&final_denial),
            Some(MessageRefusal::Closed)
        );
        // A grant in full is closed once its records are produced, not before.
        assert_eq!(refusal_for_state(&case(Status::Granted)), None);
        let produced = CaseFacts {
            produced: true,
            ..case(Status::Granted)
        };
        assert_eq!(refusal_for_state(&produced), Some(MessageRefusal::Closed));
        // A grant in part may be appealed.
        let partial = CaseFacts {
            partial: true,
            ..produced
        };
        assert_eq!(refusal_for_state(&partial), None);
    }

    #[test]
    fn the_hourly_limit_waits_for_the_oldest_message_to_leave_the_hour() {
        let limits = MessageLimits {
            per_hour: 3,
            per_request: 100,
        };
        let recent = [at(0), at(10), at(20)];
        assert_eq!(check_rate(limits, &recent[..2], 2, at(30)), Ok(()));
        assert_eq!(
            check_rate(limits, &recent, 3, at(30)),
            Err(MessageRefusal::TooFast {
                wait: Duration::minutes(30)
            })
        );
        // An hour after the first, it no longer counts.
        let later = at(0) + Duration::minutes(61);
        assert_eq!(check_rate(limits, &recent, 3, later), Ok(()));
    }

    #[test]
    fn a_message_exactly_an_hour_old_no_longer_counts() {
        let limits = MessageLimits {
            per_hour: 1,
            per_request: 100,
        };
        let hour_later = at(0) + Duration::hours(1);
        assert_eq!(check_rate(limits, &[at(0)], 1, hour_later), Ok(()));
        assert!(check_rate(limits, &[at(0)], 1, hour_later - Duration::seconds(1)).is_err());
    }

    #[test]
    fn a_request_holds_at_most_its_limit_of_messages() {
        let limits = MessageLimits {
            per_hour: 10,
            per_request: 5,
        };
        assert_eq!(
            check_rate(limits, &[], 5, at(0)),
            Err(MessageRefusal::Full { limit: 5 })
        );
        assert_eq!(check_rate(limits, &[], 4, at(0)), Ok(()));
    }
}
