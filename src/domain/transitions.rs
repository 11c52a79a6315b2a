//! The request state machine (docs/PRODUCT.md, "The life of a request") as a table, and the one
//! function that decides whether a transition may happen and what it changes.

use chrono::{NaiveDate, NaiveDateTime};

use super::access::{Actor, Role, StaffId};
use super::deadlines::{DeadlinePolicy, Reckoning};
use super::exemptions::Withheld;
use super::input::{FieldErrors, Responsible, Text, TrackingNumber};
use super::status::{RequestKind, Status};

/// Who may take a transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// The assigned clerk or steward; while nobody is assigned, any clerk or steward who serves
    /// the request's queue (taking it assigns it to them).
    Assignee,
    Admin,
    /// Whoever holds the request's private access token.
    Requester,
    /// Staff of the request's queue (its assignee, a clerk or steward serving the queue, an
    /// admin) acting on the requester's behalf.
    QueueStaff,
    /// A reviewer or admin who neither made the determination under appeal nor is named
    /// responsible for it (separation of duties).
    IndependentReviewer,
    /// The reviewer who took the appeal up, still independent of the determination.
    TheReviewer,
}

/// What a transition must carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// `decision`: the determination or review decision text.
    Decision,
    /// `records_due_at`: when the records will be available (Gov. Code §7922.535(a)). Not
    /// for an API access request: its key is offered the moment it is granted.
    RecordsDue,
    /// When `partial` is set: each withheld item with its exemption and reason, and the
    /// persons responsible (§7922.540(b)).
    PartialDetails,
    /// `reason`: the written reasons for a denial.
    Reason,
    /// At least one withheld item with its exemption and reason.
    Withholdings,
    /// At least one person responsible, with name and title.
    Responsible,
    /// Why no reasonably segregable portion can be released (§7922.525).
    Segregability,
    /// How and where the city searched, for a no-records answer.
    Search,
    /// `grounds` for an appeal.
    Grounds,
    /// Staff acting for the requester: a note of how the requester asked.
    OnBehalfNote,
    /// `duplicate_of`: the request this one repeats (docs/PRODUCT.md, "Duplicates").
    DuplicateOf,
    /// `decision`: what a complaint's investigation found and what was done.
    Resolution,
    /// `referred_to`: the agency a complaint is referred to.
    ReferredTo,
    /// `reason`: why a complaint is dismissed.
    DismissalReason,
}

#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub from: Status,
    pub to: Status,
    pub who: &'static [Party],
    pub requires: &'static [Requirement],
}

use Party::*;
use Requirement::*;
use Status::*;

const GRANT: &[Requirement] = &[Decision, RecordsDue, PartialDetails];
const DENIAL: &[Requirement] = &[
    Reason,
    Withholdings,
    Requirement::Responsible,
    Segregability,
];
const REVIEW_DENIAL: &[Requirement] = &[
    Decision,
    Reason,
    Withholdings,
    Requirement::Responsible,
    Segregability,
];
const WITHDRAWAL: &[Requirement] = &[OnBehalfNote];
const DEPARTMENT: &[Party] = &[Assignee, Admin];

/// Every transition there is. Anything not listed is refused.
pub const TABLE: &[Rule] = &[
    Rule {
        from: Submitted,
        to: UnderReview,
        who: &[Assignee, Admin],
        requires: &[],
    },
    Rule {
        from: Submitted,
        to: Withdrawn,
        who: &[Requester, QueueStaff],
        requires: WITHDRAWAL,
    },
    Rule {
        from: UnderReview,
        to: Withdrawn,
        who: &[Requester, QueueStaff],
        requires: WITHDRAWAL,
    },
    Rule {
        from: Appealed,
        to: Withdrawn,
        who: &[Requester, QueueStaff],
        requires: WITHDRAWAL,
    },
    Rule {
        from: Submitted,
        to: Duplicate,
        who: &[QueueStaff],
        requires: &[DuplicateOf],
    },
    Rule {
        from: UnderReview,
        to: Duplicate,
        who: &[QueueStaff],
        requires: &[DuplicateOf],
    },
    Rule {
        from: UnderReview,
        to: Granted,
        who: &[Assignee, Admin],
        requires: GRANT,
    },
    Rule {
        from: UnderReview,
        to: Denied,
        who: &[Assignee, Admin],
        requires: DENIAL,
    },
    Rule {
        from: UnderReview,
        to: NoRecords,
        who: &[Assignee, Admin],
        requires: &[Search],
    },
    Rule {
        from: Granted,
        to: Appealed,
        who: &[Requester],
        requires: &[Grounds],
    },
    Rule {
        from: Denied,
        to: Appealed,
        who: &[Requester],
        requires: &[Grounds],
    },
    Rule {
        from: NoRecords,
        to: Appealed,
        who: &[Requester],
        requires: &[Grounds],
    },
    Rule {
        from: Appealed,
        to: AdministrativeReview,
        who: &[IndependentReviewer],
        requires: &[],
    },
    Rule {
        from: AdministrativeReview,
        to: Granted,
        who: &[TheReviewer],
        requires: GRANT,
    },
    Rule {
        from: AdministrativeReview,
        to: Denied,
        who: &[TheReviewer],
        requires: REVIEW_DENIAL,
    },
    Rule {
        from: AdministrativeReview,
        to: NoRecords,
        who: &[TheReviewer],
        requires: &[Decision, Search],
    },
    // A complaint's lifecycle (docs/PRODUCT.md, "Complaints"): its department looks into it
    // and closes it; one plainly for another agency, or with nothing to act on, may be closed
    // as it arrives. No appeal: a complainant who disagrees writes again.
    Rule {
        from: Received,
        to: Investigating,
        who: DEPARTMENT,
        requires: &[],
    },
    Rule {
        from: Received,
        to: Referred,
        who: DEPARTMENT,
        requires: &[ReferredTo],
    },
    Rule {
        from: Received,
        to: Dismissed,
        who: DEPARTMENT,
        requires: &[DismissalReason],
    },
    Rule {
        from: Received,
        to: Withdrawn,
        who: &[Requester, QueueStaff],
        requires: WITHDRAWAL,
    },
    Rule {
        from: Investigating,
        to: Resolved,
        who: DEPARTMENT,
        requires: &[Resolution],
    },
    Rule {
        from: Investigating,
        to: Referred,
        who: DEPARTMENT,
        requires: &[ReferredTo],
    },
    Rule {
        from: Investigating,
        to: Dismissed,
        who: DEPARTMENT,
        requires: &[DismissalReason],
    },
    Rule {
        from: Investigating,
        to: Withdrawn,
        who: &[Requester, QueueStaff],
        requires: WITHDRAWAL,
    },
];

/// What the rules need to know about a request.
#[derive(Debug, Clone)]
pub struct CaseFacts {
    pub status: Status,
    pub kind: RequestKind,
    pub queue: String,
    pub assignee: Option<StaffId>,
    /// Who made the determination now standing (initial or review).
    pub determined_by: Option<StaffId>,
    /// Staff named responsible for that determination.
    pub responsible: Vec<StaffId>,
    /// The reviewer who took up the appeal.
    pub reviewer: Option<StaffId>,
    /// The standing grant withholds something.
    pub partial: bool,
    /// Decided on review: no further appeal.
    pub decision_final: bool,
    pub appeal_deadline: Option<NaiveDate>,
    /// A grant's records have been produced (released, or delivered another way).
    pub produced: bool,
}

impl CaseFacts {
    /// A grant whose records are not yet produced: it stays in the queue.
    pub fn in_production(&self) -> bool {
        self.status == Granted && !self.produced
    }

    /// Made the standing determination, or is named responsible for it.
    fn answers_for_determination(&self, staff: StaffId) -> bool {
        self.determined_by == Some(staff) || self.responsible.contains(&staff)
    }
}

/// What a transition carries, already parsed; the rules check presence and consistency.
#[derive(Debug, Clone, Default)]
pub struct TransitionInput {
    pub decision: Option<Text>,
    pub partial: bool,
    pub withheld: Vec<Withheld>,
    pub responsible: Vec<Responsible>,
    pub reason: Option<Text>,
    pub segregability: Option<Text>,
    pub search: Option<Text>,
    /// The estimated availability, in the city's local time.
    pub records_due_at: Option<NaiveDateTime>,
    pub grounds: Option<Text>,
    /// Staff withdrawing for the requester: how the requester asked.
    pub note: Option<Text>,
    /// The request this one repeats; the application checks that it exists, may be seen by
    /// the actor, and is not this request or itself a repeat.
    pub duplicate_of: Option<TrackingNumber>,
    /// The agency a complaint is referred to.
    pub referred_to: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("a request that is {from} cannot become {to}")]
    NotAllowed {
        from: Status,
        to: Status,
        allowed: Vec<Status>,
    },
    #[error("this decision was made on review and is final; it cannot be appealed again")]
    FinalDecision { allowed: Vec<Status> },
    #[error("a grant in full withholds nothing, so there is nothing to appeal")]
    NothingWithheld { allowed: Vec<Status> },
    #[error("the appeal window closed on {deadline}")]
    AppealWindowClosed {
        deadline: NaiveDate,
        allowed: Vec<Status>,
    },
    #[error("{0}")]
    Forbidden(String),
    #[error("required information is missing")]
    Missing(FieldErrors),
}

/// Which determination a transition records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Initial,
    Review,
}

impl Stage {
    pub const ALL: [Stage; 2] = [Stage::Initial, Stage::Review];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Initial => "initial",
            Stage::Review => "review",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// What a review decided about the determination appealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewOutcome {
    /// The determination stands as it was (denied, granted in part, or no records).
    Upheld,
    /// More is granted than before: a grant in full, or a grant of what was refused.
    Overturned,
    /// Another outcome that grants no more (a denial found to be a no-records answer).
    Revised,
}

impl ReviewOutcome {
    pub const ALL: [ReviewOutcome; 3] = [
        ReviewOutcome::Upheld,
        ReviewOutcome::Overturned,
        ReviewOutcome::Revised,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewOutcome::Upheld => "upheld",
            ReviewOutcome::Overturned => "overturned",
            ReviewOutcome::Revised => "revised",
        }
    }

    pub fn parse(s: &str) -> Option<ReviewOutcome> {
        ReviewOutcome::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// For a review decision recorded before outcomes were: a grant overturned the denial,
    /// anything else upheld it.
    pub fn of_outcome(decided: Status) -> ReviewOutcome {
        match decided {
            Granted => ReviewOutcome::Overturned,
            _ => ReviewOutcome::Upheld,
        }
    }

    /// Compares the review decision with the determination appealed, each as (outcome,
    /// partial).
    pub fn of(appealed: (Status, bool), decided: (Status, bool)) -> ReviewOutcome {
        if appealed == decided {
            return ReviewOutcome::Upheld;
        }
        match (appealed.0, decided) {
            (_, (Granted, false)) => ReviewOutcome::Overturned,
            (Denied | NoRecords, (Granted, true)) => ReviewOutcome::Overturned,
            _ => ReviewOutcome::Revised,
        }
    }
}

/// What a permitted transition changes on the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionOutcome {
    pub from: Status,
    pub to: Status,
    /// Set the assignee (an unassigned request taken by whoever accepts it).
    pub claim: Option<StaffId>,
    /// Set the reviewer (an appeal taken up).
    pub reviewer: Option<StaffId>,
    /// Who made this determination.
    pub determined_by: Option<StaffId>,
    /// A grant that withholds something.
    pub partial: bool,
    /// Decided on review: final.
    pub decision_final: bool,
    pub appeal_deadline: Option<NaiveDate>,
    /// The new working due date, when the clock changes (the review, or a grant's records).
    pub due_on: Option<NaiveDate>,
    /// How a review's due date was counted.
    pub reckoning: Option<Reckoning>,
    /// A determination to record, when the transition decides the request.
    pub determination: Option<Stage>,
    /// Staff withdrew the request for the requester.
    pub on_behalf: bool,
    /// Granted and produced at once: an API access request's key is offered as it is granted.
    pub produced_now: bool,
    /// A review keeping a grant in part without a new date: its records' date and production
    /// stand as they were.
    pub keeps_production: bool,
}

fn staff_of(actor: &Actor) -> Option<&super::access::StaffMember> {
    match actor {
        Actor::Staff(staff) => Some(staff),
        Actor::Requester => None,
    }
}

fn is_party(party: Party, case: &CaseFacts, actor: &Actor) -> bool {
    let staff = staff_of(actor);
    let reviews = |s: &super::access::StaffMember| {
        matches!(s.role, Role::Reviewer | Role::Admin) && !case.answers_for_determination(s.id)
    };
    match party {
        Requester => matches!(actor, Actor::Requester),
        Admin => staff.is_some_and(|s| s.role == Role::Admin),
        Assignee => staff.is_some_and(|s| {
            matches!(s.role, Role::Clerk | Role::Steward)
                && match case.assignee {
                    Some(assignee) => assignee == s.id,
                    None => s.serves_queue(&case.queue),
                }
        }),
        QueueStaff => staff.is_some_and(|s| match s.role {
            Role::Admin => true,
            Role::Clerk | Role::Steward => {
                case.assignee == Some(s.id) || s.serves_queue(&case.queue)
            }
            Role::Reviewer => false,
        }),
        IndependentReviewer => staff.is_some_and(reviews),
        TheReviewer => staff.is_some_and(|s| reviews(s) && case.reviewer == Some(s.id)),
    }
}

/// Staff of the request's queue (its assignee, a clerk or steward serving it) or an admin.
pub fn serves_queue_of(case: &CaseFacts, actor: &Actor) -> bool {
    is_party(QueueStaff, case, actor)
}

/// The assigned clerk or steward, or an admin: who may manage a request between
/// transitions (message, assign, record production).
pub fn may_manage(case: &CaseFacts, actor: &Actor) -> bool {
    is_party(Assignee, case, actor) || is_party(Admin, case, actor)
}

/// A state-dependent guard beyond who is acting; `None` when it holds.
fn guard(rule: &Rule, case: &CaseFacts, today: NaiveDate) -> Option<TransitionError> {
    if rule.to != Appealed {
        return None;
    }
    if case.decision_final {
        return Some(TransitionError::FinalDecision { allowed: vec![] });
    }
    if rule.from == Granted && !case.partial {
        return Some(TransitionError::NothingWithheld { allowed: vec![] });
    }
    match case.appeal_deadline {
        Some(deadline) if today > deadline => Some(TransitionError::AppealWindowClosed {
            deadline,
            allowed: vec![],
        }),
        _ => None,
    }
}

pub fn rule_for(from: Status, to: Status) -> Option<&'static Rule> {
    TABLE.iter().find(|rule| rule.from == from && rule.to == to)
}

/// The states this actor may move the request to now.
pub fn allowed_targets(case: &CaseFacts, actor: &Actor, today: NaiveDate) -> Vec<Status> {
    TABLE
        .iter()
        .filter(|rule| rule.from == case.status)
        .filter(|rule| rule.who.iter().any(|&party| is_party(party, case, actor)))
        .filter(|rule| guard(rule, case, today).is_none())
        .map(|rule| rule.to)
        .collect()
}

/// A review that keeps a grant in part as it was: the records it grants are those of the
/// grant appealed, so their date (and their production, if it happened) stands unless the
/// reviewer gives a new one.
fn upholds_grant_in_part(case: &CaseFacts, input: &TransitionInput) -> bool {
    case.status == AdministrativeReview && case.partial && input.partial
}

fn missing(rule: &Rule, case: &CaseFacts, input: &TransitionInput, actor: &Actor) -> FieldErrors {
    let mut errors = FieldErrors::default();
    let what = match rule.to {
        Denied => "a denial",
        _ => "a grant in part",
    };
    for requirement in rule.requires {
        match requirement {
            Decision if input.decision.is_none() => {
                errors.add("decision", "a written decision is required")
            }
            RecordsDue
                if input.records_due_at.is_none()
                    && case.kind != RequestKind::ApiAccess
                    && !upholds_grant_in_part(case, input) =>
            {
                errors.add(
                "records_due_at",
                    "give the date and time the records will be available",
                )
            }
            PartialDetails if input.partial => {
                if input.withheld.is_empty() {
                    errors.add(
                        "withheld",
                        "a grant in part must list each item withheld, with its exemption and reason",
                    );
                }
                if input.responsible.is_empty() {
                    errors.add(
                        "responsible",
                        "name each person responsible for withholding, with their title",
                    );
                }
            }
            PartialDetails if !input.withheld.is_empty() => errors.add(
                "withheld",
                "a grant in full withholds nothing; mark the grant as in part to list withheld items",
            ),
            Reason if input.reason.is_none() => {
                errors.add("reason", "a denial must give its reasons in writing")
            }
            Withholdings if input.withheld.is_empty() => errors.add(
                "withheld",
                format!("{what} must list each item withheld, with its exemption and reason"),
            ),
            Requirement::Responsible if input.responsible.is_empty() => errors.add(
                "responsible",
                format!("name each person responsible for {what}, with their title"),
            ),
            Segregability if input.segregability.is_none() => errors.add(
                "segregability",
                "say why no reasonably segregable portion of the records can be released",
            ),
            Search if input.search.is_none() => errors.add(
                "search",
                "describe how and where the records were searched for",
            ),
            Search if !input.withheld.is_empty() => errors.add(
                "withheld",
                "a no-records answer withholds nothing; deny instead to withhold records",
            ),
            Grounds if input.grounds.is_none() => {
                errors.add("grounds", "say why the decision should be reconsidered")
            }
            OnBehalfNote if staff_of(actor).is_some() && input.note.is_none() => errors.add(
                "note",
                "say how the requester asked to withdraw (by phone, email, in person…)",
            ),
            DuplicateOf if input.duplicate_of.is_none() => errors.add(
                "duplicate_of",
                "give the tracking number of the request this one repeats",
            ),
            Resolution if input.decision.is_none() => errors.add(
                "decision",
                "say what was found and what was done about the complaint",
            ),
            ReferredTo if input.referred_to.is_none() => errors.add(
                "referred_to",
                "name the agency the complaint is referred to",
            ),
            DismissalReason if input.reason.is_none() => {
                errors.add("reason", "say why the complaint is dismissed")
            }
            _ => {}
        }
    }
    errors
}

fn forbidden_reason(rule: &Rule, case: &CaseFacts, actor: &Actor) -> String {
    let staff = staff_of(actor);
    let reviewing = rule.who.contains(&IndependentReviewer) || rule.who.contains(&TheReviewer);
    if let (true, Some(s)) = (reviewing, staff) {
        if case.determined_by == Some(s.id) {
            return "you made the determination under appeal; another reviewer must review it"
                .into();
        }
        if case.responsible.contains(&s.id) {
            return "you are named responsible for the determination under appeal; another reviewer must review it".into();
        }
    }
    let who = rule
        .who
        .iter()
        .map(|party| match party {
            Assignee => "the assigned clerk or steward",
            Admin => "an admin",
            Requester => "the requester",
            QueueStaff => "staff of the request's queue",
            IndependentReviewer => "a reviewer independent of the determination",
            TheReviewer => "the reviewer who took up the appeal",
        })
        .collect::<Vec<_>>()
        .join(" or ");
    format!(
        "only {who} may move a request from {} to {}",
        rule.from, rule.to
    )
}

/// Decides a transition: who may take it, whether the request's state allows it, and that it
/// carries what it must. On success, says what changes.
pub fn decide(
    case: &CaseFacts,
    actor: &Actor,
    to: Status,
    input: &TransitionInput,
    today: NaiveDate,
    policy: &DeadlinePolicy,
) -> Result<TransitionOutcome, TransitionError> {
    let rule = authorize(case, actor, to, today)?;
    let errors = missing(rule, case, input, actor);
    if !errors.is_empty() {
        return Err(TransitionError::Missing(errors));
    }
    Ok(outcome_of(case, actor, to, input, today, policy))
}

/// Whether this actor may make this move on the request now, whatever it carries: the first
/// half of [`decide`], asked on its own before anything the move carries is looked up (so
/// nobody learns from an answer about the content of a move that is not theirs to make).
pub fn authorize(
    case: &CaseFacts,
    actor: &Actor,
    to: Status,
    today: NaiveDate,
) -> Result<&'static Rule, TransitionError> {
    let allowed = || allowed_targets(case, actor, today);
    let Some(rule) = rule_for(case.status, to) else {
        return Err(TransitionError::NotAllowed {
            from: case.status,
            to,
            allowed: allowed(),
        });
    };
    if !rule.who.iter().any(|&party| is_party(party, case, actor)) {
        return Err(TransitionError::Forbidden(forbidden_reason(
            rule, case, actor,
        )));
    }
    match guard(rule, case, today) {
        Some(TransitionError::FinalDecision { .. }) => {
            return Err(TransitionError::FinalDecision { allowed: allowed() })
        }
        Some(TransitionError::NothingWithheld { .. }) => {
            return Err(TransitionError::NothingWithheld { allowed: allowed() })
        }
        Some(TransitionError::AppealWindowClosed { deadline, .. }) => {
            return Err(TransitionError::AppealWindowClosed {
                deadline,
                allowed: allowed(),
            })
        }
        _ => {}
    }
    Ok(rule)
}

/// What a permitted move changes.
fn outcome_of(
    case: &CaseFacts,
    actor: &Actor,
    to: Status,
    input: &TransitionInput,
    today: NaiveDate,
    policy: &DeadlinePolicy,
) -> TransitionOutcome {
    let actor_id = staff_of(actor).map(|s| s.id);
    let mut outcome = TransitionOutcome {
        from: case.status,
        to,
        claim: None,
        reviewer: None,
        determined_by: None,
        partial: false,
        decision_final: false,
        appeal_deadline: None,
        due_on: None,
        reckoning: None,
        determination: None,
        on_behalf: false,
        produced_now: false,
        keeps_production: false,
    };
    // What the move changes besides the state. The table decides which moves exist, so the
    // target says it all, with whether the move decides an appeal.
    let on_review = case.status == AdministrativeReview;
    match to {
        UnderReview | Investigating => {
            if case.assignee.is_none() {
                outcome.claim = actor_id;
            }
        }
        // A complaint is closed by whoever closes it; nothing follows.
        Resolved | Referred | Dismissed => outcome.determined_by = actor_id,
        Granted | Denied | NoRecords => {
            outcome.determined_by = actor_id;
            outcome.partial = to == Granted && input.partial;
            // A grant in full leaves nothing to appeal; the rest may be appealed, once.
            let appealable = to != Granted || input.partial;
            if on_review {
                outcome.determination = Some(Stage::Review);
                outcome.decision_final = true;
            } else {
                outcome.determination = Some(Stage::Initial);
                if appealable {
                    outcome.appeal_deadline = Some(policy.appeal_deadline(today));
                }
            }
            if to == Granted {
                outcome.due_on = input.records_due_at.map(|at| at.date());
                outcome.produced_now = case.kind == RequestKind::ApiAccess;
                // An access key is offered again with the decision; records wait on their date.
                outcome.keeps_production = !outcome.produced_now
                    && input.records_due_at.is_none()
                    && upholds_grant_in_part(case, input);
            }
        }
        Appealed => {
            let reckoning = policy.review_reckoning(today);
            outcome.due_on = Some(reckoning.due);
            outcome.reckoning = Some(reckoning);
        }
        AdministrativeReview => outcome.reviewer = actor_id,
        Withdrawn => outcome.on_behalf = actor_id.is_some(),
        Submitted | Duplicate | Received => {}
    }
    outcome
}

/// What a complaint's closing tells the complainant: what was found and done (resolved), what
/// they are told of the referral, or why it was dismissed; nothing for any other move.
pub fn closing_note<'a>(
    to: Status,
    decision: Option<&'a str>,
    reason: Option<&'a str>,
) -> Option<&'a str> {
    match to {
        Resolved | Referred => decision,
        Dismissed => reason,
        _ => None,
    }
}

/// The latest estimate staff may give for records to be available.
pub const RECORDS_DUE_WITHIN_DAYS: i64 = 366;

/// A grant's estimated availability is a real estimate: not already past, not more than a
/// year away. Both times are the city's local time.
pub fn check_records_due(at: NaiveDateTime, now: NaiveDateTime) -> Result<(), String> {
    if at < now {
        return Err("the date and time the records will be available cannot be in the past".into());
    }
    if at > now + chrono::Duration::days(RECORDS_DUE_WITHIN_DAYS) {
        return Err("the records must be available within a year; give a nearer date".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::access::StaffMember;
    use crate::domain::exemptions::{ExemptionCatalogue, Ground};
    use crate::domain::routing::CLERK_QUEUE;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()
    }

    fn staff(id: i64, role: Role, queue: Option<&str>) -> Actor {
        Actor::Staff(StaffMember {
            id: StaffId(id),
            role,
            queue: queue.map(str::to_string),
        })
    }

    /// Every kind of caller, against a case assigned to staff 1, decided by admin 7 with
    /// reviewer 8 named responsible, and taken up on appeal by reviewer 4.
    fn actors() -> Vec<(&'static str, Actor)> {
        vec![
            ("requester", Actor::Requester),
            ("clerk_assignee", staff(1, Role::Clerk, None)),
            ("clerk_other", staff(2, Role::Clerk, None)),
            ("steward_other", staff(3, Role::Steward, Some("police"))),
            ("the_reviewer", staff(4, Role::Reviewer, None)),
            ("reviewer_other", staff(5, Role::Reviewer, None)),
            ("admin", staff(6, Role::Admin, None)),
            ("admin_determiner", staff(7, Role::Admin, None)),
            ("reviewer_responsible", staff(8, Role::Reviewer, None)),
        ]
    }

    fn case(status: Status) -> CaseFacts {
        CaseFacts {
            status,
            kind: RequestKind::PublicRecords,
            queue: CLERK_QUEUE.into(),
            assignee: Some(StaffId(1)),
            determined_by: Some(StaffId(7)),
            responsible: vec![StaffId(8)],
            reviewer: Some(StaffId(4)),
            partial: true,
            decision_final: false,
            appeal_deadline: Some(today() + chrono::Days::new(5)),
            produced: false,
        }
    }

    #[test]
    fn only_a_grant_whose_records_are_not_yet_produced_is_in_production() {
        assert!(case(Status::Granted).in_production());
        let produced = CaseFacts {
            produced: true,
            ..case(Status::Granted)
        };
        assert!(!produced.in_production());
        for status in [
            Status::UnderReview,
            Status::Denied,
            Status::NoRecords,
            Status::Withdrawn,
        ] {
            assert!(!case(status).in_production(), "{status:?}");
        }
    }

    fn text(s: &str) -> Option<Text> {
        Some(Text::line(s, 100).unwrap())
    }

    fn withheld() -> Withheld {
        let catalogue = ExemptionCatalogue::seeded();
        let entry = catalogue.find("7927.705").unwrap();
        Withheld {
            item: "Attorney memo of 2 March".into(),
            ground: Ground::from_entry(entry),
            reason: "Privileged attorney-client communication.".into(),
            justification: None,
        }
    }

    fn complete_input() -> TransitionInput {
        TransitionInput {
            decision: text("Records will be provided."),
            partial: true,
            withheld: vec![withheld()],
            responsible: vec![Responsible::parse("Jo Clerk", "City Clerk").unwrap()],
            reason: text("Exempt personnel records."),
            segregability: text("Every page is privileged."),
            search: text("Searched the Clerk's files and the city's email archive."),
            records_due_at: today().and_hms_opt(16, 0, 0),
            grounds: text("The exemption does not apply."),
            note: text("The requester telephoned on 9 March."),
            duplicate_of: TrackingNumber::parse("RR-2026-00001"),
            referred_to: text("Contra Costa County Environmental Health"),
        }
    }

    /// What a move to `to` carries in full: a no-records answer withholds nothing.
    fn input_for(to: Status) -> TransitionInput {
        match to {
            NoRecords => TransitionInput {
                withheld: vec![],
                ..complete_input()
            },
            _ => complete_input(),
        }
    }

    /// docs/PRODUCT.md's table, written out independently of TABLE: who may make each transition.
    fn expected(from: Status, to: Status) -> &'static [&'static str] {
        const STAFF_DECIDES: &[&str] = &["clerk_assignee", "admin", "admin_determiner"];
        const WITHDRAWS: &[&str] = &[
            "requester",
            "clerk_assignee",
            "clerk_other",
            "admin",
            "admin_determiner",
        ];
        const REVIEWERS: &[&str] = &["the_reviewer", "reviewer_other", "admin"];
        const QUEUE_STAFF: &[&str] =
            &["clerk_assignee", "clerk_other", "admin", "admin_determiner"];
        match (from, to) {
            (Submitted, UnderReview) => STAFF_DECIDES,
            (Submitted | UnderReview, Duplicate) => QUEUE_STAFF,
            (Submitted | UnderReview | Appealed, Withdrawn) => WITHDRAWS,
            (UnderReview, Granted | Denied | NoRecords) => STAFF_DECIDES,
            (Granted | Denied | NoRecords, Appealed) => &["requester"],
            (Appealed, AdministrativeReview) => REVIEWERS,
            (AdministrativeReview, Granted | Denied | NoRecords) => &["the_reviewer"],
            // A complaint: its department works it; the complainant may withdraw it.
            (Received, Investigating | Referred | Dismissed) => STAFF_DECIDES,
            (Investigating, Resolved | Referred | Dismissed) => STAFF_DECIDES,
            (Received | Investigating, Withdrawn) => WITHDRAWS,
            _ => &[],
        }
    }

    #[test]
    fn every_state_target_and_actor_combination_follows_the_design_table() {
        let policy = DeadlinePolicy::default();
        let mut checked = 0;
        for from in Status::ALL {
            for to in Status::ALL {
                let permitted = expected(from, to);
                for (label, actor) in actors() {
                    let result = decide(&case(from), &actor, to, &input_for(to), today(), &policy);
                    match result {
                        Ok(outcome) => {
                            assert!(
                                permitted.contains(&label),
                                "{label} must not move {from} → {to}"
                            );
                            assert_eq!((outcome.from, outcome.to), (from, to));
                        }
                        Err(TransitionError::Forbidden(_)) => assert!(
                            !permitted.is_empty() && !permitted.contains(&label),
                            "{label} should be allowed {from} → {to}"
                        ),
                        Err(TransitionError::NotAllowed { allowed, .. }) => {
                            assert!(permitted.is_empty(), "{from} → {to} is in the table");
                            assert!(!allowed.contains(&to));
                        }
                        Err(other) => panic!("{label} {from} → {to}: unexpected {other:?}"),
                    }
                    let listed = allowed_targets(&case(from), &actor, today()).contains(&to);
                    assert_eq!(
                        listed,
                        permitted.contains(&label),
                        "allowed_targets for {label} {from} → {to}"
                    );
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 14 * 14 * 9);
    }

    #[test]
    fn a_complaints_closing_note_is_its_decision_or_its_dismissal_reason() {
        let (decision, reason) = (Some("Cited"), Some("Nothing to act on"));
        assert_eq!(closing_note(Resolved, decision, reason), decision);
        assert_eq!(closing_note(Referred, decision, reason), decision);
        assert_eq!(closing_note(Dismissed, decision, reason), reason);
        assert_eq!(closing_note(Denied, decision, reason), None);
        assert_eq!(closing_note(Withdrawn, decision, reason), None);
    }

    #[test]
    fn the_table_has_exactly_the_sixteen_transitions_of_the_design_and_a_complaints_eight() {
        let count = Status::ALL
            .iter()
            .flat_map(|&from| Status::ALL.iter().map(move |&to| (from, to)))
            .filter(|&(from, to)| !expected(from, to).is_empty())
            .count();
        assert_eq!(TABLE.len(), count);
        assert_eq!(TABLE.len(), 16 + 8);
        // The two lifecycles never meet but in a withdrawal.
        for rule in TABLE {
            if rule.to != Withdrawn {
                assert_eq!(
                    rule.from.is_complaint_state(),
                    rule.to.is_complaint_state(),
                    "{} → {}",
                    rule.from,
                    rule.to
                );
            }
        }
    }

    #[test]
    fn an_unassigned_request_is_taken_by_whoever_serves_its_queue_and_becomes_theirs() {
        let mut facts = case(Submitted);
        facts.assignee = None;
        let policy = DeadlinePolicy::default();
        let clerk = staff(2, Role::Clerk, None);
        let outcome = decide(
            &facts,
            &clerk,
            UnderReview,
            &complete_input(),
            today(),
            &policy,
        )
        .unwrap();
        assert_eq!(outcome.claim, Some(StaffId(2)));

        let steward_elsewhere = staff(3, Role::Steward, Some("police"));
        assert!(matches!(
            decide(
                &facts,
                &steward_elsewhere,
                UnderReview,
                &complete_input(),
                today(),
                &policy
            ),
            Err(TransitionError::Forbidden(_))
        ));
        facts.queue = "police".into();
        let outcome = decide(
            &facts,
            &steward_elsewhere,
            UnderReview,
            &complete_input(),
            today(),
            &policy,
        )
        .unwrap();
        assert_eq!(outcome.claim, Some(StaffId(3)));
        assert!(decide(
            &facts,
            &clerk,
            UnderReview,
            &complete_input(),
            today(),
            &policy
        )
        .is_err());
    }

    fn forbidden_message(facts: &CaseFacts, actor: &Actor, to: Status) -> String {
        match decide(
            facts,
            actor,
            to,
            &complete_input(),
            today(),
            &DeadlinePolicy::default(),
        )
        .unwrap_err()
        {
            TransitionError::Forbidden(message) => message,
            other => panic!("expected Forbidden, got {other:?}"),
        }
    }

    #[test]
    fn whoever_made_the_determination_or_is_named_responsible_cannot_take_up_its_appeal() {
        let mut facts = case(Appealed);
        facts.determined_by = Some(StaffId(5));
        let maker = staff(5, Role::Reviewer, None);
        assert!(forbidden_message(&facts, &maker, AdministrativeReview)
            .contains("you made the determination"));
        let named = staff(8, Role::Reviewer, None);
        assert!(
            forbidden_message(&facts, &named, AdministrativeReview).contains("named responsible")
        );
    }

    #[test]
    fn a_reviewer_named_responsible_cannot_decide_the_appeal_either() {
        let mut facts = case(AdministrativeReview);
        facts.reviewer = Some(StaffId(8));
        let named = staff(8, Role::Reviewer, None);
        assert!(forbidden_message(&facts, &named, Denied).contains("named responsible"));
        assert!(allowed_targets(&facts, &named, today()).is_empty());
    }

    #[test]
    fn taking_up_an_appeal_makes_the_actor_its_reviewer() {
        let facts = case(Appealed);
        let outcome = decide(
            &facts,
            &staff(5, Role::Reviewer, None),
            AdministrativeReview,
            &TransitionInput::default(),
            today(),
            &DeadlinePolicy::default(),
        )
        .unwrap();
        assert_eq!(outcome.reviewer, Some(StaffId(5)));
    }

    #[test]
    fn a_final_decision_cannot_be_appealed_whatever_it_was() {
        for status in [Denied, NoRecords, Granted] {
            let mut facts = case(status);
            facts.decision_final = true;
            let err = decide(
                &facts,
                &Actor::Requester,
                Appealed,
                &complete_input(),
                today(),
                &DeadlinePolicy::default(),
            )
            .unwrap_err();
            assert_eq!(err, TransitionError::FinalDecision { allowed: vec![] });
            assert!(allowed_targets(&facts, &Actor::Requester, today()).is_empty());
        }
    }

    #[test]
    fn a_grant_in_part_may_be_appealed_and_a_grant_in_full_may_not() {
        let policy = DeadlinePolicy::default();
        let mut facts = case(Granted);
        assert!(decide(
            &facts,
            &Actor::Requester,
            Appealed,
            &complete_input(),
            today(),
            &policy
        )
        .is_ok());
        facts.partial = false;
        assert_eq!(
            decide(
                &facts,
                &Actor::Requester,
                Appealed,
                &complete_input(),
                today(),
                &policy
            ),
            Err(TransitionError::NothingWithheld { allowed: vec![] })
        );
    }

    #[test]
    fn an_appeal_is_refused_after_the_window_closes_but_taken_on_its_last_day() {
        let mut facts = case(Denied);
        let deadline = today();
        facts.appeal_deadline = Some(deadline);
        let policy = DeadlinePolicy::default();
        assert!(decide(
            &facts,
            &Actor::Requester,
            Appealed,
            &complete_input(),
            deadline,
            &policy
        )
        .is_ok());
        let late = deadline + chrono::Days::new(1);
        assert_eq!(
            decide(
                &facts,
                &Actor::Requester,
                Appealed,
                &complete_input(),
                late,
                &policy
            ),
            Err(TransitionError::AppealWindowClosed {
                deadline,
                allowed: vec![]
            })
        );
    }

    fn missing_fields(
        from: Status,
        actor: &Actor,
        to: Status,
        input: &TransitionInput,
    ) -> Vec<String> {
        match decide(
            &case(from),
            actor,
            to,
            input,
            today(),
            &DeadlinePolicy::default(),
        ) {
            Err(TransitionError::Missing(fields)) => fields.0.keys().cloned().collect(),
            other => panic!("expected Missing, got {other:?}"),
        }
    }

    #[test]
    fn a_denial_needs_reasons_withheld_items_persons_responsible_and_segregability() {
        let clerk = staff(1, Role::Clerk, None);
        assert_eq!(
            missing_fields(UnderReview, &clerk, Denied, &TransitionInput::default()),
            ["reason", "responsible", "segregability", "withheld"]
        );
    }

    #[test]
    fn a_grant_needs_a_decision_and_when_the_records_will_be_available() {
        let clerk = staff(1, Role::Clerk, None);
        assert_eq!(
            missing_fields(UnderReview, &clerk, Granted, &TransitionInput::default()),
            ["decision", "records_due_at"]
        );
    }

    #[test]
    fn an_api_access_grant_needs_no_records_date_and_is_produced_with_its_key() {
        let mut facts = case(UnderReview);
        facts.kind = RequestKind::ApiAccess;
        let input = TransitionInput {
            decision: text("Access granted."),
            ..Default::default()
        };
        let outcome = decide(
            &facts,
            &staff(1, Role::Clerk, None),
            Granted,
            &input,
            today(),
            &DeadlinePolicy::default(),
        )
        .unwrap();
        assert!(outcome.produced_now);
        let records = decide(
            &case(UnderReview),
            &staff(1, Role::Clerk, None),
            Granted,
            &complete_input(),
            today(),
            &DeadlinePolicy::default(),
        )
        .unwrap();
        assert!(!records.produced_now);
    }

    #[test]
    fn a_grant_in_part_must_list_what_is_withheld_and_who_is_responsible() {
        let clerk = staff(1, Role::Clerk, None);
        let input = TransitionInput {
            decision: text("Most records released."),
            partial: true,
            records_due_at: today().and_hms_opt(12, 0, 0),
            ..Default::default()
        };
        assert_eq!(
            missing_fields(UnderReview, &clerk, Granted, &input),
            ["responsible", "withheld"]
        );
        let whole = TransitionInput {
            decision: text("All records released."),
            records_due_at: today().and_hms_opt(12, 0, 0),
            ..Default::default()
        };
        let outcome = decide(
            &case(UnderReview),
            &clerk,
            Granted,
            &whole,
            today(),
            &DeadlinePolicy::default(),
        )
        .unwrap();
        assert!(!outcome.partial);
        assert_eq!(outcome.appeal_deadline, None, "nothing to appeal");
        assert_eq!(
            outcome.due_on,
            Some(today()),
            "the queue sorts it by its records"
        );
    }

    #[test]
    fn a_review_upholding_a_grant_in_part_may_keep_its_records_date() {
        let reviewer = staff(4, Role::Reviewer, None);
        let input = TransitionInput {
            records_due_at: None,
            ..complete_input()
        };
        let outcome = decide(
            &case(AdministrativeReview),
            &reviewer,
            Granted,
            &input,
            today(),
            &DeadlinePolicy::default(),
        )
        .unwrap();
        assert!(outcome.keeps_production);
        // Granting more than before is new production: it needs its date.
        let in_full = TransitionInput {
            partial: false,
            withheld: vec![],
            records_due_at: None,
            ..complete_input()
        };
        assert_eq!(
            missing_fields(AdministrativeReview, &reviewer, Granted, &in_full),
            ["records_due_at"]
        );
    }

    #[test]
    fn a_no_records_answer_that_lists_withheld_items_is_refused_as_contradictory() {
        let clerk = staff(1, Role::Clerk, None);
        assert_eq!(
            missing_fields(UnderReview, &clerk, NoRecords, &complete_input()),
            ["withheld"]
        );
    }

    #[test]
    fn a_grant_in_full_that_lists_withheld_items_is_refused_as_contradictory() {
        let clerk = staff(1, Role::Clerk, None);
        let input = TransitionInput {
            partial: false,
            ..complete_input()
        };
        assert_eq!(
            missing_fields(UnderReview, &clerk, Granted, &input),
            ["withheld"]
        );
    }

    #[test]
    fn a_no_records_answer_needs_a_description_of_the_search_and_opens_the_appeal_window() {
        let clerk = staff(1, Role::Clerk, None);
        assert_eq!(
            missing_fields(UnderReview, &clerk, NoRecords, &TransitionInput::default()),
            ["search"]
        );
        let policy = DeadlinePolicy::default();
        let outcome = decide(
            &case(UnderReview),
            &clerk,
            NoRecords,
            &input_for(NoRecords),
            today(),
            &policy,
        )
        .unwrap();
        assert_eq!(outcome.determination, Some(Stage::Initial));
        assert_eq!(outcome.determined_by, Some(StaffId(1)));
        assert_eq!(
            outcome.appeal_deadline,
            Some(policy.appeal_deadline(today()))
        );
    }

    #[test]
    fn every_review_decision_is_final_and_needs_the_content_of_its_outcome() {
        let reviewer = staff(4, Role::Reviewer, None);
        let policy = DeadlinePolicy::default();
        for to in [Granted, Denied, NoRecords] {
            let outcome = decide(
                &case(AdministrativeReview),
                &reviewer,
                to,
                &input_for(to),
                today(),
                &policy,
            )
            .unwrap();
            assert!(outcome.decision_final, "{to}");
            assert_eq!(outcome.determination, Some(Stage::Review));
            assert_eq!(outcome.appeal_deadline, None);
        }
        assert_eq!(
            missing_fields(
                AdministrativeReview,
                &reviewer,
                Denied,
                &TransitionInput::default()
            ),
            [
                "decision",
                "reason",
                "responsible",
                "segregability",
                "withheld"
            ]
        );
        assert_eq!(
            missing_fields(
                AdministrativeReview,
                &reviewer,
                NoRecords,
                &TransitionInput::default()
            ),
            ["decision", "search"]
        );
    }

    #[test]
    fn staff_withdrawing_for_the_requester_say_how_the_requester_asked() {
        let clerk = staff(1, Role::Clerk, None);
        assert_eq!(
            missing_fields(UnderReview, &clerk, Withdrawn, &TransitionInput::default()),
            ["note"]
        );
        let outcome = decide(
            &case(UnderReview),
            &clerk,
            Withdrawn,
            &complete_input(),
            today(),
            &DeadlinePolicy::default(),
        )
        .unwrap();
        assert!(outcome.on_behalf);
        let own = decide(
            &case(UnderReview),
            &Actor::Requester,
            Withdrawn,
            &TransitionInput::default(),
            today(),
            &DeadlinePolicy::default(),
        )
        .unwrap();
        assert!(!own.on_behalf, "the requester needs no note");
    }

    #[test]
    fn closing_as_a_duplicate_names_the_request_repeated_and_changes_nothing_else() {
        let clerk = staff(1, Role::Clerk, None);
        for from in [Submitted, UnderReview] {
            assert_eq!(
                missing_fields(from, &clerk, Duplicate, &TransitionInput::default()),
                ["duplicate_of"]
            );
            let outcome = decide(
                &case(from),
                &clerk,
                Duplicate,
                &complete_input(),
                today(),
                &DeadlinePolicy::default(),
            )
            .unwrap();
            assert_eq!(
                outcome.determination, None,
                "a repeat is not a determination"
            );
            assert_eq!(outcome.appeal_deadline, None, "nothing to appeal");
            assert!(!outcome.on_behalf && outcome.claim.is_none());
        }
        assert!(!Duplicate.is_open() && !Duplicate.in_queue());
        assert!(matches!(
            decide(
                &case(UnderReview),
                &Actor::Requester,
                Duplicate,
                &complete_input(),
                today(),
                &DeadlinePolicy::default(),
            ),
            Err(TransitionError::Forbidden(_))
        ));
    }

    #[test]
    fn an_initial_determination_opens_the_appeal_window() {
        let policy = DeadlinePolicy::default();
        let initial = decide(
            &case(UnderReview),
            &staff(1, Role::Clerk, None),
            Denied,
            &complete_input(),
            today(),
            &policy,
        )
        .unwrap();
        assert!(!initial.decision_final);
        assert_eq!(initial.determined_by, Some(StaffId(1)));
        assert_eq!(
            initial.appeal_deadline,
            Some(policy.appeal_deadline(today()))
        );
    }

    #[test]
    fn an_appeal_starts_the_review_clock_and_says_how_it_was_counted() {
        let policy = DeadlinePolicy::default();
        let outcome = decide(
            &case(Denied),
            &Actor::Requester,
            Appealed,
            &complete_input(),
            today(),
            &policy,
        )
        .unwrap();
        assert_eq!(outcome.due_on, Some(policy.review_due(today())));
        assert_eq!(outcome.reckoning.map(|r| r.due), outcome.due_on);
    }

    #[test]
    fn review_outcomes_compare_the_decision_with_what_was_appealed() {
        use ReviewOutcome::*;
        assert_eq!(ReviewOutcome::of((Denied, false), (Denied, false)), Upheld);
        assert_eq!(ReviewOutcome::of((Granted, true), (Granted, true)), Upheld);
        assert_eq!(
            ReviewOutcome::of((NoRecords, false), (NoRecords, false)),
            Upheld
        );
        assert_eq!(
            ReviewOutcome::of((Denied, false), (Granted, false)),
            Overturned
        );
        assert_eq!(
            ReviewOutcome::of((Denied, false), (Granted, true)),
            Overturned
        );
        assert_eq!(
            ReviewOutcome::of((Granted, true), (Granted, false)),
            Overturned
        );
        assert_eq!(
            ReviewOutcome::of((NoRecords, false), (Granted, true)),
            Overturned
        );
        assert_eq!(
            ReviewOutcome::of((Denied, false), (NoRecords, false)),
            Revised
        );
        assert_eq!(ReviewOutcome::of((Granted, true), (Denied, false)), Revised);
        for outcome in ReviewOutcome::ALL {
            assert_eq!(ReviewOutcome::parse(outcome.as_str()), Some(outcome));
        }
    }

    #[test]
    fn records_due_cannot_be_past_or_more_than_a_year_away() {
        let now = today().and_hms_opt(10, 0, 0).unwrap();
        assert!(check_records_due(now, now).is_ok());
        assert!(check_records_due(now - chrono::Duration::minutes(1), now).is_err());
        assert!(check_records_due(now + chrono::Duration::days(365), now).is_ok());
        assert!(check_records_due(now + chrono::Duration::days(367), now).is_err());
    }

    #[test]
    fn only_the_assignee_or_an_admin_manages_a_request() {
        let facts = case(UnderReview);
        let managers: Vec<&str> = actors()
            .into_iter()
            .filter(|(_, actor)| may_manage(&facts, actor))
            .map(|(label, _)| label)
            .collect();
        assert_eq!(managers, ["clerk_assignee", "admin", "admin_determiner"]);
    }

    #[test]
    fn refusals_list_what_the_actor_may_do_instead() {
        let err = decide(
            &case(Submitted),
            &staff(1, Role::Clerk, None),
            Granted,
            &complete_input(),
            today(),
            &DeadlinePolicy::default(),
        )
        .unwrap_err();
        assert_eq!(
            err,
            TransitionError::NotAllowed {
                from: Submitted,
                to: Granted,
                allowed: vec![UnderReview, Withdrawn, Duplicate]
            }
        );
    }
}
