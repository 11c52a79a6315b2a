//! Which notices exist, who they are for, and which ones each transition causes.

use crate::domain::Status;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Requester,
    Staff,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Requester => "requester",
            Audience::Staff => "staff",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    Acknowledgement,
    Accepted,
    Extended,
    Granted,
    Denied,
    AppealReceived,
    ReviewStarted,
    ReviewDecision,
    Withdrawn,
    StaffMessage,
    NewRequest,
    Assigned,
    AppealFiled,
    RequesterMessage,
    DueSoon,
    Overdue,
    ApiKeyRevoked,
    RecordsReleased,
}

impl Notice {
    pub const ALL: [Notice; 18] = [
        Notice::Acknowledgement,
        Notice::Accepted,
        Notice::Extended,
        Notice::Granted,
        Notice::Denied,
        Notice::AppealReceived,
        Notice::ReviewStarted,
        Notice::ReviewDecision,
        Notice::Withdrawn,
        Notice::StaffMessage,
        Notice::NewRequest,
        Notice::Assigned,
        Notice::AppealFiled,
        Notice::RequesterMessage,
        Notice::DueSoon,
        Notice::Overdue,
        Notice::ApiKeyRevoked,
        Notice::RecordsReleased,
    ];

    pub fn parse(s: &str) -> Option<Notice> {
        Notice::ALL.into_iter().find(|n| n.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Notice::Acknowledgement => "acknowledgement",
            Notice::Accepted => "accepted",
            Notice::Extended => "extended",
            Notice::Granted => "granted",
            Notice::Denied => "denied",
            Notice::AppealReceived => "appeal_received",
            Notice::ReviewStarted => "review_started",
            Notice::ReviewDecision => "review_decision",
            Notice::Withdrawn => "withdrawn",
            Notice::StaffMessage => "staff_message",
            Notice::NewRequest => "new_request",
            Notice::Assigned => "assigned",
            Notice::AppealFiled => "appeal_filed",
            Notice::RequesterMessage => "requester_message",
            Notice::DueSoon => "due_soon",
            Notice::Overdue => "overdue",
            Notice::ApiKeyRevoked => "api_key_revoked",
            Notice::RecordsReleased => "records_released",
        }
    }

    pub fn audience(self) -> Audience {
        match self {
            Notice::NewRequest
            | Notice::Assigned
            | Notice::AppealFiled
            | Notice::RequesterMessage
            | Notice::DueSoon
            | Notice::Overdue => Audience::Staff,
            _ => Audience::Requester,
        }
    }
}

/// The notices a transition causes: the requester always hears of it; reviewers hear of appeals.
pub fn for_transition(from: Status, to: Status) -> &'static [Notice] {
    use Status::*;
    match (from, to) {
        (Submitted, UnderReview) => &[Notice::Accepted],
        (_, Withdrawn) => &[Notice::Withdrawn],
        (UnderReview, Granted) => &[Notice::Granted],
        (UnderReview, Denied) => &[Notice::Denied],
        (Denied, Appealed) => &[Notice::AppealReceived, Notice::AppealFiled],
        (Appealed, AdministrativeReview) => &[Notice::ReviewStarted],
        (AdministrativeReview, Granted | Denied) => &[Notice::ReviewDecision],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::transitions::TABLE;

    #[test]
    fn every_transition_tells_the_requester() {
        for rule in TABLE {
            let notices = for_transition(rule.from, rule.to);
            assert!(
                notices.iter().any(|n| n.audience() == Audience::Requester),
                "{} → {} sends the requester nothing",
                rule.from,
                rule.to
            );
        }
    }

    #[test]
    fn an_appeal_also_tells_staff() {
        assert!(for_transition(Status::Denied, Status::Appealed).contains(&Notice::AppealFiled));
        assert_eq!(Notice::AppealFiled.audience(), Audience::Staff);
    }
}
