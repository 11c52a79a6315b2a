//! After a grant: recording that the records were produced, and reopening a production that
//! turned out incomplete (docs/PRODUCT.md, "Production"). Releasing documents through the
//! service records production by itself (`documents::release`).

use chrono::NaiveDateTime;

use super::act::{multiline, parse_local_datetime};
use super::manage::record;
use super::view::Case;
use super::{check_version, facts, load_for, AppError, Caller, Conflict, Ctx};
use crate::db::models::{RequestChanges, RequestRow};
use crate::db::{self, Conn};
use crate::domain::input::{limits, Text};
use crate::domain::step::{Produced, Production, Reopened, Step};
use crate::domain::transitions::{self, may_manage};
use crate::domain::{Actor, FieldErrors};

/// Production as either face reads it.
#[derive(Debug, Clone, Default)]
pub struct RawProduction {
    pub how: Option<String>,
    pub note: Option<String>,
    pub version: Option<i32>,
}

/// Records reached the requester outside the service: on paper, or by inspection.
#[derive(Debug, Clone)]
pub struct RecordProduction {
    pub how: Production,
    pub note: Text,
    pub version: Option<i32>,
}

impl TryFrom<RawProduction> for RecordProduction {
    type Error = FieldErrors;

    fn try_from(raw: RawProduction) -> Result<RecordProduction, FieldErrors> {
        let mut errors = FieldErrors::default();
        let how = match raw.how.as_deref().map(str::trim) {
            Some("paper") => Some(Production::Paper),
            Some("inspection") => Some(Production::Inspection),
            Some("released") => {
                errors.add(
                    "how",
                    "records released through this service are recorded when you release them",
                );
                None
            }
            _ => {
                errors.add(
                    "how",
                    "say how the records were produced: paper (delivered on paper or other media) or inspection (inspected in person)",
                );
                None
            }
        };
        let note = multiline(&mut errors, "note", &raw.note, limits::DECISION);
        if note.is_none() && !errors.0.contains_key("note") {
            errors.add(
                "note",
                "say what was delivered or inspected, when, and to whom",
            );
        }
        match (how, note) {
            (Some(how), Some(note)) if errors.is_empty() => Ok(RecordProduction {
                how,
                note,
                version: raw.version,
            }),
            _ => Err(errors),
        }
    }
}

/// A reopening as either face reads it.
#[derive(Debug, Clone, Default)]
pub struct RawReopening {
    pub reason: Option<String>,
    pub records_due_at: Option<String>,
    pub version: Option<i32>,
}

/// A produced grant back to production, with why and a new estimate (local time).
#[derive(Debug, Clone)]
pub struct Reopening {
    pub reason: Text,
    pub records_due_at: NaiveDateTime,
    pub version: Option<i32>,
}

impl TryFrom<RawReopening> for Reopening {
    type Error = FieldErrors;

    fn try_from(raw: RawReopening) -> Result<Reopening, FieldErrors> {
        let mut errors = FieldErrors::default();
        let reason = multiline(&mut errors, "reason", &raw.reason, limits::DECISION);
        if reason.is_none() && !errors.0.contains_key("reason") {
            errors.add("reason", "say what was missing from the records produced");
        }
        let records_due_at = match raw
            .records_due_at
            .as_deref()
            .filter(|s| !s.trim().is_empty())
        {
            Some(raw) => errors.check("records_due_at", parse_local_datetime(raw)),
            None => {
                errors.add(
                    "records_due_at",
                    "give the date and time the rest of the records will be available",
                );
                None
            }
        };
        match (reason, records_due_at) {
            (Some(reason), Some(records_due_at)) if errors.is_empty() => Ok(Reopening {
                reason,
                records_due_at,
                version: raw.version,
            }),
            _ => Err(errors),
        }
    }
}

/// Refuses whoever is not the request's manager: its assigned clerk or steward, or an admin.
pub(super) fn check_manager(row: &RequestRow, actor: &Actor, what: &str) -> Result<(), AppError> {
    if may_manage(&facts(row), actor) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "only the assigned clerk or steward, or an admin, may {what}"
        )))
    }
}

/// What producing the records changes, and the step that says so, when `row` is a grant
/// awaiting production; `None` otherwise.
pub(super) fn produce(
    row: &RequestRow,
    how: Production,
    note: Option<String>,
    now: NaiveDateTime,
) -> Option<(RequestChanges, Step)> {
    let due = row.records_due_at?;
    if !facts(row).in_production() {
        return None;
    }
    let changes = RequestChanges {
        produced_at: Some(Some(now)),
        closed_at: Some(now),
        ..Default::default()
    };
    let step = Step::Produced(Produced {
        how,
        note,
        records_due_at: due,
        late: now > due,
    });
    Some((changes, step))
}

/// Staff record that the records were delivered on paper or inspected in person.
pub fn record_production(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    command: &RecordProduction,
) -> Result<Case, AppError> {
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    check_version(&row, command.version)?;
    check_manager(&row, &actor, "record production")?;
    if command.how == Production::Paper {
        super::fees::check_paper_paid(conn, ctx, &row)?;
    }
    let note = Some(command.note.as_str().to_string());
    let (changes, step) =
        produce(&row, command.how, note, db::now()).ok_or(Conflict::NotInProduction)?;
    record(conn, ctx, caller, &actor, &row, Some(&changes), &step)
}

/// A produced grant goes back to production: the records were incomplete.
pub fn reopen(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    command: &Reopening,
) -> Result<Case, AppError> {
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    check_version(&row, command.version)?;
    check_manager(&row, &actor, "reopen production")?;
    let produced_at = match (row.status, row.produced_at) {
        (crate::domain::Status::Granted, Some(at)) => at,
        _ => return Err(Conflict::NotProduced.into()),
    };
    let now = db::now();
    transitions::check_records_due(command.records_due_at, super::local_time(ctx, now))
        .map_err(|message| AppError::field("records_due_at", message))?;
    let records_due_at = super::utc_time(ctx, command.records_due_at);
    let changes = RequestChanges {
        produced_at: Some(None),
        records_due_at: Some(records_due_at),
        due_on: Some(command.records_due_at.date()),
        reopened: Some(row.reopened + 1),
        ..Default::default()
    };
    let step = Step::Reopened(Reopened {
        reason: command.reason.as_str().to_string(),
        records_due_at,
        produced_at,
        due_on: Some(command.records_due_at.date()),
    });
    record(conn, ctx, caller, &actor, &row, Some(&changes), &step)
}
