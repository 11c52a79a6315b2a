//! Random sequences of steps by random people against a real database, through the same
//! workflow functions the API and the pages call, each in its own transaction.
//!
//! Before each step the model (model.rs) predicts whether it may happen, and for a transition
//! every reason it would be refused. After it: the outcome is the one predicted, and a refused
//! transition was refused for one of the model's reasons; a step taken moved the request along
//! a row of the model's table, by one version, writing exactly the columns the model says,
//! with one audit event of its own (for a transition, saying what the model says it carried)
//! plus one per notice it queued, and a determination when it decided the request; a refused
//! step changed nothing at all. After each sequence every audit chain in the database verifies.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use chrono::{Days, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, TestRunner};
use recordsdesk::app::act::Transition;
use recordsdesk::app::manage::{self, Assignment, Extension, PostMessage};
use recordsdesk::app::production::{self, RecordProduction};
use recordsdesk::app::staff::RawStaffAccount;
use recordsdesk::app::submit::{self, FileRequest, RawRequester, RawSubmission};
use recordsdesk::app::{act, admin, local_time, utc_time, AppError, Ctx, StaffAccount};
use recordsdesk::audit;
use recordsdesk::db::models::{DeterminationRow, NewDataset, RequestRow};
use recordsdesk::db::schema::{audit_events, determinations, messages, outbox};
use recordsdesk::db::{self, datasets, requests, Conn, DbError};
use recordsdesk::domain::ids::StaffId;
use recordsdesk::domain::input::{Email, Responsible, Text};
use recordsdesk::domain::step::{Production, Step as Event};
use recordsdesk::domain::transitions::{Stage, TABLE};
use recordsdesk::domain::{Circumstance, RequestKind, Status, TransitionError};

use crate::cases;
use crate::database::TestDb;
use crate::model::{
    self, review_outcome, withheld_item, Carry, Cast, Due, Person, Refusal, Who, EVERYONE, STAFF,
};

const DATASET: &str = "parks-trees";

#[derive(Debug, Clone, Copy)]
enum Version {
    Current,
    Stale(i32),
    Unstated,
}

#[derive(Debug, Clone)]
enum Step {
    /// A transition to any state, by anyone, carrying anything.
    Move {
        who: Who,
        to: Status,
        carry: Carry,
        version: Version,
    },
    /// One of the transitions the model says someone may take now (so that sequences get
    /// deep into appeals), fully carried; a random refused move when there is none.
    Progress {
        pick: usize,
        partial: bool,
        withheld: bool,
        responsible: Vec<Person>,
    },
    /// A row of the model's table from the current state, by someone the model says may not
    /// take it now (the wrong party, or missing what it must carry); a random move when there
    /// is none.
    Probe {
        pick: usize,
        carry: Carry,
    },
    Message {
        who: Who,
        body: String,
    },
    Extend {
        who: Who,
        days: u32,
        circumstance: Circumstance,
        version: Version,
    },
    Assign {
        who: Who,
        to: Who,
        version: Version,
    },
    /// Staff record that a grant's records were delivered on paper.
    Produce {
        who: Who,
        version: Version,
    },
    /// Time passes: the appeal window's last day is today, or was yesterday (written to the
    /// row directly; the service has no clock to turn).
    Lapse {
        closed: bool,
    },
}

fn who() -> impl Strategy<Value = Who> {
    select(&EVERYONE[..])
}

fn version() -> impl Strategy<Value = Version> {
    prop_oneof![
        8 => Just(Version::Current),
        1 => prop_oneof![Just(-1), Just(1)].prop_map(Version::Stale),
        1 => Just(Version::Unstated),
    ]
}

/// A person named responsible who can be found: someone without an account, or staff.
fn known_person() -> impl Strategy<Value = Person> {
    prop_oneof![
        1 => Just(Person::Outsider),
        2 => select(&STAFF[..]).prop_map(Person::Staff),
    ]
}

fn person() -> impl Strategy<Value = Person> {
    prop_oneof![
        6 => known_person(),
        1 => Just(Person::Unknown),
    ]
}

fn due() -> impl Strategy<Value = Due> {
    const DAY: i64 = 24 * 60;
    prop_oneof![
        1 => Just(Due::Missing),
        4 => (5..=365 * DAY).prop_map(Due::InMinutes),
        1 => (1..=30 * DAY).prop_map(Due::MinutesAgo),
        1 => (367..=600i64).prop_map(Due::InDays),
    ]
}

/// Mostly everything a move may carry; otherwise each part present or missing.
fn carry() -> impl Strategy<Value = Carry> {
    prop_oneof![
        2 => (any::<[bool; 2]>(), vec(known_person(), 1..=2))
            .prop_map(|(b, responsible)| Carry::full(b[0], b[1], responsible)),
        1 => (any::<[bool; 9]>(), vec(person(), 0..=2), due()).prop_map(|(b, responsible, due)| Carry {
            decision: b[0],
            reason: b[1],
            grounds: b[2],
            withheld: b[3],
            responsible,
            segregability: b[4],
            search: b[5],
            note: b[6],
            partial: b[7],
            due: if b[8] { due } else { Due::InMinutes(60) },
        }),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (who(), select(&Status::ALL[..]), carry(), version())
            .prop_map(|(who, to, carry, version)| Step::Move { who, to, carry, version }),
        7 => (any::<usize>(), any::<[bool; 2]>(), vec(known_person(), 1..=2)).prop_map(
            |(pick, b, responsible)| Step::Progress { pick, partial: b[0], withheld: b[1], responsible }
        ),
        3 => (any::<usize>(), carry()).prop_map(|(pick, carry)| Step::Probe { pick, carry }),
        1 => (who(), crate::text::good_text(200, true))
            .prop_map(|(who, body)| Step::Message { who, body }),
        1 => (who(), 0..=15u32, select(&Circumstance::ALL[..]), version())
            .prop_map(|(who, days, circumstance, version)| Step::Extend { who, days, circumstance, version }),
        1 => (who(), who(), version()).prop_map(|(who, to, version)| Step::Assign { who, to, version }),
        1 => (who(), version()).prop_map(|(who, version)| Step::Produce { who, version }),
        1 => any::<bool>().prop_map(|closed| Step::Lapse { closed }),
    ]
}

/// The request and everything hanging off it that a refused step must leave alone.
#[derive(Debug, Clone, PartialEq)]
struct Snapshot {
    status: Status,
    version: i32,
    assignee: Option<StaffId>,
    determined_by: Option<StaffId>,
    responsible_ids: Vec<StaffId>,
    reviewer: Option<StaffId>,
    partial: i32,
    decision_final: i32,
    appeal_deadline: Option<NaiveDate>,
    appeal_grounds: Option<String>,
    appealed_at: Option<NaiveDateTime>,
    withdraw_reason: Option<String>,
    closed_at: Option<NaiveDateTime>,
    records_due_at: Option<NaiveDateTime>,
    produced_at: Option<NaiveDateTime>,
    due_on: NaiveDate,
    determination_due: NaiveDate,
    extension_days: Option<i32>,
    reckonings: usize,
    audit_seq: i64,
    audit_head: String,
    events: i64,
    messages: i64,
    outbox: i64,
    determinations: i64,
    /// The last determination: (outcome, partial).
    determination: Option<(Status, bool)>,
}

fn snapshot(conn: &mut Conn, tn: &str) -> Result<(RequestRow, Snapshot), DbError> {
    let row = requests::by_tracking_number(conn, tn)?.expect("the request exists");
    let count = |n: QueryResult<i64>| n.map_err(DbError::from);
    let events = count(
        audit_events::table
            .filter(audit_events::request_id.eq(row.id))
            .count()
            .get_result(conn),
    )?;
    let messages = count(
        messages::table
            .filter(messages::request_id.eq(row.id))
            .count()
            .get_result(conn),
    )?;
    let outbox = count(
        outbox::table
            .filter(outbox::request_id.eq(row.id))
            .count()
            .get_result(conn),
    )?;
    let determinations = count(
        determinations::table
            .filter(determinations::request_id.eq(row.id))
            .count()
            .get_result(conn),
    )?;
    let determination = requests::determinations_for(conn, row.id)?
        .last()
        .map(|d| (d.outcome, d.partial != 0));
    let snap = Snapshot {
        status: row.status,
        version: row.version,
        assignee: row.assignee_id,
        determined_by: row.determined_by,
        responsible_ids: row.responsible_ids.0.clone(),
        reviewer: row.reviewer_id,
        partial: row.partial,
        decision_final: row.decision_final,
        appeal_deadline: row.appeal_deadline,
        appeal_grounds: row.appeal_grounds.clone(),
        appealed_at: row.appealed_at,
        withdraw_reason: row.withdraw_reason.clone(),
        closed_at: row.closed_at,
        records_due_at: row.records_due_at,
        produced_at: row.produced_at,
        due_on: row.due_on,
        determination_due: row.determination_due,
        extension_days: row.extension_days,
        reckonings: row.due_reckoning.0.len(),
        audit_seq: row.audit_seq,
        audit_head: row.audit_head.clone(),
        events,
        messages,
        outbox,
        determinations,
        determination,
    };
    Ok((row, snap))
}

/// What a taken step wrote besides the request row: its own audit event, and the last
/// determination.
struct Written {
    event: Event,
    determination: Option<DeterminationRow>,
}

fn written(conn: &mut Conn, row: &RequestRow, seq: i64) -> Result<Written, DbError> {
    let (action, content): (String, String) = audit_events::table
        .filter(audit_events::request_id.eq(row.id))
        .filter(audit_events::seq.eq(seq))
        .select((audit_events::action, audit_events::content))
        .first(conn)
        .map_err(DbError::from)?;
    let event = Event::from_stored(&action, &content)
        .unwrap_or_else(|e| panic!("event {seq} reads back: {e:?}"));
    let determination = requests::determinations_for(conn, row.id)?.pop();
    Ok(Written {
        event,
        determination,
    })
}

/// A step as it was run: by whom, to where, what the model predicted and what happened.
#[derive(Debug)]
struct Done {
    name: &'static str,
    who: Option<Who>,
    to: Option<Status>,
    days: Option<i32>,
    assignee: Option<StaffId>,
    /// What a transition carried, and the records date it gave (local time).
    carry: Option<Carry>,
    due_local: Option<NaiveDateTime>,
    /// An extension's new due date.
    extended_to: Option<NaiveDate>,
    /// The city's date before and after the step (they differ only across midnight).
    today: [NaiveDate; 2],
    /// For a transition: every reason the model has to refuse it.
    refusals: Vec<Refusal>,
    /// What the model says the caller may do instead.
    may_make_now: Vec<Status>,
    predicted: bool,
    result: Result<(), AppError>,
}

impl Default for Done {
    fn default() -> Done {
        Done {
            name: "",
            who: None,
            to: None,
            days: None,
            assignee: None,
            carry: None,
            due_local: None,
            extended_to: None,
            today: [NaiveDate::MIN; 2],
            refusals: vec![],
            may_make_now: vec![],
            predicted: false,
            result: Ok(()),
        }
    }
}

/// What the run did, for the report and to see that sequences get somewhere.
#[derive(Debug, Default)]
struct Tally {
    sequences: usize,
    steps: usize,
    taken: BTreeMap<&'static str, usize>,
    refused: BTreeMap<&'static str, usize>,
    /// Refused transitions by the reasons the model gave.
    why: BTreeMap<String, usize>,
    /// Transitions taken, by (from, to).
    moves: BTreeMap<String, usize>,
    reached: BTreeMap<Status, usize>,
    /// Requests whose appeal window the test moved (time passing, written straight to the
    /// row): `audit verify` rightly sees that column differ from the chain.
    lapsed: std::collections::BTreeSet<String>,
}

struct World {
    test: TestDb,
    ctx: Ctx,
    cast: Cast,
}

fn staff_member(
    test: &TestDb,
    email: &str,
    name: &str,
    role: &str,
    department: Option<&str>,
) -> StaffAccount {
    let password = "correct horse battery staple";
    let raw = RawStaffAccount {
        email: email.into(),
        name: name.into(),
        role: role.into(),
        department: department.map(str::to_string),
        title: Some(format!("City {role}")),
        password: password.into(),
    };
    admin::add_staff(&test.db, raw).unwrap_or_else(|e| panic!("add {email}: {e}"))
}

fn file(world_db: &recordsdesk::db::Db, ctx: &Ctx, kind: &str) -> (String, String) {
    let raw = RawSubmission {
        kind: Some(kind.into()),
        requester: Some(RawRequester {
            name: Some("مريم الحسيني".into()),
            email: Some("maryam@example.com".into()),
            ..Default::default()
        }),
        description: Some("Tree inspection records, 2025–2026 🌳".into()),
        dataset_id: Some(DATASET.into()),
        intended_use: Some("A map of street trees.".into()),
        ..Default::default()
    };
    let request = FileRequest {
        submission: raw.parse().expect("a valid submission"),
        idempotency: None,
    };
    let filed = submit::file(world_db, ctx, &request).expect("filed");
    (filed.tracking_number, filed.access_token.expect("a token"))
}

/// Whether a refusal is one the model gave.
fn refused_as_modelled(err: &AppError, why: &[Refusal]) -> bool {
    let bad_fields: BTreeSet<&str> = why
        .iter()
        .filter_map(|r| match r {
            Refusal::BadField(field) => Some(field.as_str()),
            _ => None,
        })
        .collect();
    if let AppError::Invalid(errors) = err {
        return !errors.0.is_empty() && errors.0.keys().all(|k| bad_fields.contains(k.as_str()));
    }
    why.iter().any(|r| match (r, err) {
        (Refusal::Stale, AppError::Stale { .. }) => true,
        (Refusal::Unseen, AppError::NotFound) => true,
        (Refusal::NoSuchMove, AppError::Transition(TransitionError::NotAllowed { .. })) => true,
        (Refusal::NotTheirs, AppError::Transition(TransitionError::Forbidden(_))) => true,
        (Refusal::Answers, AppError::Transition(TransitionError::Forbidden(message))) => {
            message.contains("determination under appeal")
        }
        (Refusal::Final, AppError::Transition(TransitionError::FinalDecision { .. })) => true,
        (
            Refusal::NothingWithheld,
            AppError::Transition(TransitionError::NothingWithheld { .. }),
        ) => true,
        (
            Refusal::WindowClosed,
            AppError::Transition(TransitionError::AppealWindowClosed { .. }),
        ) => true,
        (Refusal::Missing(fields), AppError::Transition(TransitionError::Missing(errors))) => {
            errors.0.keys().map(String::as_str).collect::<BTreeSet<_>>() == *fields
        }
        _ => false,
    })
}

/// The moves a refusal lists as what the caller may do instead.
fn listed_instead(err: &AppError) -> Option<&[Status]> {
    match err {
        AppError::Transition(
            TransitionError::NotAllowed { allowed, .. }
            | TransitionError::FinalDecision { allowed }
            | TransitionError::NothingWithheld { allowed }
            | TransitionError::AppealWindowClosed { allowed, .. },
        ) => Some(allowed),
        _ => None,
    }
}

impl World {
    fn new() -> World {
        let test = TestDb::open();
        let mut settings = test.settings.clone();
        // A sequence may be all messages; the hourly limit has tests of its own.
        settings.messages.requester_per_hour = 1_000;
        let ctx = Ctx::from_settings(&settings).expect("settings");
        let clerk = staff_member(&test, "clerk@concord.example", "Kim Clerk", "clerk", None);
        // The steward's department, as an admin adds it to the directory.
        test.db
            .write(|conn| {
                let parks = recordsdesk::domain::directory::RawDepartment {
                    name: "Parks".into(),
                    ..Default::default()
                };
                recordsdesk::app::departments::add(conn, &recordsdesk::audit::Actor::System, &parks)
            })
            .expect("the Parks department");
        let steward = staff_member(
            &test,
            "steward@concord.example",
            "Sam Steward",
            "steward",
            Some("Parks"),
        );
        let reviewer = staff_member(
            &test,
            "reviewer@concord.example",
            "Rae Reviewer",
            "reviewer",
            None,
        );
        let other_reviewer = staff_member(
            &test,
            "reviewer2@concord.example",
            "Ola Reviewer",
            "reviewer",
            None,
        );
        let admin = staff_member(&test, "admin@concord.example", "Ada Admin", "admin", None);
        test.db
            .write(|conn| {
                datasets::upsert(
                    conn,
                    &NewDataset {
                        id: DATASET,
                        title: "Street trees",
                        steward_email: Some("steward@concord.example"),
                        department: Some("Parks"),
                        publisher: Some("Parks"),
                        access_level: "restricted public",
                        updated_at: db::now(),
                        keywords: "[]",
                        distributions: "[]",
                        ..Default::default()
                    },
                )
                .map_err(DbError::from)
            })
            .expect("dataset");
        let (_, stranger_token) = file(&test.db, &ctx, "public_records");
        World {
            cast: Cast {
                clerk,
                steward,
                reviewer,
                other_reviewer,
                admin,
                stranger_token,
            },
            test,
            ctx,
        }
    }

    fn snapshot(&self, tn: &str) -> (RequestRow, Snapshot) {
        self.test
            .db
            .read(|conn| snapshot(conn, tn))
            .expect("snapshot")
    }

    /// Runs one step against the request as it stands in `row`.
    fn run(&self, step: &Step, tn: &str, token: &str, row: &RequestRow) -> Done {
        let cast = &self.cast;
        let given = |version: Version| match version {
            Version::Current => Some(row.version),
            // A stale version is a real one that is not the current one; below 1 there is no
            // version at all (422, tests/api/security.rs), so one behind version 1 is one ahead.
            Version::Stale(by) if row.version + by < 1 => Some(row.version + 1),
            Version::Stale(by) => Some(row.version + by),
            Version::Unstated => None,
        };
        let fresh = |version: Version| !matches!(version, Version::Stale(_));
        let ctx = &self.ctx;
        let db = &self.test.db;
        let moved = |name, who: Who, to: Status, carry: &Carry, version: Version| {
            let caller = cast.caller(who, token);
            let today = ctx.clock.today();
            let input = carry.input(local_time(ctx, db::now()));
            let due_local = input.records_due_at;
            let transition = Transition {
                to,
                version: given(version),
                input,
                responsible: carry.named(cast),
            };
            let refusals = cast.refusals(who, row, to, carry, fresh(version), today);
            let result = db
                .write(|conn| act::transition(conn, ctx, &caller, tn, &transition))
                .map(drop);
            Done {
                name,
                who: Some(who),
                to: Some(to),
                carry: Some(carry.clone()),
                due_local,
                today: [today, ctx.clock.today()],
                predicted: refusals.is_empty(),
                refusals,
                may_make_now: cast.may_make_now(who, row, today),
                result,
                ..Done::default()
            }
        };
        let produced = |who: Who, version: Version| {
            let caller = cast.caller(who, token);
            let command = RecordProduction {
                how: Production::Paper,
                note: Text::multiline("Mailed a USB drive on 12 March.", 1000).unwrap(),
                version: given(version),
            };
            let result = db
                .write(|conn| production::record_production(conn, ctx, &caller, tn, &command))
                .map(drop);
            Done {
                name: "produce",
                who: Some(who),
                predicted: fresh(version) && cast.may_produce(who, row),
                result,
                ..Done::default()
            }
        };
        match step {
            Step::Move {
                who,
                to,
                carry,
                version,
            } => moved("move", *who, *to, carry, *version),
            Step::Progress {
                pick,
                partial,
                withheld,
                responsible,
            } => {
                // A grant's records are produced before it is appealed, now and then, so that
                // a review's grant is seen to put them back into production.
                let producer = EVERYONE.iter().find(|&&w| cast.may_produce(w, row));
                if let (Some(&who), 0) = (producer, pick % 3) {
                    return produced(who, Version::Current);
                }
                let mut carry = Carry::full(*partial, *withheld, responsible.clone());
                // Now and then no records date: only an API access request may be granted so.
                if pick % 5 == 1 {
                    carry.due = Due::Missing;
                }
                let today = ctx.clock.today();
                let open: Vec<(Who, Status)> = EVERYONE
                    .iter()
                    .flat_map(|&w| Status::ALL.iter().map(move |&s| (w, s)))
                    .filter(|&(w, s)| cast.refusals(w, row, s, &carry, true, today).is_empty())
                    .collect();
                // Withdrawing ends a sequence early: take it one time in four at most.
                let onward: Vec<(Who, Status)> = open
                    .iter()
                    .copied()
                    .filter(|&(_, s)| s != Status::Withdrawn || pick % 4 == 0)
                    .collect();
                let (who, to) = match (onward.as_slice(), open.as_slice()) {
                    ([], []) => (
                        EVERYONE[pick % EVERYONE.len()],
                        Status::ALL[pick % Status::ALL.len()],
                    ),
                    // The target first, so that each outcome is as likely however many may
                    // reach it; then who.
                    ([], some) | (some, _) => {
                        let targets: BTreeSet<Status> = some.iter().map(|&(_, s)| s).collect();
                        let to = *targets.iter().nth(pick % targets.len()).unwrap();
                        let whom: Vec<Who> = some
                            .iter()
                            .filter(|&&(_, s)| s == to)
                            .map(|&(w, _)| w)
                            .collect();
                        (whom[pick / targets.len() % whom.len()], to)
                    }
                };
                moved("progress", who, to, &carry, Version::Current)
            }
            Step::Probe { pick, carry } => {
                let from = row.status;
                let today = ctx.clock.today();
                let closed: Vec<(Who, Status, Vec<Refusal>)> = model::moves()
                    .into_iter()
                    .filter(|&(f, _)| f == from)
                    .flat_map(|(_, to)| EVERYONE.iter().map(move |&w| (w, to)))
                    .map(|(w, s)| (w, s, cast.refusals(w, row, s, carry, true, today)))
                    .filter(|(_, _, why)| !why.is_empty())
                    .collect();
                // Mostly a refusal for something other than being the wrong person: what a
                // move lacks, a closed window, a final decision, separation of duties.
                let telling: Vec<(Who, Status)> = closed
                    .iter()
                    .filter(|(_, _, why)| {
                        why.iter()
                            .any(|r| !matches!(r, Refusal::NotTheirs | Refusal::Unseen))
                    })
                    .map(|&(w, s, _)| (w, s))
                    .collect();
                let closed: Vec<(Who, Status)> = closed.iter().map(|&(w, s, _)| (w, s)).collect();
                let pool = if telling.is_empty() || pick % 4 == 0 {
                    &closed
                } else {
                    &telling
                };
                let (who, to) = match pool.as_slice() {
                    [] => (
                        EVERYONE[pick % EVERYONE.len()],
                        Status::ALL[pick % Status::ALL.len()],
                    ),
                    some => some[pick % some.len()],
                };
                moved("probe", who, to, carry, Version::Current)
            }
            Step::Message { who, body } => {
                let caller = cast.caller(*who, token);
                let message = PostMessage {
                    body: Text::multiline(body, 20_000).expect("generated text is valid"),
                };
                let result = db
                    .write(|conn| manage::post_message(conn, ctx, &caller, tn, &message))
                    .map(drop);
                // A requester writes only on a request neither withdrawn nor closed: decided for
                // good (on review, or a grant in full) and, for a grant, its records produced.
                let decided = matches!(
                    row.status,
                    Status::Granted | Status::Denied | Status::NoRecords
                );
                let for_good =
                    row.decision_final != 0 || (row.status == Status::Granted && row.partial == 0);
                let delivered = row.status != Status::Granted || row.produced_at.is_some();
                let closed = row.status == Status::Withdrawn || (decided && for_good && delivered);
                Done {
                    name: "message",
                    who: Some(*who),
                    predicted: cast.sees(*who, row) && !(*who == Who::Requester && closed),
                    result,
                    ..Done::default()
                }
            }
            Step::Extend {
                who,
                days,
                circumstance,
                version,
            } => {
                let caller = cast.caller(*who, token);
                let extension = Extension {
                    days: *days,
                    circumstance: *circumstance,
                    reason: None,
                    version: given(*version),
                };
                let today = ctx.clock.today();
                let result = db
                    .write(|conn| manage::extend(conn, ctx, &caller, tn, &extension))
                    .map(drop);
                let awaiting = matches!(row.status, Status::Submitted | Status::UnderReview);
                // Ten calendar days after receipt plus the extension, rolled to a business
                // day; it must move the due date, and be given within the original ten days.
                let received = ctx.clock.date_of(row.received_at);
                let policy = ctx.policy();
                let extended_to = policy
                    .calendar
                    .due_after(received, policy.determination_days + days);
                let in_time = today
                    <= policy
                        .calendar
                        .due_after(received, policy.determination_days);
                Done {
                    name: "extend",
                    who: Some(*who),
                    days: Some(*days as i32),
                    extended_to: Some(extended_to),
                    predicted: fresh(*version)
                        && cast.sees(*who, row)
                        && cast.signs_extensions(*who, row)
                        && awaiting
                        && row.extension_days.is_none()
                        && (1..=14).contains(days)
                        && extended_to > row.determination_due
                        && in_time,
                    result,
                    ..Done::default()
                }
            }
            Step::Assign { who, to, version } => {
                let caller = cast.caller(*who, token);
                let email = match cast.staff(*to) {
                    Some(account) => account.email.clone(),
                    None => "nobody@concord.example".into(),
                };
                let assignment = Assignment {
                    assignee: Email::parse(&email).expect("an address"),
                    version: given(*version),
                };
                let result = db
                    .write(|conn| manage::assign(conn, ctx, &caller, tn, &assignment))
                    .map(drop);
                let id = cast.id(*who);
                Done {
                    name: "assign",
                    who: Some(*who),
                    assignee: cast.id(*to),
                    predicted: fresh(*version)
                        && cast.sees(*who, row)
                        && id.is_some()
                        && (matches!(who, Who::Clerk | Who::Admin) || row.assignee_id == id)
                        && matches!(to, Who::Clerk | Who::Steward | Who::Admin),
                    result,
                    ..Done::default()
                }
            }
            Step::Produce { who, version } => produced(*who, *version),
            Step::Lapse { .. } => unreachable!("time passing is not a step anyone takes"),
        }
    }

    /// Moves the appeal window's last day, when there is one, to today or yesterday.
    fn lapse(&self, row: &RequestRow, closed: bool) {
        use recordsdesk::db::schema::requests as rows;
        if row.appeal_deadline.is_none() {
            return;
        }
        let today = self.ctx.clock.today();
        let last = if closed { today - Days::new(1) } else { today };
        self.test
            .db
            .write(|conn| {
                diesel::update(rows::table.filter(rows::id.eq(row.id)))
                    .set(rows::appeal_deadline.eq(Some(last)))
                    .execute(conn)
                    .map_err(DbError::from)
            })
            .expect("the window moves");
    }

    /// Files a request, runs the steps, checks each; the whole database's chains at the end.
    fn sequence(
        &self,
        kind: &str,
        steps: &[Step],
        tally: &RefCell<Tally>,
    ) -> Result<(), TestCaseError> {
        let (tn, token) = file(&self.test.db, &self.ctx, kind);
        tally.borrow_mut().sequences += 1;
        for (n, step) in steps.iter().enumerate() {
            let (row, before) = self.snapshot(&tn);
            if let Step::Lapse { closed } = step {
                self.lapse(&row, *closed);
                if row.appeal_deadline.is_some() {
                    tally.borrow_mut().lapsed.insert(tn.clone());
                }
                *tally.borrow_mut().taken.entry("lapse").or_default() += 1;
                continue;
            }
            let done = self.run(step, &tn, &token, &row);
            let (after_row, after) = self.snapshot(&tn);
            let at = format!(
                "step {n} {step:?}, run as {:?} → {:?}, model refuses for {:?}, from {before:?}",
                done.who, done.to, done.refusals
            );
            let mut tally = tally.borrow_mut();
            tally.steps += 1;
            match &done.result {
                Err(AppError::Db(e)) => {
                    return Err(TestCaseError::fail(format!("{at}: database error {e}")))
                }
                Err(AppError::Internal(e)) => {
                    return Err(TestCaseError::fail(format!("{at}: internal error {e}")))
                }
                Err(refusal) => {
                    prop_assert!(
                        !done.predicted,
                        "{}: refused ({:?}) although the model allows it",
                        at,
                        refusal
                    );
                    prop_assert_eq!(&after, &before, "{}: a refused step changed something", at);
                    if done.to.is_some() {
                        prop_assert!(
                            refused_as_modelled(refusal, &done.refusals),
                            "{}: refused ({:?}), which is none of the model's reasons",
                            at,
                            refusal
                        );
                        if let Some(instead) = listed_instead(refusal) {
                            prop_assert_eq!(
                                instead.iter().copied().collect::<BTreeSet<_>>(),
                                done.may_make_now.iter().copied().collect::<BTreeSet<_>>(),
                                "{}: the moves offered instead",
                                at
                            );
                        }
                        for why in &done.refusals {
                            let label = match why {
                                Refusal::Missing(fields) => format!(
                                    "missing {}",
                                    fields.iter().copied().collect::<Vec<_>>().join("+")
                                ),
                                other => other.label().to_string(),
                            };
                            *tally.why.entry(label).or_default() += 1;
                        }
                    }
                    *tally.refused.entry(done.name).or_default() += 1;
                }
                Ok(()) => {
                    prop_assert!(
                        done.predicted,
                        "{}: taken although the model does not allow it",
                        at
                    );
                    *tally.taken.entry(done.name).or_default() += 1;
                    // What a transition wrote besides the row.
                    let wrote = done.to.map(|_| {
                        self.test
                            .db
                            .read(|conn| written(conn, &after_row, before.audit_seq + 1))
                            .expect("what the step wrote")
                    });
                    self.check_taken(&done, &row, &before, &after, wrote.as_ref(), &at)?;
                    if let Some(to) = done.to {
                        *tally
                            .moves
                            .entry(format!("{} → {}", before.status, to))
                            .or_default() += 1;
                    }
                    let status = after.status;
                    *tally.reached.entry(status).or_default() += 1;
                }
            }
        }
        let report = self
            .test
            .db
            .read(|conn| audit::verify::verify_all(conn).map_err(DbError::from))
            .expect("verify");
        // Every break but the moved window of a request the test lapsed.
        let lapsed = &tally.borrow().lapsed;
        let breaks: Vec<_> = report
            .breaks
            .iter()
            .filter(|b| {
                !(lapsed.contains(&b.tracking_number)
                    && b.problem.starts_with("appeal_deadline is"))
            })
            .collect();
        prop_assert!(breaks.is_empty(), "audit chains broken: {:?}", breaks);
        Ok(())
    }

    /// What a step that was taken must have changed, and nothing else.
    fn check_taken(
        &self,
        done: &Done,
        row: &RequestRow,
        before: &Snapshot,
        after: &Snapshot,
        wrote: Option<&Written>,
        at: &str,
    ) -> Result<(), TestCaseError> {
        let cast = &self.cast;
        let ctx = &self.ctx;
        if after == before {
            // Only handing a request to whom it is already assigned changes nothing.
            prop_assert!(
                done.name == "assign"
                    && done.assignee.is_some()
                    && done.assignee == row.assignee_id,
                "{}: a step was taken and left no trace",
                at
            );
            return Ok(());
        }
        let mut expected = before.clone();
        // Which notices a step queues is tested elsewhere; here: none lost, and each has its
        // copy in the chain after the step's own event.
        prop_assert!(
            after.outbox >= before.outbox,
            "{}: notices are only ever added",
            at
        );
        let queued = after.outbox - before.outbox;
        expected.outbox = after.outbox;
        expected.events += 1 + queued;
        expected.audit_seq += 1 + queued;
        expected.audit_head = after.audit_head.clone();
        // A time the step stamps: newly set.
        macro_rules! stamped {
            ($field:ident) => {{
                prop_assert!(
                    after.$field.is_some() && after.$field != before.$field,
                    "{}: {} is stamped",
                    at,
                    stringify!($field)
                );
                expected.$field = after.$field;
            }};
        }
        // A date counted from today: the step's today may be the day after the model's, at
        // midnight.
        let from_today = |f: &dyn Fn(NaiveDate) -> NaiveDate, actual: Option<NaiveDate>| {
            let [first, second] = done.today;
            if actual == Some(f(second)) {
                f(second)
            } else {
                f(first)
            }
        };
        let by = done.who.and_then(|w| cast.id(w));
        match (done.name, done.to) {
            ("message", _) => expected.messages += 1,
            ("extend", _) => {
                expected.version += 1;
                expected.extension_days = done.days;
                let due = done.extended_to.expect("an extension's date");
                expected.determination_due = due;
                expected.due_on = due;
                expected.reckonings += 1;
            }
            ("assign", _) => {
                expected.version += 1;
                expected.assignee = done.assignee;
            }
            ("produce", _) => {
                expected.version += 1;
                stamped!(produced_at);
                stamped!(closed_at);
            }
            (_, Some(to)) => {
                let from = before.status;
                prop_assert!(
                    model::table(from, to).is_some(),
                    "{}: {} → {} is not a move of the model",
                    at,
                    from,
                    to
                );
                let carry = done.carry.as_ref().expect("a transition carries");
                expected.version += 1;
                expected.status = to;
                let decided = matches!(to, Status::Granted | Status::Denied | Status::NoRecords);
                // Persons responsible answer for withholding: a grant in part or a denial.
                let withholds = to == Status::Denied || (to == Status::Granted && carry.partial);
                let on_review = from == Status::AdministrativeReview;
                // A review keeping a grant in part, given no new date, keeps its records'
                // date and production.
                let kept = to == Status::Granted
                    && row.kind != RequestKind::ApiAccess
                    && done.due_local.is_none()
                    && on_review
                    && before.partial != 0
                    && carry.partial;
                let staff_withdrew = to == Status::Withdrawn && by.is_some();
                // The appeal window an initial determination opens (none for a grant in full).
                let mut window = None;
                match to {
                    Status::UnderReview => {
                        if before.assignee.is_none() {
                            expected.assignee = by;
                        }
                    }
                    Status::Granted | Status::Denied | Status::NoRecords => {
                        expected.determinations += 1;
                        expected.determination = Some((to, to == Status::Granted && carry.partial));
                        expected.determined_by = by;
                        expected.partial = i32::from(to == Status::Granted && carry.partial);
                        expected.responsible_ids = carry
                            .responsible
                            .iter()
                            .filter(|_| withholds)
                            .filter_map(|p| match p {
                                Person::Staff(who) => cast.id(*who),
                                _ => None,
                            })
                            .collect();
                        let appealable = to != Status::Granted || carry.partial;
                        if on_review {
                            // Every review decision is final.
                            expected.decision_final = 1;
                        } else if appealable {
                            window = Some(from_today(
                                &|day| ctx.policy().appeal_deadline(day),
                                after.appeal_deadline,
                            ));
                            expected.appeal_deadline = window;
                        }
                        if to == Status::Granted && row.kind == RequestKind::ApiAccess {
                            // Its key is offered now: produced, and closed, at once; the
                            // records are available when the staff said, or now.
                            stamped!(produced_at);
                            stamped!(closed_at);
                            expected.records_due_at = match done.due_local {
                                Some(local) => Some(utc_time(ctx, local)),
                                None => after.produced_at,
                            };
                            if let Some(local) = done.due_local {
                                expected.due_on = local.date();
                            }
                        } else if kept {
                            // Still to produce: the queue sorts it by its records' date again.
                            if before.produced_at.is_none() {
                                if let Some(due) = before.records_due_at {
                                    expected.due_on = local_time(ctx, due).date();
                                }
                            }
                        } else if to == Status::Granted {
                            let local = done.due_local.expect("a grant's records date");
                            expected.records_due_at = Some(utc_time(ctx, local));
                            expected.due_on = local.date();
                            // Not yet produced, whatever was produced before.
                            expected.produced_at = None;
                        } else {
                            stamped!(closed_at);
                        }
                    }
                    Status::Appealed => {
                        expected.appeal_grounds = Some(model::GROUNDS.to_string());
                        stamped!(appealed_at);
                        expected.due_on =
                            from_today(&|day| ctx.policy().review_due(day), Some(after.due_on));
                        expected.reckonings += 1;
                    }
                    Status::AdministrativeReview => expected.reviewer = by,
                    Status::Withdrawn => {
                        stamped!(closed_at);
                        if carry.reason {
                            expected.withdraw_reason = Some(model::REASON.to_string());
                        }
                    }
                    Status::Submitted => {
                        return Err(TestCaseError::fail(format!("{at}: nothing moves back")))
                    }
                    // The model names no earlier request (`Need::DuplicateOf`), so this move is
                    // always refused here; tests/api/duplicates.rs makes it.
                    Status::Duplicate => {
                        return Err(TestCaseError::fail(format!(
                            "{at}: closed as a duplicate of nothing"
                        )))
                    }
                    // A complaint's states (tests/api/complaints.rs): the model files requests.
                    Status::Received
                    | Status::Investigating
                    | Status::Resolved
                    | Status::Referred
                    | Status::Dismissed => {
                        return Err(TestCaseError::fail(format!(
                            "{at}: a request took a complaint's state"
                        )))
                    }
                }

                // The step's own event says what the move carried.
                let wrote = wrote.expect("a transition's event");
                let Event::Transition(moved) = &wrote.event else {
                    return Err(TestCaseError::fail(format!(
                        "{at}: the step's event is {:?}",
                        wrote.event
                    )));
                };
                let responsible: Vec<Responsible> = if decided && withholds {
                    carry
                        .responsible
                        .iter()
                        .map(|p| match p {
                            Person::Staff(who) => {
                                let account = cast.staff(*who).expect("staff");
                                Responsible {
                                    name: account.name.clone(),
                                    title: account.title.clone().expect("a title on file"),
                                    staff_id: Some(account.id),
                                }
                            }
                            _ => Responsible {
                                name: model::OUTSIDER_NAME.into(),
                                title: "Outside counsel".into(),
                                staff_id: None,
                            },
                        })
                        .collect()
                } else {
                    vec![]
                };
                let records_due_at = match done.due_local {
                    _ if to != Status::Granted => None,
                    Some(local) => Some(utc_time(ctx, local)),
                    None if row.kind == RequestKind::ApiAccess => after.produced_at,
                    None => None,
                };
                let review = on_review.then(|| {
                    review_outcome(
                        before.determination.expect("a determination was appealed"),
                        (to, to == Status::Granted && carry.partial),
                    )
                });
                prop_assert_eq!(
                    (moved.from, moved.to),
                    (from, to),
                    "{}: the event's move",
                    at
                );
                prop_assert_eq!(
                    moved.on_behalf.as_deref(),
                    staff_withdrew.then_some(model::NOTE),
                    "{}: a withdrawal by staff says how the requester asked; the requester's own says nothing",
                    at
                );
                prop_assert_eq!(
                    &moved.responsible,
                    &responsible,
                    "{}: the persons responsible",
                    at
                );
                prop_assert_eq!(moved.is_final, on_review && decided, "{}: final", at);
                prop_assert_eq!(moved.review, review, "{}: the review's outcome", at);
                prop_assert_eq!(moved.records_due_at, records_due_at, "{}: records due", at);
                prop_assert_eq!(
                    moved.appeal_deadline,
                    window,
                    "{}: the appeal window the event gives",
                    at
                );
                prop_assert_eq!(
                    moved.segregability.as_deref(),
                    (to == Status::Denied).then_some(model::SEGREGABILITY),
                    "{}: segregability",
                    at
                );
                prop_assert_eq!(
                    moved.search.as_deref(),
                    (to == Status::NoRecords).then_some(model::SEARCH),
                    "{}: the search",
                    at
                );
                let withholdings =
                    if matches!(to, Status::Granted | Status::Denied) && carry.withheld {
                        vec![withheld_item()]
                    } else {
                        vec![]
                    };
                if to != Status::NoRecords {
                    prop_assert_eq!(&moved.withholdings, &withholdings, "{}: withheld", at);
                }

                // And the determination, kept whole.
                if decided {
                    let determination = wrote
                        .determination
                        .as_ref()
                        .expect("a determination was recorded");
                    let stored: Vec<Responsible> =
                        serde_json::from_str(&determination.responsible).expect("names read back");
                    prop_assert_eq!(
                        (
                            determination.stage,
                            determination.outcome,
                            determination.partial,
                            Some(determination.decided_by),
                            determination.review,
                            determination.records_due_at,
                            determination.decision.is_some(),
                        ),
                        (
                            if on_review {
                                Stage::Review
                            } else {
                                Stage::Initial
                            },
                            to,
                            expected.partial,
                            by,
                            review,
                            records_due_at,
                            carry.decision,
                        ),
                        "{}: the determination",
                        at
                    );
                    prop_assert_eq!(
                        &stored,
                        &responsible,
                        "{}: the determination's persons responsible",
                        at
                    );
                    if to == Status::Denied {
                        prop_assert!(
                            determination.segregability.is_some() && determination.reason.is_some(),
                            "{}: a denial's reasons",
                            at
                        );
                    }
                    if to == Status::NoRecords {
                        prop_assert!(determination.search.is_some(), "{}: the search", at);
                    }
                }
            }
            (name, None) => {
                return Err(TestCaseError::fail(format!(
                    "{at}: {name} without a target"
                )))
            }
        }
        prop_assert_eq!(
            after,
            &expected,
            "{}: the step changed other than the model says",
            at
        );
        Ok(())
    }
}

#[test]
fn random_steps_by_random_people_stay_in_the_table_refusals_change_nothing_and_the_chain_holds() {
    let started = Instant::now();
    let world = World::new();
    let cases = cases(64);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 200,
        ..Config::default()
    });
    let tally = RefCell::new(Tally::default());
    let strategy = (
        select(&["public_records", "dataset_access", "api_access"][..]),
        vec(step(), 1..=12),
    );
    let result = runner.run(&strategy, |(kind, steps)| {
        world.sequence(kind, &steps, &tally)
    });
    let tally = tally.into_inner();
    eprintln!(
        "transitions on {}: {} sequences ({} asked), {} steps in {:.1}s; taken {:?}; refused {:?}; moves taken {:?}; transitions refused for {:?}; states reached {:?}",
        world.test.backend,
        tally.sequences,
        cases,
        tally.steps,
        started.elapsed().as_secs_f64(),
        tally.taken,
        tally.refused,
        tally.moves,
        tally.why,
        tally.reached,
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// The model's table has the same moves as the service's: the property above only finds a
/// move missing from one of them if a sequence happens to try it. The model files requests;
/// a complaint's moves are written out apart in `domain::transitions`'s tests and walked in
/// tests/api/complaints.rs.
#[test]
fn the_model_has_the_moves_of_the_service_table() {
    let service: BTreeSet<(Status, Status)> = TABLE
        .iter()
        .filter(|r| !r.from.is_complaint_state())
        .map(|r| (r.from, r.to))
        .collect();
    let modelled: BTreeSet<(Status, Status)> = model::moves().into_iter().collect();
    assert_eq!(modelled, service);
}

/// The queue page's counts stop at their cap: a count past it says only "more than the cap",
/// and costs no more however many there are.
#[test]
fn status_counts_stop_one_past_their_cap() {
    let world = World::new();
    for _ in 0..3 {
        file(&world.test.db, &world.ctx, "public_records");
    }
    let counts = |cap| {
        world
            .test
            .db
            .read(|conn| {
                requests::status_counts_up_to(
                    conn,
                    &[Status::Submitted, Status::Granted],
                    None,
                    cap,
                )
                .map_err(DbError::from)
            })
            .expect("counts")
    };
    let submitted: i64 = world
        .test
        .db
        .read(|conn| {
            use recordsdesk::db::schema::requests as rows;
            rows::table
                .filter(rows::status.eq("submitted"))
                .count()
                .get_result(conn)
                .map_err(DbError::from)
        })
        .expect("count");
    assert!(submitted >= 3);
    let expect = |n: i64| vec![(Status::Submitted, n), (Status::Granted, 0)];
    assert_eq!(
        counts(submitted + 2),
        expect(submitted),
        "under the cap: exact"
    );
    assert_eq!(counts(submitted), expect(submitted), "at the cap: exact");
    assert_eq!(
        counts(submitted - 2),
        expect(submitted - 1),
        "past the cap: one more than it, and no further"
    );
}
