//! The notices there are, who each is for, and where a queued one stands. Which notices a
//! step causes, and what each says, is `notify::Notice::for_step`.

use serde::{Deserialize, Serialize};

/// Who a notice is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    Requester,
    Staff,
}

impl Audience {
    pub const ALL: [Audience; 2] = [Audience::Requester, Audience::Staff];

    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Requester => "requester",
            Audience::Staff => "staff",
        }
    }

    pub fn parse(s: &str) -> Option<Audience> {
        Audience::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// Each kind of notice, stored with every queued one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
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
    NoRecords,
    RecordsProduced,
    ProductionReopened,
    RequesterWithdrew,
    NewLink,
    LinkResent,
    ApiKeyLost,
    ApiKeyReady,
    Assistance,
    Duplicate,
    ComplaintReceived,
    NewComplaint,
    ComplaintInvestigating,
    ComplaintResolved,
    ComplaintReferred,
    ComplaintDismissed,
    ComplaintRerouted,
    AddressBounced,
    StaffInvitation,
    PasswordReset,
    FeeEstimate,
    FeeAnswered,
    FeeReceipt,
    FeeWaived,
    FeeRefunded,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 43] = [
        NoticeKind::Acknowledgement,
        NoticeKind::Accepted,
        NoticeKind::Extended,
        NoticeKind::Granted,
        NoticeKind::Denied,
        NoticeKind::AppealReceived,
        NoticeKind::ReviewStarted,
        NoticeKind::ReviewDecision,
        NoticeKind::Withdrawn,
        NoticeKind::StaffMessage,
        NoticeKind::NewRequest,
        NoticeKind::Assigned,
        NoticeKind::AppealFiled,
        NoticeKind::RequesterMessage,
        NoticeKind::DueSoon,
        NoticeKind::Overdue,
        NoticeKind::ApiKeyRevoked,
        NoticeKind::RecordsReleased,
        NoticeKind::NoRecords,
        NoticeKind::RecordsProduced,
        NoticeKind::ProductionReopened,
        NoticeKind::RequesterWithdrew,
        NoticeKind::NewLink,
        NoticeKind::LinkResent,
        NoticeKind::ApiKeyLost,
        NoticeKind::ApiKeyReady,
        NoticeKind::Assistance,
        NoticeKind::Duplicate,
        NoticeKind::ComplaintReceived,
        NoticeKind::NewComplaint,
        NoticeKind::ComplaintInvestigating,
        NoticeKind::ComplaintResolved,
        NoticeKind::ComplaintReferred,
        NoticeKind::ComplaintDismissed,
        NoticeKind::ComplaintRerouted,
        NoticeKind::AddressBounced,
        NoticeKind::StaffInvitation,
        NoticeKind::PasswordReset,
        NoticeKind::FeeEstimate,
        NoticeKind::FeeAnswered,
        NoticeKind::FeeReceipt,
        NoticeKind::FeeWaived,
        NoticeKind::FeeRefunded,
    ];

    pub fn parse(s: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|n| n.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Acknowledgement => "acknowledgement",
            NoticeKind::Accepted => "accepted",
            NoticeKind::Extended => "extended",
            NoticeKind::Granted => "granted",
            NoticeKind::Denied => "denied",
            NoticeKind::AppealReceived => "appeal_received",
            NoticeKind::ReviewStarted => "review_started",
            NoticeKind::ReviewDecision => "review_decision",
            NoticeKind::Withdrawn => "withdrawn",
            NoticeKind::StaffMessage => "staff_message",
            NoticeKind::NewRequest => "new_request",
            NoticeKind::Assigned => "assigned",
            NoticeKind::AppealFiled => "appeal_filed",
            NoticeKind::RequesterMessage => "requester_message",
            NoticeKind::DueSoon => "due_soon",
            NoticeKind::Overdue => "overdue",
            NoticeKind::ApiKeyRevoked => "api_key_revoked",
            NoticeKind::RecordsReleased => "records_released",
            NoticeKind::NoRecords => "no_records",
            NoticeKind::RecordsProduced => "records_produced",
            NoticeKind::ProductionReopened => "production_reopened",
            NoticeKind::RequesterWithdrew => "requester_withdrew",
            NoticeKind::NewLink => "new_link",
            NoticeKind::LinkResent => "link_resent",
            NoticeKind::ApiKeyLost => "api_key_lost",
            NoticeKind::ApiKeyReady => "api_key_ready",
            NoticeKind::Assistance => "assistance",
            NoticeKind::Duplicate => "duplicate",
            NoticeKind::ComplaintReceived => "complaint_received",
            NoticeKind::NewComplaint => "new_complaint",
            NoticeKind::ComplaintInvestigating => "complaint_investigating",
            NoticeKind::ComplaintResolved => "complaint_resolved",
            NoticeKind::ComplaintReferred => "complaint_referred",
            NoticeKind::ComplaintDismissed => "complaint_dismissed",
            NoticeKind::ComplaintRerouted => "complaint_rerouted",
            NoticeKind::FeeEstimate => "fee_estimate",
            NoticeKind::FeeAnswered => "fee_answered",
            NoticeKind::FeeReceipt => "fee_receipt",
            NoticeKind::FeeWaived => "fee_waived",
            NoticeKind::FeeRefunded => "fee_refunded",
            NoticeKind::AddressBounced => "address_bounced",
            NoticeKind::StaffInvitation => "staff_invitation",
            NoticeKind::PasswordReset => "password_reset",
        }
    }

    /// Who receives a notice of this kind.
    pub fn addressee(self) -> Addressee {
        match self {
            NoticeKind::Acknowledgement
            | NoticeKind::Accepted
            | NoticeKind::Extended
            | NoticeKind::Granted
            | NoticeKind::Denied
            | NoticeKind::AppealReceived
            | NoticeKind::ReviewStarted
            | NoticeKind::ReviewDecision
            | NoticeKind::Withdrawn
            | NoticeKind::StaffMessage
            | NoticeKind::ApiKeyRevoked
            | NoticeKind::RecordsReleased
            | NoticeKind::NoRecords
            | NoticeKind::RecordsProduced
            | NoticeKind::ProductionReopened
            | NoticeKind::NewLink
            | NoticeKind::LinkResent
            | NoticeKind::ApiKeyReady
            | NoticeKind::Assistance
            | NoticeKind::Duplicate
            | NoticeKind::ComplaintReceived
            | NoticeKind::ComplaintInvestigating
            | NoticeKind::ComplaintResolved
            | NoticeKind::ComplaintReferred
            | NoticeKind::ComplaintDismissed
            | NoticeKind::FeeEstimate
            | NoticeKind::FeeReceipt
            | NoticeKind::FeeWaived
            | NoticeKind::FeeRefunded => Addressee::Requester,
            NoticeKind::NewRequest | NoticeKind::NewComplaint | NoticeKind::ComplaintRerouted => {
                Addressee::NewWork
            }
            NoticeKind::Assigned => Addressee::Assignee,
            NoticeKind::AppealFiled => Addressee::Reviewers,
            NoticeKind::RequesterMessage
            | NoticeKind::DueSoon
            | NoticeKind::Overdue
            | NoticeKind::RequesterWithdrew
            | NoticeKind::ApiKeyLost
            | NoticeKind::AddressBounced
            | NoticeKind::FeeAnswered => Addressee::CaseStaff,
            NoticeKind::StaffInvitation | NoticeKind::PasswordReset => Addressee::Account,
        }
    }

    pub fn audience(self) -> Audience {
        match self.addressee() {
            Addressee::Requester => Audience::Requester,
            Addressee::NewWork
            | Addressee::Assignee
            | Addressee::Reviewers
            | Addressee::CaseStaff
            | Addressee::Account => Audience::Staff,
        }
    }
}

/// Who a notice goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Addressee {
    /// The staff member whose account a letter is about (an invitation, a password reset);
    /// no request's step sends one.
    Account,
    /// The person who filed the request.
    Requester,
    /// Whoever a new request is for: its assignee, else whoever works its queue.
    NewWork,
    /// The request's (new) assignee.
    Assignee,
    /// The reviewers who may take up an appeal.
    Reviewers,
    /// The staff the request is with now.
    CaseStaff,
}

impl std::fmt::Display for NoticeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a queued notice stands: waiting, leased by a sender, delivered, or given up on
/// (dead-lettered, for staff to send again).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutboxStatus {
    Queued,
    Sending,
    Sent,
    Dead,
}

impl OutboxStatus {
    pub const ALL: [OutboxStatus; 4] = [
        OutboxStatus::Queued,
        OutboxStatus::Sending,
        OutboxStatus::Sent,
        OutboxStatus::Dead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Queued => "queued",
            OutboxStatus::Sending => "sending",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Dead => "dead",
        }
    }

    pub fn parse(s: &str) -> Option<OutboxStatus> {
        OutboxStatus::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stored_name_reads_back_as_itself() {
        for kind in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(kind.as_str()), Some(kind));
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                serde_json::json!(kind.as_str())
            );
        }
        for status in OutboxStatus::ALL {
            assert_eq!(OutboxStatus::parse(status.as_str()), Some(status));
        }
        for audience in Audience::ALL {
            assert_eq!(Audience::parse(audience.as_str()), Some(audience));
        }
        assert_eq!(NoticeKind::parse("postcard"), None);
    }
}
