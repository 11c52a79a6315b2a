//! Model requests made by the real application: one per source (queue) and end state, with every
//! notice delivered to an in-memory mailer, so their rows are exactly what the service writes.

use diesel::prelude::*;

use super::SeedError;
use crate::app::act::Transition;
use crate::app::production::{RawProduction, RecordProduction};
use crate::app::staff::RawStaffAccount;
use crate::app::submit::{FileRequest, RawRequester, RawSubmission};
use crate::app::{act, submit, AppError, Caller, Ctx, StaffAccount};
use crate::config::Settings;
use crate::db::models::{
    AuditRow, DeterminationRow, NewDataset, OutboxRow, RequestRow, RequesterRow,
};
use crate::db::schema::{audit_events, determinations, outbox, requests};
use crate::db::{datasets, requests as requests_db, staff as staff_db, Conn, Db, DbError};
use crate::domain::exemptions::{Ground, Withheld};
use crate::domain::input::{Responsible, Text};
use crate::domain::notices::OutboxStatus;
use crate::domain::{Role, Status, TransitionInput};
use crate::notify::{DispatchSettings, Dispatcher, Mailer};

/// Where a model request comes from, and so which queue it lands in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A public records request: the City Clerk's queue.
    Clerk,
    /// Access to a Police dataset with no steward: the `police` queue.
    Police,
    /// Access to a dataset whose steward is on staff: assigned to them.
    Steward,
    /// Access to a Finance dataset: the `finance` queue.
    Finance,
}

/// How far a model request goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Path {
    Submitted,
    UnderReview,
    Granted,
    Denied,
    /// The City holds no responsive records.
    NoRecords,
    Appealed,
    AdministrativeReview,
    /// Denied again on review: final.
    DeniedOnReview,
    Withdrawn,
    /// Closed as a repeat of the source's request still waiting for review.
    Duplicate,
}

impl Path {
    pub const ALL: [Path; 10] = [
        Path::Submitted,
        Path::UnderReview,
        Path::Granted,
        Path::Denied,
        Path::NoRecords,
        Path::Appealed,
        Path::AdministrativeReview,
        Path::DeniedOnReview,
        Path::Withdrawn,
        Path::Duplicate,
    ];

    /// Share of the seeded history in this state, per thousand: one request in ten is
    /// open (received within the last month), the rest closed over the years before.
    pub fn per_mille(self) -> u32 {
        match self {
            Path::Submitted => 30,
            Path::UnderReview => 50,
            Path::Granted => 480,
            Path::Denied => 150,
            Path::NoRecords => 60,
            Path::Appealed => 10,
            Path::AdministrativeReview => 10,
            Path::DeniedOnReview => 40,
            Path::Withdrawn => 150,
            Path::Duplicate => 20,
        }
    }
}

impl Source {
    pub const ALL: [Source; 4] = [
        Source::Clerk,
        Source::Police,
        Source::Steward,
        Source::Finance,
    ];

    /// Share of requests from this source, per thousand.
    pub fn per_mille(self) -> u32 {
        match self {
            Source::Clerk => 700,
            Source::Police => 120,
            Source::Steward => 100,
            Source::Finance => 80,
        }
    }
}

/// A request the real application made, with every row that belongs to it.
#[derive(Debug, Clone)]
pub struct Model {
    pub source: Source,
    pub path: Path,
    pub token: String,
    pub request: RequestRow,
    pub requester: RequesterRow,
    pub events: Vec<AuditRow>,
    pub outbox: Vec<OutboxRow>,
    pub determinations: Vec<DeterminationRow>,
}

impl Model {
    pub fn status(&self) -> Status {
        self.request.status
    }
}

struct Cast {
    admin: StaffAccount,
    reviewer: StaffAccount,
}

fn text(s: &str) -> Text {
    Text::multiline(s, 10_000).expect("model text is valid")
}

/// The account with this email, made now if it does not exist yet.
fn account(
    db: &Db,
    email: &str,
    name: &str,
    role: Role,
    department: Option<&str>,
) -> Result<StaffAccount, SeedError> {
    let existing = db.read(|conn| staff_db::by_email(conn, email).map_err(DbError::from))?;
    if let Some(row) = existing {
        return Ok(StaffAccount {
            id: row.id,
            email: row.email,
            name: row.name,
            role: row.role,
            department: row.department,
            title: row.title,
        });
    }
    // Nobody signs in as these accounts; the password only has to be acceptable.
    let password = crate::secrets::random_hex(16);
    let raw = RawStaffAccount {
        email: email.into(),
        name: name.into(),
        role: role.as_str().into(),
        department: department.map(str::to_string),
        title: None,
        password,
    };
    Ok(crate::app::admin::add_staff(db, raw)?)
}

fn catalog(db: &Db, steward_email: &str) -> Result<(), SeedError> {
    let now = crate::db::now();
    let entries = [
        (
            "seed-police-incidents",
            "Police incident reports",
            None,
            "Police",
        ),
        (
            "seed-building-permits",
            "Building permits",
            Some(steward_email),
            "Community Development",
        ),
        ("seed-vendor-payments", "Vendor payments", None, "Finance"),
    ];
    db.write(|conn| {
        for (id, title, steward, department) in entries {
            datasets::upsert(
                conn,
                &NewDataset {
                    id,
                    title,
                    steward_email: steward,
                    department: Some(department),
                    access_level: "restricted public",
                    updated_at: now,
                    keywords: "[]",
                    distributions: "[]",
                    ..Default::default()
                },
            )?;
        }
        Ok::<_, DbError>(())
    })?;
    Ok(())
}

fn submission(source: Source) -> RawSubmission {
    let access = |kind: &str, dataset: &str| {
        RawSubmission {
        kind: Some(kind.into()),
        requester: Some(RawRequester {
            name: Some("Dana Researcher".into()),
            email: Some("dana.researcher@example.org".into()),
            organization: Some("Diablo Valley Data Collective".into()),
            ..Default::default()
        }),
        description: Some(format!(
            "Access to the {dataset} dataset, including the restricted columns, for the years 2020 to 2026."
        )),
        dataset_id: Some(dataset.into()),
        fields_needed: Some("All columns, with the record identifiers.".into()),
        intended_use: Some(
            "A published study of city services; no personal data will be republished.".into(),
        ),
        preferred_format: Some("CSV".into()),
        language: None,
    }
    };
    match source {
        Source::Clerk => RawSubmission {
            kind: Some("public_records".into()),
            requester: Some(RawRequester {
                name: Some("Jane Q. Public".into()),
                email: Some("jane.public@example.com".into()),
                phone: Some("(925) 555-0100".into()),
                ..Default::default()
            }),
            description: Some(
                "All police incident logs for Todos Santos Plaza, March 2026, and any related \
                 correspondence between the Police Department and the City Manager's office."
                    .into(),
            ),
            preferred_format: Some("PDF".into()),
            ..Default::default()
        },
        Source::Police => access("dataset_access", "seed-police-incidents"),
        Source::Steward => access("api_access", "seed-building-permits"),
        Source::Finance => access("dataset_access", "seed-vendor-payments"),
    }
}

fn step(
    db: &Db,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    to: Status,
    input: TransitionInput,
) -> Result<(), SeedError> {
    db.write(|conn| {
        let version = requests_db::by_tracking_number(conn, tracking_number)?
            .map(|r| r.version)
            .ok_or(AppError::NotFound)?;
        let transition = Transition {
            to,
            version: Some(version),
            input,
            responsible: vec![],
        };
        act::transition(conn, ctx, caller, tracking_number, &transition)
    })?;
    Ok(())
}

/// Files one model request and takes it along `path`, as staff and the requester would.
fn walk(
    db: &Db,
    ctx: &Ctx,
    cast: &Cast,
    source: Source,
    path: Path,
    earlier: Option<&str>,
) -> Result<(String, String), SeedError> {
    let parsed = submission(source)
        .parse()
        .map_err(|e| SeedError::Model(format!("{e:?}")))?;
    let request = FileRequest {
        submission: parsed,
        idempotency: None,
    };
    let filed = submit::file(db, ctx, &request)?;
    let tn = filed.tracking_number.clone();
    let token = filed.access_token.clone().unwrap_or_default();
    let admin = Caller::Staff(cast.admin.clone());
    let reviewer = Caller::Staff(cast.reviewer.clone());
    let requester = Caller::Requester {
        token: token.clone(),
    };
    let none = TransitionInput::default;
    let investigation = ctx
        .exemptions
        .find("7923.600")
        .map(Ground::from_entry)
        .unwrap_or_else(|| Ground::other("Gov. Code §7923.600").expect("a code section"));
    let denial = || TransitionInput {
        reason: Some(text(
            "The records are part of an open investigation; releasing them now would endanger it.",
        )),
        withheld: vec![Withheld {
            item: "Incident logs and correspondence, March 2026".into(),
            ground: investigation.clone(),
            reason: "They record an investigation that is still open.".into(),
            justification: None,
        }],
        responsible: vec![Responsible {
            name: "Pat Records".into(),
            title: "Deputy City Clerk".into(),
            staff_id: None,
        }],
        segregability: Some(text(
            "Every page describes the investigation; nothing can be separated and released.",
        )),
        ..Default::default()
    };
    let reached_review = matches!(
        path,
        Path::Appealed | Path::AdministrativeReview | Path::DeniedOnReview
    );
    if path == Path::Withdrawn {
        let input = TransitionInput {
            reason: Some(text("I found what I needed elsewhere.")),
            ..Default::default()
        };
        step(db, ctx, &requester, &tn, Status::Withdrawn, input)?;
        return Ok((tn, token));
    }
    if path == Path::Submitted {
        return Ok((tn, token));
    }
    if path == Path::Duplicate {
        let input = TransitionInput {
            duplicate_of: earlier.and_then(crate::domain::input::TrackingNumber::parse),
            ..Default::default()
        };
        step(db, ctx, &admin, &tn, Status::Duplicate, input)?;
        return Ok((tn, token));
    }
    step(db, ctx, &admin, &tn, Status::UnderReview, none())?;
    match path {
        Path::Granted => {
            let input = TransitionInput {
                decision: Some(text(
                    "The records are disclosable. They are attached to the portal for download \
                     for 30 days; paper copies can be collected at the Clerk's office.",
                )),
                records_due_at: Some(
                    crate::app::local_time(ctx, crate::db::now()) + chrono::Duration::days(7),
                ),
                ..Default::default()
            };
            step(db, ctx, &admin, &tn, Status::Granted, input)?;
            // Most grants in a city's history were produced long ago.
            let produced = RecordProduction::try_from(RawProduction {
                how: Some("paper".into()),
                note: Some("Copies collected at the Clerk's counter.".into()),
                version: None,
            })
            .map_err(|e| SeedError::Model(format!("{e:?}")))?;
            db.write(|conn| {
                match crate::app::production::record_production(conn, ctx, &admin, &tn, &produced) {
                    // An API access grant is produced with its key.
                    Err(AppError::Conflict(crate::app::Conflict::NotInProduction)) => Ok(()),
                    other => other.map(|_| ()),
                }
            })?;
        }
        Path::Denied => step(db, ctx, &admin, &tn, Status::Denied, denial())?,
        Path::NoRecords => {
            let input = TransitionInput {
                search: Some(text(
                    "The Clerk's files, the Police records system and the City's email archive \
                     for March 2026.",
                )),
                ..Default::default()
            };
            step(db, ctx, &admin, &tn, Status::NoRecords, input)?;
        }
        _ if reached_review => {
            step(db, ctx, &admin, &tn, Status::Denied, denial())?;
            let appeal = TransitionInput {
                grounds: Some(text(
                    "The investigation closed in May; the exemption no longer applies.",
                )),
                ..Default::default()
            };
            step(db, ctx, &requester, &tn, Status::Appealed, appeal)?;
            if path != Path::Appealed {
                step(
                    db,
                    ctx,
                    &reviewer,
                    &tn,
                    Status::AdministrativeReview,
                    none(),
                )?;
            }
            if path == Path::DeniedOnReview {
                let upheld = TransitionInput {
                    decision: Some(text(
                        "The denial is upheld: the investigation is still open.",
                    )),
                    ..denial()
                };
                step(db, ctx, &reviewer, &tn, Status::Denied, upheld)?;
            }
        }
        _ => {}
    }
    Ok((tn, token))
}

/// The model's rows as the application left them.
fn load(
    conn: &mut Conn,
    source: Source,
    path: Path,
    token: String,
    tn: &str,
) -> QueryResult<Model> {
    let request: RequestRow = requests::table
        .filter(requests::tracking_number.eq(tn))
        .select(RequestRow::as_select())
        .first(conn)?;
    let requester = requests_db::requester(conn, request.requester_id)?;
    let events = audit_events::table
        .filter(audit_events::request_id.eq(request.id))
        .order(audit_events::seq)
        .select(AuditRow::as_select())
        .load(conn)?;
    let notices = outbox::table
        .filter(outbox::request_id.eq(request.id))
        .order(outbox::id)
        .select(OutboxRow::as_select())
        .load(conn)?;
    let decided = determinations::table
        .filter(determinations::request_id.eq(request.id))
        .order(determinations::id)
        .select(DeterminationRow::as_select())
        .load(conn)?;
    Ok(Model {
        source,
        path,
        token,
        request,
        requester,
        events,
        outbox: notices,
        determinations: decided,
    })
}

/// Makes one model request per source and path in `db`, and delivers their notices.
pub fn make(db: &Db, settings: &Settings, ctx: &Ctx) -> Result<Vec<Model>, SeedError> {
    let domain = "seed.cityofconcord.org";
    let steward_email = format!("permits.steward@{domain}");
    let cast = Cast {
        admin: account(
            db,
            &format!("records.admin@{domain}"),
            "Alex Admin",
            Role::Admin,
            None,
        )?,
        reviewer: account(
            db,
            &format!("appeals.reviewer@{domain}"),
            "Robin Reviewer",
            Role::Reviewer,
            None,
        )?,
    };
    account(
        db,
        &steward_email,
        "Sam Steward",
        Role::Steward,
        Some("Community Development"),
    )?;
    catalog(db, &steward_email)?;

    let mut walked = Vec::new();
    for source in Source::ALL {
        for path in Path::ALL {
            // Path::ALL starts with the request still waiting, which a duplicate repeats.
            let earlier = walked
                .iter()
                .find(|(s, p, _)| *s == source && *p == Path::Submitted)
                .map(|(_, _, (tn, _)): &(Source, Path, (String, String))| tn.clone());
            let made = walk(db, ctx, &cast, source, path, earlier.as_deref())?;
            walked.push((source, path, made));
        }
    }

    // Every notice goes out (to memory), so the models carry sent notices and their
    // `notice_delivered` events, as a request some days old does.
    let (mailer, _sent) = Mailer::memory();
    let dispatcher = Dispatcher::new(
        db.clone(),
        mailer,
        settings.mail.from.clone(),
        DispatchSettings::from_settings(settings),
    );
    actix_web::rt::System::new()
        .block_on(dispatcher.drain())
        .map_err(SeedError::Db)?;

    walked
        .into_iter()
        .map(|(source, path, (tn, token))| {
            let model =
                db.read(|conn| load(conn, source, path, token, &tn).map_err(DbError::from))?;
            if model.outbox.iter().any(|n| n.status != OutboxStatus::Sent) {
                return Err(SeedError::Model(format!(
                    "{tn}: a notice was not delivered"
                )));
            }
            Ok(model)
        })
        .collect()
}
