//! What happened to a request, as one typed record per step. Each operation produces a
//! `Step`; its serde form is the audit event's content (the action is the tag), the notices
//! it causes come from `notify::Notice::for_step`, and the history line both faces show
//! comes from `Step::summary`. Adding a step means adding a variant here: every match over
//! it (the notices, the history, what a requester sees) then asks about it.

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::deadlines::Reckoning;
use super::documents::DocumentKind;
use super::exemptions::Withheld;
use super::findings::FindingCode;
use super::ids::{ApiKeyId, DocumentId, MessageId, OutboxId, RequesterFileId};
use super::input::Responsible;
use super::intake::Channel;
use super::notices::NoticeKind;
use super::transitions::ReviewOutcome;
use super::{Circumstance, RequestKind, Status};

/// Every kind of audit event, with what it records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", content = "content", rename_all = "snake_case")]
pub enum Step {
    /// The request was filed.
    Submitted(Submitted),
    /// The request moved from one state to another.
    Transition(Moved),
    /// A message between the requester and staff.
    Message(Message),
    /// A note staff keep on the request for each other: never shown to the requester.
    Note(Note),
    /// Staff helped the requester identify records, and may have asked them to clarify
    /// (Gov. Code §7922.600). The clock keeps running.
    Assisted(Assistance),
    /// The one extension of the determination deadline.
    Extended(Extended),
    /// A grant's records were produced: released here, delivered on paper, or inspected.
    Produced(Produced),
    /// A produced grant went back to production: the records were incomplete.
    Reopened(Reopened),
    /// The request was handed to a staff member.
    Assigned(Assigned),
    /// Staff sent a complaint to another department (docs/PRODUCT.md, "Complaints").
    Rerouted(Rerouted),
    /// Staff attached a document (not yet the requester's).
    DocumentAdded(DocumentAdded),
    /// Documents were released to the requester.
    DocumentsReleased(Released),
    /// Someone was sent a file.
    DocumentDownloaded(Downloaded),
    /// The requester claimed the API key granted with the request.
    ApiKeyClaimed(KeyClaimed),
    /// Staff revoked the request's API key.
    ApiKeyRevoked(KeyRevoked),
    /// The requester said their API key was lost and asked for a new one.
    ApiKeyReplacementAsked(KeyReplacementAsked),
    /// Staff gave a new key in place of a lost one, for the requester to collect once.
    ApiKeyReplacementOffered(KeyReplacementOffered),
    /// A notice was queued, with the message as sent (private token withheld).
    NoticeQueued(NoticeQueued),
    /// The mail server accepted a notice.
    NoticeDelivered(NoticeDelivered),
    /// A delivery attempt failed; another follows.
    NoticeFailed(NoticeFailed),
    /// The last attempt failed; staff see the notice among the failed ones.
    NoticeDeadLettered(NoticeDeadLettered),
    /// Staff queued a dead-lettered notice again.
    NoticeRetried(NoticeRetried),
    /// A private link was given: in the filing's answer or in an email to the requester.
    LinkIssued(LinkIssued),
    /// Staff revoked the request's private links; a new one goes to the requester.
    LinksRevoked(LinksRevoked),
    /// Someone gave the request's tracking number and its requester's email on "Find your
    /// request": a new link goes to that email, the one place a link is trusted to.
    LinkRequested(LinkRequested),
    /// Staff posted a letter on paper to a requester without email (docs/PRODUCT.md,
    /// "Letters by post").
    LetterPosted(LetterPosted),
    /// A notice's email came back undelivered: a delivery status notification to its return
    /// path said so (docs/PRODUCT.md, "Bounces").
    NoticeBounced(NoticeBounced),
    /// Staff estimated the fee for a grant's copies (docs/PRODUCT.md, "Fees").
    FeeEstimated(FeeEstimated),
    /// The requester accepted or declined a fee estimate.
    FeeAnswered(FeeAnswered),
    /// A payment, waiver or refund on a fee estimate.
    FeeRecorded(FeeRecorded),
    /// Staff published the request's released records in the public reading room
    /// (docs/PRODUCT.md, "Reading room").
    Published(Published),
    /// Staff kept the request out of the reading room, with the reason.
    KeptOut(KeptOut),
    /// Staff took a published request out of the reading room, with the reason.
    PublicationWithdrawn(PublicationWithdrawn),
}

/// What the reading room shows of a request, as it was published: never the requester.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    pub summary: String,
    /// "granted" or "granted_in_part".
    pub outcome: String,
    /// The released documents published with it.
    pub documents: Vec<DocumentId>,
}

/// A request kept out of the reading room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptOut {
    pub reason: String,
}

/// A published request taken out of the reading room; its page answers 410 Gone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationWithdrawn {
    pub reason: String,
}

/// A fee estimate as it was sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeEstimated {
    /// 1 for the first estimate; a later one replaces the one before.
    pub number: i32,
    pub lines: Vec<crate::domain::fees::Line>,
    pub total: crate::domain::fees::Cents,
    /// What staff told the requester with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Under the City's threshold: waived whole as it was made, nothing to accept or pay.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub waived: bool,
    /// How to pay, as the letter told the requester.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub how_to_pay: Option<String>,
}

/// The requester's answer to a fee estimate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeAnswered {
    pub number: i32,
    pub accepted: bool,
    pub total: crate::domain::fees::Cents,
}

/// Money on a fee estimate: a payment, a waiver or a refund, and what is owed after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeRecorded {
    pub number: i32,
    pub kind: crate::domain::fees::EntryKind,
    pub amount: crate::domain::fees::Cents,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<crate::domain::fees::Method>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What is still owed after it (below zero: owed back).
    pub balance: crate::domain::fees::Cents,
    /// The entry's id among all fee entries: the receipt's number.
    pub entry: i64,
}

/// The requester as they gave themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequesterDetails {
    /// Both none for an anonymous public records request.
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub organization: Option<String>,
    /// Where letters go on paper, as staff recorded it (docs/PRODUCT.md, "Letters by post").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_address: Option<String>,
}

/// Everything the requester typed, and where the request went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submitted {
    pub kind: RequestKind,
    pub requester: RequesterDetails,
    pub description: String,
    pub dataset_id: Option<String>,
    pub fields_needed: Option<String>,
    pub intended_use: Option<String>,
    pub preferred_format: Option<String>,
    pub queue: String,
    /// The assignee's email, when routing chose one.
    pub assignee: Option<String>,
    pub determination_due: NaiveDate,
    /// How the due date was counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reckoning: Option<Reckoning>,
    /// How the request arrived; staff record all but the web (docs/PRODUCT.md, "Requests
    /// taken by staff").
    #[serde(default, skip_serializing_if = "Channel::is_web")]
    pub channel: Channel,
    /// When the office received it, when staff recorded it later; otherwise the event's time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_at: Option<NaiveDateTime>,
    /// The earlier request whose clarification made this one (docs/PRODUCT.md, "Duty to
    /// assist"), by tracking number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follows: Option<String>,
    /// What a complaint is about, where and when (docs/PRODUCT.md, "Complaints").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complaint: Option<ComplaintDetails>,
}

/// What only a complaint carries, as the complainant gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintDetails {
    /// What it is about, in a line.
    pub subject: String,
    /// Where it happened: an address, a place, a web page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// When it happened or was noticed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurred_on: Option<NaiveDate>,
}

/// A complaint sent from one department to another; it waits there for whoever takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rerouted {
    pub from_queue: String,
    pub to_queue: String,
    /// The department's name as it was when the complaint was sent there.
    pub department: String,
    /// The name of the department it left, as the directory had it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_department: Option<String>,
    /// The assignee it had, who no longer has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unassigned: Option<String>,
    /// Why, for the staff (never shown to the complainant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A transition and what it carried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moved {
    pub from: Status,
    pub to: Status,
    pub decision: Option<String>,
    pub reason: Option<String>,
    /// A grant in part (some records withheld).
    pub partial: bool,
    pub withheld: Option<String>,
    pub legal_basis: Vec<String>,
    pub responsible: Vec<Responsible>,
    pub grounds: Option<String>,
    /// The last day to appeal, set by an initial denial.
    pub appeal_deadline: Option<NaiveDate>,
    /// A denial upheld on review: no further appeal.
    #[serde(rename = "final")]
    pub is_final: bool,
    /// The new working due date, when the clock changed.
    pub due_on: Option<NaiveDate>,
    /// An unassigned request taken by whoever accepted it.
    pub assignee_claimed: bool,
    /// An API key was offered with this grant.
    #[serde(default)]
    pub api_key_offered: bool,
    // What a determination carries (docs/PRODUCT.md, "Determinations"). Absent from moves
    // that do not carry them, so the events written before them read back unchanged.
    /// Each item withheld, with its exemption and reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withholdings: Vec<Withheld>,
    /// Why no reasonably segregable portion can be released (§7922.525).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segregability: Option<String>,
    /// How and where the city searched (no records).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
    /// When a grant's records will be available (UTC).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "audit_time_opt"
    )]
    pub records_due_at: Option<NaiveDateTime>,
    /// What a review decided about the determination appealed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewOutcome>,
    /// Staff withdrew the request for the requester: how the requester asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_behalf: Option<String>,
    /// How a new due date was counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reckoning: Option<Reckoning>,
    /// Closed as a repeat: the tracking number of the request it repeats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
    /// A complaint referred: the agency that handles it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referred_to: Option<String>,
}

#[cfg(test)]
impl Submitted {
    /// A public records request that `name` (at jane@example.com) filed on the web, routed to
    /// the Clerk, for tests to adjust.
    pub fn example(name: &str, description: &str, determination_due: NaiveDate) -> Submitted {
        Submitted {
            kind: RequestKind::PublicRecords,
            requester: RequesterDetails {
                name: Some(name.into()),
                email: Some("jane@example.com".into()),
                phone: None,
                organization: None,
                postal_address: None,
            },
            description: description.into(),
            dataset_id: None,
            fields_needed: None,
            intended_use: None,
            preferred_format: None,
            queue: "city_clerk".into(),
            assignee: None,
            determination_due,
            reckoning: None,
            channel: Channel::Web,
            received_at: None,
            follows: None,
            complaint: None,
        }
    }
}

#[cfg(test)]
impl Moved {
    /// A move that carries nothing, for tests to fill in what they need.
    pub fn bare(from: Status, to: Status) -> Moved {
        Moved {
            from,
            to,
            decision: None,
            reason: None,
            partial: false,
            withheld: None,
            legal_basis: vec![],
            responsible: vec![],
            grounds: None,
            appeal_deadline: None,
            is_final: false,
            due_on: None,
            assignee_claimed: false,
            api_key_offered: false,
            withholdings: vec![],
            segregability: None,
            search: None,
            records_due_at: None,
            review: None,
            on_behalf: None,
            duplicate_of: None,
            referred_to: None,
            reckoning: None,
        }
    }
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Author {
    Requester,
    Staff,
}

impl Author {
    pub const ALL: [Author; 2] = [Author::Requester, Author::Staff];

    pub fn as_str(self) -> &'static str {
        match self {
            Author::Requester => "requester",
            Author::Staff => "staff",
        }
    }

    pub fn parse(s: &str) -> Option<Author> {
        Author::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub message_id: MessageId,
    pub author: Author,
    pub author_name: String,
    /// Empty when the requester sent only a file.
    pub body: String,
    /// The files the requester sent with it, each by its SHA-256 (docs/PRODUCT.md, "Files
    /// from requesters"). Absent from messages without files, so older events read the same.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<SentFile>,
    /// The email it came in, for a reply by email (docs/PRODUCT.md, "Replies by email").
    /// Absent from messages written on a page or through the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<ByEmail>,
}

/// The email a message came in: kept whole in the file store, by the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByEmail {
    pub sha256: String,
    pub subject: String,
}

/// A file that came with a requester's message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentFile {
    pub file_id: RequesterFileId,
    pub title: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub content_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extended {
    pub days: u32,
    pub circumstance: Circumstance,
    /// The statute's words for the circumstance.
    pub circumstance_text: String,
    pub reason: Option<String>,
    pub previous_due: NaiveDate,
    pub determination_due: NaiveDate,
    /// Who signed the extension notice as the head of the agency's designee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_by: Option<Responsible>,
    /// How the new due date was counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reckoning: Option<Reckoning>,
}

/// How a grant's records reached the requester.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Production {
    /// Released as documents through the service.
    Released,
    /// Delivered on paper or other physical media.
    Paper,
    /// Inspected in person at the city's offices.
    Inspection,
}

impl Production {
    pub const ALL: [Production; 3] = [
        Production::Released,
        Production::Paper,
        Production::Inspection,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Production::Released => "released",
            Production::Paper => "paper",
            Production::Inspection => "inspection",
        }
    }

    pub fn parse(s: &str) -> Option<Production> {
        Production::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// As the requester reads it.
    pub fn words(self) -> &'static str {
        match self {
            Production::Released => "released to you online",
            Production::Paper => "delivered on paper or other media",
            Production::Inspection => "made available for inspection in person",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Produced {
    pub how: Production,
    pub note: Option<String>,
    /// The estimate the grant gave (UTC), to tell whether production was late.
    #[serde(with = "audit_time")]
    pub records_due_at: NaiveDateTime,
    pub late: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reopened {
    pub reason: String,
    /// The new estimate of when the rest of the records will be available (UTC).
    #[serde(with = "audit_time")]
    pub records_due_at: NaiveDateTime,
    #[serde(with = "audit_time")]
    pub produced_at: NaiveDateTime,
    /// The new working due date: the new estimate's day in the city's time. Absent from
    /// events written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assigned {
    /// The previous assignee's email.
    pub from: Option<String>,
    /// The new assignee's email.
    pub to: String,
    /// The new assignee's queue.
    pub to_queue: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentAdded {
    pub document_id: DocumentId,
    pub kind: DocumentKind,
    pub title: String,
    pub sha256: Option<String>,
    pub size_bytes: Option<i64>,
    pub content_type: Option<String>,
    pub url: Option<String>,
    pub redaction_note: Option<String>,
    pub exemption: Option<String>,
}

/// One document of a release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleasedDocument {
    pub document_id: DocumentId,
    pub title: String,
    pub sha256: Option<String>,
    pub size_bytes: Option<i64>,
    pub url: Option<String>,
    /// Released to the public (the reading room) as well as the requester. Absent from
    /// releases made before the choice existed, whose documents were all public.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Released {
    /// Released before a grant: records in part while the request is under review.
    pub partial: bool,
    pub documents: Vec<ReleasedDocument>,
    /// What the release checks found in the documents, which staff confirmed they had looked
    /// at before releasing anyway (docs/PRODUCT.md, "Release checks").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub confirmed_findings: Vec<ConfirmedFinding>,
}

/// A finding of the release checks that staff confirmed, and the document it is in; its words
/// without what they quoted from the file (`findings::without_quotes`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmedFinding {
    pub document_id: DocumentId,
    pub code: FindingCode,
    pub words: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Downloaded {
    pub document_id: DocumentId,
    pub title: String,
    pub sha256: String,
    pub size_bytes: i64,
    /// The part asked for, when not the whole file.
    pub range: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyClaimed {
    pub key_id: ApiKeyId,
    pub scopes: Vec<String>,
    pub rate_limit: i32,
    /// The lost key this one replaces, revoked by this claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced: Option<ApiKeyId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRevoked {
    pub key_id: ApiKeyId,
    pub scopes: Vec<String>,
}

/// Help to make a focused request: the three things §7922.600(a) names, and a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assistance {
    /// Records and information that may answer the request or its purpose.
    pub records: String,
    /// How and where those records are kept: the system and the physical place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// How to focus the request, or get past what stands in the way of answering it.
    pub suggestions: String,
    /// What staff ask the requester; the request then waits on their answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    pub author_name: String,
}

/// An internal note, with who wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub author_name: String,
    pub body: String,
}

/// The key said to be lost; it works until its replacement is claimed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyReplacementAsked {
    pub key_id: ApiKeyId,
    /// What the requester said happened, if anything.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyReplacementOffered {
    /// The new key, not yet made: it is made when claimed.
    pub key_id: ApiKeyId,
    pub replaces: ApiKeyId,
}

/// A letter queued, as sent but for its private token. Its words (text, HTML, English
/// original) are stored packed in one `letter` field ([`super::packed_letter`]) and unpacked
/// only when asked for ([`NoticeQueued::words`]): a case's history reads every event, and
/// most readers need only whom a letter went to and its subject. Events written before
/// packing keep the words as fields of their own, and are read as they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "StoredNoticeQueued", into = "StoredNoticeQueued")]
pub struct NoticeQueued {
    pub outbox_id: OutboxId,
    pub notice: NoticeKind,
    pub to: String,
    pub message_id: String,
    pub subject: String,
    words: Words,
}

/// A letter's words as its event was read: still packed, or written out.
#[derive(Debug, Clone)]
enum Words {
    Packed(String),
    Open(LetterWords),
}

impl PartialEq for Words {
    /// The same words, however each is held; a packed letter that cannot be unpacked equals
    /// only the very same packed text.
    fn eq(&self, other: &Words) -> bool {
        match (self.open(), other.open()) {
            (Ok(a), Ok(b)) => a == b,
            _ => matches!((self, other), (Words::Packed(a), Words::Packed(b)) if a == b),
        }
    }
}

impl Eq for Words {}

impl Words {
    fn open(&self) -> Result<LetterWords, String> {
        match self {
            Words::Open(words) => Ok(words.clone()),
            Words::Packed(packed) => {
                let bytes = super::packed_letter::unpack(packed).map_err(|e| e.to_string())?;
                serde_json::from_slice(&bytes)
                    .map_err(|e| format!("a packed letter's words are unreadable: {e}"))
            }
        }
    }

    fn packed(self) -> String {
        match self {
            Words::Packed(packed) => packed,
            Words::Open(words) => {
                let words = serde_json::to_vec(&words).expect("a letter always serialises");
                super::packed_letter::pack(&words)
            }
        }
    }
}

impl NoticeQueued {
    /// The action its events are stored under.
    pub const ACTION: &'static str = "notice_queued";

    pub fn new(
        outbox_id: OutboxId,
        notice: NoticeKind,
        to: String,
        message_id: String,
        subject: String,
        words: LetterWords,
    ) -> NoticeQueued {
        NoticeQueued {
            outbox_id,
            notice,
            to,
            message_id,
            subject,
            words: Words::Open(words),
        }
    }

    /// The letter's words, unpacked; an error names what is wrong with a packed letter that
    /// cannot be.
    pub fn words(&self) -> Result<LetterWords, String> {
        self.words.open()
    }

    /// The event's content with the letter's words as fields of their own, as events were
    /// written before packing: for a reader that edits the words as text (the seed's clones).
    /// Read back by `Step::from_stored`, and packed again when written.
    pub fn unpacked_content(&self) -> Result<String, String> {
        let words = self.words()?;
        let stored = StoredNoticeQueued {
            outbox_id: self.outbox_id,
            notice: self.notice,
            to: self.to.clone(),
            message_id: self.message_id.clone(),
            subject: self.subject.clone(),
            letter: None,
            text: Some(words.text),
            html: Some(words.html),
            original: words.original,
        };
        Ok(serde_json::to_string(&stored).expect("a letter always serialises"))
    }
}

/// A letter's words: what a `notice_queued` event packs into its `letter`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterWords {
    pub text: String,
    pub html: String,
    /// For a letter to the requester written in another language than English: the same
    /// letter in English, the legally binding text (docs/PRODUCT.md, "Languages"). Absent
    /// otherwise, and in events written before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<EnglishOriginal>,
}

/// `NoticeQueued` as its event's content stores it: the words packed in `letter`, or, in
/// events written before packing, in `text`, `html` and `original`.
#[derive(Serialize, Deserialize)]
struct StoredNoticeQueued {
    outbox_id: OutboxId,
    notice: NoticeKind,
    to: String,
    message_id: String,
    subject: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    letter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    html: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    original: Option<EnglishOriginal>,
}

impl From<NoticeQueued> for StoredNoticeQueued {
    /// A letter read packed is written as it was read, byte for byte; one made now, or read
    /// from an event written before packing, is packed now (no stored event is ever written
    /// again: the chain has hashed it).
    fn from(q: NoticeQueued) -> StoredNoticeQueued {
        StoredNoticeQueued {
            outbox_id: q.outbox_id,
            notice: q.notice,
            to: q.to,
            message_id: q.message_id,
            subject: q.subject,
            letter: Some(q.words.packed()),
            text: None,
            html: None,
            original: None,
        }
    }
}

impl TryFrom<StoredNoticeQueued> for NoticeQueued {
    type Error = String;

    fn try_from(s: StoredNoticeQueued) -> Result<NoticeQueued, String> {
        let words = match (s.letter, s.text, s.html) {
            (Some(letter), None, None) if s.original.is_none() => Words::Packed(letter),
            (Some(_), ..) => return Err("a letter both packed and written out".into()),
            (None, Some(text), Some(html)) => Words::Open(LetterWords {
                text,
                html,
                original: s.original,
            }),
            (None, None, _) => return Err("missing field `text`".into()),
            (None, Some(_), None) => return Err("missing field `html`".into()),
        };
        Ok(NoticeQueued {
            outbox_id: s.outbox_id,
            notice: s.notice,
            to: s.to,
            message_id: s.message_id,
            subject: s.subject,
            words,
        })
    }
}

/// The English original of a letter sent in another language, its private token withheld.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnglishOriginal {
    pub subject: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeDelivered {
    pub outbox_id: OutboxId,
    pub message_id: String,
    pub attempt: i32,
    /// What the mail server answered.
    pub reply: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeFailed {
    pub outbox_id: OutboxId,
    pub message_id: String,
    pub attempt: i32,
    pub error: String,
    #[serde(with = "audit_time")]
    pub next_attempt_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeDeadLettered {
    pub outbox_id: OutboxId,
    pub message_id: String,
    pub attempt: i32,
    pub error: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeBounced {
    pub outbox_id: OutboxId,
    pub notice: NoticeKind,
    /// The failure's status code (`5.1.1`); class 5 is permanent, class 4 transient.
    pub status: String,
    pub permanent: bool,
    /// What the receiving server said, when the report gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnostic: Option<String>,
    /// The raw report kept in the file store.
    pub mail_id: i64,
    pub sha256: String,
    /// Whether this bounce flagged the requester's address as not working: their letters
    /// then go by post, or stay on the tracking page.
    pub address_flagged: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeRetried {
    pub outbox_id: OutboxId,
    pub message_id: String,
    pub notice: NoticeKind,
}

/// A private link's token, named by its SHA-256: the clear token exists only in the answer or
/// the email that carried it (docs/PRODUCT.md, "Private links").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkIssued {
    pub token_hash: String,
    /// The notice that carried it; none for the link given when the request was filed.
    pub outbox_id: Option<OutboxId>,
    /// A letter printed to post: the event whose letter it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter: Option<i64>,
}

/// A letter to the requester put in the post: which step's letter, and which of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterPosted {
    pub event_seq: i64,
    pub notice: NoticeKind,
    pub subject: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinksRevoked {
    pub token_hashes: Vec<String>,
    /// Why, as staff recorded it (for the log; the requester's letter does not quote it).
    pub reason: String,
}

/// A new private link asked for on "Find your request". Nothing is recorded of who asked: the
/// email it goes to is the requester's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRequested {}

/// Times inside an event's content are written as the chain writes times
/// (`2026-03-02T09:30:00.123456Z`).
mod audit_time {
    use chrono::NaiveDateTime;
    use serde::{Deserialize, Deserializer, Serializer};

    pub const FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6fZ";

    pub fn serialize<S: Serializer>(at: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&at.format(FORMAT))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
        let text = String::deserialize(d)?;
        NaiveDateTime::parse_from_str(&text, FORMAT).map_err(serde::de::Error::custom)
    }
}

/// An optional time, written as [`audit_time`] writes one.
mod audit_time_opt {
    use chrono::NaiveDateTime;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(at: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
        match at {
            Some(at) => super::audit_time::serialize(at, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDateTime>, D::Error> {
        let text: Option<String> = Option::deserialize(d)?;
        text.map(|t| {
            NaiveDateTime::parse_from_str(&t, super::audit_time::FORMAT)
                .map_err(serde::de::Error::custom)
        })
        .transpose()
    }
}

/// A stored event as the map `{"action": …, "content": …}` that `Step`'s serde form is, its
/// content read from its own text as it is needed.
struct Stored<'a, 'de> {
    action: &'a str,
    content: &'a mut serde_json::Deserializer<serde_json::de::StrRead<'de>>,
    /// 0 before the action, 1 before the content, 2 after both.
    next: u8,
}

impl<'de> serde::de::MapAccess<'de> for Stored<'_, 'de> {
    type Error = serde_json::Error;

    fn next_key_seed<K: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, serde_json::Error> {
        use serde::de::IntoDeserializer;
        let key = match self.next {
            0 => "action",
            1 => "content",
            _ => return Ok(None),
        };
        seed.deserialize(key.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, serde_json::Error> {
        use serde::de::IntoDeserializer;
        self.next += 1;
        match self.next {
            1 => seed.deserialize(self.action.into_deserializer()),
            _ => seed.deserialize(&mut *self.content),
        }
    }
}

/// A stored event whose content is not what its action records.
#[derive(Debug, thiserror::Error)]
#[error("an audit event {action:?} could not be read: {source}")]
pub struct UnreadableStep {
    pub action: String,
    #[source]
    pub source: serde_json::Error,
}

impl Step {
    /// The event's action, as the audit log names it.
    pub fn action(&self) -> &'static str {
        match self {
            Step::Submitted(_) => "submitted",
            Step::Transition(_) => "transition",
            Step::Message(_) => "message",
            Step::Note(_) => "note",
            Step::Assisted(_) => "assisted",
            Step::Extended(_) => "extended",
            Step::Produced(_) => "produced",
            Step::Reopened(_) => "reopened",
            Step::Assigned(_) => "assigned",
            Step::Rerouted(_) => "rerouted",
            Step::DocumentAdded(_) => "document_added",
            Step::DocumentsReleased(_) => "documents_released",
            Step::DocumentDownloaded(_) => "document_downloaded",
            Step::ApiKeyClaimed(_) => "api_key_claimed",
            Step::ApiKeyRevoked(_) => "api_key_revoked",
            Step::ApiKeyReplacementAsked(_) => "api_key_replacement_asked",
            Step::ApiKeyReplacementOffered(_) => "api_key_replacement_offered",
            Step::NoticeQueued(_) => "notice_queued",
            Step::NoticeDelivered(_) => "notice_delivered",
            Step::NoticeFailed(_) => "notice_failed",
            Step::NoticeDeadLettered(_) => "notice_dead_lettered",
            Step::NoticeRetried(_) => "notice_retried",
            Step::LinkIssued(_) => "link_issued",
            Step::LinksRevoked(_) => "links_revoked",
            Step::LinkRequested(_) => "link_requested",
            Step::LetterPosted(_) => "letter_posted",
            Step::NoticeBounced(_) => "notice_bounced",
            Step::FeeEstimated(_) => "fee_estimated",
            Step::FeeAnswered(_) => "fee_answered",
            Step::FeeRecorded(_) => "fee_recorded",
            Step::Published(_) => "published",
            Step::KeptOut(_) => "kept_out",
            Step::PublicationWithdrawn(_) => "publication_withdrawn",
        }
    }

    /// The event's content: the step's fields as a JSON object (its keys sorted).
    pub fn content(&self) -> serde_json::Value {
        let mut tagged = serde_json::to_value(self).expect("a step always serialises");
        tagged["content"].take()
    }

    /// Reads an event back from its stored action and content.
    pub fn from_stored(action: &str, content: &str) -> Result<Step, UnreadableStep> {
        let unreadable = |source| UnreadableStep {
            action: action.to_string(),
            source,
        };
        // Read straight from the text: through a `Value` (and a tagged copy of it) every
        // event's whole tree was built twice, a large part of `audit verify`'s time.
        let mut json = serde_json::Deserializer::from_str(content);
        let step = Step::deserialize(serde::de::value::MapAccessDeserializer::new(Stored {
            action,
            content: &mut json,
            next: 0,
        }))
        .map_err(unreadable)?;
        // Nothing may follow the content, as when it was parsed on its own.
        json.end().map_err(unreadable)?;
        Ok(step)
    }

    /// Whether the requester's timeline shows it: not the mail log, not documents before
    /// their release, not staff's own downloads.
    pub fn shown_to_requester(&self, by_staff: bool) -> bool {
        match self {
            Step::Submitted(_)
            | Step::Transition(_)
            | Step::Message(_)
            | Step::Assisted(_)
            | Step::Extended(_)
            | Step::Produced(_)
            | Step::Reopened(_)
            | Step::Assigned(_)
            | Step::Rerouted(_)
            | Step::DocumentsReleased(_)
            | Step::ApiKeyClaimed(_)
            | Step::ApiKeyRevoked(_)
            | Step::ApiKeyReplacementAsked(_)
            | Step::ApiKeyReplacementOffered(_)
            | Step::FeeEstimated(_)
            | Step::FeeAnswered(_)
            | Step::FeeRecorded(_) => true,
            Step::DocumentDownloaded(_) => !by_staff,
            Step::DocumentAdded(_)
            | Step::Note(_)
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
            | Step::Published(_)
            | Step::KeptOut(_)
            | Step::PublicationWithdrawn(_) => false,
        }
    }

    /// One line for timelines.
    pub fn summary(&self) -> String {
        match self {
            Step::Submitted(s) if s.kind.is_complaint() => format!(
                "Complaint received; we aim to close it by {}",
                s.determination_due
            ),
            Step::Submitted(s) => format!(
                "Request received; determination due {}",
                s.determination_due
            ),
            Step::Transition(m) => format!("Status changed from {} to {}", m.from, m.to),
            Step::Message(m) => {
                let by = if m.email.is_some() { " by email" } else { "" };
                match m.files.len() {
                    0 => format!("Message from the {}{by}", m.author.as_str()),
                    1 => format!("Message from the {}{by}, with a file", m.author.as_str()),
                    n => format!("Message from the {}{by}, with {n} files", m.author.as_str()),
                }
            }
            Step::Note(n) => format!("Internal note by {}", n.author_name),
            Step::Assisted(a) if a.question.is_some() => format!(
                "{} offered help to identify records and asked the requester to clarify",
                a.author_name
            ),
            Step::Assisted(a) => format!("{} offered help to identify records", a.author_name),
            Step::Extended(e) => format!("Deadline extended to {}", e.determination_due),
            Step::Produced(p) => format!("Records {}", p.how.words()),
            Step::Reopened(_) => "Production reopened: more records to come".into(),
            Step::Assigned(_) => "Assigned to a staff member".into(),
            Step::Rerouted(r) => format!("Sent to {}", r.department),
            Step::DocumentAdded(d) => format!("Document attached: {}", d.title),
            Step::DocumentsReleased(r) => match r.documents.len() {
                1 => "1 document released".into(),
                n => format!("{n} documents released"),
            },
            Step::DocumentDownloaded(d) => format!("Document downloaded: {}", d.title),
            Step::ApiKeyClaimed(c) if c.replaced.is_some() => {
                "New API key collected by the requester; the lost one turned off".into()
            }
            Step::ApiKeyClaimed(_) => "API key collected by the requester".into(),
            Step::ApiKeyRevoked(_) => "API key revoked".into(),
            Step::ApiKeyReplacementAsked(a) => match &a.reason {
                Some(reason) => format!("New API key asked for, the old one lost: {reason}"),
                None => "New API key asked for, the old one lost".into(),
            },
            Step::ApiKeyReplacementOffered(_) => {
                "New API key given, to be collected; the old one works until then".into()
            }
            Step::NoticeQueued(n) => format!("Email queued to {}: {}", n.to, n.subject),
            Step::NoticeDelivered(n) => format!("Email delivered ({})", n.reply),
            Step::NoticeFailed(n) => format!("Email not delivered, will retry: {}", n.error),
            Step::NoticeDeadLettered(n) => format!("Email could not be delivered: {}", n.error),
            Step::NoticeRetried(_) => "Email queued again by staff".into(),
            Step::LinkIssued(l) => match (l.outbox_id, l.letter) {
                (Some(_), _) => "Private link sent by email".into(),
                (None, Some(_)) => "Private link printed in a letter to post".into(),
                (None, None) => "Private link given on filing".into(),
            },
            Step::LinksRevoked(r) => match r.token_hashes.len() {
                1 => "1 private link revoked; a new one sent".into(),
                n => format!("{n} private links revoked; a new one sent"),
            },
            Step::LinkRequested(_) => "A new private link asked for and sent by email".into(),
            Step::LetterPosted(l) => format!("Letter posted: {}", l.subject),
            Step::Published(p) => match p.documents.len() {
                1 => "Published in the reading room with 1 document".into(),
                n => format!("Published in the reading room with {n} documents"),
            },
            Step::KeptOut(k) => format!("Kept out of the reading room: {}", k.reason),
            Step::PublicationWithdrawn(w) => {
                format!("Withdrawn from the reading room: {}", w.reason)
            }
            Step::FeeEstimated(f) if f.waived => {
                format!(
                    "Fee estimate of {} waived: under the City's threshold",
                    f.total
                )
            }
            Step::FeeEstimated(f) => format!("Fee estimate sent: {}", f.total),
            Step::FeeAnswered(a) if a.accepted => {
                format!("Fee estimate of {} accepted by the requester", a.total)
            }
            Step::FeeAnswered(a) => {
                format!("Fee estimate of {} declined by the requester", a.total)
            }
            Step::FeeRecorded(f) => {
                let what = match f.kind {
                    crate::domain::fees::EntryKind::Payment => "Payment received",
                    crate::domain::fees::EntryKind::Waiver => "Fee waived",
                    crate::domain::fees::EntryKind::Refund => "Refund made",
                };
                format!("{what}: {}; balance {}", f.amount, f.balance)
            }
            Step::NoticeBounced(b) if b.address_flagged => format!(
                "Email came back undelivered ({}); the requester's address no longer gets letters",
                b.status
            ),
            Step::NoticeBounced(b) if b.permanent => {
                format!("Email came back undelivered ({})", b.status)
            }
            Step::NoticeBounced(b) => {
                format!("Email not delivered for now ({})", b.status)
            }
        }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.action())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request its requester filed is written as before channels existed, so the chains
    /// already kept read and hash the same; one staff recorded says how and when it came.
    #[test]
    fn a_filing_names_its_channel_and_receipt_only_when_staff_recorded_it() {
        let filed = |channel: Channel, received_at: Option<NaiveDateTime>| {
            let due = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
            let submitted = Submitted {
                channel,
                received_at,
                ..Submitted::example("Jane", "Logs", due)
            };
            serde_json::to_value(&submitted).unwrap()
        };
        let web = filed(Channel::Web, None);
        assert_eq!(web["queue"], "city_clerk", "{web}");
        assert!(
            web.get("channel").is_none() && web.get("received_at").is_none(),
            "{web}"
        );
        let at = NaiveDate::from_ymd_opt(2026, 11, 25)
            .unwrap()
            .and_hms_opt(18, 0, 0)
            .unwrap();
        let phoned = filed(Channel::Phone, Some(at));
        assert_eq!(phoned["channel"], "phone", "{phoned}");
        assert!(phoned["received_at"].is_string(), "{phoned}");
    }

    /// What the staff timeline says of help given and keys collected, and who sees a note.
    #[test]
    fn help_notes_and_replaced_keys_are_told_apart() {
        let help = |question: Option<&str>| {
            Step::Assisted(Assistance {
                records: "The March log.".into(),
                location: None,
                suggestions: "Name the days.".into(),
                question: question.map(str::to_string),
                author_name: "Pat".into(),
            })
        };
        assert_eq!(help(None).summary(), "Pat offered help to identify records");
        assert_eq!(
            help(Some("Which days?")).summary(),
            "Pat offered help to identify records and asked the requester to clarify"
        );
        assert!(help(None).shown_to_requester(true));
        let claimed = |replaced| {
            Step::ApiKeyClaimed(KeyClaimed {
                key_id: ApiKeyId(2),
                scopes: vec![],
                rate_limit: 10,
                replaced,
            })
        };
        assert_eq!(
            claimed(None).summary(),
            "API key collected by the requester"
        );
        assert_eq!(
            claimed(Some(ApiKeyId(1))).summary(),
            "New API key collected by the requester; the lost one turned off"
        );
        let note = Step::Note(Note {
            author_name: "Pat".into(),
            body: "Called them.".into(),
        });
        assert!(!note.shown_to_requester(true), "a note is for staff");
        assert_eq!(note.action(), "note");
        assert_eq!(help(None).action(), "assisted");
    }

    fn moved() -> Step {
        Step::Transition(Moved {
            reason: Some("Exempt.".into()),
            legal_basis: vec!["Gov. Code §7927.705".into()],
            responsible: vec![Responsible {
                name: "Jo Clerk".into(),
                title: "City Clerk".into(),
                staff_id: None,
            }],
            appeal_deadline: NaiveDate::from_ymd_opt(2026, 4, 13),
            ..Moved::bare(Status::UnderReview, Status::Denied)
        })
    }

    #[test]
    fn a_step_is_stored_as_its_action_and_its_fields_and_read_back_the_same() {
        let step = moved();
        assert_eq!(step.action(), "transition");
        let content = step.content();
        assert_eq!(content["from"], "under_review");
        assert_eq!(content["final"], false);
        assert_eq!(content["appeal_deadline"], "2026-04-13");
        assert_eq!(content["decision"], serde_json::Value::Null);
        let stored = serde_json::to_string(&content).unwrap();
        assert_eq!(Step::from_stored("transition", &stored).unwrap(), step);
    }

    #[test]
    fn a_grants_records_date_is_read_back_as_written() {
        let at = NaiveDate::from_ymd_opt(2026, 3, 20)
            .unwrap()
            .and_hms_micro_opt(23, 0, 0, 5)
            .unwrap();
        let step = Step::Transition(Moved {
            records_due_at: Some(at),
            ..Moved::bare(Status::UnderReview, Status::Granted)
        });
        let content = step.content();
        assert_eq!(content["records_due_at"], "2026-03-20T23:00:00.000005Z");
        let stored = serde_json::to_string(&content).unwrap();
        assert_eq!(Step::from_stored("transition", &stored).unwrap(), step);
    }

    #[test]
    fn the_stored_text_has_its_keys_sorted_as_the_chain_has_always_written_them() {
        let stored = serde_json::to_string(&moved().content()).unwrap();
        assert_eq!(
            stored,
            concat!(
                r#"{"api_key_offered":false,"appeal_deadline":"2026-04-13","assignee_claimed":false,"#,
                r#""decision":null,"due_on":null,"final":false,"from":"under_review","grounds":null,"#,
                r#""legal_basis":["Gov. Code §7927.705"],"partial":false,"reason":"Exempt.","#,
                r#""responsible":[{"name":"Jo Clerk","title":"City Clerk"}],"to":"denied","withheld":null}"#
            )
        );
    }

    fn queued(original: Option<EnglishOriginal>) -> NoticeQueued {
        NoticeQueued::new(
            OutboxId(7),
            NoticeKind::Acknowledgement,
            "jane@example.com".into(),
            "<7@city.test>".into(),
            "We received your request".into(),
            LetterWords {
                text: "Dear Jane,\n\nWe received your request.".into(),
                html: "<p>Dear Jane,</p><p>We received your request.</p>".into(),
                original,
            },
        )
    }

    /// A letter's words are stored packed, in one field; what it is sent to and under which
    /// subject stay readable beside them.
    #[test]
    fn a_queued_letter_is_stored_packed_and_read_back_whole() {
        for original in [
            None,
            Some(EnglishOriginal {
                subject: "We received your request".into(),
                text: "Dear Jane, …".into(),
            }),
        ] {
            let step = Step::NoticeQueued(queued(original));
            let content = step.content();
            assert!(content["letter"].as_str().unwrap().starts_with("z1:"));
            for gone in ["text", "html", "original"] {
                assert!(content.get(gone).is_none(), "{gone}: {content}");
            }
            assert_eq!(content["subject"], "We received your request");
            assert_eq!(content["to"], "jane@example.com");
            let stored = serde_json::to_string(&content).unwrap();
            assert!(!stored.contains("We received your request."), "{stored}");
            let read = Step::from_stored("notice_queued", &stored).unwrap();
            assert_eq!(read, step);
            // Read and written again, a letter keeps the bytes it was packed to.
            assert_eq!(serde_json::to_string(&read.content()).unwrap(), stored);
            let Step::NoticeQueued(read) = read else {
                panic!("not a notice")
            };
            assert_eq!(
                read.words().unwrap().text,
                "Dear Jane,\n\nWe received your request."
            );
        }
    }

    /// Events written before letters were packed are read as they were written, and the
    /// unpacked form a seed edits is that same form.
    #[test]
    fn a_letter_written_out_in_an_older_event_is_read_as_it_stands() {
        let older = concat!(
            r#"{"html":"<p>Hi</p>","message_id":"<7@city.test>","notice":"acknowledgement","#,
            r#""original":{"subject":"S","text":"Hi"},"outbox_id":7,"subject":"S","#,
            r#""text":"Hi","to":"jane@example.com"}"#
        );
        let Step::NoticeQueued(read) = Step::from_stored("notice_queued", older).unwrap() else {
            panic!("not a notice");
        };
        let words = read.words().unwrap();
        assert_eq!(
            (words.text.as_str(), words.html.as_str()),
            ("Hi", "<p>Hi</p>")
        );
        assert_eq!(words.original.unwrap().text, "Hi");
        let unpacked = read.unpacked_content().unwrap();
        assert!(unpacked.contains(r#""text":"Hi""#), "{unpacked}");
        assert_eq!(
            Step::from_stored("notice_queued", &unpacked).unwrap(),
            Step::NoticeQueued(read)
        );
    }

    #[test]
    fn a_letter_both_packed_and_written_out_or_half_written_is_unreadable() {
        let mut content = Step::NoticeQueued(queued(None)).content();
        content["text"] = "Hi".into();
        let both = serde_json::to_string(&content).unwrap();
        let half = r#"{"message_id":"m","notice":"acknowledgement","outbox_id":7,"subject":"S","text":"Hi","to":"j"}"#;
        for (stored, says) in [
            (both.as_str(), "both packed and written out"),
            (half, "missing field `html`"),
        ] {
            let err = Step::from_stored("notice_queued", stored).unwrap_err();
            assert!(err.to_string().contains(says), "{err}");
        }
        // A packed letter is unpacked when its words are asked for, and says then what is
        // wrong with it.
        let garbled = r#"{"letter":"z1:AAAA","message_id":"m","notice":"acknowledgement","outbox_id":7,"subject":"S","to":"j"}"#;
        let Ok(Step::NoticeQueued(read)) = Step::from_stored("notice_queued", garbled) else {
            panic!("the event's own fields are readable");
        };
        assert_eq!(read.subject, "S");
        let err = read.words().unwrap_err();
        assert!(err.contains("could not be unpacked"), "{err}");
    }

    #[test]
    fn content_that_is_not_what_the_action_records_is_an_error() {
        assert!(Step::from_stored("transition", r#"{"from": "nowhere"}"#).is_err());
        assert!(Step::from_stored("no_such_action", "{}").is_err());
        assert!(Step::from_stored("message", "not json").is_err());
        // Read from its own text: what follows a whole value is not part of it.
        let stored = serde_json::to_string(&moved().content()).unwrap();
        assert!(Step::from_stored("transition", &format!("{stored} ")).is_ok());
        assert!(Step::from_stored("transition", &format!("{stored}}}")).is_err());
        assert!(Step::from_stored("transition", &format!(r#"{stored},"x":1"#)).is_err());
        assert!(Step::from_stored("link_requested", r#"{"a":[1,}"#).is_err());
    }

    /// Read straight from the text, a step is what reading it through a JSON tree gave.
    #[test]
    fn a_step_read_from_its_text_is_the_step_read_through_a_tree() {
        for step in [moved(), Step::LinkRequested(LinkRequested {})] {
            let action = step.action();
            let stored = serde_json::to_string(&step.content()).unwrap();
            let content: serde_json::Value = serde_json::from_str(&stored).unwrap();
            let through_a_tree: Step =
                serde_json::from_value(serde_json::json!({ "action": action, "content": content }))
                    .unwrap();
            assert_eq!(Step::from_stored(action, &stored).unwrap(), through_a_tree);
        }
    }

    #[test]
    fn failure_times_are_written_as_the_chain_writes_times() {
        let at = NaiveDate::from_ymd_opt(2026, 3, 2)
            .unwrap()
            .and_hms_micro_opt(9, 30, 0, 120)
            .unwrap();
        let step = Step::NoticeFailed(NoticeFailed {
            outbox_id: OutboxId(4),
            message_id: "<m@x>".into(),
            attempt: 1,
            error: "refused".into(),
            next_attempt_at: at,
        });
        assert_eq!(
            step.content()["next_attempt_at"],
            "2026-03-02T09:30:00.000120Z"
        );
        let stored = serde_json::to_string(&step.content()).unwrap();
        assert_eq!(Step::from_stored("notice_failed", &stored).unwrap(), step);
    }

    #[test]
    fn the_requester_does_not_see_the_mail_log_or_documents_before_release() {
        assert!(moved().shown_to_requester(false));
        let queued = Step::NoticeRetried(NoticeRetried {
            outbox_id: OutboxId(1),
            message_id: "<m@x>".into(),
            notice: NoticeKind::Denied,
        });
        assert!(!queued.shown_to_requester(false));
        let download = Step::DocumentDownloaded(Downloaded {
            document_id: DocumentId(1),
            title: "a.pdf".into(),
            sha256: "ab".into(),
            size_bytes: 3,
            range: None,
        });
        assert!(download.shown_to_requester(false));
        assert!(!download.shown_to_requester(true));
    }
}
