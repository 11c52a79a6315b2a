//! Moving a request through its states: the staff transitions, the requester's appeal and
//! withdrawal. All of them go through `domain::transitions::decide`.

use chrono::NaiveDateTime;
use serde::Deserialize;

use super::view::{case_view_with, Case};
use super::{check_version, facts, load_for, update_or_stale, AppError, Caller, Ctx};
use crate::audit;
use crate::db::models::{NewDetermination, RequestChanges, StaffIds};
use crate::db::{self, requests, staff as staff_db, Conn};
use crate::domain::exemptions::{self, parse_withheld, ExemptionCatalogue, RawWithheld};
use crate::domain::input::{limits, Email, Responsible, Text, TrackingNumber};
use crate::domain::step::{Moved, Step};
use crate::domain::transitions::{self, ReviewOutcome, Stage, TransitionInput};
use crate::domain::{Actor, FieldErrors, Status};

/// A person responsible for withholding, as typed (Gov. Code §7922.540(b)): a staff
/// account's email, whose name and title are on file, or a name and title typed out for
/// someone without an account.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawResponsible {
    pub staff: Option<String>,
    pub name: Option<String>,
    pub title: Option<String>,
}

/// A move as either face reads it, before any checking.
#[derive(Debug, Clone, Default)]
pub struct RawTransition {
    pub to: Option<String>,
    pub version: Option<i32>,
    pub decision: Option<String>,
    pub reason: Option<String>,
    pub partial: Option<bool>,
    pub withheld: Option<Vec<RawWithheld>>,
    /// No longer read: each withheld item names its exemption. Sent, it is refused with a
    /// message that says so.
    pub legal_basis: Option<Vec<String>>,
    pub responsible: Option<Vec<RawResponsible>>,
    pub segregability: Option<String>,
    pub search: Option<String>,
    pub records_due_at: Option<String>,
    pub grounds: Option<String>,
    pub note: Option<String>,
    /// Closing as a duplicate: the tracking number of the request repeated.
    pub duplicate_of: Option<String>,
    /// A complaint referred: the agency that handles it.
    pub referred_to: Option<String>,
}

/// A person named responsible, before their account is looked up.
#[derive(Debug, Clone)]
pub enum Named {
    /// A staff account, by email; a title typed here overrides the one on file.
    Staff { email: Email, title: Option<Text> },
    /// Someone without an account, such as outside counsel.
    Person(Responsible),
}

/// A move to another state, with what it carries and the version it was decided on.
#[derive(Debug, Clone)]
pub struct Transition {
    pub to: Status,
    /// The version of the request the caller acted on; without it, the latest.
    pub version: Option<i32>,
    pub input: TransitionInput,
    /// The persons responsible, resolved to `input.responsible` when the move is made.
    pub responsible: Vec<Named>,
}

/// Optional multi-line text: blank is absent, anything else must be good text.
pub(super) fn multiline(
    errors: &mut FieldErrors,
    field: &str,
    raw: &Option<String>,
    max: usize,
) -> Option<Text> {
    raw.as_deref()
        .filter(|s| !s.trim().is_empty())
        .and_then(|s| errors.check(field, Text::multiline(s, max)))
}

/// An optional tracking number another field names, exactly as written (the pages trim what a
/// person typed): blank is absent, anything else must be one.
pub(super) fn tracking_number(
    errors: &mut FieldErrors,
    field: &str,
    raw: &Option<String>,
) -> Option<TrackingNumber> {
    raw.as_deref()
        .filter(|s| !s.trim().is_empty())
        .and_then(|s| {
            errors.check(
                field,
                TrackingNumber::parse(s)
                    .ok_or_else(|| "give a tracking number like RR-2026-00042".to_string()),
            )
        })
}

/// A date and time in the city's local time, as a form's `datetime-local` field or a client
/// writes it: `2026-03-20T16:00`, with or without seconds.
pub fn parse_local_datetime(raw: &str) -> Result<NaiveDateTime, String> {
    let raw = raw.trim();
    [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(raw, format).ok())
    .ok_or_else(|| {
        // Written as a date and time, but not one the calendar has (February 30).
        if looks_like_local_datetime(raw) {
            "there is no such date and time on the calendar".into()
        } else {
            "give a date and time in the city's local time, like 2026-03-20T16:00".into()
        }
    })
}

/// Whether `raw` has the shape the API's schema admits as a local date and time
/// (`web::api::fields`): months 01–12, days 01–31, hours 00–23, minutes and seconds 00–59,
/// without how many days each month has.
fn looks_like_local_datetime(raw: &str) -> bool {
    let b = raw.as_bytes();
    let num = |from: usize, to: usize| -> Option<u32> {
        raw.get(from..to)
            .filter(|s| s.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|s| s.parse().ok())
    };
    let in_range = |from, to, low, high| num(from, to).is_some_and(|n| (low..=high).contains(&n));
    (b.len() == 16 || (b.len() == 19 && b[16] == b':' && in_range(17, 19, 0, 59)))
        && num(0, 4).is_some()
        && b[4] == b'-'
        && in_range(5, 7, 1, 12)
        && b[7] == b'-'
        && in_range(8, 10, 1, 31)
        && matches!(b[10], b'T' | b' ')
        && in_range(11, 13, 0, 23)
        && b[13] == b':'
        && in_range(14, 16, 0, 59)
}

fn named(errors: &mut FieldErrors, i: usize, raw: &RawResponsible) -> Option<Named> {
    let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
    let field = format!("responsible[{i}]");
    if !blank(&raw.staff) {
        let email = errors.check(
            &format!("{field}.staff"),
            Email::parse(raw.staff.as_deref().unwrap_or("")),
        )?;
        let title = raw
            .title
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .and_then(|t| errors.check(&format!("{field}.title"), Text::line(t, limits::NAME)));
        return Some(Named::Staff { email, title });
    }
    let parsed = Responsible::parse(
        raw.name.as_deref().unwrap_or(""),
        raw.title.as_deref().unwrap_or(""),
    );
    errors.check(&field, parsed).map(Named::Person)
}

impl RawTransition {
    /// What the move carries, checked against the city's exemptions; whether it carries
    /// enough for its target is the domain's business.
    pub fn check(self, exemptions: &ExemptionCatalogue) -> Result<Transition, FieldErrors> {
        let mut errors = FieldErrors::default();
        let to = match self.to.as_deref() {
            None => {
                errors.add("to", "name the state to move to");
                None
            }
            Some(name) => errors.check(
                "to",
                Status::parse(name).ok_or_else(|| format!("unknown state {name:?}")),
            ),
        };
        if self.version.is_none() {
            errors.add(
                "version",
                "send the version of the request you are acting on",
            );
        }
        if self
            .legal_basis
            .as_ref()
            .is_some_and(|list| !list.is_empty())
        {
            errors.add(
                "legal_basis",
                "give each withheld item's exemption in withheld[] instead of a separate legal basis",
            );
        }
        let withheld = self
            .withheld
            .iter()
            .flatten()
            .enumerate()
            .filter_map(|(i, raw)| parse_withheld(exemptions, raw, i, &mut errors))
            .collect();
        let responsible = self
            .responsible
            .iter()
            .flatten()
            .enumerate()
            .filter_map(|(i, raw)| named(&mut errors, i, raw))
            .collect();
        let records_due_at = self
            .records_due_at
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .and_then(|s| errors.check("records_due_at", parse_local_datetime(s)));
        let input = TransitionInput {
            decision: multiline(&mut errors, "decision", &self.decision, limits::DECISION),
            partial: self.partial.unwrap_or(false),
            withheld,
            responsible: vec![],
            reason: multiline(&mut errors, "reason", &self.reason, limits::DECISION),
            segregability: multiline(
                &mut errors,
                "segregability",
                &self.segregability,
                limits::DECISION,
            ),
            search: multiline(&mut errors, "search", &self.search, limits::DECISION),
            records_due_at,
            grounds: multiline(&mut errors, "grounds", &self.grounds, limits::DECISION),
            note: multiline(&mut errors, "note", &self.note, limits::DECISION),
            duplicate_of: tracking_number(&mut errors, "duplicate_of", &self.duplicate_of),
            referred_to: self
                .referred_to
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .and_then(|s| errors.check("referred_to", Text::line(s, limits::AGENCY))),
        };
        match to {
            Some(to) if errors.is_empty() => Ok(Transition {
                to,
                version: self.version,
                input,
                responsible,
            }),
            _ => Err(errors),
        }
    }
}

/// The requester's appeal of a decision, as typed.
#[derive(Debug, Clone, Default)]
pub struct RawAppeal {
    pub grounds: Option<String>,
    pub version: Option<i32>,
}

impl TryFrom<RawAppeal> for Transition {
    type Error = FieldErrors;

    fn try_from(raw: RawAppeal) -> Result<Transition, FieldErrors> {
        let mut errors = FieldErrors::default();
        let grounds = multiline(&mut errors, "grounds", &raw.grounds, limits::DECISION);
        errors.into_result()?;
        Ok(Transition {
            to: Status::Appealed,
            version: raw.version,
            input: TransitionInput {
                grounds,
                ..Default::default()
            },
            responsible: vec![],
        })
    }
}

/// A withdrawal, as typed: the requester's, or staff's on the requester's behalf (with a note
/// of how the requester asked).
#[derive(Debug, Clone, Default)]
pub struct RawWithdrawal {
    pub reason: Option<String>,
    pub note: Option<String>,
    pub version: Option<i32>,
}

impl TryFrom<RawWithdrawal> for Transition {
    type Error = FieldErrors;

    fn try_from(raw: RawWithdrawal) -> Result<Transition, FieldErrors> {
        let mut errors = FieldErrors::default();
        let reason = multiline(&mut errors, "reason", &raw.reason, limits::DECISION);
        let note = multiline(&mut errors, "note", &raw.note, limits::DECISION);
        errors.into_result()?;
        Ok(Transition {
            to: Status::Withdrawn,
            version: raw.version,
            input: TransitionInput {
                reason,
                note,
                ..Default::default()
            },
            responsible: vec![],
        })
    }
}

/// Looks up the persons responsible who have staff accounts: their names and titles come
/// from the account, and they are kept by id so they cannot review the appeal.
fn resolve_responsible(conn: &mut Conn, named: &[Named]) -> Result<Vec<Responsible>, AppError> {
    let mut errors = FieldErrors::default();
    let mut people = Vec::with_capacity(named.len());
    let typed_names = named.iter().any(|n| matches!(n, Named::Person(_)));
    let directory = if typed_names {
        staff_db::active(conn)?
    } else {
        vec![]
    };
    for (i, person) in named.iter().enumerate() {
        match person {
            // Staff are named by their account, so that the service knows them: typed out,
            // they could go on to review the appeal of their own decision.
            Named::Person(person)
                if directory
                    .iter()
                    .any(|s| s.name.trim().eq_ignore_ascii_case(person.name.trim())) =>
            {
                errors.add(
                    format!("responsible[{i}]"),
                    format!(
                        "{} has a staff account: choose them from the staff instead of typing the name",
                        person.name
                    ),
                )
            }
            Named::Person(person) => people.push(person.clone()),
            Named::Staff { email, title } => {
                let account = staff_db::by_email(conn, &email.as_str().to_lowercase())?
                    .filter(|s| s.active != 0);
                let Some(account) = account else {
                    errors.add(
                        format!("responsible[{i}].staff"),
                        "no active staff account has this email",
                    );
                    continue;
                };
                let title = title
                    .as_ref()
                    .map(|t| t.as_str().to_string())
                    .or(account.title.clone());
                match title {
                    Some(title) => people.push(Responsible {
                        name: account.name,
                        title,
                        staff_id: Some(account.id),
                    }),
                    None => errors.add(
                        format!("responsible[{i}].title"),
                        format!("{} has no title on file; type their title", account.name),
                    ),
                }
            }
        }
    }
    errors.into_result()?;
    Ok(people)
}

/// The determination a review decides about: the last one made before the appeal.
fn appealed_determination(
    conn: &mut Conn,
    request_id: crate::domain::ids::RequestId,
) -> Result<(Status, bool), AppError> {
    let standing = requests::determinations_for(conn, request_id)?
        .into_iter()
        .next_back()
        .ok_or_else(|| AppError::Internal("an appeal without a determination".into()))?;
    Ok((standing.outcome, standing.partial != 0))
}

/// The request a repeat is closed into: one the caller can see, not the repeat itself, and
/// not itself a repeat (the requester is sent to where the work happens, in one hop).
fn repeated_request(
    conn: &mut Conn,
    caller: &Caller,
    repeat: &crate::db::models::RequestRow,
    original: &TrackingNumber,
) -> Result<crate::db::models::RequestRow, AppError> {
    let refuse = |message: String| AppError::field("duplicate_of", message);
    let found = super::named_request(conn, caller, "duplicate_of", original)?;
    if found.id == repeat.id {
        return Err(refuse(
            "a request cannot repeat itself: give the number of the earlier request".into(),
        ));
    }
    if let Some(earlier) = found.duplicate_of {
        return Err(refuse(format!(
            "{original} is itself closed as a repeat of {earlier}: give that number"
        )));
    }
    Ok(found)
}

/// Moves the request, if the rules allow this caller to, in the caller's transaction.
pub fn transition(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    command: &Transition,
) -> Result<Case, AppError> {
    let to = command.to;
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    check_version(&row, command.version)?;
    let now = db::now();
    let today = ctx.clock.date_of(now);
    let case = facts(&row);
    // Who may move it, first: what the move carries is looked up only for them.
    transitions::authorize(&case, &actor, to, today)?;
    let mut input = command.input.clone();
    input
        .responsible
        .extend(resolve_responsible(conn, &command.responsible)?);
    if let (Status::Granted, Some(at)) = (to, input.records_due_at) {
        transitions::check_records_due(at, super::local_time(ctx, now))
            .map_err(|message| AppError::field("records_due_at", message))?;
    }
    let outcome = transitions::decide(&case, &actor, to, &input, today, &ctx.policy())?;
    let repeated = match (to, &input.duplicate_of) {
        (Status::Duplicate, Some(original)) => {
            Some(repeated_request(conn, caller, &row, original)?)
        }
        _ => None,
    };
    let review = match outcome.determination {
        Some(Stage::Review) => Some(ReviewOutcome::of(
            appealed_determination(conn, row.id)?,
            (to, outcome.partial),
        )),
        _ => None,
    };
    let records_due_at = match (to, input.records_due_at) {
        (Status::Granted, Some(local)) => Some(super::utc_time(ctx, local)),
        // The key is offered now: that is when the records are available.
        (Status::Granted, None) if outcome.produced_now => Some(now),
        _ => None,
    };
    // Kept as it was: the grant in part upheld, its records' date and production with it.
    let kept = outcome.keeps_production;
    let due_on = match (kept, row.records_due_at) {
        (true, Some(due)) if row.produced_at.is_none() => Some(super::local_time(ctx, due).date()),
        _ => outcome.due_on,
    };

    let text = |t: &Option<Text>| t.as_ref().map(|t| t.as_str().to_string());
    let decided = outcome.determination.is_some();
    // Persons responsible answer for withholding: a grant in part or a denial.
    let withholds = decided && (to == Status::Denied || outcome.partial);
    if !withholds {
        input.responsible.clear();
    }
    let responsible_ids = StaffIds(
        input
            .responsible
            .iter()
            .filter_map(|r| r.staff_id)
            .collect(),
    );
    let changes = RequestChanges {
        status: Some(to),
        assignee_id: outcome.claim,
        reviewer_id: outcome.reviewer,
        determined_by: outcome.determined_by,
        decision_final: outcome.decision_final.then_some(1),
        appeal_deadline: outcome.appeal_deadline,
        due_on,
        // A grant stays open until its records are produced.
        closed_at: (!to.is_open() && (to != Status::Granted || outcome.produced_now))
            .then_some(now),
        appeal_grounds: text(&input.grounds).filter(|_| to == Status::Appealed),
        appealed_at: (to == Status::Appealed).then_some(now),
        withdraw_reason: text(&input.reason).filter(|_| to == Status::Withdrawn),
        partial: decided.then_some(i32::from(outcome.partial)),
        responsible_ids: decided.then_some(responsible_ids),
        records_due_at,
        produced_at: (to == Status::Granted && !kept)
            .then_some(outcome.produced_now.then_some(now)),
        due_reckoning: outcome
            .reckoning
            .clone()
            .map(|reckoning| row.due_reckoning.with(reckoning)),
        duplicate_of: repeated
            .as_ref()
            .map(|original| original.tracking_number.clone()),
        referred_to: text(&input.referred_to).filter(|_| to == Status::Referred),
        closing_note: transitions::closing_note(
            to,
            input.decision.as_ref().map(Text::as_str),
            input.reason.as_ref().map(Text::as_str),
        )
        .map(str::to_string),
        ..Default::default()
    };
    let mut updated = update_or_stale(conn, &row, &changes, now)?;
    // A decision or a withdrawal ends any wait on the requester: the move is the City's no more.
    if updated.awaiting_requester_since.is_some() && !to.awaits_determination() {
        crate::db::requests::set_awaiting_requester(conn, row.id, None)?;
        updated.awaiting_requester_since = None;
    }

    let withheld = if decided {
        input.withheld.clone()
    } else {
        vec![]
    };
    let legal_basis = exemptions::citations(&withheld);
    if let (Some(stage), Actor::Staff(staff)) = (outcome.determination, &actor) {
        requests::insert_determination(
            conn,
            &NewDetermination {
                request_id: row.id,
                stage,
                outcome: to,
                decision: input.decision.as_ref().map(Text::as_str),
                reason: input.reason.as_ref().map(Text::as_str),
                partial: i32::from(outcome.partial),
                withheld: None,
                legal_basis: &serde_json::to_string(&legal_basis).expect("strings serialise"),
                responsible: &serde_json::to_string(&input.responsible).expect("names serialise"),
                decided_by: staff.id,
                decided_at: now,
                withheld_items: &serde_json::to_string(&withheld).expect("items serialise"),
                segregability: input.segregability.as_ref().map(Text::as_str),
                search: input.search.as_ref().map(Text::as_str),
                records_due_at,
                review,
            },
        )?;
    }

    let api_key_offered =
        to == Status::Granted && super::api_keys::offer_on_grant(conn, ctx, &row, now)?;
    let on_decision = |t: &Option<Text>| text(t).filter(|_| decided);
    let step = Step::Transition(Moved {
        from: outcome.from,
        to,
        decision: text(&input.decision),
        reason: text(&input.reason),
        partial: outcome.partial,
        withheld: None,
        legal_basis,
        responsible: input.responsible.clone(),
        grounds: text(&input.grounds),
        appeal_deadline: outcome.appeal_deadline,
        is_final: outcome.decision_final,
        due_on,
        assignee_claimed: outcome.claim.is_some(),
        api_key_offered,
        withholdings: withheld,
        segregability: on_decision(&input.segregability).filter(|_| to == Status::Denied),
        search: on_decision(&input.search).filter(|_| to == Status::NoRecords),
        records_due_at,
        review,
        on_behalf: text(&input.note).filter(|_| outcome.on_behalf),
        reckoning: outcome.reckoning,
        duplicate_of: repeated.map(|original| original.tracking_number),
        referred_to: text(&input.referred_to).filter(|_| to == Status::Referred),
    });
    // The UPDATE above holds the request: its head is the chain's.
    let mut chain = audit::OpenChain::of_updated(&updated);
    chain.append(now, &caller.audit_actor(), &step);
    // Read once: the notices go to them, and the answer shows them.
    let requester = requests::requester(conn, row.requester_id)?;
    super::notices::queue_to(conn, ctx, &mut chain, &updated, &requester, &step, now)?;
    chain.close(conn)?;
    log::info!("{} moved {} → {}", row.tracking_number, outcome.from, to);
    case_view_with(conn, ctx, caller, &actor, &updated, requester)
}
