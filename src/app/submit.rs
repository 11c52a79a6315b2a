//! Filing a request: parse what the requester typed, route it, give it a tracking number and
//! a private token, start its audit chain and queue the acknowledgement.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::PgConnection;
use serde::{Deserialize, Serialize};

use super::notices::{self, new_request_recipients};
use super::{AppError, Conflict, Ctx};
use crate::audit;
use crate::db::links::{self, NewLink};
use crate::db::models::{NewRequest, NewRequester, Reckonings, RequestRow};
use crate::db::{self, datasets, requests, staff as staff_db, Conn, Db};
use crate::domain::deadlines::Reckoning;
use crate::domain::ids::{RequestId, RequesterId};
use crate::domain::input::{limits, parse_phone, Email, Text, TrackingNumber};
use crate::domain::intake::Channel;
use crate::domain::notices::Audience;
use crate::domain::routing::{self, DatasetContacts};
use crate::domain::step::{ComplaintDetails, LinkIssued, RequesterDetails, Step, Submitted};
use crate::domain::{FieldErrors, RequestKind, Status};
use crate::notify::{self, Notice, Outgoing};
use crate::secrets;
use crate::wording::Language;

/// A request as typed into the form or posted to the API, before any checking: both faces
/// read into this, and `Submission::try_from` checks it. Its OpenAPI schema is written out in
/// `web/api/fields.rs`, beside the other input rules.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RawSubmission {
    /// `public_records`, `dataset_access` or `api_access`.
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "requester_object")]
    pub requester: Option<RawRequester>,
    /// What records or data are wanted, in the requester's words.
    pub description: Option<String>,
    /// The catalog identifier; required for `dataset_access` and `api_access`.
    pub dataset_id: Option<String>,
    pub fields_needed: Option<String>,
    /// Required for `dataset_access` and `api_access`.
    pub intended_use: Option<String>,
    pub preferred_format: Option<String>,
    /// `en` or `es`: the language of the letters to the requester. Not given: the call's
    /// `Accept-Language`, else English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// A JSON body read as an object only. serde also reads a struct from an array of its fields,
/// and an array with one element too many then fails as "trailing characters", a syntax error:
/// valid JSON answered 400 as if malformed. Read as an object only, any other shape is a data
/// error (422).
#[derive(Debug, Clone)]
pub struct ObjectOnly<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ObjectOnly<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Object<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Object<T> {
            type Value = T;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            }
        }
        d.deserialize_map(Object(std::marker::PhantomData))
            .map(ObjectOnly)
    }
}

pub(super) fn requester_object<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<RawRequester>, D::Error> {
    Ok(Option::<ObjectOnly<RawRequester>>::deserialize(d)?.map(|o| o.0))
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RawRequester {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub organization: Option<String>,
}

/// A request that passed every check that needs no database.
#[derive(Debug, Clone)]
pub struct Submission {
    pub kind: RequestKind,
    /// None for an anonymous public records request (docs/PRODUCT.md, "Anonymous requests").
    pub name: Option<Text>,
    /// None when the requester gave no email: their private link is then the only way back.
    pub email: Option<Email>,
    pub phone: Option<Text>,
    pub organization: Option<Text>,
    pub description: Text,
    pub dataset_id: Option<Text>,
    pub fields_needed: Option<Text>,
    pub intended_use: Option<Text>,
    pub preferred_format: Option<Text>,
    /// Set when staff record a request that reached the office another way; None for the
    /// requester's own filing.
    pub intake: Option<Intake>,
    /// A complaint's own details, with the department chosen (`complaints::RawComplaint`).
    pub complaint: Option<super::complaints::ComplaintFiling>,
    /// The language of the letters to the requester; `None`: not said, the face decides.
    pub language: Option<Language>,
}

/// A language named in a filing, if one was: exactly `en` or `es` (as the API's schema
/// lists them; anything else, a blank too, is a field error).
pub(super) fn language_named(errors: &mut FieldErrors, raw: &Option<String>) -> Option<Language> {
    let raw = raw.as_deref()?;
    errors.check(
        "language",
        Language::ALL
            .into_iter()
            .find(|l| l.code() == raw)
            .ok_or_else(|| "must be en (English) or es (Spanish)".to_string()),
    )
}

/// A request staff record from email, mail, phone, fax or the counter.
#[derive(Debug, Clone)]
pub struct Intake {
    pub channel: Channel,
    /// When the office received it (UTC): the due date counts from this day.
    pub received_at: NaiveDateTime,
    /// Who recorded it, as the audit log names them.
    pub staff_email: String,
    /// Where letters go on paper when the requester gave no email.
    pub postal_address: Option<Text>,
    /// The earlier request whose clarification made this one, in substance, a new request;
    /// checked to be one the staff member can see.
    pub follows: Option<TrackingNumber>,
}

/// A required field's text, empty when missing (the parser then says it must not be empty).
fn required(raw: &Option<String>) -> &str {
    raw.as_deref().unwrap_or("")
}

/// Blank optional fields count as absent.
fn optional(raw: &Option<String>) -> Option<&str> {
    raw.as_deref().filter(|s| !s.trim().is_empty())
}

impl RawSubmission {
    pub fn parse(&self) -> Result<Submission, FieldErrors> {
        let mut errors = FieldErrors::default();
        let kind = match optional(&self.kind) {
            None => {
                errors.add("kind", "choose the kind of request");
                None
            }
            Some(raw) => errors.check(
                "kind",
                RequestKind::parse(raw)
                    .filter(|k| RequestKind::REQUESTS.contains(k))
                    .ok_or_else(|| {
                        "must be one of public_records, dataset_access, api_access (a complaint \
                         is filed at /api/v1/complaints)"
                            .to_string()
                    }),
            ),
        };
        let requester = self.requester.clone().unwrap_or_default();
        // A public records request may be anonymous: no provision of the CPRA asks who wants
        // a record (docs/PRODUCT.md, "Anonymous requests"). Access to data is granted to
        // someone, so those requests need both. Of a request of no known kind only what was
        // given is checked: whether a name is needed waits for the kind.
        let anonymous_allowed = !kind.is_some_and(RequestKind::is_access);
        let (name, email) = if anonymous_allowed {
            let name = optional(&requester.name)
                .map(|n| errors.check("requester.name", Text::line(n, limits::NAME)));
            let email = optional(&requester.email)
                .map(|e| errors.check("requester.email", Email::parse(e)));
            (name, email)
        } else {
            // Both are needed: a missing one is named, with why.
            let mut needed = |key: &str, raw: &Option<String>, what: &str| {
                let given = optional(raw).is_some();
                if !given {
                    errors.add(
                        key,
                        format!(
                            "an access request needs the requester's {what}: its key or data \
                             is given to someone"
                        ),
                    );
                }
                given
            };
            let has_name = needed("requester.name", &requester.name, "name");
            let has_email = needed("requester.email", &requester.email, "email address");
            let name = has_name.then(|| {
                errors.check(
                    "requester.name",
                    Text::line(required(&requester.name), limits::NAME),
                )
            });
            let email = has_email
                .then(|| errors.check("requester.email", Email::parse(required(&requester.email))));
            (name, email)
        };
        let phone = optional(&requester.phone)
            .and_then(|p| errors.check("requester.phone", parse_phone(p)));
        let organization = optional(&requester.organization).and_then(|o| {
            errors.check(
                "requester.organization",
                Text::line(o, limits::ORGANIZATION),
            )
        });
        let description = errors.check(
            "description",
            Text::multiline(required(&self.description), limits::DESCRIPTION),
        );
        let dataset_id = optional(&self.dataset_id)
            .and_then(|d| errors.check("dataset_id", Text::line(d, limits::DATASET_ID)));
        let fields_needed = optional(&self.fields_needed)
            .and_then(|f| errors.check("fields_needed", Text::multiline(f, limits::FIELD_TEXT)));
        let intended_use = optional(&self.intended_use)
            .and_then(|u| errors.check("intended_use", Text::multiline(u, limits::FIELD_TEXT)));
        let preferred_format = optional(&self.preferred_format)
            .and_then(|f| errors.check("preferred_format", Text::line(f, limits::FORMAT)));
        let language = language_named(&mut errors, &self.language);
        if kind.is_some_and(RequestKind::is_access) {
            if optional(&self.dataset_id).is_none() {
                errors.add(
                    "dataset_id",
                    "an access request must name the dataset it is for",
                );
            }
            if optional(&self.intended_use).is_none() {
                errors.add("intended_use", "say how the data will be used");
            }
        }
        match (kind, description) {
            (Some(kind), Some(description)) if errors.is_empty() => {
                // Every check passed: a name or email given parsed, and one missing is allowed.
                let name = name.flatten();
                let email = email.flatten();
                Ok(Submission {
                    kind,
                    name,
                    email,
                    phone,
                    organization,
                    description,
                    dataset_id,
                    fields_needed,
                    intended_use,
                    preferred_format,
                    intake: None,
                    complaint: None,
                    language,
                })
            }
            _ => Err(errors),
        }
    }

    /// Identifies the body for idempotent retries: same key, same body → same request.
    pub fn fingerprint(&self) -> String {
        secrets::sha256_hex(
            serde_json::to_string(self)
                .expect("a submission always serialises")
                .as_bytes(),
        )
    }
}

impl Submission {
    /// Where a complaint's matter is, when it was said.
    fn complaint_location(&self) -> Option<&str> {
        self.complaint
            .as_ref()
            .and_then(|c| c.location.as_ref())
            .map(Text::as_str)
    }
}

impl TryFrom<&RawSubmission> for Submission {
    type Error = FieldErrors;

    fn try_from(raw: &RawSubmission) -> Result<Submission, FieldErrors> {
        raw.parse()
    }
}

/// A request filed: what the requester gets back, the private token only the first time.
#[derive(Debug, Clone)]
pub struct Filed {
    pub tracking_number: String,
    pub kind: RequestKind,
    pub status: Status,
    pub queue: String,
    pub received_at: NaiveDateTime,
    pub determination_due: NaiveDate,
    /// A private link's token, shown this once; each email to the requester carries its own.
    pub access_token: Option<String>,
    /// The private tracking page; carries the token, so keep it private.
    pub private_url: Option<String>,
    pub version: i32,
    /// This answers a retry with an Idempotency-Key already used.
    pub replayed: bool,
}

/// A retry key and the body it was sent with.
#[derive(Debug, Clone)]
pub struct IdempotencyKey {
    pub key: String,
    pub fingerprint: String,
}

impl IdempotencyKey {
    /// The `Idempotency-Key` header's value: 1 to 255 visible ASCII characters.
    pub fn parse(raw: &str, body: &RawSubmission) -> Result<IdempotencyKey, FieldErrors> {
        let key = raw.trim();
        if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
            let mut errors = FieldErrors::default();
            errors.add(
                "Idempotency-Key",
                "must be 1 to 255 visible ASCII characters",
            );
            return Err(errors);
        }
        Ok(IdempotencyKey {
            key: key.to_string(),
            fingerprint: body.fingerprint(),
        })
    }
}

/// A request to file, checked, with its retry key if it came with one.
#[derive(Debug, Clone)]
pub struct FileRequest {
    pub submission: Submission,
    pub idempotency: Option<IdempotencyKey>,
}

/// Files a request: the one filing path of the service, its tests, the seed and the benches.
/// The reads come first on a pooled connection; then, as each backend is fastest, on
/// PostgreSQL the filing's two statements on that same connection (`file_at_once`: a filing
/// there is bound by round trips), on SQLite the filing alone in the writer's next group
/// commit (`file_numbered`), which numbers it without gaps. A concurrent retry with the same
/// Idempotency-Key that commits first is found and answered on a second try.
pub fn file(db: &Db, ctx: &Ctx, request: &FileRequest) -> Result<Filed, AppError> {
    match file_once(db, ctx, request) {
        Err(AppError::Conflict(Conflict::IdempotencyRace)) => file_once(db, ctx, request),
        other => other,
    }
}

fn file_once(db: &Db, ctx: &Ctx, request: &FileRequest) -> Result<Filed, AppError> {
    let FileRequest {
        submission,
        idempotency,
    } = request;
    let routing = db.read(|conn| {
        let routing = match prepare(conn, submission, idempotency.as_ref())? {
            Prepared::Replay(filed) => return Ok(Err(filed)),
            Prepared::File(routing) => routing,
        };
        match conn {
            Conn::Postgres(pg) => {
                file_at_once(pg, ctx, submission, &routing, idempotency.as_ref()).map(Err)
            }
            Conn::Sqlite(_) => Ok(Ok(routing)),
        }
    })?;
    match routing {
        Err(answered) => Ok(answered),
        Ok(routing) => {
            let (ctx, submission, idempotency) =
                (ctx.clone(), submission.clone(), idempotency.clone());
            db.write_grouped(move |conn| {
                file_numbered(conn, &ctx, &submission, &routing, idempotency.as_ref())
            })
        }
    }
}

/// What filing needs from the database besides its own writes.
#[derive(Debug, Clone)]
pub struct Routing {
    route: routing::Route,
    assignee_email: Option<String>,
    /// Who gets the new-request notice: the assignee, or the staff serving the queue.
    staff_recipients: Vec<String>,
}

enum Prepared {
    /// The Idempotency-Key already filed this body: answer that request again.
    Replay(Filed),
    File(Routing),
}

/// Everything filing reads, done before its write: SQLite runs every write in turn on one
/// thread, so reads inside it are paid by every caller waiting in line. Catalog and staff
/// changes between the two are as if they came just after the filing.
fn prepare(
    conn: &mut Conn,
    submission: &Submission,
    idempotency: Option<&IdempotencyKey>,
) -> Result<Prepared, AppError> {
    if let Some(key) = idempotency {
        if let Some(replay) = replay(conn, key)? {
            return Ok(Prepared::Replay(replay));
        }
    }
    let contacts = match &submission.dataset_id {
        Some(id) if submission.kind.is_access() => Some(dataset_contacts(conn, id.as_str())?),
        _ => None,
    };
    // Only an access request naming a dataset, or a complaint, is placed by the directory.
    let directory = match (&contacts, &submission.complaint) {
        (None, None) => Default::default(),
        _ => crate::db::directory::load(conn)?,
    };
    let route = match &submission.complaint {
        // A complaint goes where the complainant chose; it waits there for whoever takes it.
        Some(complaint) => routing::Route {
            queue: directory
                .by_queue(&complaint.department)
                .ok_or_else(|| {
                    AppError::field(
                        "department",
                        "there is no department with this name in the directory",
                    )
                })?
                .queue
                .clone(),
            assignee: None,
        },
        None => routing::route(submission.kind, contacts.as_ref(), &directory),
    };
    let assignee_email = match route.assignee {
        Some(id) => staff_db::by_id(conn, id)?.map(|s| s.email),
        None => None,
    };
    let staff_recipients = new_request_recipients(conn, &route.queue, route.assignee)?;
    Ok(Prepared::File(Routing {
        route,
        assignee_email,
        staff_recipients,
    }))
}

/// The tracking number's place in its year's count, and the moment it was taken, which
/// becomes the request's time of receipt (the number's year is that moment's).
#[derive(Debug, Clone, Copy)]
struct Numbered {
    at: NaiveDateTime,
    sequence: i64,
}

/// The name of the counter that numbers the requests received in `year`.
fn counter_of(year: i32) -> String {
    format!("tracking-{year}")
}

/// What a filing fixes before it writes anything, and the rows and answer made from it: the
/// same on both backends, which differ only in how the rows reach the database.
struct Filing<'s> {
    submission: &'s Submission,
    /// When the office received the request: now, or the time staff recorded.
    received_at: NaiveDateTime,
    /// None when the requester gave no email: the acknowledgement is then queued for no one.
    requester_email: Option<String>,
    routing: &'s Routing,
    now: NaiveDateTime,
    due: NaiveDate,
    /// How `due` was counted.
    reckoning: Reckoning,
    tracking_number: TrackingNumber,
    token: String,
    token_hash: String,
    private_url: String,
}

impl<'s> Filing<'s> {
    fn new(
        ctx: &Ctx,
        submission: &'s Submission,
        routing: &'s Routing,
        numbered: Numbered,
    ) -> Filing<'s> {
        let received_at = submission
            .intake
            .as_ref()
            .map_or(numbered.at, |intake| intake.received_at);
        let received_on = ctx.clock.date_of(received_at);
        // Numbered by the year it is filed, so the year's numbering stays one sequence.
        let tracking_number =
            TrackingNumber::new(ctx.clock.date_of(numbered.at).year(), numbered.sequence);
        let token = secrets::new_token(secrets::REQUESTER_TOKEN_PREFIX);
        let private_url = format!(
            "{}/requests/{}?token={}",
            ctx.public_url, tracking_number, token
        );
        // A complaint runs on the city's own target; a request on the statute's ten days.
        let reckoning = match submission.kind {
            RequestKind::Complaint => ctx.policy().complaint_reckoning(received_on),
            _ => ctx.policy().determination_reckoning(received_on),
        };
        Filing {
            submission,
            received_at,
            requester_email: submission.email.as_ref().map(|e| e.as_str().to_string()),
            routing,
            now: numbered.at,
            due: reckoning.due,
            reckoning,
            tracking_number,
            token_hash: secrets::token_hash(&token),
            token,
            private_url,
        }
    }

    fn requester(&self) -> NewRequester<'s> {
        let s = self.submission;
        NewRequester {
            name: s.name.as_ref().map(Text::as_str),
            email: s.email.as_ref().map(Email::as_str),
            phone: s.phone.as_ref().map(Text::as_str),
            organization: s.organization.as_ref().map(Text::as_str),
            created_at: self.now,
            postal_address: s
                .intake
                .as_ref()
                .and_then(|i| i.postal_address.as_ref())
                .map(Text::as_str),
        }
    }

    /// The new request's words in the search index (`db::search`).
    fn words(&self) -> String {
        let s = self.submission;
        crate::domain::search::RequestText {
            tracking_number: self.tracking_number.as_str(),
            requester_name: s.name.as_ref().map(Text::as_str),
            requester_email: s.email.as_ref().map(Email::as_str),
            organization: s.organization.as_ref().map(Text::as_str),
            description: s.description.as_str(),
            intended_use: s.intended_use.as_ref().map(Text::as_str),
            subject: s.complaint.as_ref().map(|c| c.subject.as_str()),
            location: s.complaint_location(),
            messages: Vec::new(),
        }
        .folded()
    }

    fn request(&self, requester_id: RequesterId) -> NewRequest<'_> {
        let s = self.submission;
        NewRequest {
            tracking_number: self.tracking_number.as_str(),
            kind: s.kind,
            status: Status::first_of(s.kind),
            version: 1,
            requester_id,
            description: s.description.as_str(),
            dataset_id: s
                .dataset_id
                .as_ref()
                .filter(|_| s.kind.is_access())
                .map(Text::as_str),
            fields_needed: s.fields_needed.as_ref().map(Text::as_str),
            intended_use: s.intended_use.as_ref().map(Text::as_str),
            preferred_format: s.preferred_format.as_ref().map(Text::as_str),
            queue: &self.routing.route.queue,
            assignee_id: self.routing.route.assignee,
            received_at: self.received_at,
            determination_due: self.due,
            due_on: self.due,
            audit_head: audit::GENESIS_HASH,
            updated_at: self.now,
            due_reckoning: Reckonings(vec![self.reckoning.clone()]),
            channel: self.channel().as_str(),
            follows: s
                .intake
                .as_ref()
                .and_then(|i| i.follows.as_ref())
                .map(TrackingNumber::as_str),
            subject: s.complaint.as_ref().map(|c| c.subject.as_str()),
            location: s.complaint_location(),
            occurred_on: s.complaint.as_ref().and_then(|c| c.occurred_on),
            language: s.language.unwrap_or_default().code(),
        }
    }

    fn channel(&self) -> Channel {
        self.submission
            .intake
            .as_ref()
            .map_or(Channel::Web, |intake| intake.channel)
    }

    /// Who filed it, as the audit log says: the requester, or the staff member who recorded it.
    fn actor(&self) -> audit::Actor {
        match &self.submission.intake {
            Some(intake) => audit::Actor::Staff {
                email: intake.staff_email.clone(),
            },
            None => audit::Actor::Requester,
        }
    }

    /// The `submitted` step: everything the requester typed, and where it went.
    /// The private link the filing's answer gives (its own: each email carries another).
    fn link(&self, request_id: RequestId) -> NewLink<'_> {
        NewLink {
            request_id,
            token_hash: &self.token_hash,
            outbox_id: None,
            created_at: self.now,
        }
    }

    fn link_issued(&self) -> Step {
        Step::LinkIssued(LinkIssued {
            letter: None,
            token_hash: self.token_hash.clone(),
            outbox_id: None,
        })
    }

    fn submitted(&self) -> Step {
        let s = self.submission;
        let text = |t: &Option<Text>| t.as_ref().map(|t| t.as_str().to_string());
        Step::Submitted(Submitted {
            kind: s.kind,
            requester: RequesterDetails {
                name: text(&s.name),
                email: s.email.as_ref().map(|e| e.as_str().to_string()),
                phone: text(&s.phone),
                organization: text(&s.organization),
                postal_address: s
                    .intake
                    .as_ref()
                    .and_then(|i| i.postal_address.as_ref())
                    .map(|a| a.as_str().to_string()),
            },
            description: s.description.as_str().to_string(),
            dataset_id: text(&s.dataset_id),
            fields_needed: text(&s.fields_needed),
            intended_use: text(&s.intended_use),
            preferred_format: text(&s.preferred_format),
            queue: self.routing.route.queue.clone(),
            assignee: self.routing.assignee_email.clone(),
            determination_due: self.due,
            reckoning: Some(self.reckoning.clone()),
            channel: self.channel(),
            received_at: self.submission.intake.as_ref().map(|i| i.received_at),
            follows: self
                .submission
                .intake
                .as_ref()
                .and_then(|i| i.follows.as_ref())
                .map(|tn| tn.as_str().to_string()),
            complaint: s.complaint.as_ref().map(|c| ComplaintDetails {
                subject: c.subject.as_str().to_string(),
                location: text(&c.location),
                occurred_on: c.occurred_on,
            }),
        })
    }

    /// The notices the filing causes: the acknowledgement to the requester (with the private
    /// link), the new-request notice to each staff recipient routing chose.
    fn notices<'a>(
        &'a self,
        step: &'a Step,
        about: &'a notify::notice::About<'a>,
        staff_about: &'a notify::notice::About<'a>,
    ) -> Vec<Outgoing<'a>> {
        let mut outgoing = Vec::new();
        for notice in Notice::for_step_to_each(step, about, staff_about) {
            // The requester hears of their filing; the staff routing chose, of their new work.
            let recipients = match notice.audience() {
                Audience::Requester => self.requester_email.as_slice(),
                Audience::Staff => self.routing.staff_recipients.as_slice(),
            };
            for recipient in recipients {
                outgoing.push(Outgoing {
                    send_after: None,
                    notice,
                    recipient: recipient.clone(),
                });
            }
        }
        outgoing
    }

    /// What the letters say of the new request.
    fn about<'a>(&'a self, row: &'a RequestRow, ctx: &'a Ctx) -> notify::notice::About<'a> {
        notices::about(row, ctx, self.submission.name.as_ref().map(Text::as_str))
    }

    /// Logs the filing and answers it.
    fn answer(self, version: i32) -> Filed {
        let s = self.submission;
        log::info!(
            "{} filed ({}) by {} into queue {}",
            self.tracking_number,
            s.kind.as_str(),
            s.email
                .as_ref()
                .map_or_else(|| "no email".to_string(), |e| e.masked()),
            self.routing.route.queue
        );
        Filed {
            tracking_number: self.tracking_number.to_string(),
            kind: s.kind,
            status: Status::first_of(s.kind),
            queue: self.routing.route.queue.clone(),
            received_at: self.received_at,
            determination_due: self.due,
            access_token: Some(self.token),
            private_url: Some(self.private_url),
            version,
            replayed: false,
        }
    }
}

/// Files a prepared request in the caller's transaction, numbering it there: on SQLite, where
/// writes are serial, so the year's numbering has no gaps.
fn file_numbered(
    conn: &mut Conn,
    ctx: &Ctx,
    submission: &Submission,
    routing: &Routing,
    idempotency: Option<&IdempotencyKey>,
) -> Result<Filed, AppError> {
    let at = ctx.clock.now();
    let year = ctx.clock.date_of(at).year();
    let sequence = requests::next_sequence(conn, &counter_of(year))?;
    let filing = Filing::new(ctx, submission, routing, Numbered { at, sequence });
    let now = filing.now;

    let requester_id = requests::insert_requester(conn, &filing.requester())?;
    let row = requests::insert(conn, &filing.request(requester_id))?;
    crate::db::search::put(conn, row.id, &filing.words())?;
    let mut chain = audit::OpenChain::of_new_request(row.id, &row.tracking_number);
    let step = filing.submitted();
    chain.append(now, &filing.actor(), &step);
    links::insert(conn, &filing.link(row.id))?;
    chain.append(now, &filing.actor(), &filing.link_issued());
    if let Some(key) = idempotency {
        // A concurrent retry with the same key got there first: undo ours, answer theirs.
        let stored = db::unless_unique_violation(requests::insert_idempotency_key(
            conn,
            &key.key,
            &key.fingerprint,
            row.id,
            now,
        ))?;
        if stored.is_none() {
            return Err(idempotency_race());
        }
    }
    let about = filing.about(&row, ctx);
    let staff_about = about.in_english();
    let outgoing = filing.notices(&step, &about, &staff_about);
    notify::enqueue(conn, &mut chain, &outgoing, now, &ctx.addressing())?;
    chain.close(conn)?;
    let version = row.version;
    drop(outgoing);
    Ok(filing.answer(version))
}

/// Files a prepared request on PostgreSQL in two round trips, outside any transaction: the
/// number and every id first (`requests::reserve_filing`), then every row, its hashes
/// computed here, in one statement (`requests::insert_filing`). One statement per row
/// inside BEGIN … COMMIT took 18 round trips a filing and ran at a third of what the
/// storage allows (docs/PERFORMANCE.md).
fn file_at_once(
    conn: &mut PgConnection,
    ctx: &Ctx,
    submission: &Submission,
    routing: &Routing,
    idempotency: Option<&IdempotencyKey>,
) -> Result<Filed, AppError> {
    let at = ctx.clock.now();
    let year = ctx.clock.date_of(at).year();
    // The acknowledgement (unless the requester gave no email), and the new-request notices.
    let notices = usize::from(submission.email.is_some()) + routing.staff_recipients.len();
    let reserved = requests::reserve_filing(conn, &counter_of(year), notices)?;
    let numbered = Numbered {
        at,
        sequence: reserved.number,
    };
    let filing = Filing::new(ctx, submission, routing, numbered);
    let now = filing.now;

    let requester = filing.requester();
    let mut row = filing
        .request(reserved.requester_id)
        .to_row(reserved.request_id);
    let mut chain = audit::OpenChain::of_new_request(row.id, &row.tracking_number);
    let step = filing.submitted();
    let mut linked = vec![
        chain.link(now, &filing.actor(), &step),
        chain.link(now, &filing.actor(), &filing.link_issued()),
    ];
    let about = filing.about(&row, ctx);
    let staff_about = about.in_english();
    let composed = notify::outbox::link(
        &mut chain,
        &filing.notices(&step, &about, &staff_about),
        &reserved.outbox_ids,
        now,
        &ctx.addressing(),
        &mut linked,
    )?;
    drop((about, staff_about));
    // The request row is inserted with its chain's head: that insert is the chain's close.
    (row.audit_seq, row.audit_head) = chain.into_new_head();
    let outbox: Vec<_> = composed
        .iter()
        .map(|(id, notice)| (*id, notice.as_new(Some(row.id), now)))
        .collect();
    let words = filing.words();
    let stored = requests::insert_filing(
        conn,
        &requests::FilingRows {
            words: &words,
            requester_id: reserved.requester_id,
            requester: &requester,
            request: &row,
            events: &linked,
            link: &filing.link(row.id),
            outbox: &outbox,
            idempotency: idempotency.map(|k| (k.key.as_str(), k.fingerprint.as_str())),
        },
    )?;
    if !stored {
        return Err(idempotency_race());
    }
    Ok(filing.answer(row.version))
}

/// A concurrent retry with the same Idempotency-Key got there first: ours is undone, and the
/// caller files again, which finds and answers theirs.
fn idempotency_race() -> AppError {
    Conflict::IdempotencyRace.into()
}

/// The request an Idempotency-Key already filed, or a refusal when the body differs.
fn replay(conn: &mut Conn, key: &IdempotencyKey) -> Result<Option<Filed>, AppError> {
    let Some((fingerprint, request_id)) = requests::idempotency_key(conn, &key.key)? else {
        return Ok(None);
    };
    if fingerprint != key.fingerprint {
        let mut errors = FieldErrors::default();
        errors.add(
            "Idempotency-Key",
            "this key was already used for a different request",
        );
        return Err(AppError::Invalid(errors));
    }
    let row = requests::by_id(conn, request_id)?;
    Ok(Some(Filed {
        tracking_number: row.tracking_number.clone(),
        kind: row.kind,
        status: row.status,
        queue: row.queue.clone(),
        received_at: row.received_at,
        determination_due: row.determination_due,
        access_token: None,
        private_url: None,
        version: row.version,
        replayed: true,
    }))
}

/// The catalog's contacts for a dataset; an unknown or withdrawn dataset is a field error.
fn dataset_contacts(conn: &mut Conn, dataset_id: &str) -> Result<DatasetContacts, AppError> {
    let unknown = || {
        let mut errors = FieldErrors::default();
        errors.add(
            "dataset_id",
            "there is no dataset with this identifier in the catalog",
        );
        AppError::Invalid(errors)
    };
    let dataset = datasets::by_id(conn, dataset_id)?.ok_or_else(unknown)?;
    if dataset.withdrawn != 0 {
        return Err(unknown());
    }
    Ok(crate::catalog::placement::contacts_of(conn, &dataset)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawSubmission {
        RawSubmission {
            kind: Some("public_records".into()),
            requester: Some(RawRequester {
                name: Some("Jane Doe".into()),
                email: Some("jane@example.com".into()),
                phone: Some("".into()),
                organization: None,
            }),
            description: Some("Police logs for March 2026".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_public_records_request_parses() {
        let parsed = raw().parse().unwrap();
        assert_eq!(parsed.kind, RequestKind::PublicRecords);
        assert!(parsed.phone.is_none(), "a blank optional field is absent");
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let mut bad = raw();
        bad.kind = Some("everything".into());
        bad.requester = Some(RawRequester {
            name: Some("\u{7}".into()),
            email: Some("nope".into()),
            ..Default::default()
        });
        bad.description = Some("x".repeat(limits::DESCRIPTION + 1));
        let errors = bad.parse().unwrap_err();
        let fields: Vec<&str> = errors.0.keys().map(String::as_str).collect();
        assert_eq!(
            fields,
            ["description", "kind", "requester.email", "requester.name"]
        );
    }

    #[test]
    fn a_records_request_may_be_anonymous_and_an_access_request_may_not() {
        let mut anonymous = raw();
        anonymous.requester = None;
        let parsed = anonymous.parse().unwrap();
        assert!(parsed.name.is_none() && parsed.email.is_none());
        let mut access = anonymous.clone();
        access.kind = Some("api_access".into());
        access.dataset_id = Some("permits".into());
        access.intended_use = Some("A map".into());
        let errors = access.parse().unwrap_err();
        let fields: Vec<&str> = errors.0.keys().map(String::as_str).collect();
        assert_eq!(fields, ["requester.email", "requester.name"]);
        // A kind not yet known checks only what was given.
        let mut unknown = anonymous.clone();
        unknown.kind = None;
        let errors = unknown.parse().unwrap_err();
        let fields: Vec<&str> = errors.0.keys().map(String::as_str).collect();
        assert_eq!(fields, ["kind"]);
    }

    #[test]
    fn an_access_request_needs_a_dataset_and_an_intended_use() {
        let mut access = raw();
        access.kind = Some("api_access".into());
        let errors = access.parse().unwrap_err();
        assert!(errors.0.contains_key("dataset_id") && errors.0.contains_key("intended_use"));
    }

    #[test]
    fn the_fingerprint_changes_with_the_body() {
        let mut other = raw();
        other.description = Some("Something else".into());
        assert_eq!(raw().fingerprint(), raw().fingerprint());
        assert_ne!(raw().fingerprint(), other.fingerprint());
    }
}
