//! A request as people see it: the requester sees their own request; staff see more.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::{status_of, Caller, Ctx, WorkflowError};
use crate::audit::chain::format_time;
use crate::audit::store::events_for;
use crate::db::models::{DocumentRow, RequestRow};
use crate::db::{requests, staff as staff_db, Conn};
use crate::domain::input::Responsible;
use crate::domain::transitions::allowed_targets;
use crate::domain::{Actor, Circumstance, RequestKind, Status};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseView {
    pub tracking_number: String,
    pub kind: RequestKind,
    pub status: Status,
    /// Goes up by one with every change; send it back to change the request.
    pub version: i32,
    pub queue: String,
    pub assignee: Option<StaffRef>,
    pub requester: RequesterView,
    pub description: String,
    pub dataset_id: Option<String>,
    pub fields_needed: Option<String>,
    pub intended_use: Option<String>,
    pub preferred_format: Option<String>,
    #[schema(format = DateTime)]
    pub received_at: String,
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
    /// A denial upheld on review: it cannot be appealed again.
    pub denial_final: bool,
    pub appeal_grounds: Option<String>,
    pub reviewer: Option<StaffRef>,
    pub withdraw_reason: Option<String>,
    pub determinations: Vec<DeterminationView>,
    pub messages: Vec<MessageView>,
    pub history: Vec<HistoryItem>,
    /// The states this caller may move the request to now.
    pub allowed_transitions: Vec<Status>,
    /// For a granted api_access request: where its API key stands.
    pub api_key: Option<super::api_keys::KeyStatus>,
    /// Response documents: the requester sees those released to them; staff see all.
    pub documents: Vec<DocumentView>,
    /// Whether this caller may attach documents now, and release them.
    pub may_attach_documents: bool,
    pub may_release_documents: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentView {
    pub id: i64,
    /// `file` (kept here, downloaded from `download_url`) or `link` (records kept elsewhere).
    #[schema(schema_with = crate::web::api::fields::document_kind)]
    pub kind: String,
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
    #[schema(format = DateTime)]
    pub added_at: String,
}

impl DocumentView {
    /// "1.2 MB": the size as people read it (empty for a link).
    pub fn size_words(&self) -> String {
        self.size_bytes
            .map(|n| crate::notify::render::size_in_words(n.max(0) as u64))
            .unwrap_or_default()
    }

    /// What kind of file, in a word: "PDF", "CSV", … or "Link".
    pub fn type_words(&self) -> String {
        match (&self.url, self.title.rsplit_once('.')) {
            (Some(_), _) => "Link".into(),
            (None, Some((_, ext))) => ext.to_ascii_uppercase(),
            (None, None) => "File".into(),
        }
    }
}

fn document_view(tracking_number: &str, d: DocumentRow) -> DocumentView {
    DocumentView {
        download_url: (d.kind == "file")
            .then(|| format!("/api/v1/requests/{tracking_number}/documents/{}", d.id)),
        id: d.id,
        kind: d.kind,
        title: d.title,
        content_type: d.content_type,
        size_bytes: d.size_bytes,
        sha256: d.sha256,
        url: d.url,
        redaction_note: d.redaction_note,
        exemption: d.exemption,
        released: d.released_at.is_some(),
        released_at: d.released_at.map(format_time),
        added_at: format_time(d.added_at),
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StaffRef {
    pub name: String,
    /// Shown to staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = String, format = Email, required = false)]
    pub email: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequesterView {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub organization: Option<String>,
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
    #[schema(schema_with = crate::web::api::fields::stage)]
    pub stage: String,
    pub outcome: Status,
    pub decision: Option<String>,
    pub reason: Option<String>,
    pub partial: bool,
    pub withheld: Option<String>,
    pub legal_basis: Vec<String>,
    pub responsible: Vec<Responsible>,
    pub decided_by: StaffRef,
    #[schema(format = DateTime)]
    pub decided_at: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MessageView {
    #[schema(format = DateTime)]
    pub at: String,
    #[schema(schema_with = crate::web::api::fields::message_author)]
    pub from: String,
    pub author_name: Option<String>,
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

/// Builds what `GET /api/v1/requests/{tracking_number}` answers, for this caller.
pub fn case_view(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    actor: &Actor,
    row: &RequestRow,
) -> Result<CaseView, WorkflowError> {
    let is_staff = matches!(caller, Caller::Staff(_));
    let mut staff_ids: Vec<i64> = [row.assignee_id, row.reviewer_id]
        .into_iter()
        .flatten()
        .collect();
    let determinations = requests::determinations_for(conn, row.id)?;
    let messages = requests::messages_for(conn, row.id)?;
    staff_ids.extend(determinations.iter().map(|d| d.decided_by));
    staff_ids.extend(messages.iter().filter_map(|m| m.staff_id));
    let staff = staff_db::by_ids(conn, &staff_ids)?;
    let staff_ref = |id: i64| {
        let found = staff.iter().find(|s| s.id == id);
        StaffRef {
            name: found
                .map(|s| s.name.clone())
                .unwrap_or_else(|| "City staff".into()),
            email: found.filter(|_| is_staff).map(|s| s.email.clone()),
        }
    };
    let requester = requests::requester(conn, row.requester_id)?;
    let requester_name = requester.name.clone();
    let events = events_for(conn, row.id)?;
    let status = status_of(row);
    let today = ctx.clock.today();
    let manages = crate::domain::transitions::may_manage(&super::facts(row), actor);
    Ok(CaseView {
        tracking_number: row.tracking_number.clone(),
        kind: RequestKind::parse(&row.kind).unwrap_or(RequestKind::PublicRecords),
        status,
        version: row.version,
        queue: row.queue.clone(),
        assignee: row.assignee_id.map(staff_ref),
        requester: RequesterView {
            name: requester.name,
            email: requester.email,
            phone: requester.phone,
            organization: requester.organization,
        },
        description: row.description.clone(),
        dataset_id: row.dataset_id.clone(),
        fields_needed: row.fields_needed.clone(),
        intended_use: row.intended_use.clone(),
        preferred_format: row.preferred_format.clone(),
        received_at: format_time(row.received_at),
        determination_due: row.determination_due,
        due_on: row.due_on,
        overdue: status.is_open() && ctx.policy.is_overdue(row.due_on, today),
        due_soon: status.is_open() && ctx.policy.is_due_soon(row.due_on, today),
        extension: row.extension_days.map(|days| {
            let circumstance = row
                .extension_circumstance
                .as_deref()
                .and_then(Circumstance::parse)
                .unwrap_or(Circumstance::VoluminousRecords);
            ExtensionView {
                days,
                circumstance,
                circumstance_text: circumstance.description().into(),
                reason: row.extension_reason.clone(),
            }
        }),
        appeal_deadline: row.appeal_deadline,
        denial_final: row.denial_final != 0,
        appeal_grounds: row.appeal_grounds.clone(),
        reviewer: row.reviewer_id.map(staff_ref),
        withdraw_reason: row.withdraw_reason.clone(),
        determinations: determinations
            .iter()
            .map(|d| DeterminationView {
                stage: d.stage.clone(),
                outcome: Status::parse(&d.outcome).unwrap_or(Status::Granted),
                decision: d.decision.clone(),
                reason: d.reason.clone(),
                partial: d.partial != 0,
                withheld: d.withheld.clone(),
                legal_basis: serde_json::from_str(&d.legal_basis).unwrap_or_default(),
                responsible: serde_json::from_str(&d.responsible).unwrap_or_default(),
                decided_by: staff_ref(d.decided_by),
                decided_at: format_time(d.decided_at),
            })
            .collect(),
        messages: messages
            .iter()
            .map(|m| MessageView {
                at: format_time(m.created_at),
                from: m.author.clone(),
                author_name: match m.staff_id {
                    Some(id) => Some(staff_ref(id).name),
                    None => Some(requester_name.clone()),
                },
                body: m.body.clone(),
            })
            .collect(),
        // Requesters see the steps; staff also see every notice queued, sent or failed, and
        // documents being prepared and their own downloads.
        history: events
            .iter()
            .filter(|e| is_staff || shown_to_requester(&e.action, &e.actor))
            .map(|e| HistoryItem {
                seq: e.seq,
                at: format_time(e.at),
                actor: if is_staff {
                    e.actor.clone()
                } else {
                    e.actor.split(':').next().unwrap_or("").to_string()
                },
                action: e.action.clone(),
                summary: summarize(&e.action, &e.content),
            })
            .collect(),
        allowed_transitions: allowed_targets(&super::facts(row), actor, today),
        api_key: crate::db::api_keys::for_request(conn, row.id)?
            .map(|key| super::api_keys::status(&key, crate::db::now())),
        may_attach_documents: manages && crate::domain::documents::may_add(status),
        may_release_documents: manages && crate::domain::documents::may_release(status),
        documents: crate::db::documents::for_request(conn, row.id)?
            .into_iter()
            .filter(|d| is_staff || d.released_at.is_some())
            .map(|d| document_view(&row.tracking_number, d))
            .collect(),
    })
}

/// Which events a requester's timeline shows: not the mail log, not documents before their
/// release, not staff downloads.
fn shown_to_requester(action: &str, actor: &str) -> bool {
    !(action.starts_with("notice_")
        || action == "document_added"
        || (action == "document_downloaded" && actor.starts_with("staff")))
}

/// One line per event for timelines.
fn summarize(action: &str, content: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(content).unwrap_or_default();
    let field = |name: &str| {
        value
            .get(name)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    match action {
        "submitted" => format!(
            "Request received; determination due {}",
            field("determination_due")
        ),
        "transition" => format!("Status changed from {} to {}", field("from"), field("to")),
        "message" => format!("Message from the {}", field("author")),
        "extended" => format!("Deadline extended to {}", field("determination_due")),
        "assigned" => "Assigned to a staff member".into(),
        "notice_queued" => format!("Email queued to {}: {}", field("to"), field("subject")),
        "notice_delivered" => format!("Email delivered ({})", field("reply")),
        "notice_failed" => format!("Email not delivered, will retry: {}", field("error")),
        "notice_dead_lettered" => format!("Email could not be delivered: {}", field("error")),
        "notice_retried" => "Email queued again by staff".into(),
        "document_added" => format!("Document attached: {}", field("title")),
        "documents_released" => match value["documents"].as_array().map(Vec::len) {
            Some(1) => "1 document released".into(),
            Some(n) => format!("{n} documents released"),
            None => "Documents released".into(),
        },
        "document_downloaded" => format!("Document downloaded: {}", field("title")),
        other => other.replace('_', " "),
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
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditLog {
    pub tracking_number: String,
    pub events: Vec<AuditEventView>,
}

pub fn audit_log(
    conn: &mut Conn,
    caller: &Caller,
    tracking_number: &str,
) -> Result<AuditLog, WorkflowError> {
    let (row, _) = super::load_for(conn, caller, tracking_number)?;
    if caller.staff().is_none() {
        return Err(WorkflowError::NotFound);
    }
    let events = events_for(conn, row.id)?
        .into_iter()
        .map(|e| AuditEventView {
            seq: e.seq,
            at: format_time(e.at),
            actor: e.actor,
            action: e.action,
            content: serde_json::from_str(&e.content).unwrap_or(serde_json::Value::Null),
            prev_hash: e.prev_hash,
            hash: e.hash,
        })
        .collect();
    Ok(AuditLog {
        tracking_number: row.tracking_number,
        events,
    })
}

/// What `GET /api/v1/requests/{tracking_number}` answers.
pub fn get(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
) -> Result<CaseView, WorkflowError> {
    let (row, actor) = super::load_for(conn, caller, tracking_number)?;
    case_view(conn, ctx, caller, &actor, &row)
}
