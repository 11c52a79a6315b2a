//! The stored request against the state its chain makes (`replay`): the first column that
//! differs, named. An UPDATE of a request or its requester behind the service's back leaves
//! every event's hash intact; this is what catches it.

use std::collections::HashMap;
use std::fmt::Debug;

use chrono::NaiveDateTime;

use super::replay::{self, Event, Expected, Known};
use crate::db::models::{AuditRow, RequestRow, RequesterRow};
use crate::domain::ids::StaffId;
use crate::domain::step::Step;

/// Staff emails by id: the chain names staff by email, the row by id.
pub type StaffEmails = HashMap<StaffId, String>;

/// A column whose stored value is not what the chain makes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub column: &'static str,
    /// The stored and the expected value; None for what a requester wrote or who they are,
    /// which `audit verify` does not print.
    pub values: Option<(String, String)>,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.values {
            Some((stored, expected)) => write!(
                f,
                "{} is {stored} but its chain makes it {expected}",
                self.column
            )?,
            None => write!(f, "{} differs from what its chain makes it", self.column)?,
        }
        write!(f, ": the row was changed behind the service's back")
    }
}

/// Why a request's state could not be checked against its chain, or where it differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateProblem {
    /// An event that changes the request holds content its action cannot have.
    Unreadable {
        event_id: i64,
        seq: i64,
    },
    /// The chain as a whole makes no state.
    Unreplayable(replay::Unreplayable),
    Differs(Mismatch),
}

/// An event that changes the row (`replay::changes_state`), its step read already (None: its
/// content is not what its action records).
pub struct ReadStep<'a> {
    pub event_id: i64,
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor: &'a str,
    pub step: Option<Step>,
}

/// Replays a verified chain and compares the outcome with the request row and its requester.
pub fn check(
    row: &RequestRow,
    requester: Option<&RequesterRow>,
    events: &[AuditRow],
    staff: &StaffEmails,
) -> Result<(), StateProblem> {
    let steps: Vec<ReadStep<'_>> = events
        .iter()
        .filter(|e| replay::changes_state(&e.action))
        .map(|event| ReadStep {
            event_id: event.id,
            seq: event.seq,
            at: event.at,
            actor: &event.actor,
            step: Step::from_stored(&event.action, &event.content).ok(),
        })
        .collect();
    check_read(row, requester, &steps, staff)
}

/// `check` over the chain's steps as `audit verify` read them while hashing the chain.
pub fn check_read(
    row: &RequestRow,
    requester: Option<&RequesterRow>,
    steps: &[ReadStep<'_>],
    staff: &StaffEmails,
) -> Result<(), StateProblem> {
    let mut events = Vec::with_capacity(steps.len());
    for read in steps {
        let step = read.step.as_ref().ok_or(StateProblem::Unreadable {
            event_id: read.event_id,
            seq: read.seq,
        })?;
        events.push(Event {
            at: read.at,
            staff: replay::staff_of(read.actor),
            step,
        });
    }
    let expected = replay::replay(events).map_err(StateProblem::Unreplayable)?;
    compare(&expected, row, requester, staff).map_err(StateProblem::Differs)
}

/// Compares one column: `Err` names it with both values.
fn same<T: PartialEq + Debug>(
    column: &'static str,
    stored: &T,
    expected: &T,
) -> Result<(), Mismatch> {
    if stored == expected {
        return Ok(());
    }
    Err(Mismatch {
        column,
        values: Some((format!("{stored:?}"), format!("{expected:?}"))),
    })
}

/// `same` for what a requester wrote or who they are: named, not printed.
fn same_private<T: PartialEq>(
    column: &'static str,
    stored: &T,
    expected: &T,
) -> Result<(), Mismatch> {
    match stored == expected {
        true => Ok(()),
        false => Err(Mismatch {
            column,
            values: None,
        }),
    }
}

/// `same` for a column the chain may not determine (`Known`).
fn same_if_known<T: PartialEq + Debug>(
    column: &'static str,
    stored: &T,
    expected: &Option<T>,
) -> Result<(), Mismatch> {
    match expected {
        Some(expected) => same(column, stored, expected),
        None => Ok(()),
    }
}

/// How far a production's time in the row may be from its event's: the operation takes its
/// clock once for the change and once more for the events it appends (microseconds apart).
const PRODUCTION_CLOCK: chrono::TimeDelta = chrono::TimeDelta::seconds(1);

/// `same_if_known` for a time the row takes from a clock read just before its event's.
fn near_if_known(
    column: &'static str,
    stored: &Option<NaiveDateTime>,
    expected: &Known<Option<NaiveDateTime>>,
) -> Result<(), Mismatch> {
    match (stored, expected) {
        (Some(stored), Some(Some(expected))) if (*stored - *expected).abs() <= PRODUCTION_CLOCK => {
            Ok(())
        }
        _ => same_if_known(column, stored, expected),
    }
}

/// The email of a staff id stored in the row, as the chain names staff.
fn email_of(staff: &StaffEmails, id: Option<StaffId>) -> Option<String> {
    id.map(|id| {
        staff
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("(no staff account {id})"))
    })
}

/// Every column the chain determines, in table order; the first that differs.
fn compare(
    expected: &Expected,
    row: &RequestRow,
    requester: Option<&RequesterRow>,
    staff: &StaffEmails,
) -> Result<(), Mismatch> {
    let e = expected;
    same("kind", &row.kind, &e.kind)?;
    same("status", &row.status, &e.status)?;
    same("version", &row.version, &e.version)?;
    match requester {
        None => {
            return Err(Mismatch {
                column: "requester_id",
                values: Some((
                    format!("{} (no such requester)", row.requester_id),
                    "the requester who filed it".into(),
                )),
            })
        }
        Some(r) => {
            let q = &e.requester;
            same_private("requesters.name", &r.name, &q.name)?;
            same_private("requesters.email", &r.email, &q.email)?;
            same_private("requesters.phone", &r.phone, &q.phone)?;
            same_private("requesters.organization", &r.organization, &q.organization)?;
            same_private(
                "requesters.postal_address",
                &r.postal_address,
                &q.postal_address,
            )?;
        }
    }
    same_private("description", &row.description, &e.description)?;
    same("dataset_id", &row.dataset_id, &e.dataset_id)?;
    same_private("fields_needed", &row.fields_needed, &e.fields_needed)?;
    same_private("intended_use", &row.intended_use, &e.intended_use)?;
    same(
        "preferred_format",
        &row.preferred_format,
        &e.preferred_format,
    )?;
    same("queue", &row.queue, &e.queue)?;
    same(
        "assignee_id",
        &email_of(staff, row.assignee_id),
        &e.assignee,
    )?;
    same("received_at", &row.received_at, &e.received_at)?;
    same("channel", &row.channel, &e.channel)?;
    same(
        "determination_due",
        &row.determination_due,
        &e.determination_due,
    )?;
    same("extension_days", &row.extension_days, &e.extension_days)?;
    same(
        "extension_circumstance",
        &row.extension_circumstance,
        &e.extension_circumstance,
    )?;
    same_private(
        "extension_reason",
        &row.extension_reason,
        &e.extension_reason,
    )?;
    same_if_known("due_on", &row.due_on, &e.due_on)?;
    same_if_known(
        "determined_by",
        &email_of(staff, row.determined_by),
        &e.determined_by,
    )?;
    same_if_known(
        "decision_final",
        &(row.decision_final != 0),
        &e.decision_final,
    )?;
    same("appeal_deadline", &row.appeal_deadline, &e.appeal_deadline)?;
    same_private("appeal_grounds", &row.appeal_grounds, &e.appeal_grounds)?;
    same("appealed_at", &row.appealed_at, &e.appealed_at)?;
    same(
        "reviewer_id",
        &email_of(staff, row.reviewer_id),
        &e.reviewer,
    )?;
    same_private("withdraw_reason", &row.withdraw_reason, &e.withdraw_reason)?;
    near_if_known("closed_at", &row.closed_at, &e.closed_at)?;
    same("updated_at", &row.updated_at, &e.updated_at)?;
    same_if_known("partial", &(row.partial != 0), &e.partial)?;
    same(
        "responsible_ids",
        &row.responsible_ids.0,
        &e.responsible_ids,
    )?;
    same("records_due_at", &row.records_due_at, &e.records_due_at)?;
    near_if_known("produced_at", &row.produced_at, &e.produced_at)?;
    same("reopened", &row.reopened, &e.reopened)?;
    same_if_known("due_reckoning", &row.due_reckoning.0, &e.due_reckoning)?;
    same("duplicate_of", &row.duplicate_of, &e.duplicate_of)?;
    same("follows", &row.follows, &e.follows)?;
    same_private("subject", &row.subject, &e.subject)?;
    same_private("location", &row.location, &e.location)?;
    same("occurred_on", &row.occurred_on, &e.occurred_on)?;
    same("referred_to", &row.referred_to, &e.referred_to)?;
    same_private("closing_note", &row.closing_note, &e.closing_note)?;
    near_if_known(
        "awaiting_requester_since",
        &row.awaiting_requester_since,
        &e.awaiting_requester_since,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    /// A production's time in the row is its event's within the clock's second, and no
    /// further.
    #[test]
    fn a_production_time_a_moment_from_its_event_is_the_same_and_one_further_is_not() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let expected: Known<Option<NaiveDateTime>> = Some(Some(at));
        let moment = Some(at + chrono::TimeDelta::milliseconds(400));
        assert!(near_if_known("produced_at", &moment, &expected).is_ok());
        let later = Some(at + chrono::TimeDelta::seconds(5));
        assert!(near_if_known("produced_at", &later, &expected).is_err());
        assert!(near_if_known("produced_at", &Some(at), &expected).is_ok());
    }
    use crate::db::models::{NewRequest, Reckonings};
    use crate::domain::ids::{RequestId, RequesterId};
    use crate::domain::step::Submitted;
    use crate::domain::{RequestKind, Status};

    fn at() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, 2)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
    }

    fn due() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 12).unwrap()
    }

    /// A request as filed: its row, its requester and its one event.
    fn filed() -> (RequestRow, RequesterRow, AuditRow) {
        let row = NewRequest {
            tracking_number: "RR-2026-00001",
            kind: RequestKind::PublicRecords,
            status: Status::Submitted,
            version: 1,
            requester_id: RequesterId(1),
            description: "Logs",
            dataset_id: None,
            fields_needed: None,
            intended_use: None,
            preferred_format: None,
            queue: "city_clerk",
            assignee_id: None,
            received_at: at(),
            determination_due: due(),
            due_on: due(),
            audit_head: "",
            updated_at: at(),
            due_reckoning: Reckonings(vec![]),
            channel: "web",
            follows: None,
            subject: None,
            location: None,
            occurred_on: None,
            language: "en",
        }
        .to_row(RequestId(1));
        let requester = RequesterRow {
            id: RequesterId(1),
            name: Some("Jane".into()),
            email: Some("jane@example.com".into()),
            phone: None,
            organization: None,
            created_at: at(),
            postal_address: None,
            email_bounced_at: None,
        };
        let step = Step::Submitted(Submitted::example("Jane", "Logs", due()));
        let event = AuditRow {
            id: 1,
            request_id: RequestId(1),
            seq: 1,
            at: at(),
            actor: "requester".into(),
            action: step.action().into(),
            content: serde_json::to_string(&step.content()).unwrap(),
            prev_hash: String::new(),
            hash: String::new(),
        };
        (row, requester, event)
    }

    #[test]
    fn a_row_as_its_chain_made_it_holds() {
        let (row, requester, event) = filed();
        assert_eq!(
            check(&row, Some(&requester), &[event], &StaffEmails::new()),
            Ok(())
        );
    }

    #[test]
    fn a_column_the_submission_determines_is_checked_too() {
        // The due date, finality and "in part" are set by the filing: a row that says
        // otherwise was changed behind the chain.
        let (row, requester, event) = filed();
        let changed = [
            ("due_on", {
                let mut r = row.clone();
                r.due_on = due() + chrono::Days::new(1);
                r
            }),
            ("decision_final", {
                let mut r = row.clone();
                r.decision_final = 1;
                r
            }),
            ("partial", {
                let mut r = row.clone();
                r.partial = 1;
                r
            }),
        ];
        for (column, row) in changed {
            let Err(StateProblem::Differs(m)) = check(
                &row,
                Some(&requester),
                std::slice::from_ref(&event),
                &StaffEmails::new(),
            ) else {
                panic!("a changed {column} must differ");
            };
            assert_eq!(m.column, column);
        }
    }

    #[test]
    fn a_changed_status_is_named_with_both_values() {
        let (mut row, requester, event) = filed();
        row.status = Status::Granted;
        let Err(StateProblem::Differs(m)) =
            check(&row, Some(&requester), &[event], &StaffEmails::new())
        else {
            panic!("a changed status must differ");
        };
        assert_eq!(m.column, "status");
        assert_eq!(m.values, Some(("Granted".into(), "Submitted".into())));
    }

    #[test]
    fn what_a_requester_wrote_is_named_but_not_printed() {
        let (mut row, mut requester, event) = filed();
        requester.email = Some("someone@example.com".into());
        let found = check(
            &row,
            Some(&requester),
            std::slice::from_ref(&event),
            &StaffEmails::new(),
        );
        let Err(StateProblem::Differs(m)) = found else {
            panic!("a changed email must differ");
        };
        assert_eq!((m.column, m.values), ("requesters.email", None));
        requester.email = Some("jane@example.com".into());
        row.description = "Nothing".into();
        let Err(StateProblem::Differs(m)) =
            check(&row, Some(&requester), &[event], &StaffEmails::new())
        else {
            panic!("a changed description must differ");
        };
        assert!(!m.to_string().contains("Nothing"), "{m}");
    }

    #[test]
    fn a_chain_without_its_submission_makes_no_state() {
        let (row, requester, _) = filed();
        assert_eq!(
            check(&row, Some(&requester), &[], &StaffEmails::new()),
            Err(StateProblem::Unreplayable(
                replay::Unreplayable::NoSubmission
            ))
        );
    }
}
