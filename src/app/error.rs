//! Why an operation did not happen, as the faces need to tell it: one enum, mapped to JSON
//! once (`web::error`) and to pages once (`web::pages::problem`).

use crate::db::DbError;
use crate::domain::deadlines::ExtensionError;
use crate::domain::{FieldErrors, Status, TransitionError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such request, or not one this caller may see (they are told the same thing).
    #[error("no such request")]
    NotFound,
    #[error("the request has invalid fields")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error("the request has changed since version {given}; it is now at version {current}")]
    Stale { given: i32, current: i32 },
    #[error("{0}")]
    Forbidden(String),
    #[error(transparent)]
    Conflict(#[from] Conflict),
    #[error("wrong email or password")]
    BadCredentials,
    /// No such thing (a notice, a link): 404 with this message.
    #[error("{0}")]
    Missing(&'static str),
    /// Too many of something just now; try again after `wait`.
    #[error("{message}")]
    TooMany {
        message: String,
        wait: std::time::Duration,
    },
    /// Gone for good: an API key already claimed, revoked or expired.
    #[error("{0}")]
    Gone(String),
    #[error(transparent)]
    Db(#[from] DbError),
    /// A stored value that is not what its column holds, or a failure of ours: logged, and
    /// answered as an internal error.
    #[error("internal error: {0}")]
    Internal(String),
    /// A step taken only to check it would go through (`App::check_step`), then undone. It
    /// never leaves the app layer; met anywhere else it is a failure of ours.
    #[error("a step checked and undone")]
    Undone,
}

/// A step the request's present state does not allow (409), other than a transition.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Conflict {
    #[error("this request has already been extended once")]
    AlreadyExtended,
    #[error("only a request awaiting its determination can be extended")]
    NotExtendable,
    #[error("the extension notice must be given before the original ten days run out")]
    ExtensionTooLate,
    #[error("documents cannot be attached to a request that is {}", .0.as_str().replace('_', " "))]
    NotAttachable(Status),
    #[error("assistance is offered while a request awaits its determination; this request is {}", .0.as_str().replace('_', " "))]
    NotAssistable(Status),
    #[error("records are released with a grant, or in part while a request is under review; this request is {}", .0.as_str().replace('_', " "))]
    NotReleasable(Status),
    #[error("every document chosen has already been released")]
    AlreadyReleased,
    #[error(
        "only a grant whose records have not yet been produced can have its production recorded"
    )]
    NotInProduction,
    #[error("only a grant whose records were produced can be reopened")]
    NotProduced,
    #[error("a fee is estimated only for a granted request whose records are not yet produced; this request is {}", .0)]
    NoFeeHere(String),
    #[error("money was paid on the fee estimate in force: refund it before making a new estimate")]
    FeePaid,
    #[error("this request has no fee estimate")]
    NoFeeEstimate,
    #[error("the fee estimate was already answered or needs no answer ({}): only an estimate waiting for an answer can be accepted or declined", .0.words())]
    FeeAnswered(crate::domain::fees::EstimateStatus),
    #[error("a payment is recorded only on an estimate the requester accepted; this one is {}", .0.words())]
    FeeNotAccepted(crate::domain::fees::EstimateStatus),
    #[error("paper copies are handed over once their fee is paid: {0} is still owed (inspection and electronic records never wait)")]
    FeeUnpaid(crate::domain::fees::Cents),
    #[error("no API key has been granted for this request")]
    NoApiKey,
    #[error("this API key is already revoked")]
    AlreadyRevoked,
    #[error(
        "a new API key can be asked for only while the key you collected still works, and once"
    )]
    KeyNotReplaceable,
    #[error("the requester has not asked for a new API key, or one is already waiting for them")]
    NoKeyReplacementAsked,
    #[error("this request was withdrawn: it takes no more messages; write to the Clerk's office to ask about it")]
    WithdrawnNoMessages,
    #[error("this request is closed: it was decided for good and its records were delivered; write to the Clerk's office or file a new request")]
    ClosedToMessages,
    #[error("this complaint is closed: write to the City Clerk's office by email, or file a new complaint")]
    ComplaintClosed,
    #[error(
        "this request has reached its limit of {0} messages; write to the Clerk's office by email"
    )]
    MessagesFull(u32),
    #[error("only a notice that could not be delivered is sent again; this one is {}", .0.as_str())]
    NoticeNotDead(crate::domain::notices::OutboxStatus),
    #[error("this request has no private link left to revoke")]
    NoOpenLinks,
    #[error("a staff account for {0} already exists")]
    StaffExists(String),
    #[error("this is the last active administrator: make another account an administrator first")]
    LastAdmin,
    #[error("this account is disabled: enable it first")]
    AccountDisabled,
    #[error("this email was already attached to a request or discarded")]
    MailDecided,
    #[error("only an open complaint is sent to another department; this is a {0}")]
    NotReroutable(String),
    /// A concurrent retry with the same Idempotency-Key is being filed right now.
    #[error("a request with this Idempotency-Key is being filed; retry")]
    IdempotencyRace,
    #[error("only a granted request whose records were released or produced can be published in the reading room")]
    NotPublishable,
    #[error(
        "this request is published in the reading room: withdraw it, with the reason, instead"
    )]
    AlreadyPublished,
    #[error("only a request published in the reading room can be withdrawn from it")]
    NotPublished,
    #[error("the release checks found what these documents would give away: {}; look at each and release again confirming you have checked them", .0.iter().map(|d| format!("{} ({})", d.title, d.findings.iter().map(|f| f.words.as_str()).collect::<Vec<_>>().join("; "))).collect::<Vec<_>>().join(", "))]
    ReleaseFindings(Vec<super::release_checks::DocumentFindings>),
}

impl AppError {
    /// A 422 about one field.
    pub fn field(name: &str, message: impl Into<String>) -> AppError {
        let mut errors = FieldErrors::default();
        errors.add(name, message);
        AppError::Invalid(errors)
    }

    /// The same error, with a field's errors under the name a form gives it.
    pub fn renamed_field(self, from: &str, to: &str) -> AppError {
        match self {
            AppError::Invalid(mut errors) => {
                if let Some(messages) = errors.0.remove(from) {
                    errors.0.insert(to.to_string(), messages);
                }
                AppError::Invalid(errors)
            }
            other => other,
        }
    }

    /// A stored value that could not be read as what it should be.
    pub fn unreadable(what: impl std::fmt::Display) -> AppError {
        AppError::Internal(format!("a stored value could not be read: {what}"))
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        AppError::Db(DbError::Query(e))
    }
}

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        AppError::Invalid(errors)
    }
}

impl From<ExtensionError> for AppError {
    fn from(e: ExtensionError) -> Self {
        match e {
            ExtensionError::DaysOutOfRange => AppError::field("days", e.to_string()),
            ExtensionError::AlreadyExtended => Conflict::AlreadyExtended.into(),
            ExtensionError::NotAwaitingDetermination => Conflict::NotExtendable.into(),
            ExtensionError::TooLate => Conflict::ExtensionTooLate.into(),
            ExtensionError::MovesNothing { .. } => AppError::field("days", e.to_string()),
        }
    }
}
