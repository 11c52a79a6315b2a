//! A request as people see it: the requester sees their own request; staff see more. These
//! are read models: typed values (times, dates, enums), shaped for no face in particular.

use chrono::{NaiveDate, NaiveDateTime};

use super::api_keys::KeyStanding;
use super::{AppError, Caller, Ctx};
use crate::audit::store::events_for;
use crate::db::models::{AuditRow, DocumentRow, RequestRow, RequesterRow, StaffRow};
use crate::db::{requests, staff as staff_db, Conn};
use crate::domain::documents::DocumentKind;
use crate::domain::exemptions::Withheld;
use crate::domain::ids::{DocumentId, StaffId};
use crate::domain::input::Responsible;
use crate::domain::step::{Author, LetterWords, NoticeQueued, Step};
use crate::domain::transitions::{allowed_targets, may_manage, ReviewOutcome, Stage};
use crate::domain::{Actor, Circumstance, RequestKind, Status};
use crate::notify::outbox::NoticeRecord;
use crate::notify::reckoning;
use crate::wording::Language;

/// A request with everything the caller may know of it.
#[derive(Debug, Clone)]
pub struct Case {
    pub tracking_number: String,
    pub kind: RequestKind,
    pub status: Status,
    /// Goes up by one with every change; sent back to change the request.
    pub version: i32,
    pub queue: String,
    pub assignee: Option<StaffRef>,
    pub requester: Requester,
    pub description: String,
    pub dataset_id: Option<String>,
    pub fields_needed: Option<String>,
    pub intended_use: Option<String>,
    pub preferred_format: Option<String>,
    pub received_at: NaiveDateTime,
    /// How it reached the office.
    pub channel: crate::domain::intake::Channel,
    pub determination_due: NaiveDate,
    /// The date the current step is due: the determination, or the review decision on appeal.
    pub due_on: NaiveDate,
    pub overdue: bool,
    pub due_soon: bool,
    pub extension: Option<Extension>,
    pub appeal_deadline: Option<NaiveDate>,
    /// Decided on review: it cannot be appealed again.
    pub decision_final: bool,
    /// A grant that withholds something (and so may be appealed).
    pub partial: bool,
    /// A grant's estimated availability (Gov. Code §7922.535(a)), and when the records were
    /// produced.
    pub records_due_at: Option<NaiveDateTime>,
    pub produced_at: Option<NaiveDateTime>,
    /// A grant awaiting production whose estimate has passed.
    pub production_late: bool,
    /// How often a produced grant went back to production.
    pub reopened: i32,
    /// Staff asked the requester to clarify, then, and wait for their answer.
    pub awaiting_requester_since: Option<NaiveDateTime>,
    /// The language of the letters to the requester (`requests.language`).
    pub language: crate::wording::Language,
    /// How each due date was counted, oldest first (`due_reckoning_in` puts it in words).
    pub due_reckoning: Vec<crate::domain::deadlines::Reckoning>,
    pub appeal_grounds: Option<String>,
    pub reviewer: Option<StaffRef>,
    pub withdraw_reason: Option<String>,
    pub determinations: Vec<Determination>,
    pub messages: Vec<CaseMessage>,
    pub history: Vec<HistoryEntry>,
    /// The states this caller may move the request to now.
    pub allowed_transitions: Vec<Status>,
    /// For a granted api_access request: where its API key stands.
    pub api_key: Option<KeyStanding>,
    /// Response documents: the requester sees those released to them; staff see all.
    pub documents: Vec<Document>,
    /// Whether this caller may attach documents now, and release them.
    pub may_attach_documents: bool,
    pub may_release_documents: bool,
    /// The assigned clerk or steward, or an admin: who records production and reopens it.
    pub may_manage: bool,
    /// This staff caller may sign an extension for the request's department (its signers in
    /// the directory, or its clerks and the admins).
    pub signs_extensions: bool,
    /// The requester may still write on it: not withdrawn, not closed.
    pub takes_requester_messages: bool,
    /// Closed as a repeat: the request it repeats, by tracking number.
    pub duplicate_of: Option<String>,
    /// Staff only: the requests closed as repeats of this one.
    pub duplicates: Vec<String>,
    /// The earlier request whose clarification made this one, by tracking number.
    pub follows: Option<String>,
    /// Staff only: the requests recorded from clarifications of this one.
    pub followed_by: Vec<String>,
    /// What only a complaint carries (docs/PRODUCT.md, "Complaints").
    pub complaint: Option<ComplaintFacts>,
    /// A grant's fee estimates and the money on them (docs/PRODUCT.md, "Fees"); none before
    /// the first estimate.
    pub fees: Option<CaseFees>,
    /// This staff caller may estimate the fee now: a grant awaiting production they manage.
    pub may_estimate_fees: bool,
    /// Staff only: where the request stands in the reading room; none before staff decided
    /// (docs/PRODUCT.md, "Reading room").
    pub publication: Option<crate::domain::publication::PublicationStatus>,
}

/// A request's fees as a case shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFees {
    /// Every estimate, oldest first; the last is in force unless it was replaced.
    pub estimates: Vec<crate::db::fees::Estimate>,
    /// Every payment, waiver and refund, in order.
    pub entries: Vec<crate::db::fees::Entry>,
    /// The money on the estimate in force.
    pub account: Option<crate::domain::fees::Account>,
    /// The requester may accept or decline the estimate in force now.
    pub awaiting_answer: bool,
    /// Paper copies wait for the fee still owed.
    pub paper_waits: bool,
}

impl CaseFees {
    pub fn current(&self) -> Option<&crate::db::fees::Estimate> {
        self.estimates
            .last()
            .filter(|e| e.status != crate::domain::fees::EstimateStatus::Replaced)
    }
}

/// A complaint's own facts: the complainant's subject, place and day, the department it is
/// with, and how it closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintFacts {
    pub subject: String,
    pub location: Option<String>,
    pub occurred_on: Option<NaiveDate>,
    /// The department's name, as the directory has it now.
    pub department: String,
    pub referred_to: Option<String>,
    pub closing_note: Option<String>,
}

impl Case {
    /// How each due date was counted, in words of `language`: staff and the API read English,
    /// the tracking page its reader's language.
    pub fn due_reckoning_in(&self, language: Language) -> Vec<String> {
        self.due_reckoning
            .iter()
            .map(|r| reckoning::explain(r, language))
            .collect()
    }

    /// Whether this caller may move the request to `to` now.
    pub fn allows(&self, to: Status) -> bool {
        self.allowed_transitions.contains(&to)
    }
}

/// A staff member as a case names them; their email only for staff callers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRef {
    pub name: String,
    pub email: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Requester {
    /// Both none for an anonymous public records request.
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub organization: Option<String>,
    /// Where letters go on paper (docs/PRODUCT.md, "Letters by post").
    pub postal_address: Option<String>,
    /// Mail to `email` came back for good: letters no longer go to it (docs/PRODUCT.md,
    /// "Bounces"). Staff only.
    pub email_bounced_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone)]
pub struct Extension {
    pub days: i32,
    pub circumstance: Circumstance,
    pub reason: Option<String>,
}

impl Case {
    /// A grant whose records have not been produced yet.
    pub fn in_production(&self) -> bool {
        self.records_due_at.is_some() && self.produced_at.is_none()
    }
}

#[derive(Debug, Clone)]
pub struct Determination {
    pub stage: Stage,
    pub outcome: Status,
    pub decision: Option<String>,
    pub reason: Option<String>,
    pub partial: bool,
    /// What was withheld, in the words of a determination made before items were listed.
    pub withheld: Option<String>,
    pub legal_basis: Vec<String>,
    pub responsible: Vec<Responsible>,
    pub decided_by: StaffRef,
    pub decided_at: NaiveDateTime,
    /// Each item withheld, with its exemption and reason.
    pub withheld_items: Vec<Withheld>,
    pub segregability: Option<String>,
    pub search: Option<String>,
    pub records_due_at: Option<NaiveDateTime>,
    pub review: Option<ReviewOutcome>,
}

impl Determination {
    /// A decision on appeal, not the first determination.
    pub fn on_review(&self) -> bool {
        self.stage == Stage::Review
    }

    /// "granted in part", as pages say the outcome.
    pub fn outcome_words(&self) -> &'static str {
        match (self.outcome, self.partial) {
            (Status::Granted, false) => "granted",
            (Status::Granted, true) => "granted in part",
            (Status::Denied, _) => "denied",
            (Status::NoRecords, _) => "no records found",
            _ => "decided",
        }
    }
}

#[derive(Debug, Clone)]
pub struct CaseMessage {
    pub id: crate::domain::ids::MessageId,
    pub at: NaiveDateTime,
    pub from: Author,
    pub author_name: String,
    /// Empty when the requester sent only a file.
    pub body: String,
    /// The files the requester sent with it.
    pub files: Vec<SentFileRef>,
    /// The received email it came in, for staff (docs/PRODUCT.md, "Replies by email").
    pub email: Option<i64>,
}

/// A file the requester sent, as both faces list it under its message.
#[derive(Debug, Clone)]
pub struct SentFileRef {
    pub id: crate::domain::ids::RequesterFileId,
    pub title: String,
    pub size_bytes: i64,
    pub content_type: String,
    pub sha256: String,
}

/// Who an event is by, as this caller may know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum By {
    Requester,
    /// Staff; their email for staff callers only.
    Staff(Option<String>),
    System,
}

impl By {
    fn of(label: &str, is_staff: bool) -> Result<By, AppError> {
        match label.split_once(':') {
            None if label == "requester" => Ok(By::Requester),
            None if label == "system" => Ok(By::System),
            Some(("staff", email)) => Ok(By::Staff(is_staff.then(|| email.to_string()))),
            _ => Err(AppError::unreadable(format!("an event's actor {label:?}"))),
        }
    }

    /// As the log writes it (`staff:clerk@city.test`), or the kind alone when the email is
    /// not the caller's to know.
    pub fn label(&self) -> String {
        match self {
            By::Requester => "requester".into(),
            By::Staff(Some(email)) => format!("staff:{email}"),
            By::Staff(None) => "staff".into(),
            By::System => "system".into(),
        }
    }
}

/// One step of the request's history.
#[derive(Debug, Clone)]
pub struct HistoryEntry {
    pub seq: i64,
    pub at: NaiveDateTime,
    pub by: By,
    pub step: Step,
}

#[derive(Debug, Clone)]
pub struct Document {
    pub id: DocumentId,
    pub kind: DocumentKind,
    /// What the document is called: the file's name, made safe, or the link's title.
    pub title: String,
    pub content_type: Option<String>,
    pub size_bytes: Option<i64>,
    /// The SHA-256 of the file's bytes, as the audit log records it.
    pub sha256: Option<String>,
    /// Where a link points.
    pub url: Option<String>,
    pub redaction_note: Option<String>,
    pub exemption: Option<String>,
    pub released_at: Option<NaiveDateTime>,
    /// Released to the public (the reading room) as well as the requester.
    pub public: bool,
    pub added_at: NaiveDateTime,
}

impl Document {
    pub fn released(&self) -> bool {
        self.released_at.is_some()
    }

    /// "1.2 MB": the size as people read it (empty for a link).
    pub fn size_words(&self) -> String {
        self.size_bytes
            .map(|n| crate::notify::render::size_in_words(n.max(0) as u64))
            .unwrap_or_default()
    }

    /// What kind of file, in a word: "PDF", "CSV", … or "Link".
    pub fn type_words(&self) -> String {
        match (self.kind, self.title.rsplit_once('.')) {
            (DocumentKind::Link, _) => "Link".into(),
            (DocumentKind::File, Some((_, ext))) => ext.to_ascii_uppercase(),
            (DocumentKind::File, None) => "File".into(),
        }
    }
}

impl From<DocumentRow> for Document {
    fn from(d: DocumentRow) -> Document {
        Document {
            id: d.id,
            kind: d.kind,
            title: d.title,
            content_type: d.content_type,
            size_bytes: d.size_bytes,
            sha256: d.sha256,
            url: d.url,
            redaction_note: d.redaction_note,
            exemption: d.exemption,
            released_at: d.released_at,
            public: d.released_at.is_some() && d.public == 1,
            added_at: d.added_at,
        }
    }
}

/// A JSON list column, read as what it holds.
fn stored_list<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, AppError> {
    serde_json::from_str(text).map_err(|e| AppError::unreadable(format!("{what}: {e}")))
}

/// An audit event as the history holds it.
fn entry(event: AuditRow, is_staff: bool) -> Result<HistoryEntry, AppError> {
    Ok(HistoryEntry {
        step: Step::from_stored(&event.action, &event.content).map_err(AppError::unreadable)?,
        by: By::of(&event.actor, is_staff)?,
        seq: event.seq,
        at: event.at,
    })
}

/// A request's fees, for a request that has had a determination (only a grant takes one).
fn case_fees(conn: &mut Conn, ctx: &Ctx, row: &RequestRow) -> Result<Option<CaseFees>, AppError> {
    if row.determined_by.is_none() || row.kind.is_complaint() {
        return Ok(None);
    }
    let fees = crate::db::fees::for_request(conn, row.id)?;
    if fees.estimates.is_empty() {
        return Ok(None);
    }
    let account = fees.account();
    let current_status = fees.current().map(|e| e.status);
    Ok(Some(CaseFees {
        awaiting_answer: row.status == Status::Granted
            && current_status == Some(crate::domain::fees::EstimateStatus::Awaiting),
        paper_waits: match (current_status, &account) {
            (Some(status), Some(account)) => {
                crate::domain::fees::paper_waits(&ctx.fees, status, account)
            }
            _ => false,
        },
        account,
        estimates: fees.estimates,
        entries: fees.entries,
    }))
}

/// Builds the request as this caller may see it.
pub fn case_view(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    actor: &Actor,
    row: &RequestRow,
) -> Result<Case, AppError> {
    let requester = requests::requester(conn, row.requester_id)?;
    case_view_with(conn, ctx, caller, actor, row, requester)
}

/// [`case_view`] with the request's requester already read (a step that queued notices to
/// them).
pub fn case_view_with(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    actor: &Actor,
    row: &RequestRow,
    requester: RequesterRow,
) -> Result<Case, AppError> {
    let is_staff = matches!(caller, Caller::Staff(_));
    let mut staff_ids: Vec<StaffId> = [row.assignee_id, row.reviewer_id]
        .into_iter()
        .flatten()
        .collect();
    let determinations = requests::determinations_for(conn, row.id)?;
    let messages = requests::messages_for(conn, row.id)?;
    let sent_files = crate::db::requester_files::for_request(conn, row.id)?;
    // Which messages came by email: staff download the whole email.
    let emails: Vec<(crate::domain::ids::MessageId, i64)> = if is_staff {
        crate::db::mail::for_request(conn, row.id)?
            .into_iter()
            .filter_map(|mail| mail.message_id.map(|m| (m, mail.id)))
            .collect()
    } else {
        Vec::new()
    };
    staff_ids.extend(determinations.iter().map(|d| d.decided_by));
    staff_ids.extend(messages.iter().filter_map(|m| m.staff_id));
    let staff = staff_db::by_ids(conn, &staff_ids)?;
    let staff_ref = |id: StaffId| named(&staff, id, is_staff);
    let events = events_for(conn, row.id)?;
    let today = ctx.clock.today();
    // A grant awaiting production has its records' due date running.
    let open = row.status.is_open() || super::facts(row).in_production();
    let manages = may_manage(&super::facts(row), actor);
    let signs_extensions = match caller.staff() {
        Some(staff) => super::manage::signs_extensions(conn, &row.queue, staff)?,
        None => false,
    };
    let mut history = Vec::with_capacity(events.len());
    for event in events {
        let entry = entry(event, is_staff)?;
        let by_staff = matches!(entry.by, By::Staff(_));
        // Requesters see the steps; staff also see the mail log, documents being prepared
        // and their own downloads.
        if is_staff || entry.step.shown_to_requester(by_staff) {
            history.push(entry);
        }
    }
    let mut determined = Vec::with_capacity(determinations.len());
    for d in determinations {
        determined.push(Determination {
            stage: d.stage,
            outcome: d.outcome,
            decision: d.decision,
            reason: d.reason,
            partial: d.partial != 0,
            withheld: d.withheld,
            legal_basis: stored_list(&d.legal_basis, "a determination's legal basis")?,
            responsible: stored_list(&d.responsible, "a determination's persons responsible")?,
            decided_by: staff_ref(d.decided_by),
            decided_at: d.decided_at,
            withheld_items: stored_list(&d.withheld_items, "a determination's withheld items")?,
            segregability: d.segregability,
            search: d.search,
            records_due_at: d.records_due_at,
            review: d.review,
        });
    }
    Ok(Case {
        tracking_number: row.tracking_number.clone(),
        kind: row.kind,
        status: row.status,
        version: row.version,
        queue: row.queue.clone(),
        assignee: row.assignee_id.map(staff_ref),
        description: row.description.clone(),
        dataset_id: row.dataset_id.clone(),
        fields_needed: row.fields_needed.clone(),
        intended_use: row.intended_use.clone(),
        preferred_format: row.preferred_format.clone(),
        received_at: row.received_at,
        channel: crate::domain::intake::Channel::from_stored(&row.channel),
        determination_due: row.determination_due,
        due_on: row.due_on,
        overdue: open && ctx.policy().is_overdue(row.due_on, today),
        due_soon: open && ctx.policy().is_due_soon(row.due_on, today),
        extension: match (row.extension_days, row.extension_circumstance) {
            (Some(days), Some(circumstance)) => Some(Extension {
                days,
                circumstance,
                reason: row.extension_reason.clone(),
            }),
            (None, None) => None,
            _ => {
                return Err(AppError::unreadable(format!(
                    "{}: an extension without its days or circumstance",
                    row.tracking_number
                )))
            }
        },
        appeal_deadline: row.appeal_deadline,
        decision_final: row.decision_final != 0,
        partial: row.partial != 0,
        records_due_at: row.records_due_at,
        produced_at: row.produced_at,
        production_late: row.status == Status::Granted
            && row.produced_at.is_none()
            && row.records_due_at.is_some_and(|due| crate::db::now() > due),
        reopened: row.reopened,
        awaiting_requester_since: row.awaiting_requester_since,
        language: crate::wording::Language::from_code(&row.language).unwrap_or_default(),
        due_reckoning: row.due_reckoning.0.clone(),
        appeal_grounds: row.appeal_grounds.clone(),
        reviewer: row.reviewer_id.map(staff_ref),
        withdraw_reason: row.withdraw_reason.clone(),
        determinations: determined,
        messages: messages
            .into_iter()
            .map(|m| CaseMessage {
                id: m.id,
                at: m.created_at,
                from: m.author,
                author_name: match m.staff_id {
                    Some(id) => staff_ref(id).name,
                    None => requester
                        .name
                        .clone()
                        .unwrap_or_else(|| super::ANONYMOUS.to_string()),
                },
                files: sent_files
                    .iter()
                    .filter(|f| f.message_id == m.id)
                    .map(|f| SentFileRef {
                        id: f.id,
                        title: f.title.clone(),
                        size_bytes: f.size_bytes,
                        content_type: f.content_type.clone(),
                        sha256: f.sha256.clone(),
                    })
                    .collect(),
                email: emails
                    .iter()
                    .find(|(message, _)| *message == m.id)
                    .map(|(_, mail)| *mail),
                body: m.body,
            })
            .collect(),
        history,
        allowed_transitions: allowed_targets(&super::facts(row), actor, today),
        api_key: match crate::db::api_keys::for_request(conn, row.id)? {
            Some(key) => Some(super::api_keys::standing(conn, &key, crate::db::now())?),
            None => None,
        },
        may_attach_documents: manages && crate::domain::documents::may_add(row.status),
        may_release_documents: manages && crate::domain::documents::may_release(row.status),
        may_manage: manages,
        signs_extensions,
        duplicate_of: row.duplicate_of.clone(),
        complaint: match row.kind.is_complaint() {
            false => None,
            true => Some(ComplaintFacts {
                subject: row.subject.clone().unwrap_or_default(),
                location: row.location.clone(),
                occurred_on: row.occurred_on,
                department: crate::db::directory::name_of(conn, &row.queue)?
                    .unwrap_or_else(|| row.queue.clone()),
                referred_to: row.referred_to.clone(),
                closing_note: row.closing_note.clone(),
            }),
        },
        fees: case_fees(conn, ctx, row)?,
        may_estimate_fees: manages && super::facts(row).in_production(),
        publication: if is_staff {
            crate::db::publications::for_request(conn, row.id)?.map(|p| p.status)
        } else {
            None
        },
        follows: row.follows.clone(),
        followed_by: if is_staff {
            requests::followers_of(conn, &row.tracking_number)?
        } else {
            vec![]
        },
        // A repeat may be someone else's: its number is for staff.
        duplicates: if is_staff {
            requests::repeats_of(conn, &row.tracking_number)?
        } else {
            vec![]
        },
        takes_requester_messages: crate::domain::messages::refusal_for_state(&super::facts(row))
            .is_none(),
        documents: crate::db::documents::for_request(conn, row.id)?
            .into_iter()
            .filter(|d| is_staff || d.released_at.is_some())
            .map(Document::from)
            .collect(),
        requester: Requester {
            name: requester.name,
            email: requester.email,
            phone: requester.phone,
            organization: requester.organization,
            postal_address: requester.postal_address,
            email_bounced_at: requester.email_bounced_at.filter(|_| is_staff),
        },
    })
}

/// A staff member by name (their email to staff only); "City staff" for an account gone.
fn named(staff: &[StaffRow], id: StaffId, is_staff: bool) -> StaffRef {
    let found = staff.iter().find(|s| s.id == id);
    StaffRef {
        name: found
            .map(|s| s.name.clone())
            .unwrap_or_else(|| "City staff".into()),
        email: found.filter(|_| is_staff).map(|s| s.email.clone()),
    }
}

/// One event of a request's chain, as the chain stores it.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: NaiveDateTime,
    /// The actor as the chain records and hashes it.
    pub actor: String,
    pub action: String,
    /// The content as stored (the chain hashes these exact bytes).
    pub content: serde_json::Value,
    /// A `notice_queued` event's letter, unpacked from its content (docs/PRODUCT.md, "The
    /// audit log"): the words themselves, which `content` keeps packed.
    pub letter: Option<LetterWords>,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Debug, Clone)]
pub struct AuditLog {
    pub tracking_number: String,
    pub events: Vec<AuditEntry>,
}

fn audit_entries(conn: &mut Conn, row: &RequestRow) -> Result<Vec<AuditEntry>, AppError> {
    entries_of(row, &events_for(conn, row.id)?)
}

/// The request's events as entries of its audit log.
fn entries_of(
    row: &RequestRow,
    events: &[crate::db::models::AuditRow],
) -> Result<Vec<AuditEntry>, AppError> {
    events
        .iter()
        .map(|e| {
            Ok(AuditEntry {
                content: serde_json::from_str(&e.content).map_err(|err| {
                    AppError::unreadable(format!(
                        "event {} of {}: {err}",
                        e.seq, row.tracking_number
                    ))
                })?,
                letter: letter_of(e, &row.tracking_number),
                seq: e.seq,
                at: e.at,
                actor: e.actor.clone(),
                action: e.action.clone(),
                prev_hash: e.prev_hash.clone(),
                hash: e.hash.clone(),
            })
        })
        .collect()
}

/// A `notice_queued` event's letter, unpacked. One that cannot be is left out, and said so in
/// the log: the chain is where staff look at what is wrong with stored data, so it still
/// shows the event as stored.
fn letter_of(event: &crate::db::models::AuditRow, tracking_number: &str) -> Option<LetterWords> {
    if event.action != NoticeQueued::ACTION {
        return None;
    }
    let words = match Step::from_stored(&event.action, &event.content) {
        Ok(Step::NoticeQueued(queued)) => queued.words(),
        Ok(_) => return None,
        Err(e) => Err(e.to_string()),
    };
    words
        .inspect_err(|e| {
            log::warn!(
                "event {} of {tracking_number}: its letter is unreadable: {e}",
                event.seq
            )
        })
        .ok()
}

/// A request's audit chain, in order (staff only).
pub fn audit_log(
    conn: &mut Conn,
    caller: &Caller,
    tracking_number: &str,
) -> Result<AuditLog, AppError> {
    let (row, _) = super::load_for(conn, caller, tracking_number)?;
    if caller.staff().is_none() {
        return Err(AppError::NotFound);
    }
    Ok(AuditLog {
        events: audit_entries(conn, &row)?,
        tracking_number: row.tracking_number,
    })
}

/// A request's whole file, for staff to keep: the request, its chain, its notices.
#[derive(Debug, Clone)]
pub struct CaseFile {
    pub case: Case,
    pub audit: Vec<AuditEntry>,
    pub notices: Vec<NoticeRecord>,
}

pub fn case_file(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
) -> Result<CaseFile, AppError> {
    let (row, actor) = super::load_for(conn, caller, tracking_number)?;
    if caller.staff().is_none() {
        return Err(AppError::NotFound);
    }
    // The chain is read once: the file's audit log, and the letters its notices keep.
    let chain = events_for(conn, row.id)?;
    Ok(CaseFile {
        case: case_view(conn, ctx, caller, &actor, &row)?,
        audit: entries_of(&row, &chain)?,
        notices: crate::notify::outbox::for_request(conn, row.id, &chain)?,
    })
}

/// What `GET /api/v1/requests/{tracking_number}` answers.
pub fn get(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
) -> Result<Case, AppError> {
    let (row, actor) = super::load_for(conn, caller, tracking_number)?;
    case_view(conn, ctx, caller, &actor, &row)
}
