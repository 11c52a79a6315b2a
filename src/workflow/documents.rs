//! Response documents: staff attach files or links to a request, release them to the
//! requester, and the requester downloads them. Each step is an audit event carrying the
//! file's SHA-256, so the chain proves which bytes were attached, released and received.

use serde_json::json;

use super::manage::record;
use super::view::CaseView;
use super::{facts, load_for, status_of, Caller, Ctx, WorkflowError};
use crate::audit;
use crate::blobs::Blob;
use crate::db::models::{DocumentRow, NewDocument, RequestChanges, RequestRow};
use crate::db::{self, documents, requests, Conn};
use crate::domain::documents::{may_add, may_release, FileKind};
use crate::domain::input::Text;
use crate::domain::transitions::may_manage;
use crate::domain::Actor;
use crate::notify::Notice;

/// The longest redaction note and exemption citation, in characters.
pub const NOTE_CHARS: usize = 2_000;
pub const EXEMPTION_CHARS: usize = 300;

/// What staff say about a document: what was redacted or withheld, under which exemption.
#[derive(Debug, Clone, Default)]
pub struct Redaction {
    pub note: Option<Text>,
    pub exemption: Option<Text>,
}

impl Redaction {
    fn note(&self) -> Option<&str> {
        self.note.as_ref().map(Text::as_str)
    }

    fn exemption(&self) -> Option<&str> {
        self.exemption.as_ref().map(Text::as_str)
    }
}

/// A stored file to attach.
#[derive(Debug, Clone)]
pub struct NewFile {
    /// The display name (already made safe by `domain::documents::display_name`).
    pub title: String,
    pub kind: FileKind,
    pub blob: Blob,
}

/// A link to attach (a dataset export).
#[derive(Debug, Clone)]
pub struct NewLink {
    pub title: Text,
    pub url: String,
}

/// Who may attach and release: the assignee (or whoever works the queue) and admins.
fn check_manager(row: &RequestRow, actor: &Actor, what: &str) -> Result<(), WorkflowError> {
    if may_manage(&facts(row), actor) {
        Ok(())
    } else {
        Err(WorkflowError::Forbidden(format!(
            "only the assigned clerk or steward, or an admin, may {what}"
        )))
    }
}

fn check_may_add(row: &RequestRow, actor: &Actor) -> Result<(), WorkflowError> {
    check_manager(row, actor, "attach documents")?;
    let status = status_of(row);
    if !may_add(status) {
        return Err(WorkflowError::Conflict {
            code: "not_attachable",
            message: format!(
                "documents cannot be attached to a request that is {}",
                status.as_str().replace('_', " ")
            ),
        });
    }
    Ok(())
}

/// Asked before an upload is read, so a caller who may not attach is refused without sending
/// megabytes first.
pub fn may_attach(
    conn: &mut Conn,
    caller: &Caller,
    tracking_number: &str,
) -> Result<(), WorkflowError> {
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    check_may_add(&row, &actor)
}

fn staff_id(caller: &Caller) -> Result<i64, WorkflowError> {
    caller
        .staff()
        .map(|s| s.id)
        .ok_or_else(|| WorkflowError::Forbidden("only staff attach and release documents".into()))
}

/// The parts of a document that differ between a file and a link.
struct Attached<'a> {
    kind: &'static str,
    title: &'a str,
    sha256: Option<&'a str>,
    size_bytes: Option<i64>,
    content_type: Option<&'a str>,
    url: Option<&'a str>,
}

/// Attaches a document (not yet visible to the requester): the row, and its audit event
/// saying all the row says.
fn attach(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    attached: Attached<'_>,
    redaction: &Redaction,
) -> Result<CaseView, WorkflowError> {
    let added_by = staff_id(caller)?;
    let (row, _) = load_for(conn, caller, tracking_number)?;
    // Decided on the locked row: a withdrawal committed a moment ago is seen.
    let row = requests::lock(conn, row.id)?;
    let actor = super::actor_for(caller, &row)?;
    check_may_add(&row, &actor)?;
    let new = NewDocument {
        request_id: row.id,
        kind: attached.kind,
        title: attached.title,
        sha256: attached.sha256,
        size_bytes: attached.size_bytes,
        content_type: attached.content_type,
        url: attached.url,
        redaction_note: redaction.note(),
        exemption: redaction.exemption(),
        added_by,
        added_at: db::now(),
    };
    let document_id = documents::insert(conn, &new)?;
    let details = json!({
        "document_id": document_id,
        "kind": new.kind,
        "title": new.title,
        "sha256": new.sha256,
        "size_bytes": new.size_bytes,
        "content_type": new.content_type,
        "url": new.url,
        "redaction_note": new.redaction_note,
        "exemption": new.exemption,
    });
    record(
        conn,
        ctx,
        caller,
        &actor,
        &row,
        &RequestChanges::default(),
        "document_added",
        details,
        &[],
    )
}

/// Attaches a stored file.
pub fn add_file(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    file: &NewFile,
    redaction: &Redaction,
) -> Result<CaseView, WorkflowError> {
    let attached = Attached {
        kind: "file",
        title: &file.title,
        sha256: Some(&file.blob.sha256),
        size_bytes: Some(file.blob.size as i64),
        content_type: Some(file.kind.content_type()),
        url: None,
    };
    attach(conn, ctx, caller, tracking_number, attached, redaction)
}

/// Attaches a link to records kept elsewhere.
pub fn add_link(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    link: &NewLink,
    redaction: &Redaction,
) -> Result<CaseView, WorkflowError> {
    let attached = Attached {
        kind: "link",
        title: link.title.as_str(),
        sha256: None,
        size_bytes: None,
        content_type: None,
        url: Some(&link.url),
    };
    attach(conn, ctx, caller, tracking_number, attached, redaction)
}

/// Releases documents to the requester, who is told how many and where to get them.
pub fn release(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    ids: &[i64],
) -> Result<CaseView, WorkflowError> {
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    check_manager(&row, &actor, "release documents")?;
    let status = status_of(&row);
    if !may_release(status) {
        return Err(WorkflowError::Conflict {
            code: "not_releasable",
            message: format!(
                "records are released with a grant, or in part while a request is under review; this request is {}",
                status.as_str().replace('_', " ")
            ),
        });
    }
    if ids.is_empty() {
        return Err(WorkflowError::field(
            "documents",
            "choose at least one document to release",
        ));
    }
    let attached = documents::for_request(conn, row.id)?;
    let mut chosen: Vec<&DocumentRow> = Vec::new();
    for id in ids {
        match attached.iter().find(|d| d.id == *id) {
            Some(d) if d.released_at.is_none() => chosen.push(d),
            Some(_) => {}
            None => {
                return Err(WorkflowError::field(
                    "documents",
                    format!("this request has no document {id}"),
                ))
            }
        }
    }
    chosen.sort_by_key(|d| d.id);
    chosen.dedup_by_key(|d| d.id);
    if chosen.is_empty() {
        return Err(WorkflowError::Conflict {
            code: "already_released",
            message: "every document chosen has already been released".into(),
        });
    }
    let now = db::now();
    let chosen_ids: Vec<i64> = chosen.iter().map(|d| d.id).collect();
    let released = documents::release(conn, row.id, &chosen_ids, staff_id(caller)?, now)?;
    if released != chosen_ids.len() {
        // Someone released some of them since we looked: decide again on what stands now.
        return Err(WorkflowError::Stale {
            given: row.version,
            current: requests::by_id(conn, row.id)?.version,
        });
    }
    let details = json!({
        "partial": status != crate::domain::Status::Granted,
        "documents": chosen.iter().map(|d| json!({
            "document_id": d.id,
            "title": d.title,
            "sha256": d.sha256,
            "size_bytes": d.size_bytes,
            "url": d.url,
        })).collect::<Vec<_>>(),
    });
    record(
        conn,
        ctx,
        caller,
        &actor,
        &row,
        &RequestChanges::default(),
        "documents_released",
        details,
        &[Notice::RecordsReleased],
    )
}

/// What a download serves: the stored file's hash, what it is called, its type.
#[derive(Debug, Clone)]
pub struct Download {
    pub document_id: i64,
    pub title: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub content_type: String,
}

/// The file this caller may download. The requester gets released files only; anything else
/// is "no such document", exactly as for a document that does not exist.
pub fn find_download(
    conn: &mut Conn,
    caller: &Caller,
    tracking_number: &str,
    document_id: i64,
) -> Result<Download, WorkflowError> {
    visible_file(conn, caller, tracking_number, document_id).map(|(_, download)| download)
}

/// The request's id and the file, when this caller may have it.
fn visible_file(
    conn: &mut Conn,
    caller: &Caller,
    tracking_number: &str,
    document_id: i64,
) -> Result<(i64, Download), WorkflowError> {
    let (row, _) = load_for(conn, caller, tracking_number)?;
    let document = documents::by_id(conn, row.id, document_id)?
        .filter(|d| caller.staff().is_some() || d.released_at.is_some())
        .ok_or(WorkflowError::NotFound)?;
    match (document.sha256, document.size_bytes, document.content_type) {
        (Some(sha256), Some(size_bytes), Some(content_type)) => Ok((
            row.id,
            Download {
                document_id: document.id,
                title: document.title,
                sha256,
                size_bytes,
                content_type,
            },
        )),
        // A link is followed, not downloaded from here.
        _ => Err(WorkflowError::NotFound),
    }
}

/// Records that the caller is being sent the file (asked again, in the transaction that
/// writes the event, so a document is never logged as sent to someone who may not have it).
/// `range` is the part asked for when not the whole file.
pub fn record_download(
    conn: &mut Conn,
    caller: &Caller,
    tracking_number: &str,
    document_id: i64,
    range: Option<&str>,
) -> Result<Download, WorkflowError> {
    let (request_id, download) = visible_file(conn, caller, tracking_number, document_id)?;
    let details = json!({
        "document_id": download.document_id,
        "title": download.title,
        "sha256": download.sha256,
        "size_bytes": download.size_bytes,
        "range": range,
    });
    audit::append(
        conn,
        request_id,
        db::now(),
        &caller.audit_actor(),
        "document_downloaded",
        &details,
    )?;
    Ok(download)
}
