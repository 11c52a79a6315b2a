//! What the JSON API answers, built from the read models of `app`. These types carry the
//! OpenAPI schemas: the names and fields here are the API's contract (tests/fixtures/
//! openapi.json), so a read model can change shape without changing what clients see.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use utoipa::ToSchema;

use super::fields;
use crate::app::api_keys::{ClaimedKey, KeyCheck, KeyStanding, Replacement};
use crate::app::failed_notices::{FailedNotice, FailedNotices};
use crate::app::queue::{QueueItem, QueuePage};
use crate::app::staff::SignedIn;
use crate::app::submit::Filed;
use crate::app::view::{
    AuditEntry, AuditLog, Case, CaseMessage, Determination, Document, HistoryEntry, StaffRef,
};
use crate::catalog::view::{CatalogPage, Dataset, Distribution};
use crate::domain::documents::DocumentKind;
use crate::domain::input::Responsible;
use crate::domain::step::Step;
use crate::domain::{Circumstance, RequestKind, Role, Status};

/// A time as the API writes times: `2026-03-02T09:30:00.123456Z`, as the audit chain does.
fn instant(at: NaiveDateTime) -> String {
    crate::audit::chain::format_time(at)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseView {
    pub tracking_number: String,
    pub kind: RequestKind,
    pub status: Status,
    /// Goes up by one with every change; send it back to change the request.
    pub version: i32,
    pub queue: String,
    pub assignee: Option<StaffView>,
    pub requester: RequesterView,
    pub description: String,
    pub dataset_id: Option<String>,
    pub fields_needed: Option<String>,
    pub intended_use: Option<String>,
    pub preferred_format: Option<String>,
    #[schema(format = DateTime)]
    pub received_at: String,
    /// How the request reached the office: web (filed by the requester), or email, mail,
    /// phone, fax or in_person (recorded by staff).
    #[schema(value_type = String, example = "phone")]
    pub channel: &'static str,
    /// The language of every letter to the requester: `en` or `es` (docs/PRODUCT.md,
    /// "Languages").
    #[schema(value_type = String, example = "es")]
    pub language: &'static str,
    #[schema(value_type = String, format = Date)]
    pub determination_due: NaiveDate,
    /// The date the current step is due: the determination, or the review decision on appeal.
    #[schema(value_type = String, format = Date)]
    pub due_on: NaiveDate,
    pub overdue: bool,
    pub due_soon: bool,
    pub extension: Option<ExtensionView>,
    #[schema(value_type = Option<String>, format = Date)]
    pub appeal_deadline: Option<NaiveDate>,
    /// Decided on review: it cannot be appealed again.
    pub decision_final: bool,
    /// A grant in part: something is withheld (and so it may be appealed).
    pub partial: bool,
    /// A grant: the estimated date and time the records will be available.
    #[schema(format = DateTime)]
    pub records_due_at: Option<String>,
    /// When a grant's records were produced (released, delivered or inspected).
    #[schema(format = DateTime)]
    pub produced_at: Option<String>,
    /// A grant awaiting production whose estimate has passed.
    pub production_late: bool,
    /// How often a produced grant went back to production.
    pub reopened: i32,
    /// When staff asked the requester to clarify, while the request waits on their answer
    /// (a marker: the clock keeps running).
    #[schema(format = DateTime)]
    pub awaiting_requester_since: Option<String>,
    /// How each due date was counted, oldest first, in words.
    pub due_reckoning: Vec<String>,
    pub appeal_grounds: Option<String>,
    pub reviewer: Option<StaffView>,
    pub withdraw_reason: Option<String>,
    pub determinations: Vec<DeterminationView>,
    pub messages: Vec<MessageView>,
    /// Staff's internal notes, oldest first: shown to staff only (always empty for a requester).
    pub notes: Vec<NoteView>,
    pub history: Vec<HistoryItem>,
    /// The states this caller may move the request to now.
    pub allowed_transitions: Vec<Status>,
    /// For a granted api_access request: where its API key stands.
    pub api_key: Option<KeyStatus>,
    /// Response documents: the requester sees those released to them; staff see all.
    pub documents: Vec<DocumentView>,
    /// Whether this caller may attach documents now, and release them.
    pub may_attach_documents: bool,
    pub may_release_documents: bool,
    /// Closed as a duplicate: the tracking number of the request it repeats.
    pub duplicate_of: Option<String>,
    /// Staff only: the requests closed as duplicates of this one (empty for a requester).
    pub duplicates: Vec<String>,
    /// The earlier request whose clarification made this one a new request.
    pub follows: Option<String>,
    /// Staff only: the requests recorded from clarifications of this one.
    pub followed_by: Vec<String>,
    /// A complaint's own facts; null for a request.
    pub complaint: Option<ComplaintView>,
    /// A grant's fee estimates and the money on them; null before the first estimate.
    pub fees: Option<FeesView>,
    /// This staff caller may estimate the fee now (a grant awaiting production they manage).
    pub may_estimate_fees: bool,
}

/// What only a complaint carries.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComplaintView {
    /// What it is about.
    pub subject: String,
    /// Where it happened.
    pub location: Option<String>,
    /// When it happened or was noticed.
    #[schema(value_type = Option<String>, format = Date)]
    pub occurred_on: Option<NaiveDate>,
    /// The department it is with, by name (its queue is `queue`).
    pub department: String,
    /// Referred: the agency that handles it.
    pub referred_to: Option<String>,
    /// Closed: what was found and done, what the complainant was told of the referral, or why
    /// it was dismissed.
    pub closing_note: Option<String>,
}

/// A department a complaint may go to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DepartmentView {
    pub name: String,
    /// What `department` names it by when a complaint is filed.
    pub queue: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl From<Case> for CaseView {
    fn from(case: Case) -> CaseView {
        let tracking_number = case.tracking_number.clone();
        // In English: staff and the API read what the requester was told.
        let due_reckoning = case.due_reckoning_in(crate::wording::Language::English);
        CaseView {
            kind: case.kind,
            status: case.status,
            version: case.version,
            queue: case.queue,
            assignee: case.assignee.map(StaffView::from),
            requester: RequesterView {
                name: case.requester.name,
                email: case.requester.email,
                phone: case.requester.phone,
                organization: case.requester.organization,
                postal_address: case.requester.postal_address,
                email_bounced_at: case.requester.email_bounced_at.map(instant),
            },
            description: case.description,
            dataset_id: case.dataset_id,
            fields_needed: case.fields_needed,
            intended_use: case.intended_use,
            preferred_format: case.preferred_format,
            received_at: instant(case.received_at),
            channel: case.channel.as_str(),
            language: case.language.code(),
            determination_due: case.determination_due,
            due_on: case.due_on,
            overdue: case.overdue,
            due_soon: case.due_soon,
            extension: case.extension.map(|e| ExtensionView {
                days: e.days,
                circumstance: e.circumstance,
                circumstance_text: e.circumstance.description().into(),
                reason: e.reason,
            }),
            appeal_deadline: case.appeal_deadline,
            decision_final: case.decision_final,
            partial: case.partial,
            records_due_at: case.records_due_at.map(instant),
            produced_at: case.produced_at.map(instant),
            production_late: case.production_late,
            reopened: case.reopened,
            awaiting_requester_since: case.awaiting_requester_since.map(instant),
            due_reckoning,
            appeal_grounds: case.appeal_grounds,
            reviewer: case.reviewer.map(StaffView::from),
            withdraw_reason: case.withdraw_reason,
            determinations: case
                .determinations
                .into_iter()
                .map(DeterminationView::from)
                .collect(),
            messages: case
                .messages
                .into_iter()
                .map(|m| MessageView::of(&tracking_number, m))
                .collect(),
            notes: case
                .history
                .iter()
                .filter_map(|h| match &h.step {
                    Step::Note(note) => Some(NoteView {
                        at: instant(h.at),
                        author: note.author_name.clone(),
                        body: note.body.clone(),
                    }),
                    _ => None,
                })
                .collect(),
            history: case.history.into_iter().map(HistoryItem::from).collect(),
            allowed_transitions: case.allowed_transitions,
            api_key: case.api_key.map(KeyStatus::from),
            documents: case
                .documents
                .into_iter()
                .map(|d| DocumentView::of(&tracking_number, d))
                .collect(),
            may_attach_documents: case.may_attach_documents,
            may_release_documents: case.may_release_documents,
            duplicate_of: case.duplicate_of,
            duplicates: case.duplicates,
            follows: case.follows,
            followed_by: case.followed_by,
            complaint: case.complaint.map(|c| ComplaintView {
                subject: c.subject,
                location: c.location,
                occurred_on: c.occurred_on,
                department: c.department,
                referred_to: c.referred_to,
                closing_note: c.closing_note,
            }),
            fees: case.fees.map(FeesView::from),
            may_estimate_fees: case.may_estimate_fees,
            tracking_number,
        }
    }
}

/// A request's fees (docs/PRODUCT.md, "Fees"). Money is whole US cents.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FeesView {
    /// Every estimate, oldest first; the last is in force unless replaced.
    pub estimates: Vec<FeeEstimateView>,
    /// Every payment, waiver and refund, in order.
    pub entries: Vec<FeeEntryView>,
    /// The estimate in force: its total, what was waived, paid and refunded, and what is
    /// still owed (below zero: owed back to the requester). All 0 when none is in force.
    pub total_cents: i64,
    pub waived_cents: i64,
    pub paid_cents: i64,
    pub refunded_cents: i64,
    pub balance_cents: i64,
    /// The requester may accept or decline the estimate in force now.
    pub awaiting_answer: bool,
    /// Paper copies wait for the fee still owed.
    pub paper_waits_for_payment: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FeeEstimateView {
    pub number: i32,
    /// awaiting, accepted, declined, waived (nothing to pay) or replaced.
    pub status: String,
    pub lines: Vec<FeeLineView>,
    pub total_cents: i64,
    pub note: Option<String>,
    #[schema(format = DateTime)]
    pub issued_at: String,
    #[schema(format = DateTime)]
    pub answered_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FeeLineView {
    /// A fee schedule item's key, programming or direct_cost.
    pub item: String,
    pub description: String,
    /// Pages or items; minutes for programming.
    pub quantity: i64,
    /// The price of one; per hour for programming.
    pub unit_cents: i64,
    pub amount_cents: i64,
    /// duplication, statutory_fee, electronic_copy or programming.
    pub rule: String,
    /// The section the line rests on.
    pub citation: String,
    /// paper or electronic.
    pub form: String,
    /// Programming: compilation or outside_schedule.
    pub basis: Option<String>,
    /// Programming: what work the request needs and why.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FeeEntryView {
    /// The receipt number.
    pub id: i64,
    /// The estimate it is on, by number.
    pub estimate: i32,
    /// payment, waiver or refund.
    pub kind: String,
    pub amount_cents: i64,
    /// cash, check or card.
    pub method: Option<String>,
    pub reference: Option<String>,
    pub reason: Option<String>,
    /// Waived by the schedule's threshold when the estimate was made, not by a person.
    pub automatic: bool,
    #[schema(format = DateTime)]
    pub recorded_at: String,
}

impl From<crate::app::view::CaseFees> for FeesView {
    fn from(fees: crate::app::view::CaseFees) -> FeesView {
        let account = fees.account.unwrap_or_default();
        let number_of = |id: i64| {
            fees.estimates
                .iter()
                .find(|e| e.id == id)
                .map_or(0, |e| e.number)
        };
        FeesView {
            entries: fees
                .entries
                .iter()
                .map(|e| FeeEntryView {
                    id: e.id,
                    estimate: number_of(e.estimate_id),
                    kind: e.kind.as_str().into(),
                    amount_cents: e.amount.0,
                    method: e.method.map(|m| m.as_str().into()),
                    reference: e.reference.clone(),
                    reason: e.reason.clone(),
                    automatic: e.recorded_by.is_none(),
                    recorded_at: instant(e.recorded_at),
                })
                .collect(),
            estimates: fees
                .estimates
                .iter()
                .map(|e| FeeEstimateView {
                    number: e.number,
                    status: e.status.as_str().into(),
                    lines: e
                        .lines
                        .iter()
                        .map(|l| FeeLineView {
                            item: l.item.clone(),
                            description: l.description.clone(),
                            quantity: l.quantity,
                            unit_cents: l.unit.0,
                            amount_cents: l.amount.0,
                            rule: l.rule.as_str().into(),
                            citation: l.rule.citation().into(),
                            form: l.form.as_str().into(),
                            basis: l.basis.map(|b| b.as_str().into()),
                            reason: l.reason.clone(),
                        })
                        .collect(),
                    total_cents: e.total.0,
                    note: e.note.clone(),
                    issued_at: instant(e.issued_at),
                    answered_at: e.answered_at.map(instant),
                })
                .collect(),
            total_cents: account.total.0,
            waived_cents: account.waived.0,
            paid_cents: account.paid.0,
            refunded_cents: account.refunded.0,
            balance_cents: account.balance().0,
            awaiting_answer: fees.awaiting_answer,
            paper_waits_for_payment: fees.paper_waits,
        }
    }
}

/// An item of the City's fee schedule.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FeeItemView {
    /// What an estimate's line names it by.
    pub key: String,
    pub name: String,
    /// page, medium or flat.
    pub kind: String,
    pub price_cents: i64,
    /// paper or electronic.
    pub form: String,
    pub rule: String,
    pub citation: String,
}

/// The City's fee schedule.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FeeScheduleView {
    pub items: Vec<FeeItemView>,
    /// The hourly rate of programming and data work (Gov. Code §7922.575(b)), which an
    /// estimate's programming line counts in minutes.
    pub programming_hourly_cents: i64,
    /// The most one estimate, payment, waiver or refund may be.
    pub max_cents: i64,
    /// Estimates under this are waived whole (0: none are).
    pub waive_under_cents: i64,
    pub paper_waits_for_payment: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentView {
    pub id: i64,
    /// `file` (kept here, downloaded from `download_url`) or `link` (records kept elsewhere).
    #[schema(schema_with = fields::document_kind)]
    pub kind: DocumentKind,
    /// What the document is called: the file's name, made safe, or the link's title.
    pub title: String,
    pub content_type: Option<String>,
    pub size_bytes: Option<i64>,
    /// The SHA-256 of the file's bytes, as the audit log records it.
    pub sha256: Option<String>,
    /// Where a link points.
    pub url: Option<String>,
    /// Where to download a file through the API (with the same token).
    pub download_url: Option<String>,
    /// What was redacted or withheld from it.
    pub redaction_note: Option<String>,
    /// The exemption the redaction rests on.
    pub exemption: Option<String>,
    pub released: bool,
    #[schema(format = DateTime)]
    pub released_at: Option<String>,
    /// Released to the public too (the reading room, once the request is published); false
    /// for a document released to the requester only, or not yet released.
    pub public: bool,
    #[schema(format = DateTime)]
    pub added_at: String,
}

impl DocumentView {
    fn of(tracking_number: &str, d: Document) -> DocumentView {
        DocumentView {
            download_url: match d.kind {
                DocumentKind::File => Some(format!(
                    "/api/v1/requests/{tracking_number}/documents/{}",
                    d.id
                )),
                DocumentKind::Link => None,
            },
            released: d.released(),
            public: d.public,
            id: d.id.0,
            kind: d.kind,
            title: d.title,
            content_type: d.content_type,
            size_bytes: d.size_bytes,
            sha256: d.sha256,
            url: d.url,
            redaction_note: d.redaction_note,
            exemption: d.exemption,
            released_at: d.released_at.map(instant),
            added_at: instant(d.added_at),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = StaffRef)]
pub struct StaffView {
    pub name: String,
    /// Shown to staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = String, format = Email, required = false)]
    pub email: Option<String>,
}

impl From<StaffRef> for StaffView {
    fn from(staff: StaffRef) -> StaffView {
        StaffView {
            name: staff.name,
            email: staff.email,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequesterView {
    /// Null when the requester gave no name (an anonymous public records request).
    pub name: Option<String>,
    /// Null when the requester gave no email: notices are then shown on the tracking page only.
    pub email: Option<String>,
    pub phone: Option<String>,
    pub organization: Option<String>,
    /// Staff recorded it: without an email, letters go here by post.
    pub postal_address: Option<String>,
    /// For staff: when mail to `email` was found not to work (a hard bounce, or repeated soft
    /// ones); letters no longer go to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub email_bounced_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExtensionView {
    pub days: i32,
    pub circumstance: Circumstance,
    /// The statutory circumstance in words.
    pub circumstance_text: String,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeterminationView {
    #[schema(schema_with = fields::stage)]
    pub stage: String,
    pub outcome: Status,
    pub decision: Option<String>,
    pub reason: Option<String>,
    pub partial: bool,
    /// Each item withheld, with its exemption and reason.
    pub withheld: Vec<WithheldView>,
    /// What was withheld, as determinations made before items were listed said it.
    pub withheld_text: Option<String>,
    /// The distinct citations of the withheld items.
    pub legal_basis: Vec<String>,
    /// Each person responsible (Gov. Code §7922.540(b)).
    pub responsible: Vec<ResponsibleView>,
    /// A denial: why no reasonably segregable portion can be released.
    pub segregability: Option<String>,
    /// No records: how and where the search was made.
    pub search: Option<String>,
    /// A grant: when the records were to be available.
    #[schema(format = DateTime)]
    pub records_due_at: Option<String>,
    /// A review decision: upheld, overturned or revised.
    #[schema(schema_with = fields::review_outcome)]
    pub review: Option<String>,
    pub decided_by: StaffView,
    #[schema(format = DateTime)]
    pub decided_at: String,
}

/// One record or category withheld.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WithheldView {
    pub item: String,
    /// The catalogue section, or other.
    pub exemption: String,
    /// As the letters print it.
    pub citation: String,
    pub title: Option<String>,
    pub reason: String,
    pub justification: Option<String>,
}

/// A person responsible, by name and title.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResponsibleView {
    pub name: String,
    pub title: String,
}

impl From<Responsible> for ResponsibleView {
    fn from(r: Responsible) -> ResponsibleView {
        ResponsibleView {
            name: r.name,
            title: r.title,
        }
    }
}

impl From<Determination> for DeterminationView {
    fn from(d: Determination) -> DeterminationView {
        DeterminationView {
            stage: d.stage.as_str().into(),
            outcome: d.outcome,
            decision: d.decision,
            reason: d.reason,
            partial: d.partial,
            withheld: d
                .withheld_items
                .into_iter()
                .map(|w| WithheldView {
                    exemption: w.ground.key().to_string(),
                    citation: w.ground.citation,
                    title: w.ground.title,
                    item: w.item,
                    reason: w.reason,
                    justification: w.justification,
                })
                .collect(),
            withheld_text: d.withheld,
            legal_basis: d.legal_basis,
            responsible: d
                .responsible
                .into_iter()
                .map(ResponsibleView::from)
                .collect(),
            segregability: d.segregability,
            search: d.search,
            records_due_at: d.records_due_at.map(instant),
            review: d.review.map(|r| r.as_str().to_string()),
            decided_by: d.decided_by.into(),
            decided_at: instant(d.decided_at),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MessageView {
    #[schema(format = DateTime)]
    pub at: String,
    #[schema(schema_with = fields::message_author)]
    pub from: String,
    pub author_name: Option<String>,
    /// Empty when the requester sent only a file.
    pub body: String,
    /// The files the requester sent with the message.
    pub files: Vec<SentFileView>,
    /// For staff, when the message came by email: where to download the whole email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_url: Option<String>,
}

/// A file the requester sent with a message.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SentFileView {
    pub id: i64,
    /// The file's name, made safe.
    pub title: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// The SHA-256 of the file's bytes, as the audit log records it.
    pub sha256: String,
    /// Where to download it through the API (with the same token).
    pub download_url: String,
}

impl MessageView {
    fn of(tracking_number: &str, m: CaseMessage) -> MessageView {
        MessageView {
            at: instant(m.at),
            from: m.from.as_str().into(),
            author_name: Some(m.author_name),
            body: m.body,
            files: m
                .files
                .into_iter()
                .map(|f| SentFileView {
                    download_url: format!("/api/v1/requests/{tracking_number}/files/{}", f.id),
                    id: f.id.0,
                    title: f.title,
                    content_type: f.content_type,
                    size_bytes: f.size_bytes,
                    sha256: f.sha256,
                })
                .collect(),
            email_url: m.email.map(|id| format!("/api/v1/mail/{id}/raw")),
        }
    }
}

/// An internal note, for staff.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NoteView {
    #[schema(format = DateTime)]
    pub at: String,
    /// The staff member who wrote it.
    pub author: String,
    pub body: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HistoryItem {
    pub seq: i64,
    #[schema(format = DateTime)]
    pub at: String,
    /// `requester`, `staff` or `system`; staff see who.
    pub actor: String,
    pub action: String,
    pub summary: String,
}

impl From<HistoryEntry> for HistoryItem {
    fn from(h: HistoryEntry) -> HistoryItem {
        HistoryItem {
            seq: h.seq,
            at: instant(h.at),
            actor: h.by.label(),
            action: h.step.action().into(),
            summary: h.step.summary(),
        }
    }
}

/// Where a request's key stands, for the case views.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KeyStatus {
    #[schema(schema_with = fields::key_state)]
    pub state: String,
    pub scopes: Vec<String>,
    pub rate_limit: i32,
    #[schema(format = DateTime)]
    pub expires_at: Option<String>,
    /// A lost key being replaced; absent otherwise.
    #[schema(schema_with = fields::key_replacement)]
    pub replacement: Option<String>,
}

impl From<KeyStanding> for KeyStatus {
    fn from(k: KeyStanding) -> KeyStatus {
        KeyStatus {
            state: k.state.as_str().into(),
            scopes: k.scopes,
            rate_limit: k.rate_limit,
            expires_at: k.expires_at.map(instant),
            replacement: k.replacement.map(|r| match r {
                Replacement::Asked(_) => "asked".into(),
                Replacement::Ready => "ready".into(),
            }),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ClaimedKey)]
pub struct ClaimedKeyView {
    /// Shown once: keep it safe. The City stores only its hash.
    pub api_key: String,
    /// Dataset identifiers the key opens.
    pub scopes: Vec<String>,
    /// Requests per hour.
    pub rate_limit: i32,
    #[schema(format = DateTime)]
    pub expires_at: Option<String>,
}

impl From<ClaimedKey> for ClaimedKeyView {
    fn from(k: ClaimedKey) -> ClaimedKeyView {
        ClaimedKeyView {
            api_key: k.api_key,
            scopes: k.scopes,
            rate_limit: k.rate_limit,
            expires_at: k.expires_at.map(instant),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = KeyCheck)]
pub struct KeyCheckView {
    pub valid: bool,
    pub scopes: Vec<String>,
    pub rate_limit: Option<i32>,
    #[schema(format = DateTime)]
    pub expires_at: Option<String>,
}

impl From<KeyCheck> for KeyCheckView {
    fn from(k: KeyCheck) -> KeyCheckView {
        KeyCheckView {
            valid: k.valid,
            scopes: k.scopes,
            rate_limit: k.rate_limit,
            expires_at: k.expires_at.map(instant),
        }
    }
}

/// What the requester gets back: the private token only on the first answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubmittedView {
    pub tracking_number: String,
    pub kind: RequestKind,
    pub status: Status,
    pub queue: String,
    #[schema(format = DateTime)]
    pub received_at: String,
    /// When the determination is due; for a complaint, the day the city aims to close it by.
    #[schema(value_type = String, format = Date)]
    pub determination_due: NaiveDate,
    /// A private link's token, shown this once; each email to the requester carries its own.
    pub access_token: Option<String>,
    /// The private tracking page; carries the token, so keep it private.
    pub private_url: Option<String>,
    pub version: i32,
    /// True when this answers a retry with an Idempotency-Key already used.
    pub replayed: bool,
}

impl From<Filed> for SubmittedView {
    fn from(f: Filed) -> SubmittedView {
        SubmittedView {
            tracking_number: f.tracking_number,
            kind: f.kind,
            status: f.status,
            queue: f.queue,
            received_at: instant(f.received_at),
            determination_due: f.determination_due,
            access_token: f.access_token,
            private_url: f.private_url,
            version: f.version,
            replayed: f.replayed,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LoginView {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    #[schema(format = DateTime)]
    pub expires_at: String,
    pub staff: StaffAccountView,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = StaffView)]
pub struct StaffAccountView {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub department: Option<String>,
}

impl From<SignedIn> for LoginView {
    fn from(s: SignedIn) -> LoginView {
        LoginView {
            token: s.token,
            expires_at: instant(s.expires_at),
            staff: StaffAccountView {
                email: s.staff.email,
                name: s.staff.name,
                role: s.staff.role,
                department: s.staff.department,
            },
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = QueuePage)]
pub struct QueuePageView {
    pub items: Vec<QueueItemView>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = QueueItem)]
pub struct QueueItemView {
    pub tracking_number: String,
    pub kind: RequestKind,
    pub status: Status,
    pub queue: String,
    pub assignee: Option<String>,
    /// Null for an anonymous request.
    pub requester_name: Option<String>,
    pub summary: String,
    #[schema(format = DateTime)]
    pub received_at: String,
    #[schema(value_type = String, format = Date)]
    pub due_on: NaiveDate,
    pub overdue: bool,
    pub due_soon: bool,
    /// Staff asked the requester to clarify and wait for their answer.
    pub awaiting_requester: bool,
    pub version: i32,
}

impl From<QueuePage> for QueuePageView {
    fn from(page: QueuePage) -> QueuePageView {
        QueuePageView {
            items: page.items.into_iter().map(QueueItemView::from).collect(),
            next_cursor: page.next_cursor,
        }
    }
}

impl From<QueueItem> for QueueItemView {
    fn from(i: QueueItem) -> QueueItemView {
        QueueItemView {
            tracking_number: i.tracking_number,
            kind: i.kind,
            status: i.status,
            queue: i.queue,
            assignee: i.assignee,
            requester_name: i.requester_name,
            summary: i.summary,
            received_at: instant(i.received_at),
            due_on: i.due_on,
            overdue: i.overdue,
            due_soon: i.due_soon,
            awaiting_requester: i.awaiting_requester,
            version: i.version,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = FailedNotice)]
pub struct FailedNoticeView {
    pub id: i64,
    pub tracking_number: Option<String>,
    pub notice: String,
    pub recipient: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    #[schema(format = DateTime)]
    pub queued_at: String,
    pub message_id: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = FailedNotices)]
pub struct FailedNoticesView {
    pub notices: Vec<FailedNoticeView>,
}

impl From<FailedNotice> for FailedNoticeView {
    fn from(n: FailedNotice) -> FailedNoticeView {
        FailedNoticeView {
            id: n.id.0,
            tracking_number: n.tracking_number,
            notice: n.notice.as_str().into(),
            recipient: n.recipient,
            attempts: n.attempts,
            last_error: n.last_error,
            queued_at: instant(n.queued_at),
            message_id: n.message_id,
        }
    }
}

impl From<FailedNotices> for FailedNoticesView {
    fn from(list: FailedNotices) -> FailedNoticesView {
        FailedNoticesView {
            notices: list
                .notices
                .into_iter()
                .map(FailedNoticeView::from)
                .collect(),
        }
    }
}

/// A request's audit events as `GET …/audit` lists them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditEventView {
    pub seq: i64,
    #[schema(format = DateTime)]
    pub at: String,
    pub actor: String,
    pub action: String,
    /// The content as the chain stores and hashes it.
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
    /// For a `notice_queued` event, the letter's words, which `content` keeps packed
    /// (`letter`, compressed) in events written since letters were packed, and as its own
    /// `text`, `html` and `original` before. Absent for other events, and for a letter that
    /// cannot be unpacked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub letter: Option<AuditLetterView>,
    pub prev_hash: String,
    pub hash: String,
}

/// A letter as it was sent, its private token withheld.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = AuditLetter)]
pub struct AuditLetterView {
    pub text: String,
    pub html: String,
    /// For a letter in another language than English: the English original, the legally
    /// binding text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original: Option<AuditLetterOriginalView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = AuditLetterOriginal)]
pub struct AuditLetterOriginalView {
    pub subject: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = AuditLog)]
pub struct AuditLogView {
    pub tracking_number: String,
    pub events: Vec<AuditEventView>,
}

impl From<AuditEntry> for AuditEventView {
    fn from(e: AuditEntry) -> AuditEventView {
        AuditEventView {
            seq: e.seq,
            at: instant(e.at),
            actor: e.actor,
            action: e.action,
            content: e.content,
            letter: e.letter.map(|w| AuditLetterView {
                text: w.text,
                html: w.html,
                original: w.original.map(|o| AuditLetterOriginalView {
                    subject: o.subject,
                    text: o.text,
                }),
            }),
            prev_hash: e.prev_hash,
            hash: e.hash,
        }
    }
}

impl From<AuditLog> for AuditLogView {
    fn from(log: AuditLog) -> AuditLogView {
        AuditLogView {
            tracking_number: log.tracking_number,
            events: log.events.into_iter().map(AuditEventView::from).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DistributionView {
    pub title: Option<String>,
    pub format: Option<String>,
    pub media_type: Option<String>,
    pub url: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DatasetView {
    pub id: String,
    pub title: String,
    pub description: String,
    pub keywords: Vec<String>,
    pub publisher: Option<String>,
    pub department: Option<String>,
    /// `public`, `restricted public` or `non-public`.
    pub access_level: String,
    pub license: Option<String>,
    pub rights: Option<String>,
    /// As in the catalog, e.g. `R/P1M`.
    pub accrual_periodicity: Option<String>,
    /// In words, e.g. "monthly".
    pub update_frequency: Option<String>,
    pub modified: Option<String>,
    /// The contact point's name (the steward).
    pub steward: Option<String>,
    pub data_dictionary: Option<String>,
    pub landing_page: Option<String>,
    pub distributions: Vec<DistributionView>,
    /// No longer in the portal's catalog (requests that name it keep it).
    pub withdrawn: bool,
}

impl From<Distribution> for DistributionView {
    fn from(d: Distribution) -> DistributionView {
        DistributionView {
            title: d.title,
            format: d.format,
            media_type: d.media_type,
            url: d.url,
        }
    }
}

impl From<Dataset> for DatasetView {
    fn from(d: Dataset) -> DatasetView {
        DatasetView {
            id: d.id,
            title: d.title,
            description: d.description,
            keywords: d.keywords,
            publisher: d.publisher,
            department: d.department,
            access_level: d.access_level,
            license: d.license,
            rights: d.rights,
            accrual_periodicity: d.accrual_periodicity,
            update_frequency: d.update_frequency,
            modified: d.modified,
            steward: d.steward,
            data_dictionary: d.data_dictionary,
            landing_page: d.landing_page,
            distributions: d
                .distributions
                .into_iter()
                .map(DistributionView::from)
                .collect(),
            withdrawn: d.withdrawn,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = CatalogPage)]
pub struct CatalogPageView {
    pub items: Vec<DatasetView>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

impl From<CatalogPage> for CatalogPageView {
    fn from(p: CatalogPage) -> CatalogPageView {
        CatalogPageView {
            items: p.items.into_iter().map(DatasetView::from).collect(),
            total: p.total,
            page: p.page,
            pages: p.pages,
        }
    }
}
