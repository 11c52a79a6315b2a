//! Fees on a granted request (docs/PRODUCT.md, "Fees"): staff estimate the fee for its copies
//! from the schedule, the requester accepts or declines, staff record payments, waivers and
//! refunds. Each is a step of the request (its own audit event and notices) and moves the
//! request's version, so two payments sent on the same version cannot both be taken.

use super::act::multiline;
use super::manage::record;
use super::production::check_manager;
use super::view::Case;
use super::{check_version, facts, load_for, AppError, Caller, Conflict, Ctx};
use crate::db::fees::{self as fee_db, NewEntry, NewEstimate};
use crate::db::models::{RequestChanges, RequestRow};
use crate::db::{self, Conn};
use crate::domain::fees::{self, Cents, EntryKind, EstimateStatus, Method, RawLine};
use crate::domain::input::{limits, Text};
use crate::domain::step::{FeeAnswered, FeeEstimated, FeeRecorded, Step};
use crate::domain::{Actor, FieldErrors, Status};

/// An estimate as either face reads it.
#[derive(Debug, Clone, Default)]
pub struct RawEstimate {
    pub lines: Vec<RawLine>,
    pub note: Option<String>,
    pub version: Option<i32>,
}

/// An estimate to make; its lines are priced in the step, against the schedule in force.
#[derive(Debug, Clone)]
pub struct MakeEstimate {
    pub lines: Vec<RawLine>,
    pub note: Option<Text>,
    pub version: Option<i32>,
}

impl TryFrom<RawEstimate> for MakeEstimate {
    type Error = FieldErrors;

    fn try_from(raw: RawEstimate) -> Result<MakeEstimate, FieldErrors> {
        let mut errors = FieldErrors::default();
        let note = multiline(&mut errors, "note", &raw.note, limits::FIELD_TEXT);
        if raw.lines.is_empty() {
            errors.add("lines", "give at least one line: what is charged for");
        }
        errors.into_result().map(|()| MakeEstimate {
            lines: raw.lines,
            note,
            version: raw.version,
        })
    }
}

/// The requester's answer as either face reads it.
#[derive(Debug, Clone, Default)]
pub struct RawAnswer {
    pub answer: Option<String>,
    pub version: Option<i32>,
}

#[derive(Debug, Clone)]
pub struct AnswerEstimate {
    pub accept: bool,
    pub version: Option<i32>,
}

impl TryFrom<RawAnswer> for AnswerEstimate {
    type Error = FieldErrors;

    fn try_from(raw: RawAnswer) -> Result<AnswerEstimate, FieldErrors> {
        let accept = match raw.answer.as_deref() {
            Some("accept") => true,
            Some("decline") => false,
            _ => {
                let mut errors = FieldErrors::default();
                errors.add(
                    "answer",
                    "say whether you accept the estimate (accept) or decline it (decline)",
                );
                return Err(errors);
            }
        };
        Ok(AnswerEstimate {
            accept,
            version: raw.version,
        })
    }
}

/// A payment, waiver or refund as either face reads it. The amount comes as cents from the
/// API and as dollars from a form; one of them.
#[derive(Debug, Clone, Default)]
pub struct RawEntry {
    pub amount_cents: Option<i64>,
    pub amount: Option<String>,
    pub method: Option<String>,
    pub reference: Option<String>,
    pub reason: Option<String>,
    pub version: Option<i32>,
}

/// Money to record on the estimate in force.
#[derive(Debug, Clone)]
pub struct RecordEntry {
    pub kind: EntryKind,
    pub amount: Cents,
    pub method: Option<Method>,
    pub reference: Option<Text>,
    pub reason: Option<Text>,
    pub version: Option<i32>,
}

impl RecordEntry {
    /// Reads an entry of `kind`: a payment needs how it was paid (and, by check or card, its
    /// reference); a waiver and a refund need their reason.
    pub fn parse(kind: EntryKind, raw: RawEntry) -> Result<RecordEntry, FieldErrors> {
        let mut errors = FieldErrors::default();
        let (field, amount) = match (raw.amount_cents, raw.amount.as_deref()) {
            (Some(cents), _) => ("amount_cents", Some(Cents(cents))),
            (None, Some(dollars)) => (
                "amount",
                errors.check("amount", Cents::parse_dollars(dollars)),
            ),
            (None, None) => {
                errors.add("amount_cents", "give the amount, in cents");
                ("amount_cents", None)
            }
        };
        if amount.is_some_and(|a| !a.is_positive()) {
            errors.add(field, "give an amount of more than zero");
        }
        let method = match raw
            .method
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty())
        {
            Some(m) => match Method::parse(m) {
                Some(method) => Some(method),
                None => {
                    errors.add("method", "say cash, check or card");
                    None
                }
            },
            None => None,
        };
        let reference = match raw.reference.as_deref().filter(|r| !r.trim().is_empty()) {
            Some(r) => errors.check("reference", Text::line(r, limits::NAME)),
            None => None,
        };
        let reason = multiline(&mut errors, "reason", &raw.reason, limits::FIELD_TEXT);
        match kind {
            EntryKind::Payment => {
                if method.is_none() && !errors.0.contains_key("method") {
                    errors.add("method", "say how it was paid: cash, check or card");
                }
                if matches!(method, Some(Method::Check | Method::Card)) && reference.is_none() {
                    errors.add(
                        "reference",
                        "give the check number or the card payment's reference",
                    );
                }
            }
            EntryKind::Waiver | EntryKind::Refund => {
                if reason.is_none() && !errors.0.contains_key("reason") {
                    errors.add(
                        "reason",
                        match kind {
                            EntryKind::Waiver => {
                                "say why the fee is waived: the requester reads it"
                            }
                            _ => "say why the money is refunded: the requester reads it",
                        },
                    );
                }
            }
        }
        match amount {
            Some(amount) if errors.is_empty() => Ok(RecordEntry {
                kind,
                amount,
                method,
                reference,
                reason,
                version: raw.version,
            }),
            _ => Err(errors),
        }
    }
}

/// The request's status in words, for a 409 that names it.
fn standing(row: &RequestRow) -> String {
    if row.status == Status::Granted {
        "granted, and its records were already produced".into()
    } else {
        row.status.as_str().replace('_', " ")
    }
}

/// Moves the request's version before a fee step writes anything: the row's lock orders the
/// step with every other on the request (two estimates at once would otherwise both number
/// themselves 1), and a step on a stale version stops here.
fn take_version(conn: &mut Conn, row: &RequestRow) -> Result<RequestRow, AppError> {
    super::update_or_stale(conn, row, &RequestChanges::default(), db::now())
}

/// Staff estimate the fee for a grant's copies. A new estimate replaces the one in force,
/// unless money was paid on it.
pub fn estimate(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    command: &MakeEstimate,
) -> Result<Case, AppError> {
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    check_version(&row, command.version)?;
    check_manager(&row, &actor, "estimate fees")?;
    if !facts(&row).in_production() {
        return Err(Conflict::NoFeeHere(standing(&row)).into());
    }
    let priced = fees::price(&ctx.fees, &command.lines).map_err(AppError::Invalid)?;
    let row = take_version(conn, &row)?;
    let existing = fee_db::for_request(conn, row.id)?;
    if let (Some(current), Some(account)) = (existing.current(), existing.account()) {
        if account.net_paid().is_positive() {
            return Err(Conflict::FeePaid.into());
        }
        fee_db::set_status(
            conn,
            current.id,
            EstimateStatus::Replaced,
            current.answered_at,
        )?;
    }
    let number = existing.estimates.last().map_or(1, |e| e.number + 1);
    let waived = fees::waived_on_estimate(&ctx.fees, priced.total);
    let now = db::now();
    let staff = caller
        .staff()
        .ok_or_else(|| AppError::Forbidden("staff estimate fees".into()))?;
    let estimate_id = fee_db::insert_estimate(
        conn,
        &NewEstimate {
            request_id: row.id,
            number,
            status: if waived {
                EstimateStatus::Waived
            } else {
                EstimateStatus::Awaiting
            },
            lines: &priced.lines,
            total: priced.total,
            note: command.note.as_ref().map(Text::as_str),
            issued_by: staff.id,
            issued_at: now,
        },
    )?;
    if waived && priced.total.is_positive() {
        fee_db::insert_entry(
            conn,
            &NewEntry {
                request_id: row.id,
                estimate_id,
                kind: EntryKind::Waiver,
                amount: priced.total,
                method: None,
                reference: None,
                reason: Some("Under the amount the City charges: waived by its fee schedule"),
                recorded_by: None,
                recorded_at: now,
            },
        )?;
    }
    let how_to_pay = Some(ctx.how_to_pay.trim())
        .filter(|h| !waived && !h.is_empty())
        .map(str::to_string);
    let step = Step::FeeEstimated(FeeEstimated {
        number,
        lines: priced.lines,
        total: priced.total,
        note: command.note.as_ref().map(|n| n.as_str().to_string()),
        waived,
        how_to_pay,
    });
    record(conn, ctx, caller, &actor, &row, None, &step)
}

/// The requester accepts or declines the estimate in force.
pub fn answer(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    command: &AnswerEstimate,
) -> Result<Case, AppError> {
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    check_version(&row, command.version)?;
    if actor != Actor::Requester {
        return Err(AppError::Forbidden(
            "the requester accepts or declines a fee estimate, at their private link".into(),
        ));
    }
    if row.status != Status::Granted {
        return Err(Conflict::NoFeeHere(standing(&row)).into());
    }
    let row = take_version(conn, &row)?;
    let existing = fee_db::for_request(conn, row.id)?;
    let current = existing.current().ok_or(Conflict::NoFeeEstimate)?;
    if current.status != EstimateStatus::Awaiting {
        return Err(Conflict::FeeAnswered(current.status).into());
    }
    let status = if command.accept {
        EstimateStatus::Accepted
    } else {
        EstimateStatus::Declined
    };
    fee_db::set_status(conn, current.id, status, Some(db::now()))?;
    let step = Step::FeeAnswered(FeeAnswered {
        number: current.number,
        accepted: command.accept,
        total: current.total,
    });
    record(conn, ctx, caller, &actor, &row, None, &step)
}

/// Staff record a payment, a waiver or a refund on the estimate in force.
pub fn record_entry(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    command: &RecordEntry,
) -> Result<Case, AppError> {
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    check_version(&row, command.version)?;
    check_manager(
        &row,
        &actor,
        match command.kind {
            EntryKind::Payment => "record a payment",
            EntryKind::Waiver => "waive a fee",
            EntryKind::Refund => "record a refund",
        },
    )?;
    if row.status != Status::Granted {
        return Err(Conflict::NoFeeHere(standing(&row)).into());
    }
    let row = take_version(conn, &row)?;
    let existing = fee_db::for_request(conn, row.id)?;
    let (current, account) = match (existing.current(), existing.account()) {
        (Some(current), Some(account)) => (current, account),
        _ => return Err(Conflict::NoFeeEstimate.into()),
    };
    match (command.kind, current.status) {
        (EntryKind::Payment, EstimateStatus::Accepted) => {}
        (EntryKind::Payment, status) => return Err(Conflict::FeeNotAccepted(status).into()),
        (EntryKind::Waiver, EstimateStatus::Declined) => {
            return Err(Conflict::FeeNotAccepted(EstimateStatus::Declined).into())
        }
        _ => {}
    }
    let field = "amount_cents";
    let next = account
        .apply(command.kind, command.amount, ctx.fees.max)
        .map_err(|e| AppError::field(field, e.to_string()))?;
    let now = db::now();
    let staff = caller
        .staff()
        .ok_or_else(|| AppError::Forbidden("staff record fees".into()))?;
    let entry = fee_db::insert_entry(
        conn,
        &NewEntry {
            request_id: row.id,
            estimate_id: current.id,
            kind: command.kind,
            amount: command.amount,
            method: command.method,
            reference: command.reference.as_ref().map(Text::as_str),
            reason: command.reason.as_ref().map(Text::as_str),
            recorded_by: Some(staff.id),
            recorded_at: now,
        },
    )?;
    // Waived down to nothing before the requester answered: there is nothing to accept.
    if command.kind == EntryKind::Waiver
        && current.status == EstimateStatus::Awaiting
        && !next.balance().is_positive()
    {
        fee_db::set_status(conn, current.id, EstimateStatus::Waived, None)?;
    }
    let step = Step::FeeRecorded(FeeRecorded {
        number: current.number,
        kind: command.kind,
        amount: command.amount,
        method: command.method,
        reference: command.reference.as_ref().map(|r| r.as_str().to_string()),
        reason: command.reason.as_ref().map(|r| r.as_str().to_string()),
        balance: next.balance(),
        entry,
    });
    record(conn, ctx, caller, &actor, &row, None, &step)
}

/// Refuses paper copies while their fee is owed, where the schedule says they wait.
pub(super) fn check_paper_paid(
    conn: &mut Conn,
    ctx: &Ctx,
    row: &RequestRow,
) -> Result<(), AppError> {
    let existing = fee_db::for_request(conn, row.id)?;
    if let (Some(current), Some(account)) = (existing.current(), existing.account()) {
        if fees::paper_waits(&ctx.fees, current.status, &account) {
            return Err(Conflict::FeeUnpaid(account.balance()).into());
        }
    }
    Ok(())
}
