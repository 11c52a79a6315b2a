//! Row, insert and change structs, one per table use. Enums and ids are typed here; how each
//! is stored is `types.rs`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::*;
pub use super::types::{Reckonings, StaffIds};
use crate::domain::documents::DocumentKind;
use crate::domain::ids::{
    ApiKeyId, DocumentId, MessageId, OutboxId, RequestId, RequesterFileId, RequesterId, StaffId,
};
use crate::domain::notices::{Audience, NoticeKind, OutboxStatus};
use crate::domain::step::Author;
use crate::domain::transitions::{ReviewOutcome, Stage};
use crate::domain::{Circumstance, RequestKind, Role, Status};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = staff)]
pub struct StaffRow {
    pub id: StaffId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub department: Option<String>,
    pub password_hash: String,
    pub active: i32,
    pub created_at: NaiveDateTime,
    pub title: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = staff)]
pub struct NewStaff<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub department: Option<&'a str>,
    pub password_hash: &'a str,
    pub active: i32,
    pub created_at: NaiveDateTime,
    pub title: Option<&'a str>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = datasets)]
pub struct DatasetRow {
    pub id: String,
    pub title: String,
    pub steward_email: Option<String>,
    pub department: Option<String>,
    pub access_level: String,
    pub withdrawn: i32,
    pub updated_at: NaiveDateTime,
    pub description: String,
    pub keywords: String,
    pub publisher: Option<String>,
    pub contact_name: Option<String>,
    pub license: Option<String>,
    pub rights: Option<String>,
    pub accrual_periodicity: Option<String>,
    pub modified: Option<String>,
    pub described_by: Option<String>,
    pub landing_page: Option<String>,
    pub distributions: String,
    pub content_hash: String,
    /// The dataset's object in the portal's data.json, as imported (JSON); none for rows
    /// imported before it was kept, or not made by an import.
    pub source: Option<String>,
}

/// A dataset as the catalog import writes it (the minimal form for tests leaves the rest empty).
#[derive(Debug, Default, Insertable, AsChangeset)]
#[diesel(table_name = datasets)]
#[diesel(treat_none_as_null = true)]
pub struct NewDataset<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub steward_email: Option<&'a str>,
    pub department: Option<&'a str>,
    pub access_level: &'a str,
    pub withdrawn: i32,
    pub updated_at: NaiveDateTime,
    pub description: &'a str,
    pub keywords: &'a str,
    pub publisher: Option<&'a str>,
    pub contact_name: Option<&'a str>,
    pub license: Option<&'a str>,
    pub rights: Option<&'a str>,
    pub accrual_periodicity: Option<&'a str>,
    pub modified: Option<&'a str>,
    pub described_by: Option<&'a str>,
    pub landing_page: Option<&'a str>,
    pub distributions: &'a str,
    pub content_hash: &'a str,
    pub source: Option<&'a str>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_keys)]
pub struct ApiKeyRow {
    pub id: ApiKeyId,
    pub request_id: RequestId,
    pub key_hash: Option<String>,
    pub scopes: String,
    pub rate_limit: i32,
    pub expires_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub claimed_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
    /// When the requester said this key was lost and asked for a new one.
    pub replacement_asked_at: Option<NaiveDateTime>,
    /// The key this one replaces, revoked when this one is claimed.
    pub replaces: Option<ApiKeyId>,
}

/// Also inserted whole, id included, by the seeding of load runs (`crate::seed`).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = requesters, treat_none_as_default_value = false)]
pub struct RequesterRow {
    pub id: RequesterId,
    /// Both none for an anonymous public records request.
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub organization: Option<String>,
    pub created_at: NaiveDateTime,
    /// Where letters go on paper: a requester staff recorded without an email address.
    pub postal_address: Option<String>,
    /// When mail to `email` was found not to work (docs/PRODUCT.md, "Bounces").
    pub email_bounced_at: Option<NaiveDateTime>,
}

impl RequesterRow {
    /// The address letters are emailed to: none when they gave none, or it stopped working.
    pub fn working_email(&self) -> Option<&str> {
        match self.email_bounced_at {
            Some(_) => None,
            None => self.email.as_deref(),
        }
    }

    /// Whether their letters go by post: a postal address and no working email. After a
    /// bounce, only the letters of steps from then on.
    pub fn gets_post(&self) -> bool {
        self.working_email().is_none() && self.postal_address.is_some()
    }
}

// The rows a filing or a step inserts say `treat_none_as_default_value = false`: a None is
// written as NULL (these columns have no default), so the INSERT's text is the same every
// time. With diesel's default (None means DEFAULT) the statement is never cached: PostgreSQL
// parsed each INSERT anew in a round trip of its own, and SQLite compiled it again.
#[derive(Debug, Insertable)]
#[diesel(table_name = requesters, treat_none_as_default_value = false)]
pub struct NewRequester<'a> {
    pub name: Option<&'a str>,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub organization: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub postal_address: Option<&'a str>,
}

/// Also inserted whole, id included, by the seeding of load runs (`crate::seed`).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = requests, treat_none_as_default_value = false)]
pub struct RequestRow {
    pub id: RequestId,
    pub tracking_number: String,
    pub kind: RequestKind,
    pub status: Status,
    pub version: i32,
    pub requester_id: RequesterId,
    pub description: String,
    pub dataset_id: Option<String>,
    pub fields_needed: Option<String>,
    pub intended_use: Option<String>,
    pub preferred_format: Option<String>,
    pub queue: String,
    pub assignee_id: Option<StaffId>,
    pub received_at: NaiveDateTime,
    pub determination_due: NaiveDate,
    pub extension_days: Option<i32>,
    pub extension_circumstance: Option<Circumstance>,
    pub extension_reason: Option<String>,
    pub due_on: NaiveDate,
    pub determined_by: Option<StaffId>,
    pub decision_final: i32,
    pub appeal_deadline: Option<NaiveDate>,
    pub appeal_grounds: Option<String>,
    pub appealed_at: Option<NaiveDateTime>,
    pub reviewer_id: Option<StaffId>,
    pub withdraw_reason: Option<String>,
    pub closed_at: Option<NaiveDateTime>,
    pub audit_seq: i64,
    pub audit_head: String,
    pub updated_at: NaiveDateTime,
    pub partial: i32,
    pub responsible_ids: StaffIds,
    pub records_due_at: Option<NaiveDateTime>,
    pub produced_at: Option<NaiveDateTime>,
    pub reopened: i32,
    pub due_reckoning: Reckonings,
    /// Staff asked the requester to clarify and wait for their answer (a marker; the clock runs).
    pub awaiting_requester_since: Option<NaiveDateTime>,
    /// How the request arrived: `domain::intake::Channel`'s stored name.
    pub channel: String,
    /// The tracking number of the request this one repeats, when it was closed as a duplicate.
    pub duplicate_of: Option<String>,
    /// The earlier request whose clarification made this one, by tracking number.
    pub follows: Option<String>,
    /// A complaint's subject, place and day, as the complainant gave them.
    pub subject: Option<String>,
    pub location: Option<String>,
    pub occurred_on: Option<NaiveDate>,
    /// A complaint referred: the agency that handles it.
    pub referred_to: Option<String>,
    /// A complaint closed: what was found and done (resolved), why it was dismissed, or what
    /// the complainant was told of the referral.
    pub closing_note: Option<String>,
    /// The language of the letters to the requester: `wording::Language`'s code.
    pub language: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = requests, treat_none_as_default_value = false)]
pub struct NewRequest<'a> {
    pub tracking_number: &'a str,
    pub kind: RequestKind,
    pub status: Status,
    pub version: i32,
    pub requester_id: RequesterId,
    pub description: &'a str,
    pub dataset_id: Option<&'a str>,
    pub fields_needed: Option<&'a str>,
    pub intended_use: Option<&'a str>,
    pub preferred_format: Option<&'a str>,
    pub queue: &'a str,
    pub assignee_id: Option<StaffId>,
    pub received_at: NaiveDateTime,
    pub determination_due: NaiveDate,
    pub due_on: NaiveDate,
    pub audit_head: &'a str,
    pub updated_at: NaiveDateTime,
    pub due_reckoning: Reckonings,
    pub channel: &'a str,
    pub follows: Option<&'a str>,
    pub subject: Option<&'a str>,
    pub location: Option<&'a str>,
    pub occurred_on: Option<NaiveDate>,
    pub language: &'a str,
}

impl NewRequest<'_> {
    /// The row this insert stores, with an id taken beforehand and every other column at its
    /// default: a filing on PostgreSQL builds the row before it writes it.
    pub fn to_row(&self, id: RequestId) -> RequestRow {
        let text = |s: Option<&str>| s.map(str::to_string);
        RequestRow {
            id,
            tracking_number: self.tracking_number.to_string(),
            kind: self.kind,
            status: self.status,
            version: self.version,
            requester_id: self.requester_id,
            description: self.description.to_string(),
            dataset_id: text(self.dataset_id),
            fields_needed: text(self.fields_needed),
            intended_use: text(self.intended_use),
            preferred_format: text(self.preferred_format),
            queue: self.queue.to_string(),
            assignee_id: self.assignee_id,
            received_at: self.received_at,
            determination_due: self.determination_due,
            extension_days: None,
            extension_circumstance: None,
            extension_reason: None,
            due_on: self.due_on,
            determined_by: None,
            decision_final: 0,
            appeal_deadline: None,
            appeal_grounds: None,
            appealed_at: None,
            reviewer_id: None,
            withdraw_reason: None,
            closed_at: None,
            audit_seq: 0,
            audit_head: self.audit_head.to_string(),
            updated_at: self.updated_at,
            partial: 0,
            responsible_ids: StaffIds::default(),
            records_due_at: None,
            produced_at: None,
            reopened: 0,
            due_reckoning: self.due_reckoning.clone(),
            awaiting_requester_since: None,
            channel: self.channel.to_string(),
            duplicate_of: None,
            follows: self.follows.map(str::to_string),
            subject: text(self.subject),
            location: text(self.location),
            occurred_on: self.occurred_on,
            referred_to: None,
            closing_note: None,
            language: self.language.to_string(),
        }
    }
}

/// What a step changes on a request; `None` leaves a column as it is
/// (`requests::update_if_version` writes every field).
#[derive(Debug, Default)]
pub struct RequestChanges {
    pub status: Option<Status>,
    pub queue: Option<String>,
    pub assignee_id: Option<StaffId>,
    pub determination_due: Option<NaiveDate>,
    pub extension_days: Option<i32>,
    pub extension_circumstance: Option<Circumstance>,
    pub extension_reason: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub determined_by: Option<StaffId>,
    pub decision_final: Option<i32>,
    pub appeal_deadline: Option<NaiveDate>,
    pub appeal_grounds: Option<String>,
    pub appealed_at: Option<NaiveDateTime>,
    pub reviewer_id: Option<StaffId>,
    pub withdraw_reason: Option<String>,
    pub closed_at: Option<NaiveDateTime>,
    pub partial: Option<i32>,
    pub responsible_ids: Option<StaffIds>,
    pub records_due_at: Option<NaiveDateTime>,
    /// `Some(None)` clears it (a production reopened).
    pub produced_at: Option<Option<NaiveDateTime>>,
    pub reopened: Option<i32>,
    pub due_reckoning: Option<Reckonings>,
    pub duplicate_of: Option<String>,
    pub referred_to: Option<String>,
    pub closing_note: Option<String>,
    /// Clears the assignee (a complaint sent to another department waits there for whoever
    /// takes it); `assignee_id` is then ignored.
    pub unassign: bool,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = determinations)]
pub struct DeterminationRow {
    pub id: i64,
    pub request_id: RequestId,
    pub stage: Stage,
    pub outcome: Status,
    pub decision: Option<String>,
    pub reason: Option<String>,
    pub partial: i32,
    pub withheld: Option<String>,
    pub legal_basis: String,
    pub responsible: String,
    pub decided_by: StaffId,
    pub decided_at: NaiveDateTime,
    /// A JSON list of `exemptions::Withheld`.
    pub withheld_items: String,
    pub segregability: Option<String>,
    pub search: Option<String>,
    pub records_due_at: Option<NaiveDateTime>,
    pub review: Option<ReviewOutcome>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = determinations, treat_none_as_default_value = false)]
pub struct NewDetermination<'a> {
    pub request_id: RequestId,
    pub stage: Stage,
    pub outcome: Status,
    pub decision: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub partial: i32,
    pub withheld: Option<&'a str>,
    pub legal_basis: &'a str,
    pub responsible: &'a str,
    pub decided_by: StaffId,
    pub decided_at: NaiveDateTime,
    pub withheld_items: &'a str,
    pub segregability: Option<&'a str>,
    pub search: Option<&'a str>,
    pub records_due_at: Option<NaiveDateTime>,
    pub review: Option<ReviewOutcome>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = messages)]
pub struct MessageRow {
    pub id: MessageId,
    pub request_id: RequestId,
    pub author: Author,
    pub staff_id: Option<StaffId>,
    pub body: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = messages, treat_none_as_default_value = false)]
pub struct NewMessage<'a> {
    pub request_id: RequestId,
    pub author: Author,
    pub staff_id: Option<StaffId>,
    pub body: &'a str,
    pub created_at: NaiveDateTime,
}

/// An audit event as it is inserted, owned: what a chain links (`audit::OpenChain::link`) and
/// what the seed of load runs writes.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_events, treat_none_as_default_value = false)]
pub struct AuditEvent {
    pub request_id: RequestId,
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor: String,
    pub action: String,
    pub content: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_events)]
pub struct AuditRow {
    pub id: i64,
    pub request_id: RequestId,
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor: String,
    pub action: String,
    pub content: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = audit_events, treat_none_as_default_value = false)]
pub struct NewAuditEvent<'a> {
    pub request_id: RequestId,
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor: &'a str,
    pub action: &'a str,
    pub content: &'a str,
    pub prev_hash: &'a str,
    pub hash: &'a str,
}

/// Also inserted whole, id included, by the seeding of load runs (`crate::seed`).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = outbox, treat_none_as_default_value = false)]
pub struct OutboxRow {
    pub id: OutboxId,
    pub request_id: Option<RequestId>,
    pub notice: NoticeKind,
    pub recipient: String,
    pub audience: Audience,
    pub payload: String,
    pub message_id: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = outbox, treat_none_as_default_value = false)]
pub struct NewOutboxRow<'a> {
    pub request_id: Option<RequestId>,
    pub notice: NoticeKind,
    pub recipient: &'a str,
    pub audience: Audience,
    pub payload: &'a str,
    pub message_id: &'a str,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = documents)]
pub struct DocumentRow {
    pub id: DocumentId,
    pub request_id: RequestId,
    pub kind: DocumentKind,
    pub title: String,
    pub sha256: Option<String>,
    pub size_bytes: Option<i64>,
    pub content_type: Option<String>,
    pub url: Option<String>,
    pub redaction_note: Option<String>,
    pub exemption: Option<String>,
    pub added_by: StaffId,
    pub added_at: NaiveDateTime,
    pub released_by: Option<StaffId>,
    pub released_at: Option<NaiveDateTime>,
    /// 1: released to the public (the reading room) as well as the requester; 0: to the
    /// requester only, or not yet released. Chosen at release, fixed with it.
    pub public: i32,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = documents)]
pub struct NewDocument<'a> {
    pub request_id: RequestId,
    pub kind: DocumentKind,
    pub title: &'a str,
    pub sha256: Option<&'a str>,
    pub size_bytes: Option<i64>,
    pub content_type: Option<&'a str>,
    pub url: Option<&'a str>,
    pub redaction_note: Option<&'a str>,
    pub exemption: Option<&'a str>,
    pub added_by: StaffId,
    pub added_at: NaiveDateTime,
    /// 0: private until released as public.
    pub public: i32,
}

/// A file the requester sent with a message (`requester_files`).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = requester_files)]
pub struct RequesterFileRow {
    pub id: RequesterFileId,
    pub request_id: RequestId,
    pub message_id: MessageId,
    pub title: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub content_type: String,
    pub added_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = requester_files)]
pub struct NewRequesterFile<'a> {
    pub request_id: RequestId,
    pub message_id: MessageId,
    pub title: &'a str,
    pub sha256: &'a str,
    pub size_bytes: i64,
    pub content_type: &'a str,
    pub added_at: NaiveDateTime,
}

/// A letter staff posted to a requester (`posted_letters`).
#[derive(Debug, Insertable)]
#[diesel(table_name = posted_letters)]
pub struct NewPostedLetter {
    pub request_id: RequestId,
    pub event_seq: i64,
    pub notice: NoticeKind,
    pub posted_by: StaffId,
    pub posted_at: NaiveDateTime,
}
