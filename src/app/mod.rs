//! The application boundary: what people and the background jobs can do. Both faces (the
//! JSON API and the pages), the command line and the jobs call [`App`] and nothing below it.
//! Typed commands go in (each parsed once, from the raw fields either face reads); typed read
//! models come out. Each step runs in ONE transaction: it loads the request, asks `domain`
//! whether the step is allowed, writes the change with an optimistic version check, appends
//! its [`Step`](crate::domain::step::Step) to the audit chain and queues the notices the step
//! causes. docs/PRODUCT.md says what the steps are; docs/ARCHITECTURE.md how they flow.

pub mod accounts;
pub mod act;
pub mod admin;
mod administration;
pub mod api_keys;
pub mod bulk;
pub mod complaints;
pub mod cursor;
pub mod departments;
pub mod documents;
pub mod error;
pub mod failed_notices;
pub mod fees;
pub mod file_texts;
pub mod holidays;
pub mod intake;
pub mod letters;
pub mod limits;
pub mod links;
pub mod live;
pub mod mail;
pub mod manage;
pub mod notices;
pub mod post;
pub mod production;
pub mod queue;
pub mod reading_room;
pub mod release_checks;
pub mod reminders;
pub mod reports;
pub mod requester_files;
pub mod search;
mod service;
pub mod staff;
pub mod submit;
pub mod view;

/// How staff pages and the API name a requester who gave no name.
pub const ANONYMOUS: &str = "Anonymous requester";

use chrono::{Duration, NaiveDateTime};

pub use administration::AdminLogEntry;
pub use error::{AppError, Conflict};
pub use service::App;

use crate::audit;
use crate::config::{LocalCalendarClock, OfficeSettings, Settings, SettingsError};
use crate::db::models::RequestRow;
use crate::db::Conn;
use crate::domain::access::StaffMember;
use crate::domain::exemptions::ExemptionCatalogue;
use crate::domain::{Actor, CaseFacts, DeadlinePolicy, Role, StaffId};
use crate::secrets;

/// What the operations need from the configuration.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The deadlines, and the calendar as admins last left it.
    pub live: std::sync::Arc<live::Live>,
    pub clock: LocalCalendarClock,
    pub public_url: String,
    pub mail_domain: String,
    /// The Reply-To address of each request's letters to its requester.
    pub replies: crate::notify::ReplyAddresses,
    pub office: OfficeSettings,
    pub staff_token_ttl: Duration,
    /// A staff sign-in unused this long has ended.
    pub staff_idle: Duration,
    /// How long a staff invitation's link works, and a password reset's.
    pub invitation_ttl: Duration,
    pub reset_ttl: Duration,
    /// Terms of API keys minted on grant: requests per hour, days to expiry (0: none).
    pub api_key_rate_limit: i32,
    pub api_key_days: u32,
    /// What the API gateway authenticates with; empty refuses every verification.
    pub gateway_token: crate::config::Secret,
    /// The exemptions staff cite when they withhold records.
    pub exemptions: ExemptionCatalogue,
    /// How much a requester may write on one request.
    pub message_limits: crate::domain::messages::MessageLimits,
    /// Staff hear of a requester's messages at most once in this long, one email for a burst.
    pub staff_digest: Duration,
    /// How many days back staff may date a request they record.
    pub intake_max_days_back: u32,
    /// What the mail server authenticates with to hand over received mail; empty: it cannot.
    pub ingest_token: crate::config::Secret,
    /// Transient bounces after which a requester's address is flagged.
    pub soft_bounce_limit: u32,
    /// The fee schedule and its limits (docs/PRODUCT.md, "Fees").
    pub fees: crate::domain::fees::FeeSchedule,
    /// How to pay a fee, as letters and the invoice say it.
    pub how_to_pay: String,
    /// Released this many days ago, a request is suggested for the reading room; 0: never.
    pub publish_after_days: u32,
    /// How letters are signed, sealed and sent (docs/PRODUCT.md, "Letters").
    pub letters: letters::LetterStyle,
}

impl Ctx {
    /// The deadline policy, the calendar with the admins' changes.
    pub fn policy(&self) -> std::sync::Arc<DeadlinePolicy> {
        self.live.policy()
    }

    /// Where letters are from and where replies to them go.
    pub fn addressing(&self) -> crate::notify::outbox::Addressing<'_> {
        crate::notify::outbox::Addressing {
            mail_domain: &self.mail_domain,
            replies: &self.replies,
        }
    }

    pub fn from_settings(settings: &Settings) -> Result<Ctx, SettingsError> {
        Ok(Ctx {
            live: std::sync::Arc::new(live::Live::new(settings.deadline_policy())),
            clock: LocalCalendarClock {
                tz: settings.time_zone()?,
                fixed: settings.fixed_clock,
            },
            public_url: settings.server.public_url.trim_end_matches('/').to_string(),
            mail_domain: settings.mail_domain(),
            replies: settings.reply_addresses()?,
            office: settings.office.clone(),
            staff_token_ttl: Duration::hours(settings.auth.staff_token_hours.max(1)),
            staff_idle: Duration::minutes(settings.auth.staff_idle_minutes.max(1)),
            invitation_ttl: accounts::link_lifetimes(settings).0,
            reset_ttl: accounts::link_lifetimes(settings).1,
            api_key_rate_limit: settings.catalog.api_key_rate_limit,
            api_key_days: settings.catalog.api_key_days,
            gateway_token: settings.catalog.gateway_token.clone(),
            ingest_token: settings.mail.ingest_token.clone(),
            soft_bounce_limit: settings.mail.soft_bounce_limit.max(1),
            exemptions: settings.exemption_catalogue()?,
            message_limits: crate::domain::messages::MessageLimits {
                per_hour: settings.messages.requester_per_hour.max(1),
                per_request: settings.messages.requester_per_request.max(1),
            },
            staff_digest: Duration::minutes(i64::from(settings.messages.staff_digest_minutes)),
            intake_max_days_back: settings.intake.max_days_back,
            fees: settings.fees.schedule(),
            how_to_pay: settings.fees.how_to_pay.clone(),
            publish_after_days: settings.reading_room.publish_after_days,
            letters: letters::LetterStyle::from_settings(&settings.letters)?,
        })
    }
}

/// A signed-in staff member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffAccount {
    pub id: StaffId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub department: Option<String>,
    pub title: Option<String>,
}

impl StaffAccount {
    pub fn member(&self) -> StaffMember {
        StaffMember {
            id: self.id,
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

/// The actor the rules see, or NotFound when this caller has no business with the request:
/// a requester's token must be one of the request's private links, not revoked.
pub fn actor_for(conn: &mut Conn, caller: &Caller, row: &RequestRow) -> Result<Actor, AppError> {
    match caller {
        Caller::Requester { token } => {
            if crate::db::links::opens(conn, row.id, &secrets::token_hash(token))? {
                Ok(Actor::Requester)
            } else {
                Err(AppError::NotFound)
            }
        }
        Caller::Staff(staff) => {
            let member = staff.member();
            if member.can_see(&row.queue, row.assignee_id) {
                Ok(Actor::Staff(member))
            } else {
                Err(AppError::NotFound)
            }
        }
    }
}

pub fn facts(row: &RequestRow) -> CaseFacts {
    CaseFacts {
        status: row.status,
        kind: row.kind,
        queue: row.queue.clone(),
        assignee: row.assignee_id,
        determined_by: row.determined_by,
        responsible: row.responsible_ids.0.clone(),
        reviewer: row.reviewer_id,
        partial: row.partial != 0,
        decision_final: row.decision_final != 0,
        appeal_deadline: row.appeal_deadline,
        produced: row.produced_at.is_some(),
    }
}

/// A stored time (UTC) in the city's local time.
pub fn local_time(ctx: &Ctx, at_utc: NaiveDateTime) -> NaiveDateTime {
    at_utc.and_utc().with_timezone(&ctx.clock.tz).naive_local()
}

/// A local time staff typed, as stored (UTC). A time that does not exist locally (the hour
/// skipped when clocks go forward) is read as the hour after; one that happens twice (when
/// they go back) as the first.
pub fn utc_time(ctx: &Ctx, local: NaiveDateTime) -> NaiveDateTime {
    use chrono::TimeZone;
    let tz = ctx.clock.tz;
    tz.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(local + Duration::hours(1)))
                .earliest()
        })
        .map(|at| at.naive_utc())
        .unwrap_or(local)
}

/// Loads a request by tracking number and checks the caller may act on it.
pub fn load_for(
    conn: &mut crate::db::Conn,
    caller: &Caller,
    tracking_number: &str,
) -> Result<(RequestRow, Actor), AppError> {
    let row = crate::db::requests::by_tracking_number(conn, tracking_number)?
        .ok_or(AppError::NotFound)?;
    let actor = actor_for(conn, caller, &row)?;
    Ok((row, actor))
}

/// A request a step names in one of its fields (`duplicate_of`, `follows`): one this caller
/// can see. Any other number is answered, under that field, as no request at all.
pub fn named_request(
    conn: &mut Conn,
    caller: &Caller,
    field: &str,
    tracking_number: &crate::domain::input::TrackingNumber,
) -> Result<RequestRow, AppError> {
    match load_for(conn, caller, tracking_number.as_str()) {
        Ok((row, _)) => Ok(row),
        Err(AppError::NotFound) => Err(AppError::field(
            field,
            format!("no request you can see has the number {tracking_number}"),
        )),
        Err(e) => Err(e),
    }
}

/// Writes a step's changes if the request is still at the version the step read, answering
/// the updated row; refused as stale, with the version that won, when someone else changed
/// it first.
pub fn update_or_stale(
    conn: &mut Conn,
    row: &RequestRow,
    changes: &crate::db::models::RequestChanges,
    now: chrono::NaiveDateTime,
) -> Result<RequestRow, AppError> {
    match crate::db::requests::update_if_version(conn, row.id, row.version, changes, now)? {
        Some(updated) => Ok(updated),
        None => Err(AppError::Stale {
            given: row.version,
            current: crate::db::requests::by_id(conn, row.id)?.version,
        }),
    }
}

/// Refuses a step when the caller said which version they saw and it is no longer current.
pub fn check_version(row: &RequestRow, given: Option<i32>) -> Result<(), AppError> {
    match given {
        // Versions start at 1: a smaller one is no version at all, not a stale one.
        Some(given) if given < 1 => Err(AppError::field(
            "version",
            "the version is a whole number from 1, as the request you read gave it",
        )),
        Some(given) if given != row.version => Err(AppError::Stale {
            given,
            current: row.version,
        }),
        _ => Ok(()),
    }
}
