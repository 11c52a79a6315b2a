//! The operations people perform on requests. Each one runs inside ONE transaction the caller
//! opens (`Db::write`): it loads the request, asks `domain` whether the step is allowed,
//! writes the change with an optimistic version check, appends the audit event and queues the
//! notices. The JSON API and the pages call these same functions.

pub mod act;
pub mod api_keys;
pub mod documents;
pub mod failed_notices;
pub mod manage;
pub mod notices;
pub mod queue;
pub mod reminders;
pub mod reports;
pub mod staff;
pub mod submit;
pub mod view;

use chrono::Duration;

use crate::audit;
use crate::config::{LocalCalendarClock, OfficeSettings, Settings, SettingsError};
use crate::db::models::RequestRow;
use crate::db::{Conn, DbError};
use crate::domain::access::StaffMember;
use crate::domain::{
    Actor, CaseFacts, DeadlinePolicy, FieldErrors, Role, StaffId, Status, TransitionError,
};
use crate::secrets;

/// What the operations need from the configuration.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub policy: DeadlinePolicy,
    pub clock: LocalCalendarClock,
    pub public_url: String,
    pub mail_domain: String,
    pub office: OfficeSettings,
    pub staff_token_ttl: Duration,
    /// Terms of API keys minted on grant: requests per hour, days to expiry (0: none).
    pub api_key_rate_limit: i32,
    pub api_key_days: u32,
    /// What the API gateway authenticates with; empty refuses every verification.
    pub gateway_token: crate::config::Secret,
}

impl Ctx {
    pub fn from_settings(settings: &Settings) -> Result<Ctx, SettingsError> {
        Ok(Ctx {
            policy: settings.deadline_policy(),
            clock: LocalCalendarClock {
                tz: settings.time_zone()?,
            },
            public_url: settings.server.public_url.trim_end_matches('/').to_string(),
            mail_domain: settings.mail_domain(),
            office: settings.office.clone(),
            staff_token_ttl: Duration::hours(settings.auth.staff_token_hours.max(1)),
            api_key_rate_limit: settings.catalog.api_key_rate_limit,
            api_key_days: settings.catalog.api_key_days,
            gateway_token: settings.catalog.gateway_token.clone(),
        })
    }
}

/// A signed-in staff member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffAccount {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub department: Option<String>,
}

impl StaffAccount {
    pub fn member(&self) -> StaffMember {
        StaffMember {
            id: StaffId(self.id),
            role: self.role,
            queue: self
                .department
                .as_deref()
                .map(crate::domain::access::queue_name),
        }
    }

    pub fn audit_actor(&self) -> audit::Actor {
        audit::Actor::Staff {
            email: self.email.clone(),
        }
    }
}

/// Whoever is calling: the holder of a request's private token, or staff.
#[derive(Debug, Clone)]
pub enum Caller {
    Requester { token: String },
    Staff(StaffAccount),
}

impl Caller {
    pub fn audit_actor(&self) -> audit::Actor {
        match self {
            Caller::Requester { .. } => audit::Actor::Requester,
            Caller::Staff(staff) => staff.audit_actor(),
        }
    }

    pub fn staff(&self) -> Option<&StaffAccount> {
        match self {
            Caller::Staff(staff) => Some(staff),
            Caller::Requester { .. } => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WorkflowError {
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
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("wrong email or password")]
    BadCredentials,
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("{0}")]
    Gone(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl WorkflowError {
    /// A 422 about one field.
    pub fn field(name: &str, message: impl Into<String>) -> WorkflowError {
        let mut errors = FieldErrors::default();
        errors.add(name, message);
        WorkflowError::Invalid(errors)
    }
}

impl From<diesel::result::Error> for WorkflowError {
    fn from(e: diesel::result::Error) -> Self {
        WorkflowError::Db(DbError::Query(e))
    }
}

impl From<FieldErrors> for WorkflowError {
    fn from(errors: FieldErrors) -> Self {
        WorkflowError::Invalid(errors)
    }
}

/// The actor the rules see, or NotFound when this caller has no business with the request.
pub fn actor_for(caller: &Caller, row: &RequestRow) -> Result<Actor, WorkflowError> {
    match caller {
        Caller::Requester { token } if secrets::token_matches(token, &row.access_token_hash) => {
            Ok(Actor::Requester)
        }
        Caller::Requester { .. } => Err(WorkflowError::NotFound),
        Caller::Staff(staff) => {
            let member = staff.member();
            if member.can_see(&row.queue, row.assignee_id.map(StaffId)) {
                Ok(Actor::Staff(member))
            } else {
                Err(WorkflowError::NotFound)
            }
        }
    }
}

pub fn status_of(row: &RequestRow) -> Status {
    Status::parse(&row.status).unwrap_or(Status::Submitted)
}

pub fn facts(row: &RequestRow) -> CaseFacts {
    CaseFacts {
        status: status_of(row),
        queue: row.queue.clone(),
        assignee: row.assignee_id.map(StaffId),
        denied_by: row.denied_by.map(StaffId),
        reviewer: row.reviewer_id.map(StaffId),
        denial_final: row.denial_final != 0,
        appeal_deadline: row.appeal_deadline,
    }
}

/// Loads a request by tracking number and checks the caller may act on it.
pub fn load_for(
    conn: &mut crate::db::Conn,
    caller: &Caller,
    tracking_number: &str,
) -> Result<(RequestRow, Actor), WorkflowError> {
    let row = crate::db::requests::by_tracking_number(conn, tracking_number)?
        .ok_or(WorkflowError::NotFound)?;
    let actor = actor_for(caller, &row)?;
    Ok((row, actor))
}

/// Writes a step's changes if the request is still at the version the step read, answering
/// the updated row; refused as stale, with the version that won, when someone else changed
/// it first.
pub fn update_or_stale(
    conn: &mut Conn,
    row: &RequestRow,
    changes: &crate::db::models::RequestChanges,
    now: chrono::NaiveDateTime,
) -> Result<RequestRow, WorkflowError> {
    match crate::db::requests::update_if_version(conn, row.id, row.version, changes, now)? {
        Some(updated) => Ok(updated),
        None => Err(WorkflowError::Stale {
            given: row.version,
            current: crate::db::requests::by_id(conn, row.id)?.version,
        }),
    }
}

/// Refuses a step when the caller said which version they saw and it is no longer current.
pub fn check_version(row: &RequestRow, given: Option<i32>) -> Result<(), WorkflowError> {
    match given {
        Some(given) if given != row.version => Err(WorkflowError::Stale {
            given,
            current: row.version,
        }),
        _ => Ok(()),
    }
}
