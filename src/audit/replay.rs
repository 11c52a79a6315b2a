//! A request's state as its chain says it must be. Every column a step changes is changed by
//! its `Step`, so replaying a chain's steps in order gives the row the request must have: an
//! UPDATE behind the service's back (a status, a description, a requester's email) needs no hashing and leaves every event intact, but not the row as its events make it.
//! Pure functions; `state.rs` compares the outcome with the stored rows.

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::deadlines::Reckoning;
use crate::domain::ids::StaffId;
use crate::domain::step::{RequesterDetails, Step};
use crate::domain::{Circumstance, RequestKind, Status};

/// What the chain says a column holds. `None` where the chain cannot say: a value its older
/// events did not record (a due date counted before reckonings were kept, a production
/// reopened before the new due date was recorded, a grant made before determinations were
/// tracked). Such a column is not checked until a later step sets it again.
pub type Known<T> = Option<T>;

/// The request row (and its requester) its chain makes.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    pub kind: RequestKind,
    pub status: Status,
    pub version: i32,
    pub requester: RequesterDetails,
    pub description: String,
    pub dataset_id: Option<String>,
    pub fields_needed: Option<String>,
    pub intended_use: Option<String>,
    pub preferred_format: Option<String>,
    pub queue: String,
    /// Staff are named by email in the chain and by id in the row.
    pub assignee: Option<String>,
    pub received_at: NaiveDateTime,
    /// How it arrived: `Channel`'s stored name, as the row keeps it.
    pub channel: String,
    pub determination_due: NaiveDate,
    pub extension_days: Option<i32>,
    pub extension_circumstance: Option<Circumstance>,
    pub extension_reason: Option<String>,
    pub due_on: Known<NaiveDate>,
    pub determined_by: Known<Option<String>>,
    pub decision_final: Known<bool>,
    pub appeal_deadline: Option<NaiveDate>,
    pub appeal_grounds: Option<String>,
    pub appealed_at: Option<NaiveDateTime>,
    pub reviewer: Option<String>,
    pub withdraw_reason: Option<String>,
    pub closed_at: Known<Option<NaiveDateTime>>,
    pub partial: Known<bool>,
    pub responsible_ids: Vec<StaffId>,
    pub records_due_at: Option<NaiveDateTime>,
    pub produced_at: Known<Option<NaiveDateTime>>,
    pub reopened: i32,
    pub due_reckoning: Known<Vec<Reckoning>>,
    /// The request it repeats, by tracking number.
    pub duplicate_of: Option<String>,
    /// The earlier request a clarification turned into this one.
    pub follows: Option<String>,
    /// A complaint's subject, place and day.
    pub subject: Option<String>,
    pub location: Option<String>,
    pub occurred_on: Option<NaiveDate>,
    /// A complaint closed: the agency referred to, and what the complainant was told.
    pub referred_to: Option<String>,
    pub closing_note: Option<String>,
    /// Since when the request waits on its requester's answer (docs/PRODUCT.md, "Duty to
    /// assist"): set by help with a question, cleared by their message or a move out of
    /// awaiting a determination.
    pub awaiting_requester_since: Known<Option<NaiveDateTime>>,
    pub updated_at: NaiveDateTime,
}

/// Why a chain makes no state at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unreplayable {
    #[error("the chain does not begin with the request's submission")]
    NoSubmission,
    #[error("a second submission in one chain")]
    SubmittedAgain,
}

/// One event as the replay reads it: when, by whom (the staff email, if staff), and what.
pub struct Event<'a> {
    pub at: NaiveDateTime,
    pub staff: Option<&'a str>,
    pub step: &'a Step,
}

/// The staff email in an actor label (`staff:clerk@city.test`).
pub fn staff_of(actor: &str) -> Option<&str> {
    actor.strip_prefix("staff:")
}

/// Whether an action changes the request row, so its content must be read to replay it.
pub fn changes_state(action: &str) -> bool {
    matches!(
        action,
        "submitted"
            | "transition"
            | "extended"
            | "assigned"
            | "rerouted"
            | "produced"
            | "reopened"
            | "assisted"
            | "message"
            | "fee_estimated"
            | "fee_answered"
            | "fee_recorded"
    )
}

impl Expected {
    /// The state its submission gives a request.
    fn submitted(at: NaiveDateTime, step: &Step) -> Result<Expected, Unreplayable> {
        let Step::Submitted(s) = step else {
            return Err(Unreplayable::NoSubmission);
        };
        Ok(Expected {
            kind: s.kind,
            status: Status::first_of(s.kind),
            version: 1,
            requester: s.requester.clone(),
            description: s.description.clone(),
            // The form's dataset is kept for access requests only.
            dataset_id: s.dataset_id.clone().filter(|_| s.kind.is_access()),
            fields_needed: s.fields_needed.clone(),
            intended_use: s.intended_use.clone(),
            preferred_format: s.preferred_format.clone(),
            queue: s.queue.clone(),
            assignee: s.assignee.clone(),
            // Recorded by staff after it arrived: the receipt they gave, not the event's time.
            received_at: s.received_at.unwrap_or(at),
            channel: s.channel.as_str().to_string(),
            determination_due: s.determination_due,
            extension_days: None,
            extension_circumstance: None,
            extension_reason: None,
            due_on: Some(s.determination_due),
            determined_by: Some(None),
            decision_final: Some(false),
            appeal_deadline: None,
            appeal_grounds: None,
            appealed_at: None,
            reviewer: None,
            withdraw_reason: None,
            closed_at: Some(None),
            partial: Some(false),
            responsible_ids: Vec::new(),
            records_due_at: None,
            produced_at: Some(None),
            reopened: 0,
            due_reckoning: s.reckoning.clone().map(|r| vec![r]),
            duplicate_of: None,
            follows: s.follows.clone(),
            subject: s.complaint.as_ref().map(|c| c.subject.clone()),
            location: s.complaint.as_ref().and_then(|c| c.location.clone()),
            occurred_on: s.complaint.as_ref().and_then(|c| c.occurred_on),
            referred_to: None,
            closing_note: None,
            awaiting_requester_since: Some(None),
            updated_at: at,
        })
    }

    /// A step that writes the row moves its version and its time.
    fn written(&mut self, at: NaiveDateTime) {
        self.version += 1;
        self.updated_at = at;
    }

    fn reckoned(&mut self, reckoning: &Option<Reckoning>) {
        match (reckoning, &mut self.due_reckoning) {
            (Some(next), Some(all)) => all.push(next.clone()),
            _ => self.due_reckoning = None,
        }
    }

    /// Applies one step after the submission, as the operation that wrote it changed the row
    /// (`app::act::transition`, `manage`, `production`; a column a change leaves `None` keeps
    /// its value there too).
    fn apply(&mut self, event: &Event<'_>) -> Result<(), Unreplayable> {
        let at = event.at;
        let staff = event.staff.map(str::to_string);
        match event.step {
            Step::Submitted(_) => return Err(Unreplayable::SubmittedAgain),
            Step::Transition(m) => {
                let before_partial = self.partial;
                self.written(at);
                self.status = m.to;
                if m.assignee_claimed {
                    self.assignee = staff.clone();
                }
                if m.to == Status::AdministrativeReview {
                    self.reviewer = staff.clone();
                }
                let decided = matches!(m.to, Status::Granted | Status::Denied | Status::NoRecords);
                if decided {
                    if staff.is_some() {
                        self.determined_by = Some(staff.clone());
                    }
                    self.partial = Some(m.partial);
                    self.responsible_ids =
                        m.responsible.iter().filter_map(|r| r.staff_id).collect();
                }
                if m.is_final {
                    self.decision_final = Some(true);
                }
                if let Some(deadline) = m.appeal_deadline {
                    self.appeal_deadline = Some(deadline);
                }
                if let Some(due) = m.due_on {
                    self.due_on = Some(due);
                }
                if m.to == Status::Appealed {
                    self.appealed_at = Some(at);
                    if m.grounds.is_some() {
                        self.appeal_grounds = m.grounds.clone();
                    }
                }
                if m.to == Status::Duplicate {
                    self.duplicate_of = m.duplicate_of.clone();
                }
                // A complaint closed: by whom, to whom, and what the complainant was told.
                match m.to {
                    Status::Resolved | Status::Referred | Status::Dismissed => {
                        self.determined_by = Some(staff.clone());
                        self.referred_to = m.referred_to.clone();
                        self.closing_note = crate::domain::transitions::closing_note(
                            m.to,
                            m.decision.as_deref(),
                            m.reason.as_deref(),
                        )
                        .map(str::to_string);
                    }
                    _ => {}
                }
                if !m.to.awaits_determination() {
                    self.awaiting_requester_since = Some(None);
                }
                if m.to == Status::Withdrawn && m.reason.is_some() {
                    self.withdraw_reason = m.reason.clone();
                }
                if m.records_due_at.is_some() {
                    self.records_due_at = m.records_due_at;
                }
                self.reckoned_if(&m.reckoning);
                let produced_now = m.to == Status::Granted && self.kind == RequestKind::ApiAccess;
                if !m.to.is_open() && (m.to != Status::Granted || produced_now) {
                    self.closed_at = Some(Some(at));
                }
                if m.to == Status::Granted {
                    // A review that upholds a grant in part without a new date keeps its
                    // records' date and production as they were.
                    let kept = before_partial.map(|partial| {
                        m.from == Status::AdministrativeReview
                            && partial
                            && m.partial
                            && m.records_due_at.is_none()
                    });
                    match kept {
                        Some(true) => {}
                        Some(false) if m.records_due_at.is_some() => {
                            self.produced_at = Some(produced_now.then_some(at));
                        }
                        // A grant with no date for its records was made before grants had
                        // one (or after a grant of that kind): then it closed at once, and
                        // who made it and whether it was final were kept otherwise.
                        _ => {
                            self.produced_at = None;
                            self.closed_at = None;
                            self.determined_by = None;
                            self.decision_final = None;
                            self.partial = None;
                        }
                    }
                }
            }
            Step::Extended(e) => {
                self.written(at);
                self.determination_due = e.determination_due;
                self.due_on = Some(e.determination_due);
                self.extension_days = Some(e.days as i32);
                self.extension_circumstance = Some(e.circumstance);
                if e.reason.is_some() {
                    self.extension_reason = e.reason.clone();
                }
                self.reckoned(&e.reckoning);
            }
            Step::Assigned(a) => {
                self.written(at);
                self.assignee = Some(a.to.clone());
            }
            Step::Rerouted(r) => {
                self.written(at);
                self.queue = r.to_queue.clone();
                self.assignee = None;
            }
            Step::Produced(_) => {
                self.written(at);
                self.produced_at = Some(Some(at));
                self.closed_at = Some(Some(at));
            }
            Step::Reopened(r) => {
                self.written(at);
                self.produced_at = Some(None);
                self.records_due_at = Some(r.records_due_at);
                self.due_on = r.due_on;
                self.reopened += 1;
            }
            // A fee's own tables hold its money; the request's row only moves its version.
            Step::FeeEstimated(_) | Step::FeeAnswered(_) | Step::FeeRecorded(_) => {
                self.written(at);
            }
            Step::Assisted(a) if a.question.is_some() => {
                self.awaiting_requester_since = Some(Some(at));
            }
            Step::Message(m) if m.author == crate::domain::step::Author::Requester => {
                self.awaiting_requester_since = Some(None);
            }
            Step::Message(_)
            | Step::Note(_)
            | Step::Assisted(_)
            | Step::DocumentAdded(_)
            | Step::DocumentsReleased(_)
            | Step::DocumentDownloaded(_)
            | Step::ApiKeyClaimed(_)
            | Step::ApiKeyRevoked(_)
            | Step::ApiKeyReplacementAsked(_)
            | Step::ApiKeyReplacementOffered(_)
            | Step::NoticeQueued(_)
            | Step::NoticeDelivered(_)
            | Step::NoticeFailed(_)
            | Step::NoticeDeadLettered(_)
            | Step::NoticeRetried(_)
            | Step::LinkIssued(_)
            | Step::LinksRevoked(_)
            | Step::LinkRequested(_)
            | Step::LetterPosted(_)
            | Step::NoticeBounced(_)
            // The reading room keeps its own table; the request's row is not changed.
            | Step::Published(_)
            | Step::KeptOut(_)
            | Step::PublicationWithdrawn(_) => {}
        }
        Ok(())
    }

    /// A move that recounted the due date adds its reckoning; one that did not leaves them.
    fn reckoned_if(&mut self, reckoning: &Option<Reckoning>) {
        if reckoning.is_some() {
            self.reckoned(reckoning);
        }
    }
}

/// Replays a chain's events, in order, to the state they make. Only the events that change
/// the row need be given (`changes_state`); the first must be the submission.
pub fn replay<'a>(events: impl IntoIterator<Item = Event<'a>>) -> Result<Expected, Unreplayable> {
    let mut events = events.into_iter();
    let first = events.next().ok_or(Unreplayable::NoSubmission)?;
    let mut state = Expected::submitted(first.at, first.step)?;
    for event in events {
        state.apply(&event)?;
    }
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::deadlines::DueBasis;
    use crate::domain::input::Responsible;
    use crate::domain::step::{
        Assigned, Extended, Moved, Produced, Production, Reopened, Submitted,
    };
    use crate::domain::transitions::ReviewOutcome;

    fn at(minute: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, 2)
            .unwrap()
            .and_hms_opt(9, minute, 0)
            .unwrap()
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    fn filed(kind: RequestKind) -> Step {
        Step::Submitted(Submitted {
            kind,
            dataset_id: Some("ds-1".into()),
            ..Submitted::example("Jane", "Logs", day(12))
        })
    }

    fn run(kind: RequestKind, steps: &[(u32, Option<&str>, Step)]) -> Expected {
        let first = filed(kind);
        let mut events = vec![Event {
            at: at(0),
            staff: None,
            step: &first,
        }];
        events.extend(steps.iter().map(|(minute, staff, step)| Event {
            at: at(*minute),
            staff: *staff,
            step,
        }));
        replay(events).unwrap()
    }

    #[test]
    fn a_complaint_starts_received_moves_between_departments_and_closes_with_what_it_was_told() {
        use crate::domain::step::{ComplaintDetails, Rerouted};
        let clerk = Some("clerk@city.test");
        let inspector = Some("inspector@city.test");
        let first = Step::Submitted(Submitted {
            kind: RequestKind::Complaint,
            complaint: Some(ComplaintDetails {
                subject: "Blocked sidewalk".into(),
                location: Some("Galindo Street".into()),
                occurred_on: Some(day(1)),
            }),
            ..Submitted::example("Jane", "A fence", day(31))
        });
        let rerouted = Step::Rerouted(Rerouted {
            from_queue: "city_clerk".into(),
            to_queue: "code_enforcement".into(),
            department: "Code Enforcement".into(),
            from_department: None,
            unassigned: clerk.map(str::to_string),
            note: None,
        });
        let steps = [
            (
                1,
                clerk,
                Step::Transition(Moved {
                    assignee_claimed: true,
                    ..Moved::bare(Status::Received, Status::Investigating)
                }),
            ),
            (2, clerk, rerouted),
            (
                3,
                inspector,
                Step::Transition(Moved {
                    reason: Some("Nothing to act on".into()),
                    ..Moved::bare(Status::Investigating, Status::Dismissed)
                }),
            ),
        ];
        let mut events = vec![Event {
            at: at(0),
            staff: None,
            step: &first,
        }];
        events.extend(steps.iter().take(2).map(|(minute, staff, step)| Event {
            at: at(*minute),
            staff: *staff,
            step,
        }));
        let sent = replay(events).unwrap();
        assert_eq!(sent.status, Status::Investigating);
        assert_eq!(sent.queue, "code_enforcement");
        assert_eq!(sent.assignee, None, "it waits for whoever takes it there");
        assert_eq!(sent.subject.as_deref(), Some("Blocked sidewalk"));
        assert_eq!(sent.location.as_deref(), Some("Galindo Street"));
        assert_eq!(sent.occurred_on, Some(day(1)));
        assert_eq!(sent.version, 3);

        let mut events = vec![Event {
            at: at(0),
            staff: None,
            step: &first,
        }];
        events.extend(steps.iter().map(|(minute, staff, step)| Event {
            at: at(*minute),
            staff: *staff,
            step,
        }));
        let dismissed = replay(events).unwrap();
        assert_eq!(dismissed.status, Status::Dismissed);
        assert_eq!(dismissed.closing_note.as_deref(), Some("Nothing to act on"));
        assert_eq!(dismissed.referred_to, None);
        assert_eq!(dismissed.determined_by, Some(inspector.map(str::to_string)));
        assert_eq!(dismissed.closed_at, Some(Some(at(3))));

        let referred = run(
            RequestKind::Complaint,
            &[(
                4,
                inspector,
                Step::Transition(Moved {
                    referred_to: Some("Contra Costa County".into()),
                    decision: Some("Theirs".into()),
                    ..Moved::bare(Status::Received, Status::Referred)
                }),
            )],
        );
        assert_eq!(referred.referred_to.as_deref(), Some("Contra Costa County"));
        assert_eq!(referred.closing_note.as_deref(), Some("Theirs"));
    }

    #[test]
    fn a_repeat_keeps_the_number_of_the_request_it_repeats_and_other_moves_leave_it() {
        let clerk = Some("clerk@city.test");
        let closed = run(
            RequestKind::PublicRecords,
            &[(
                1,
                clerk,
                Step::Transition(Moved {
                    duplicate_of: Some("RR-2026-00007".into()),
                    ..Moved::bare(Status::Submitted, Status::Duplicate)
                }),
            )],
        );
        assert_eq!(closed.status, Status::Duplicate);
        assert_eq!(closed.duplicate_of.as_deref(), Some("RR-2026-00007"));
        assert_eq!(closed.closed_at, Some(Some(at(1))));
        let accepted = run(
            RequestKind::PublicRecords,
            &[(
                1,
                clerk,
                Step::Transition(Moved {
                    duplicate_of: Some("RR-2026-00007".into()),
                    ..Moved::bare(Status::Submitted, Status::UnderReview)
                }),
            )],
        );
        assert_eq!(
            accepted.duplicate_of, None,
            "only closing as a repeat links it"
        );
    }

    #[test]
    fn a_question_makes_the_request_wait_until_the_requester_answers_or_it_is_decided() {
        use crate::domain::ids::MessageId;
        use crate::domain::step::{Assistance, Author, Message};
        let help = |question: Option<&str>| {
            Step::Assisted(Assistance {
                records: "The March logs.".into(),
                location: None,
                suggestions: "Name the days.".into(),
                question: question.map(str::to_string),
                author_name: "Pat Records".into(),
            })
        };
        let message = |author| {
            Step::Message(Message {
                message_id: MessageId(1),
                author,
                author_name: "Jane".into(),
                body: "The 14th.".into(),
                files: vec![],
                email: None,
            })
        };
        let clerk = Some("clerk@city.test");
        let asked = run(
            RequestKind::PublicRecords,
            &[
                (1, clerk, help(None)),
                (2, clerk, help(Some("Which days?"))),
            ],
        );
        assert_eq!(asked.awaiting_requester_since, Some(Some(at(2))));
        let helped = run(RequestKind::PublicRecords, &[(1, clerk, help(None))]);
        assert_eq!(
            helped.awaiting_requester_since,
            Some(None),
            "help alone asks nothing"
        );
        let staff_wrote = run(
            RequestKind::PublicRecords,
            &[
                (2, clerk, help(Some("Which days?"))),
                (3, clerk, message(Author::Staff)),
            ],
        );
        assert_eq!(
            staff_wrote.awaiting_requester_since,
            Some(Some(at(2))),
            "only their answer"
        );
        let answered = run(
            RequestKind::PublicRecords,
            &[
                (2, clerk, help(Some("Which days?"))),
                (3, None, message(Author::Requester)),
            ],
        );
        assert_eq!(answered.awaiting_requester_since, Some(None));
        let withdrawn = run(
            RequestKind::PublicRecords,
            &[
                (2, clerk, help(Some("Which days?"))),
                (
                    3,
                    None,
                    Step::Transition(Moved::bare(Status::Submitted, Status::Withdrawn)),
                ),
            ],
        );
        assert_eq!(withdrawn.awaiting_requester_since, Some(None));
        let accepted = run(
            RequestKind::PublicRecords,
            &[
                (2, clerk, help(Some("Which days?"))),
                (
                    3,
                    clerk,
                    Step::Transition(Moved::bare(Status::Submitted, Status::UnderReview)),
                ),
            ],
        );
        assert_eq!(
            accepted.awaiting_requester_since,
            Some(Some(at(2))),
            "still waiting"
        );
        assert!(changes_state("assisted") && changes_state("message"));
        // The mail log, notes and downloads never change the row: verify need not read them.
        for action in [
            "note",
            "notice_queued",
            "notice_delivered",
            "document_downloaded",
        ] {
            assert!(!changes_state(action), "{action}");
        }
    }

    #[test]
    fn a_submission_alone_is_the_row_as_filed() {
        let state = run(RequestKind::PublicRecords, &[]);
        assert_eq!(state.status, Status::Submitted);
        assert_eq!(state.version, 1);
        assert_eq!(state.dataset_id, None, "kept for access requests only");
        assert_eq!(state.due_on, Some(day(12)));
        assert_eq!(state.due_reckoning, None, "not recorded: not checked");
    }

    #[test]
    fn a_grant_in_part_then_production_and_reopening_make_the_columns_they_wrote() {
        let clerk = Some("clerk@city.test");
        let grant = Step::Transition(Moved {
            partial: true,
            responsible: vec![Responsible {
                name: "Jo".into(),
                title: "Clerk".into(),
                staff_id: Some(StaffId(7)),
            }],
            appeal_deadline: Some(day(30)),
            due_on: Some(day(20)),
            records_due_at: Some(at(50)),
            ..Moved::bare(Status::UnderReview, Status::Granted)
        });
        let accept = Step::Transition(Moved {
            assignee_claimed: true,
            ..Moved::bare(Status::Submitted, Status::UnderReview)
        });
        let produced = Step::Produced(Produced {
            how: Production::Paper,
            note: None,
            records_due_at: at(50),
            late: false,
        });
        let reopened = Step::Reopened(Reopened {
            reason: "more".into(),
            records_due_at: at(55),
            produced_at: at(40),
            due_on: Some(day(25)),
        });
        let state = run(
            RequestKind::PublicRecords,
            &[
                (1, clerk, accept),
                (2, clerk, grant),
                (40, clerk, produced.clone()),
            ],
        );
        assert_eq!(state.assignee.as_deref(), clerk);
        assert_eq!(state.status, Status::Granted);
        assert_eq!(state.determined_by, Some(clerk.map(str::to_string)));
        assert_eq!(state.partial, Some(true));
        assert_eq!(state.responsible_ids, [StaffId(7)]);
        assert_eq!(state.produced_at, Some(Some(at(40))));
        assert_eq!(state.closed_at, Some(Some(at(40))));
        assert_eq!(state.version, 4);
        assert_eq!(state.updated_at, at(40));

        let grant = run(
            RequestKind::PublicRecords,
            &[(
                2,
                clerk,
                Step::Transition(Moved {
                    records_due_at: Some(at(50)),
                    ..Moved::bare(Status::UnderReview, Status::Granted)
                }),
            )],
        );
        assert_eq!(
            grant.closed_at,
            Some(None),
            "a grant stays open until produced"
        );
        let state = run(RequestKind::PublicRecords, &[(41, clerk, reopened)]);
        assert_eq!(state.produced_at, Some(None));
        assert_eq!(state.records_due_at, Some(at(55)));
        assert_eq!(state.due_on, Some(day(25)));
        assert_eq!(state.reopened, 1);
    }

    #[test]
    fn an_extension_and_an_assignment_move_what_they_move() {
        let extended = Step::Extended(Extended {
            days: 14,
            circumstance: Circumstance::ALL[0],
            circumstance_text: String::new(),
            reason: Some("volume".into()),
            previous_due: day(12),
            determination_due: day(26),
            signed_by: None,
            reckoning: None,
        });
        let assigned = Step::Assigned(Assigned {
            from: None,
            to: "steward@city.test".into(),
            to_queue: None,
        });
        let state = run(
            RequestKind::PublicRecords,
            &[
                (1, Some("a@city.test"), extended),
                (2, Some("a@city.test"), assigned),
            ],
        );
        assert_eq!(state.determination_due, day(26));
        assert_eq!(state.due_on, Some(day(26)));
        assert_eq!(state.extension_days, Some(14));
        assert_eq!(state.extension_reason.as_deref(), Some("volume"));
        assert_eq!(state.assignee.as_deref(), Some("steward@city.test"));
        assert_eq!(state.version, 3);
    }

    #[test]
    fn an_api_access_grant_is_produced_and_closed_at_once() {
        let grant = Step::Transition(Moved {
            records_due_at: Some(at(3)),
            ..Moved::bare(Status::UnderReview, Status::Granted)
        });
        let state = run(RequestKind::ApiAccess, &[(3, Some("s@city.test"), grant)]);
        assert_eq!(state.produced_at, Some(Some(at(3))));
        assert_eq!(state.closed_at, Some(Some(at(3))));
        assert_eq!(state.dataset_id.as_deref(), Some("ds-1"));
    }

    #[test]
    fn a_grant_from_before_grants_had_a_date_leaves_its_columns_unchecked() {
        let old_grant = Step::Transition(Moved::bare(Status::UnderReview, Status::Granted));
        let state = run(
            RequestKind::PublicRecords,
            &[(3, Some("c@city.test"), old_grant)],
        );
        assert_eq!(state.status, Status::Granted);
        assert_eq!(
            (state.closed_at, state.produced_at, state.determined_by),
            (None, None, None)
        );
    }

    fn reckoning(basis: DueBasis, due: u32) -> Reckoning {
        Reckoning {
            basis,
            from: day(2),
            days: 10,
            counted_to: day(due),
            skipped: vec![],
            due: day(due),
        }
    }

    /// Each count of the due date, from the filing on, is added in order: the filing's, an
    /// extension's, an appeal's; a move that did not recount leaves them as they were.
    #[test]
    fn every_recount_of_the_due_date_is_added_in_order() {
        let receipt = reckoning(DueBasis::Receipt, 12);
        let extension = reckoning(
            DueBasis::Extension {
                days: 14,
                circumstance: Circumstance::ALL[0],
            },
            26,
        );
        let appeal = reckoning(DueBasis::Appeal, 30);
        let Step::Submitted(submitted) = filed(RequestKind::PublicRecords) else {
            unreachable!()
        };
        let first = Step::Submitted(Submitted {
            reckoning: Some(receipt.clone()),
            ..submitted
        });
        let extended = Step::Extended(Extended {
            days: 14,
            circumstance: Circumstance::ALL[0],
            circumstance_text: String::new(),
            reason: None,
            previous_due: day(12),
            determination_due: day(26),
            signed_by: None,
            reckoning: Some(extension.clone()),
        });
        let accept = Step::Transition(Moved::bare(Status::Submitted, Status::UnderReview));
        let appealed = Step::Transition(Moved {
            due_on: Some(day(30)),
            reckoning: Some(appeal.clone()),
            ..Moved::bare(Status::Denied, Status::Appealed)
        });
        let steps = [(1, extended), (2, accept), (3, appealed)];
        let events = std::iter::once(Event {
            at: at(0),
            staff: None,
            step: &first,
        })
        .chain(steps.iter().map(|(minute, step)| Event {
            at: at(*minute),
            staff: Some("c@city.test"),
            step,
        }));
        let state = replay(events).unwrap();
        assert_eq!(state.due_reckoning, Some(vec![receipt, extension, appeal]));
    }

    /// A review that grants with a new date for the records makes them due again: not yet
    /// produced, whatever the first grant was.
    #[test]
    fn a_review_granting_with_a_date_reopens_production() {
        let first_grant = Step::Transition(Moved {
            partial: true,
            records_due_at: Some(at(10)),
            ..Moved::bare(Status::UnderReview, Status::Granted)
        });
        let produced = Step::Produced(Produced {
            how: Production::Paper,
            note: None,
            records_due_at: at(10),
            late: false,
        });
        let on_review = Step::Transition(Moved {
            partial: true,
            records_due_at: Some(at(50)),
            review: Some(ReviewOutcome::Revised),
            ..Moved::bare(Status::AdministrativeReview, Status::Granted)
        });
        let clerk = Some("c@city.test");
        let state = run(
            RequestKind::PublicRecords,
            &[
                (2, clerk, first_grant),
                (5, clerk, produced),
                (20, clerk, on_review),
            ],
        );
        assert_eq!(state.produced_at, Some(None), "the records are due again");
        assert_eq!(state.records_due_at, Some(at(50)));
    }

    #[test]
    fn a_chain_must_start_with_its_one_submission() {
        let message = Step::Assigned(Assigned {
            from: None,
            to: "x@city.test".into(),
            to_queue: None,
        });
        let first = Event {
            at: at(0),
            staff: None,
            step: &message,
        };
        assert_eq!(replay([first]), Err(Unreplayable::NoSubmission));
        let submitted = filed(RequestKind::PublicRecords);
        let twice = (0..2).map(|_| Event {
            at: at(0),
            staff: None,
            step: &submitted,
        });
        assert_eq!(replay(twice), Err(Unreplayable::SubmittedAgain));
    }
}
