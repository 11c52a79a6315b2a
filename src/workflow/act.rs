//! Moving a request through its states: the staff transitions, the requester's appeal and
//! withdrawal. All of them go through `domain::transitions::decide`.

use serde_json::json;

use super::notices;
use super::view::{case_view, CaseView};
use super::{check_version, facts, load_for, update_or_stale, Caller, Ctx, WorkflowError};
use crate::audit;
use crate::db::models::{NewDetermination, RequestChanges};
use crate::db::{self, requests, Conn};
use crate::domain::transitions::{self, TransitionInput};
use crate::domain::{Actor, Status};
use crate::notify::notice;

/// Moves the request to `to`, if the rules allow this caller to, in the caller's transaction.
pub fn transition(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    to: Status,
    version: Option<i32>,
    input: &TransitionInput,
) -> Result<CaseView, WorkflowError> {
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    check_version(&row, version)?;
    let now = db::now();
    let today = ctx.clock.date_of(now);
    let outcome = transitions::decide(&facts(&row), &actor, to, input, today, &ctx.policy)?;

    let text = |t: &Option<crate::domain::input::Text>| t.as_ref().map(|t| t.as_str().to_string());
    let changes = RequestChanges {
        status: Some(to.as_str().to_string()),
        assignee_id: outcome.claim.map(|s| s.0),
        reviewer_id: outcome.reviewer.map(|s| s.0),
        denied_by: outcome.denied_by.map(|s| s.0),
        denial_final: outcome.denial_final.then_some(1),
        appeal_deadline: outcome.appeal_deadline,
        due_on: outcome.due_on,
        closed_at: (!to.is_open()).then_some(now),
        appeal_grounds: if to == Status::Appealed {
            text(&input.grounds)
        } else {
            None
        },
        appealed_at: (to == Status::Appealed).then_some(now),
        withdraw_reason: if to == Status::Withdrawn {
            text(&input.reason)
        } else {
            None
        },
        ..Default::default()
    };
    let updated = update_or_stale(conn, &row, &changes, now)?;

    let legal_basis: Vec<&str> = input.legal_basis.iter().map(|t| t.as_str()).collect();
    if let (Some(stage), Actor::Staff(staff)) = (outcome.determination, &actor) {
        requests::insert_determination(
            conn,
            &NewDetermination {
                request_id: row.id,
                stage: stage.as_str(),
                outcome: to.as_str(),
                decision: input.decision.as_ref().map(|t| t.as_str()),
                reason: input.reason.as_ref().map(|t| t.as_str()),
                partial: i32::from(input.partial && to == Status::Granted),
                withheld: input
                    .withheld
                    .as_ref()
                    .filter(|_| input.partial)
                    .map(|t| t.as_str()),
                legal_basis: &json!(legal_basis).to_string(),
                responsible: &json!(input.responsible).to_string(),
                decided_by: staff.id.0,
                decided_at: now,
            },
        )?;
    }

    let key_offered =
        to == Status::Granted && super::api_keys::offer_on_grant(conn, ctx, &row, now)?;
    let details = json!({
        "from": outcome.from.as_str(),
        "to": to.as_str(),
        "decision": text(&input.decision),
        "reason": text(&input.reason),
        "partial": input.partial && to == Status::Granted,
        "withheld": text(&input.withheld).filter(|_| input.partial),
        "legal_basis": legal_basis,
        "responsible": input.responsible,
        "grounds": text(&input.grounds),
        "appeal_deadline": outcome.appeal_deadline.map(|d| d.to_string()),
        "final": outcome.denial_final,
        "due_on": outcome.due_on.map(|d| d.to_string()),
        "assignee_claimed": outcome.claim.is_some(),
        "api_key_offered": key_offered,
    });
    let mut chain = audit::OpenChain::open(conn, row.id)?;
    chain.append(conn, now, &caller.audit_actor(), "transition", &details)?;

    let notices = notice::for_transition(outcome.from, to);
    notices::queue(
        conn,
        ctx,
        &mut chain,
        &updated,
        notices,
        Some(("transition", &details)),
        now,
    )?;
    chain.close(conn)?;
    log::info!(
        "request {} moved {} → {}",
        row.tracking_number,
        outcome.from,
        to
    );
    case_view(conn, ctx, caller, &actor, &updated)
}
