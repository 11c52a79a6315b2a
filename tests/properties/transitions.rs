//! Random sequences of steps by random people against a real database, through the same
//! workflow functions the API and the pages call, each in its own transaction.
//!
//! Before each step the model (model.rs) predicts whether it may happen. After it: the outcome
//! is the one predicted; a step taken moved the request along a row of the table, by one
//! version, with one audit event of its own plus one per notice it queued; a refused step
//! changed nothing at all. After each sequence every audit chain in the database verifies.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::time::Instant;

use diesel::prelude::*;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, TestRunner};
use recordsdesk::app::act::Transition;
use recordsdesk::app::manage::{self, Assignment, Extension, PostMessage};
use recordsdesk::app::staff::RawStaffAccount;
use recordsdesk::app::submit::{self, FileRequest, RawRequester, RawSubmission};
use recordsdesk::app::{act, admin, AppError, Ctx, StaffAccount};
use recordsdesk::audit;
use recordsdesk::db::models::{NewDataset, RequestRow};
use recordsdesk::db::schema::{audit_events, determinations, messages, outbox};
use recordsdesk::db::{self, datasets, requests, Conn, DbError};
use recordsdesk::domain::ids::StaffId;
use recordsdesk::domain::input::{Email, Text};
use recordsdesk::domain::transitions::TABLE;
use recordsdesk::domain::{Circumstance, Status};

use crate::cases;
use crate::database::TestDb;
use crate::model::{Carry, Cast, Who, EVERYONE};

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
    },
    /// A row of the table from the current state, by someone the model says may not take it
    /// now (the wrong party, or missing what it must carry); a random move when there is none.
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

fn carry() -> impl Strategy<Value = Carry> {
    prop_oneof![
        2 => any::<bool>().prop_map(|partial| Carry { partial, ..Carry::FULL }),
        1 => (any::<[bool; 7]>()).prop_map(|b| Carry {
            decision: b[0],
            reason: b[1],
            grounds: b[2],
            withheld: b[3],
            legal_basis: b[4],
            responsible: b[5],
            partial: b[6],
        }),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (who(), select(&Status::ALL[..]), carry(), version())
            .prop_map(|(who, to, carry, version)| Step::Move { who, to, carry, version }),
        4 => (any::<usize>(), any::<bool>()).prop_map(|(pick, partial)| Step::Progress { pick, partial }),
        2 => (any::<usize>(), carry()).prop_map(|(pick, carry)| Step::Probe { pick, carry }),
        1 => (who(), crate::text::good_text(200, true))
            .prop_map(|(who, body)| Step::Message { who, body }),
        1 => (who(), 0..=15u32, select(&Circumstance::ALL[..]), version())
            .prop_map(|(who, days, circumstance, version)| Step::Extend { who, days, circumstance, version }),
        1 => (who(), who(), version()).prop_map(|(who, to, version)| Step::Assign { who, to, version }),
    ]
}

/// The request and everything hanging off it that a refused step must leave alone.
#[derive(Debug, Clone, PartialEq)]
struct Snapshot {
    status: Status,
    version: i32,
    assignee: Option<StaffId>,
    denied_by: Option<StaffId>,
    reviewer: Option<StaffId>,
    denial_final: i32,
    extension_days: Option<i32>,
    audit_seq: i64,
    audit_head: String,
    events: i64,
    messages: i64,
    outbox: i64,
    determinations: i64,
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
    let snap = Snapshot {
        status: row.status,
        version: row.version,
        assignee: row.assignee_id,
        denied_by: row.denied_by,
        reviewer: row.reviewer_id,
        denial_final: row.denial_final,
        extension_days: row.extension_days,
        audit_seq: row.audit_seq,
        audit_head: row.audit_head.clone(),
        events,
        messages,
        outbox,
        determinations,
    };
    Ok((row, snap))
}

/// A step as it was run: by whom, to where, what the model predicted and what happened.
#[derive(Debug)]
struct Done {
    name: &'static str,
    who: Option<Who>,
    to: Option<Status>,
    days: Option<i32>,
    assignee: Option<StaffId>,
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
    reached: BTreeMap<Status, usize>,
}

struct World {
    test: TestDb,
    ctx: Ctx,
    cast: Cast,
}

fn staff_member(test: &TestDb, email: &str, role: &str, department: Option<&str>) -> StaffAccount {
    let password = "correct horse battery staple";
    let raw = RawStaffAccount {
        email: email.into(),
        name: format!("Test {role}"),
        role: role.into(),
        department: department.map(str::to_string),
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

impl World {
    fn new() -> World {
        let test = TestDb::open();
        let ctx = Ctx::from_settings(&test.settings).expect("settings");
        let clerk = staff_member(&test, "clerk@concord.example", "clerk", None);
        let steward = staff_member(&test, "steward@concord.example", "steward", Some("Parks"));
        let reviewer = staff_member(&test, "reviewer@concord.example", "reviewer", None);
        let admin = staff_member(&test, "admin@concord.example", "admin", None);
        test.db
            .write(|conn| {
                datasets::upsert(
                    conn,
                    &NewDataset {
                        id: DATASET,
                        title: "Street trees",
                        steward_email: Some("steward@concord.example"),
                        department: Some("Parks"),
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
            Version::Stale(by) => Some(row.version + by),
            Version::Unstated => None,
        };
        let fresh = |version: Version| !matches!(version, Version::Stale(_));
        let ctx = &self.ctx;
        let db = &self.test.db;
        let moved = |name, who: Who, to: Status, carry: Carry, version: Version| {
            let caller = cast.caller(who, token);
            let transition = Transition {
                to,
                version: given(version),
                input: carry.input(),
            };
            let result = db
                .write(|conn| act::transition(conn, ctx, &caller, tn, &transition))
                .map(drop);
            Done {
                name,
                who: Some(who),
                to: Some(to),
                predicted: fresh(version) && cast.may_move(who, row, to, carry),
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
            } => moved("move", *who, *to, *carry, *version),
            Step::Progress { pick, partial } => {
                let carry = Carry {
                    partial: *partial,
                    ..Carry::FULL
                };
                let open: Vec<(Who, Status)> = EVERYONE
                    .iter()
                    .flat_map(|&w| Status::ALL.iter().map(move |&s| (w, s)))
                    .filter(|&(w, s)| cast.may_move(w, row, s, carry))
                    .collect();
                // Withdrawing ends a sequence early: take it one time in four at most.
                let onward: Vec<(Who, Status)> = open
                    .iter()
                    .copied()
                    .filter(|&(_, s)| s != Status::Withdrawn || pick % 4 == 0)
                    .collect();
                let (who, to) = match (onward.as_slice(), open.as_slice()) {
                    ([], []) => (EVERYONE[pick % 6], Status::ALL[pick % 7]),
                    ([], some) | (some, _) => some[pick % some.len()],
                };
                moved("progress", who, to, carry, Version::Current)
            }
            Step::Probe { pick, carry } => {
                let from = row.status;
                let closed: Vec<(Who, Status)> = TABLE
                    .iter()
                    .filter(|rule| rule.from == from)
                    .flat_map(|rule| EVERYONE.iter().map(move |&w| (w, rule.to)))
                    .filter(|&(w, s)| !cast.may_move(w, row, s, *carry))
                    .collect();
                let (who, to) = match closed.as_slice() {
                    [] => (EVERYONE[pick % 6], Status::ALL[pick % 7]),
                    some => some[pick % some.len()],
                };
                moved("probe", who, to, *carry, Version::Current)
            }
            Step::Message { who, body } => {
                let caller = cast.caller(*who, token);
                let message = PostMessage {
                    body: Text::multiline(body, 20_000).expect("generated text is valid"),
                };
                let result = db
                    .write(|conn| manage::post_message(conn, ctx, &caller, tn, &message))
                    .map(drop);
                Done {
                    name: "message",
                    who: Some(*who),
                    predicted: cast.sees(*who, row),
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
                let result = db
                    .write(|conn| manage::extend(conn, ctx, &caller, tn, &extension))
                    .map(drop);
                let awaiting = matches!(row.status, Status::Submitted | Status::UnderReview);
                Done {
                    name: "extend",
                    who: Some(*who),
                    days: Some(*days as i32),
                    predicted: fresh(*version)
                        && cast.sees(*who, row)
                        && cast.may_manage(*who, row)
                        && awaiting
                        && row.extension_days.is_none()
                        && (1..=14).contains(days),
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
        }
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
            let done = self.run(step, &tn, &token, &row);
            let (_, after) = self.snapshot(&tn);
            let at = format!(
                "step {n} {step:?}, run as {:?} → {:?}, from {before:?}",
                done.who, done.to
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
                        "{}: refused ({:?}) although the table allows it",
                        at,
                        refusal
                    );
                    prop_assert_eq!(&after, &before, "{}: a refused step changed something", at);
                    *tally.refused.entry(done.name).or_default() += 1;
                }
                Ok(()) => {
                    prop_assert!(
                        done.predicted,
                        "{}: taken although the table does not allow it",
                        at
                    );
                    *tally.taken.entry(done.name).or_default() += 1;
                    check_taken(&self.cast, &done, &row, &before, &after, &at)?;
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
        prop_assert!(report.holds(), "audit chains broken: {:?}", report.breaks);
        Ok(())
    }
}

/// What a step that was taken must have changed, and nothing else.
fn check_taken(
    cast: &Cast,
    done: &Done,
    row: &RequestRow,
    before: &Snapshot,
    after: &Snapshot,
    at: &str,
) -> Result<(), TestCaseError> {
    if after == before {
        // Only handing a request to whom it is already assigned changes nothing.
        prop_assert!(
            done.name == "assign" && done.assignee.is_some() && done.assignee == row.assignee_id,
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
    let by = done.who.and_then(|w| cast.id(w));
    match (done.name, done.to) {
        ("message", _) => expected.messages += 1,
        ("extend", _) => {
            expected.version += 1;
            expected.extension_days = done.days;
        }
        ("assign", _) => {
            expected.version += 1;
            expected.assignee = done.assignee;
        }
        (_, Some(to)) => {
            let from = before.status;
            prop_assert!(
                TABLE.iter().any(|r| r.from == from && r.to == to),
                "{}: {} → {} is not a row of the table",
                at,
                from,
                to
            );
            expected.version += 1;
            expected.status = to;
            match (from, to) {
                (Status::Submitted, Status::UnderReview) if before.assignee.is_none() => {
                    expected.assignee = by;
                }
                (Status::UnderReview, Status::Denied) => {
                    expected.denied_by = by;
                    expected.determinations += 1;
                }
                (Status::UnderReview | Status::AdministrativeReview, Status::Granted) => {
                    expected.determinations += 1;
                }
                (Status::Appealed, Status::AdministrativeReview) => expected.reviewer = by,
                (Status::AdministrativeReview, Status::Denied) => {
                    expected.denied_by = by;
                    expected.denial_final = 1;
                    expected.determinations += 1;
                }
                _ => {}
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
        "{}: the step changed other than the table says",
        at
    );
    Ok(())
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
        "transitions on {}: {} sequences ({} asked), {} steps in {:.1}s; taken {:?}; refused {:?}; states reached {:?}",
        world.test.backend,
        tally.sequences,
        cases,
        tally.steps,
        started.elapsed().as_secs_f64(),
        tally.taken,
        tally.refused,
        tally.reached,
    );
    if let Err(e) = result {
        panic!("{e}");
    }
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
