//! Moving a request through its states: the staff transitions, the requester's appeal and
//! withdrawal. All of them go through `domain::transitions::decide`.

use serde::Deserialize;

use super::view::{case_view, Case};
use super::{check_version, facts, load_for, update_or_stale, AppError, Caller, Ctx};
use crate::audit;
use crate::db::models::{NewDetermination, RequestChanges};
use crate::db::{self, requests, Conn};
use crate::domain::input::{limits, parse_citation, Responsible, Text};
use crate::domain::step::{Moved, Step};
use crate::domain::transitions::{self, TransitionInput};
use crate::domain::{Actor, FieldErrors, Status};

/// A person responsible for a determination, as typed (Gov. Code §7922.540).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawResponsible {
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
    pub withheld: Option<String>,
    pub legal_basis: Option<Vec<String>>,
    pub responsible: Option<Vec<RawResponsible>>,
    pub grounds: Option<String>,
}

/// A move to another state, with what it carries and the version it was decided on.
#[derive(Debug, Clone)]
pub struct Transition {
    pub to: Status,
    /// The version of the request the caller acted on; without it, the latest.
    pub version: Option<i32>,
    pub input: TransitionInput,
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

impl RawTransition {
    /// What the move carries; whether it carries enough is the domain's business.
    fn input(&self, errors: &mut FieldErrors) -> TransitionInput {
        let legal_basis = self
            .legal_basis
            .iter()
            .flatten()
            .enumerate()
            .filter_map(|(i, c)| errors.check(&format!("legal_basis[{i}]"), parse_citation(c)))
            .collect();
        let responsible = self
            .responsible
            .iter()
            .flatten()
            .enumerate()
            .filter_map(|(i, r)| {
                let parsed = Responsible::parse(
                    r.name.as_deref().unwrap_or(""),
                    r.title.as_deref().unwrap_or(""),
                );
                errors.check(&format!("responsible[{i}]"), parsed)
            })
            .collect();
        TransitionInput {
            decision: multiline(errors, "decision", &self.decision, limits::DECISION),
            partial: self.partial.unwrap_or(false),
            withheld: multiline(errors, "withheld", &self.withheld, limits::DECISION),
            legal_basis,
            responsible,
            reason: multiline(errors, "reason", &self.reason, limits::DECISION),
            grounds: multiline(errors, "grounds", &self.grounds, limits::DECISION),
        }
    }
}

impl TryFrom<RawTransition> for Transition {
    type Error = FieldErrors;

    /// A staff move names its target and the version it was decided on.
    fn try_from(raw: RawTransition) -> Result<Transition, FieldErrors> {
        let mut errors = FieldErrors::default();
        let to = match raw.to.as_deref() {
            None => {
                errors.add("to", "name the state to move to");
                None
            }
            Some(name) => errors.check(
                "to",
                Status::parse(name).ok_or_else(|| format!("unknown state {name:?}")),
            ),
        };
        if raw.version.is_none() {
            errors.add(
                "version",
                "send the version of the request you are acting on",
            );
        }
        let input = raw.input(&mut errors);
        match to {
            Some(to) if errors.is_empty() => Ok(Transition {
                to,
                version: raw.version,
                input,
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
        })
    }
}

/// The requester's withdrawal, as typed.
#[derive(Debug, Clone, Default)]
pub struct RawWithdrawal {
    pub reason: Option<String>,
    pub version: Option<i32>,
}

impl TryFrom<RawWithdrawal> for Transition {
    type Error = FieldErrors;

    fn try_from(raw: RawWithdrawal) -> Result<Transition, FieldErrors> {
        let mut errors = FieldErrors::default();
        let reason = multiline(&mut errors, "reason", &raw.reason, limits::DECISION);
        errors.into_result()?;
        Ok(Transition {
            to: Status::Withdrawn,
            version: raw.version,
            input: TransitionInput {
                reason,
                ..Default::default()
            },
        })
    }
}

/// Moves the request, if the rules allow this caller to, in the caller's transaction.
pub fn transition(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    command: &Transition,
) -> Result<Case, AppError> {
    let Transition { to, version, input } = command;
    let to = *to;
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    check_version(&row, *version)?;
    let now = db::now();
    let today = ctx.clock.date_of(now);
    let outcome = transitions::decide(&facts(&row), &actor, to, input, today, &ctx.policy)?;

    let text = |t: &Option<Text>| t.as_ref().map(|t| t.as_str().to_string());
    let changes = RequestChanges {
        status: Some(to),
        assignee_id: outcome.claim,
        reviewer_id: outcome.reviewer,
        denied_by: outcome.denied_by,
        denial_final: outcome.denial_final.then_some(1),
        appeal_deadline: outcome.appeal_deadline,
        due_on: outcome.due_on,
        closed_at: (!to.is_open()).then_some(now),
        appeal_grounds: text(&input.grounds).filter(|_| to == Status::Appealed),
        appealed_at: (to == Status::Appealed).then_some(now),
        withdraw_reason: text(&input.reason).filter(|_| to == Status::Withdrawn),
        ..Default::default()
    };
    let updated = update_or_stale(conn, &row, &changes, now)?;

    let partial = input.partial && to == Status::Granted;
    let withheld = text(&input.withheld).filter(|_| input.partial);
    let legal_basis: Vec<String> = input
        .legal_basis
        .iter()
        .map(|t| t.as_str().to_string())
        .collect();
    if let (Some(stage), Actor::Staff(staff)) = (outcome.determination, &actor) {
        requests::insert_determination(
            conn,
            &NewDetermination {
                request_id: row.id,
                stage,
                outcome: to,
                decision: input.decision.as_ref().map(Text::as_str),
                reason: input.reason.as_ref().map(Text::as_str),
                partial: i32::from(partial),
                withheld: withheld.as_deref(),
                legal_basis: &serde_json::to_string(&legal_basis).expect("strings serialise"),
                responsible: &serde_json::to_string(&input.responsible).expect("names serialise"),
                decided_by: staff.id,
                decided_at: now,
            },
        )?;
    }

    let api_key_offered =
        to == Status::Granted && super::api_keys::offer_on_grant(conn, ctx, &row, now)?;
    let step = Step::Transition(Moved {
        from: outcome.from,
        to,
        decision: text(&input.decision),
        reason: text(&input.reason),
        partial,
        withheld,
        legal_basis,
        responsible: input.responsible.clone(),
        grounds: text(&input.grounds),
        appeal_deadline: outcome.appeal_deadline,
        is_final: outcome.denial_final,
        due_on: outcome.due_on,
        assignee_claimed: outcome.claim.is_some(),
        api_key_offered,
    });
    let mut chain = audit::OpenChain::open(conn, row.id)?;
    chain.append(conn, now, &caller.audit_actor(), &step)?;
    super::notices::queue(conn, ctx, &mut chain, &updated, &step, now)?;
    chain.close(conn)?;
    log::info!(
        "request {} moved {} → {}",
        row.tracking_number,
        outcome.from,
        to
    );
    case_view(conn, ctx, caller, &actor, &updated)
}
