//! The request state machine (docs/PRODUCT.md, "The life of a request") as a table, and the one function that decides
//! whether a transition may happen and what it changes.

use chrono::NaiveDate;

use super::access::{Actor, Role, StaffId};
use super::deadlines::DeadlinePolicy;
use super::input::{FieldErrors, Responsible, Text};
use super::status::Status;

/// Who may take a transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// The assigned clerk or steward; while nobody is assigned, any clerk or steward who serves
    /// the request's queue (taking it assigns it to them).
    Assignee,
    Admin,
    /// Whoever holds the request's private access token.
    Requester,
    /// A reviewer or admin who did not make the denial under appeal (separation of duties).
    IndependentReviewer,
    /// The reviewer who took the appeal up.
    TheReviewer,
}

/// What a transition must carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// `decision`: the determination or review decision text.
    Decision,
    /// When `partial` is set: `withheld` and at least one `legal_basis`.
    PartialDetails,
    /// `reason`: the written reasons for a denial.
    Reason,
    /// At least one `legal_basis` citation.
    LegalBasis,
    /// At least one `responsible` person with name and title.
    Responsible,
    /// `grounds` for an appeal.
    Grounds,
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
        who: &[Requester],
        requires: &[],
    },
    Rule {
        from: UnderReview,
        to: Withdrawn,
        who: &[Requester],
        requires: &[],
    },
    Rule {
        from: Appealed,
        to: Withdrawn,
        who: &[Requester],
        requires: &[],
    },
    Rule {
        from: UnderReview,
        to: Granted,
        who: &[Assignee, Admin],
        requires: &[Decision, PartialDetails],
    },
    Rule {
        from: UnderReview,
        to: Denied,
        who: &[Assignee, Admin],
        requires: &[Reason, LegalBasis, Requirement::Responsible],
    },
    Rule {
        from: Denied,
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
        requires: &[Decision, PartialDetails],
    },
    Rule {
        from: AdministrativeReview,
        to: Denied,
        who: &[TheReviewer],
        requires: &[Decision, LegalBasis],
    },
];

/// What the rules need to know about a request.
#[derive(Debug, Clone)]
pub struct CaseFacts {
    pub status: Status,
    pub queue: String,
    pub assignee: Option<StaffId>,
    /// Who made the denial now standing (initial or review).
    pub denied_by: Option<StaffId>,
    /// The reviewer who took up the appeal.
    pub reviewer: Option<StaffId>,
    /// A denial upheld on review: no further appeal.
    pub denial_final: bool,
    pub appeal_deadline: Option<NaiveDate>,
}

/// What a transition carries, already parsed; the rules check only presence.
#[derive(Debug, Clone, Default)]
pub struct TransitionInput {
    pub decision: Option<Text>,
    pub partial: bool,
    pub withheld: Option<Text>,
    pub legal_basis: Vec<Text>,
    pub responsible: Vec<Responsible>,
    pub reason: Option<Text>,
    pub grounds: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("a request that is {from} cannot become {to}")]
    NotAllowed {
        from: Status,
        to: Status,
        allowed: Vec<Status>,
    },
    #[error("this denial was upheld on review and is final; it cannot be appealed again")]
    FinalDenial { allowed: Vec<Status> },
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

/// What a permitted transition changes on the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionOutcome {
    pub from: Status,
    pub to: Status,
    /// Set the assignee (an unassigned request taken by whoever accepts it).
    pub claim: Option<StaffId>,
    /// Set the reviewer (an appeal taken up).
    pub reviewer: Option<StaffId>,
    /// Record who made this denial.
    pub denied_by: Option<StaffId>,
    pub denial_final: bool,
    pub appeal_deadline: Option<NaiveDate>,
    /// The new working due date, when the clock changes.
    pub due_on: Option<NaiveDate>,
    /// A determination to record, when the transition decides the request.
    pub determination: Option<Stage>,
}

fn staff_of(actor: &Actor) -> Option<&super::access::StaffMember> {
    match actor {
        Actor::Staff(staff) => Some(staff),
        Actor::Requester => None,
    }
}

fn is_party(party: Party, case: &CaseFacts, actor: &Actor) -> bool {
    let staff = staff_of(actor);
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
        IndependentReviewer => staff.is_some_and(|s| {
            matches!(s.role, Role::Reviewer | Role::Admin) && case.denied_by != Some(s.id)
        }),
        TheReviewer => staff.is_some_and(|s| {
            matches!(s.role, Role::Reviewer | Role::Admin) && case.reviewer == Some(s.id)
        }),
    }
}

/// The assigned clerk or steward, or an admin: who may extend a request and otherwise
/// manage it between transitions.
pub fn may_manage(case: &CaseFacts, actor: &Actor) -> bool {
    is_party(Assignee, case, actor) || is_party(Admin, case, actor)
}

/// A state-dependent guard beyond who is acting; `None` when it holds.
fn guard(rule: &Rule, case: &CaseFacts, today: NaiveDate) -> Option<TransitionError> {
    if rule.from != Denied || rule.to != Appealed {
        return None;
    }
    if case.denial_final {
        return Some(TransitionError::FinalDenial { allowed: vec![] });
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

fn missing(rule: &Rule, input: &TransitionInput) -> FieldErrors {
    let mut errors = FieldErrors::default();
    for requirement in rule.requires {
        match requirement {
            Decision if input.decision.is_none() => {
                errors.add("decision", "a written decision is required")
            }
            PartialDetails if input.partial => {
                if input.withheld.is_none() {
                    errors.add(
                        "withheld",
                        "a partial grant must say what is withheld and why",
                    );
                }
                if input.legal_basis.is_empty() {
                    errors.add(
                        "legal_basis",
                        "a partial grant must cite the legal basis for withholding",
                    );
                }
            }
            Reason if input.reason.is_none() => {
                errors.add("reason", "a denial must give its reasons in writing")
            }
            LegalBasis if input.legal_basis.is_empty() => errors.add(
                "legal_basis",
                "at least one legal basis citation is required",
            ),
            Requirement::Responsible if input.responsible.is_empty() => errors.add(
                "responsible",
                "name at least one person responsible for the denial, with their title",
            ),
            Grounds if input.grounds.is_none() => {
                errors.add("grounds", "say why the denial should be reconsidered")
            }
            _ => {}
        }
    }
    errors
}

fn forbidden_reason(rule: &Rule, case: &CaseFacts, actor: &Actor) -> String {
    let staff = staff_of(actor);
    let is_denier = staff.is_some_and(|s| case.denied_by == Some(s.id));
    if rule.who.contains(&IndependentReviewer) && is_denier {
        return "you made the denial under appeal; another reviewer must review it".into();
    }
    let who = rule
        .who
        .iter()
        .map(|party| match party {
            Assignee => "the assigned clerk or steward",
            Admin => "an admin",
            Requester => "the requester",
            IndependentReviewer => "a reviewer who did not make the denial",
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
        Some(TransitionError::FinalDenial { .. }) => {
            return Err(TransitionError::FinalDenial { allowed: allowed() })
        }
        Some(TransitionError::AppealWindowClosed { deadline, .. }) => {
            return Err(TransitionError::AppealWindowClosed {
                deadline,
                allowed: allowed(),
            })
        }
        _ => {}
    }
    let errors = missing(rule, input);
    if !errors.is_empty() {
        return Err(TransitionError::Missing(errors));
    }

    let actor_id = staff_of(actor).map(|s| s.id);
    let mut outcome = TransitionOutcome {
        from: case.status,
        to,
        claim: None,
        reviewer: None,
        denied_by: None,
        denial_final: false,
        appeal_deadline: None,
        due_on: None,
        determination: None,
    };
    // What the move changes besides the state. The table decides which moves exist, so the
    // target says it all, with whether the move decides an appeal.
    let on_review = case.status == AdministrativeReview;
    match to {
        UnderReview => {
            if case.assignee.is_none() {
                outcome.claim = actor_id;
            }
        }
        Granted => {
            outcome.determination = Some(if on_review {
                Stage::Review
            } else {
                Stage::Initial
            })
        }
        Denied if on_review => {
            outcome.determination = Some(Stage::Review);
            outcome.denied_by = actor_id;
            outcome.denial_final = true;
        }
        Denied => {
            outcome.determination = Some(Stage::Initial);
            outcome.denied_by = actor_id;
            outcome.appeal_deadline = Some(policy.appeal_deadline(today));
        }
        Appealed => outcome.due_on = Some(policy.review_due(today)),
        AdministrativeReview => outcome.reviewer = actor_id,
        Submitted | Withdrawn => {}
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::access::StaffMember;
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

    /// Every kind of caller, against a case assigned to staff 1, denied by admin 7 and
    /// taken up on appeal by reviewer 4.
    fn actors() -> Vec<(&'static str, Actor)> {
        vec![
            ("requester", Actor::Requester),
            ("clerk_assignee", staff(1, Role::Clerk, None)),
            ("clerk_other", staff(2, Role::Clerk, None)),
            ("steward_other", staff(3, Role::Steward, Some("police"))),
            ("the_reviewer", staff(4, Role::Reviewer, None)),
            ("reviewer_other", staff(5, Role::Reviewer, None)),
            ("admin", staff(6, Role::Admin, None)),
            ("admin_denier", staff(7, Role::Admin, None)),
        ]
    }

    fn case(status: Status) -> CaseFacts {
        CaseFacts {
            status,
            queue: CLERK_QUEUE.into(),
            assignee: Some(StaffId(1)),
            denied_by: Some(StaffId(7)),
            reviewer: Some(StaffId(4)),
            denial_final: false,
            appeal_deadline: Some(today() + chrono::Days::new(5)),
        }
    }

    fn text(s: &str) -> Option<Text> {
        Some(Text::line(s, 100).unwrap())
    }

    fn complete_input() -> TransitionInput {
        TransitionInput {
            decision: text("Records will be provided."),
            partial: false,
            withheld: None,
            legal_basis: vec![Text::line("Gov. Code §7927.705", 100).unwrap()],
            responsible: vec![Responsible::parse("Jo Clerk", "City Clerk").unwrap()],
            reason: text("Exempt personnel records."),
            grounds: text("The exemption does not apply."),
        }
    }

    /// docs/PRODUCT.md's table, written out independently of TABLE: who may make each transition.
    fn expected(from: Status, to: Status) -> &'static [&'static str] {
        const STAFF_DECIDES: &[&str] = &["clerk_assignee", "admin", "admin_denier"];
        match (from, to) {
            (Submitted, UnderReview) => STAFF_DECIDES,
            (Submitted | UnderReview | Appealed, Withdrawn) => &["requester"],
            (UnderReview, Granted | Denied) => STAFF_DECIDES,
            (Denied, Appealed) => &["requester"],
            (Appealed, AdministrativeReview) => &["the_reviewer", "reviewer_other", "admin"],
            (AdministrativeReview, Granted | Denied) => &["the_reviewer"],
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
                    let result =
                        decide(&case(from), &actor, to, &complete_input(), today(), &policy);
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
        assert_eq!(checked, 7 * 7 * 8);
    }

    #[test]
    fn the_table_has_exactly_the_ten_transitions_of_the_design() {
        let count = Status::ALL
            .iter()
            .flat_map(|&from| Status::ALL.iter().map(move |&to| (from, to)))
            .filter(|&(from, to)| !expected(from, to).is_empty())
            .count();
        assert_eq!(TABLE.len(), count);
        assert_eq!(TABLE.len(), 10);
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

    #[test]
    fn the_person_who_made_the_denial_cannot_review_its_appeal() {
        let mut facts = case(Appealed);
        facts.denied_by = Some(StaffId(5));
        let reviewer = staff(5, Role::Reviewer, None);
        let err = decide(
            &facts,
            &reviewer,
            AdministrativeReview,
            &TransitionInput::default(),
            today(),
            &DeadlinePolicy::default(),
        )
        .unwrap_err();
        match err {
            TransitionError::Forbidden(message) => assert!(message.contains("you made the denial")),
            other => panic!("expected Forbidden, got {other:?}"),
        }
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
    fn a_final_denial_cannot_be_appealed() {
        let mut facts = case(Denied);
        facts.denial_final = true;
        let err = decide(
            &facts,
            &Actor::Requester,
            Appealed,
            &complete_input(),
            today(),
            &DeadlinePolicy::default(),
        )
        .unwrap_err();
        assert_eq!(err, TransitionError::FinalDenial { allowed: vec![] });
        assert!(allowed_targets(&facts, &Actor::Requester, today()).is_empty());
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

    #[test]
    fn a_denial_needs_reasons_legal_basis_and_a_responsible_person() {
        let err = decide(
            &case(UnderReview),
            &staff(1, Role::Clerk, None),
            Denied,
            &TransitionInput::default(),
            today(),
            &DeadlinePolicy::default(),
        )
        .unwrap_err();
        let TransitionError::Missing(fields) = err else {
            panic!("expected Missing")
        };
        let names: Vec<&str> = fields.0.keys().map(String::as_str).collect();
        assert_eq!(names, ["legal_basis", "reason", "responsible"]);
    }

    #[test]
    fn a_partial_grant_must_say_what_is_withheld_and_why() {
        let clerk = staff(1, Role::Clerk, None);
        let policy = DeadlinePolicy::default();
        let input = TransitionInput {
            decision: text("Most records released."),
            partial: true,
            ..Default::default()
        };
        let TransitionError::Missing(fields) = decide(
            &case(UnderReview),
            &clerk,
            Granted,
            &input,
            today(),
            &policy,
        )
        .unwrap_err() else {
            panic!("expected Missing")
        };
        assert!(fields.0.contains_key("withheld") && fields.0.contains_key("legal_basis"));

        let whole = TransitionInput {
            decision: text("All records released."),
            ..Default::default()
        };
        assert!(decide(
            &case(UnderReview),
            &clerk,
            Granted,
            &whole,
            today(),
            &policy
        )
        .is_ok());
    }

    #[test]
    fn a_review_denial_is_final_and_an_initial_denial_opens_the_appeal_window() {
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
        assert!(!initial.denial_final);
        assert_eq!(initial.denied_by, Some(StaffId(1)));
        assert_eq!(
            initial.appeal_deadline,
            Some(policy.appeal_deadline(today()))
        );

        let review = decide(
            &case(AdministrativeReview),
            &staff(4, Role::Reviewer, None),
            Denied,
            &complete_input(),
            today(),
            &policy,
        )
        .unwrap();
        assert!(review.denial_final);
        assert_eq!(review.determination, Some(Stage::Review));
    }

    #[test]
    fn an_appeal_starts_the_review_clock() {
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
    }

    #[test]
    fn only_the_assignee_or_an_admin_manages_a_request() {
        let facts = case(UnderReview);
        let managers: Vec<&str> = actors()
            .into_iter()
            .filter(|(_, actor)| may_manage(&facts, actor))
            .map(|(label, _)| label)
            .collect();
        assert_eq!(managers, ["clerk_assignee", "admin", "admin_denier"]);
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
                allowed: vec![UnderReview]
            }
        );
    }
}
