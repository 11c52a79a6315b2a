//! Response documents: staff attach files or links to a request, release them to the
//! requester, and the requester downloads them. Each step is an audit event carrying the
//! file's SHA-256, so the chain proves which bytes were attached, released and received.

use serde::Deserialize;

use super::manage::{record, record_all};
use super::release_checks::DocumentFindings;
use super::view::Case;
use super::{facts, load_for, AppError, Caller, Conflict, Ctx};
use crate::audit;
use crate::blobs::{Blob, BlobWriter};
use crate::db::models::{DocumentRow, NewDocument, RequestRow};
use crate::db::{self, documents, requests, Conn};
use crate::domain::documents::{
    display_name, may_add, may_release, parse_link, DocumentKind, FileKind,
};
use crate::domain::ids::{DocumentId, StaffId};
use crate::domain::input::{limits, Text};
use crate::domain::step::{
    ConfirmedFinding, DocumentAdded, Downloaded, Production, Released, ReleasedDocument, Step,
};
use crate::domain::transitions::may_manage;
use crate::domain::{Actor, FieldErrors, Status};

/// The longest redaction note and exemption citation, in characters.
pub const NOTE_CHARS: usize = 2_000;
pub const EXEMPTION_CHARS: usize = 300;
/// The most documents one release names.
pub const MAX_RELEASE: usize = 1000;

/// What staff say about a document: what was redacted or withheld, under which exemption.
#[derive(Debug, Clone, Default)]
pub struct Redaction {
    pub note: Option<Text>,
    pub exemption: Option<Text>,
}

impl Redaction {
    /// The note and exemption beside a document, blank meaning none. They go together: what
    /// was redacted or withheld, and the exemption it rests on (docs/PRODUCT.md,
    /// "Exemptions"), which is a Government Code section ("7927.705") or any California
    /// code, U.S.C. or C.F.R. citation, kept as the letters print it.
    pub fn parse(
        errors: &mut FieldErrors,
        note: &Option<String>,
        exemption: &Option<String>,
    ) -> Redaction {
        let present = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
        let note = present(note)
            .and_then(|s| errors.check("redaction_note", Text::multiline(&s, NOTE_CHARS)));
        let exemption = present(exemption).and_then(|s| {
            let cited = crate::domain::exemptions::parse_document_exemption(&s)
                .and_then(|c| Text::line(&c, EXEMPTION_CHARS));
            errors.check("exemption", cited)
        });
        if note.is_some() && exemption.is_none() && !errors.0.contains_key("exemption") {
            errors.add(
                "exemption",
                "name the exemption the redaction rests on, like 7927.705 or Evid. Code §1040",
            );
        }
        if exemption.is_some() && note.is_none() && !errors.0.contains_key("redaction_note") {
            errors.add("redaction_note", "say what was redacted or withheld");
        }
        Redaction { note, exemption }
    }

    fn note(&self) -> Option<&str> {
        self.note.as_ref().map(Text::as_str)
    }

    fn exemption(&self) -> Option<&str> {
        self.exemption.as_ref().map(Text::as_str)
    }
}

/// An uploaded file as either face received it: streamed into the store, not yet kept.
pub struct RawUpload {
    /// The name the client sent (unsafe until made a display name).
    pub file_name: String,
    pub file: Option<BlobWriter>,
    pub redaction_note: Option<String>,
    pub exemption: Option<String>,
}

/// An upload whose file is of an allowed kind, ready to be kept.
pub struct CheckedUpload {
    pub title: String,
    pub kind: FileKind,
    pub file: BlobWriter,
    pub redaction: Redaction,
}

impl TryFrom<RawUpload> for CheckedUpload {
    type Error = FieldErrors;

    fn try_from(raw: RawUpload) -> Result<CheckedUpload, FieldErrors> {
        let mut errors = FieldErrors::default();
        let redaction = Redaction::parse(&mut errors, &raw.redaction_note, &raw.exemption);
        let (title, kind) = check_file(&mut errors, &raw.file_name, raw.file.as_ref(), "attach");
        match (kind, raw.file) {
            (Some(kind), Some(file)) if errors.is_empty() => Ok(CheckedUpload {
                title,
                kind,
                file,
                redaction,
            }),
            _ => Err(errors),
        }
    }
}

/// A file as either face received it, made safe to show and told by its bytes: its display
/// name, and its kind unless it is missing, empty or not one allowed (said under `file`).
/// `verb` says what the caller is doing with it ("attach", "send").
pub(super) fn check_file(
    errors: &mut FieldErrors,
    file_name: &str,
    file: Option<&BlobWriter>,
    verb: &str,
) -> (String, Option<FileKind>) {
    let title = display_name(file_name);
    let kind = match file {
        None => {
            errors.add("file", format!("choose a file to {verb}"));
            None
        }
        Some(file) if file.size() == 0 => {
            errors.add("file", "the file is empty");
            None
        }
        Some(file) => errors.check("file", FileKind::of(&title, file.head())),
    };
    (title, kind)
}

/// A stored file to attach.
#[derive(Debug, Clone)]
pub struct NewFile {
    /// The display name (already made safe by `domain::documents::display_name`).
    pub title: String,
    pub kind: FileKind,
    pub blob: Blob,
    pub redaction: Redaction,
}

/// A link as either face reads it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawLink {
    pub title: Option<String>,
    pub url: Option<String>,
    pub redaction_note: Option<String>,
    pub exemption: Option<String>,
}

/// A link to attach (a dataset export).
#[derive(Debug, Clone)]
pub struct NewLink {
    pub title: Text,
    pub url: String,
    pub redaction: Redaction,
}

impl TryFrom<RawLink> for NewLink {
    type Error = FieldErrors;

    fn try_from(raw: RawLink) -> Result<NewLink, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = errors.check(
            "title",
            Text::line(raw.title.as_deref().unwrap_or(""), limits::NAME),
        );
        let url = errors.check("url", parse_link(raw.url.as_deref().unwrap_or("").trim()));
        let redaction = Redaction::parse(&mut errors, &raw.redaction_note, &raw.exemption);
        match (title, url) {
            (Some(title), Some(url)) if errors.is_empty() => Ok(NewLink {
                title,
                url,
                redaction,
            }),
            _ => Err(errors),
        }
    }
}

/// Documents to release, as either face reads them.
#[derive(Debug, Clone, Default)]
pub struct RawRelease {
    pub documents: Option<Vec<i64>>,
    /// Those of them released to the public (the reading room) too; the rest go to the
    /// requester only. None: all to the requester only.
    pub public: Option<Vec<i64>>,
    /// Staff looked at what the release checks found and release anyway.
    pub confirm_findings: bool,
}

/// The documents to release, which of them are public, and whether what the release checks
/// find was confirmed.
#[derive(Debug, Clone)]
pub struct Release {
    pub documents: Vec<DocumentId>,
    pub public: Vec<DocumentId>,
    pub confirm_findings: bool,
}

impl TryFrom<RawRelease> for Release {
    type Error = FieldErrors;

    fn try_from(raw: RawRelease) -> Result<Release, FieldErrors> {
        let mut errors = FieldErrors::default();
        let documents: Vec<DocumentId> = match raw.documents {
            Some(ids) if !ids.is_empty() && ids.len() <= MAX_RELEASE => {
                ids.into_iter().map(DocumentId).collect()
            }
            _ => {
                errors.add(
                    "documents",
                    format!("list the ids of 1 to {MAX_RELEASE} documents to release"),
                );
                Vec::new()
            }
        };
        let public: Vec<DocumentId> = raw
            .public
            .unwrap_or_default()
            .into_iter()
            .map(DocumentId)
            .collect();
        if let Some(stray) = public.iter().find(|id| !documents.contains(id)) {
            if !documents.is_empty() {
                errors.add(
                    "public",
                    format!("document {stray} is not among the documents released"),
                );
            }
        }
        if errors.is_empty() {
            Ok(Release {
                documents,
                public,
                confirm_findings: raw.confirm_findings,
            })
        } else {
            Err(errors)
        }
    }
}

/// Who may attach and release: the assignee (or whoever works the queue) and admins.
pub(super) fn check_manager(row: &RequestRow, actor: &Actor, what: &str) -> Result<(), AppError> {
    if may_manage(&facts(row), actor) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "only the assigned clerk or steward, or an admin, may {what}"
        )))
    }
}

fn check_may_add(row: &RequestRow, actor: &Actor) -> Result<(), AppError> {
    check_manager(row, actor, "attach documents")?;
    if !may_add(row.status) {
        return Err(Conflict::NotAttachable(row.status).into());
    }
    Ok(())
}

/// Asked before an upload is read, so a caller who may not attach is refused without sending
/// megabytes first.
pub fn may_attach(conn: &mut Conn, caller: &Caller, tracking_number: &str) -> Result<(), AppError> {
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    check_may_add(&row, &actor)
}

fn staff_id(caller: &Caller) -> Result<StaffId, AppError> {
    caller
        .staff()
        .map(|s| s.id)
        .ok_or_else(|| AppError::Forbidden("only staff attach and release documents".into()))
}

/// The parts of a document that differ between a file and a link.
struct Attached<'a> {
    kind: DocumentKind,
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
) -> Result<Case, AppError> {
    let added_by = staff_id(caller)?;
    let (row, _) = load_for(conn, caller, tracking_number)?;
    // Decided on the locked row: a withdrawal committed a moment ago is seen.
    let row = requests::lock(conn, row.id)?;
    let actor = super::actor_for(conn, caller, &row)?;
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
        public: 0,
    };
    let document_id = documents::insert(conn, &new)?;
    let text = |s: Option<&str>| s.map(str::to_string);
    let step = Step::DocumentAdded(DocumentAdded {
        document_id,
        kind: new.kind,
        title: new.title.to_string(),
        sha256: text(new.sha256),
        size_bytes: new.size_bytes,
        content_type: text(new.content_type),
        url: text(new.url),
        redaction_note: text(new.redaction_note),
        exemption: text(new.exemption),
    });
    record(conn, ctx, caller, &actor, &row, None, &step)
}

/// Attaches a stored file.
pub fn add_file(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    file: &NewFile,
) -> Result<Case, AppError> {
    let attached = Attached {
        kind: DocumentKind::File,
        title: &file.title,
        sha256: Some(&file.blob.sha256),
        size_bytes: Some(file.blob.size as i64),
        content_type: Some(file.kind.content_type()),
        url: None,
    };
    attach(
        conn,
        ctx,
        caller,
        tracking_number,
        attached,
        &file.redaction,
    )
}

/// Attaches a link to records kept elsewhere.
pub fn add_link(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    link: &NewLink,
) -> Result<Case, AppError> {
    let attached = Attached {
        kind: DocumentKind::Link,
        title: link.title.as_str(),
        sha256: None,
        size_bytes: None,
        content_type: None,
        url: Some(&link.url),
    };
    attach(
        conn,
        ctx,
        caller,
        tracking_number,
        attached,
        &link.redaction,
    )
}

/// Releases documents to the requester, who is told how many and where to get them, and
/// those chosen as public to the reading room too. `found` is what the release checks found
/// in the files (`check_files`): unless the release confirms it, nothing is released.
pub fn release(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    release: &Release,
    found: &[DocumentFindings],
) -> Result<Case, AppError> {
    let ids = &release.documents;
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    check_manager(&row, &actor, "release documents")?;
    if !may_release(row.status) {
        return Err(Conflict::NotReleasable(row.status).into());
    }
    if ids.is_empty() {
        return Err(AppError::field(
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
                return Err(AppError::field(
                    "documents",
                    format!("this request has no document {id}"),
                ))
            }
        }
    }
    chosen.sort_by_key(|d| d.id);
    chosen.dedup_by_key(|d| d.id);
    if chosen.is_empty() {
        return Err(Conflict::AlreadyReleased.into());
    }
    let found: Vec<&DocumentFindings> = found
        .iter()
        .filter(|f| chosen.iter().any(|d| d.id == f.document_id))
        .collect();
    if !found.is_empty() && !release.confirm_findings {
        return Err(Conflict::ReleaseFindings(found.into_iter().cloned().collect()).into());
    }
    let now = db::now();
    let chosen_ids: Vec<DocumentId> = chosen.iter().map(|d| d.id).collect();
    let released = documents::release(
        conn,
        row.id,
        &chosen_ids,
        &release.public,
        staff_id(caller)?,
        now,
    )?;
    if released != chosen_ids.len() {
        // Someone released some of them since we looked: decide again on what stands now.
        return Err(AppError::Stale {
            given: row.version,
            current: requests::by_id(conn, row.id)?.version,
        });
    }
    let step = Step::DocumentsReleased(Released {
        partial: row.status != Status::Granted,
        documents: chosen
            .iter()
            .map(|d| ReleasedDocument {
                document_id: d.id,
                title: d.title.clone(),
                sha256: d.sha256.clone(),
                size_bytes: d.size_bytes,
                url: d.url.clone(),
                public: Some(release.public.contains(&d.id)),
            })
            .collect(),
        confirmed_findings: found
            .iter()
            .flat_map(|d| {
                d.findings.iter().map(|f| ConfirmedFinding {
                    document_id: d.document_id,
                    code: f.code,
                    words: crate::domain::findings::without_quotes(&f.words),
                })
            })
            .collect(),
    });
    // Released with a grant awaiting production, the records are produced.
    match super::production::produce(&row, Production::Released, None, now) {
        Some((changes, produced)) => record_all(
            conn,
            ctx,
            caller,
            &actor,
            &row,
            Some(&changes),
            &[step, produced],
        ),
        None => record(conn, ctx, caller, &actor, &row, None, &step),
    }
}

/// What a download serves: the stored file's hash, what it is called, its type.
#[derive(Debug, Clone)]
pub struct Download {
    pub document_id: DocumentId,
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
    document_id: DocumentId,
) -> Result<Download, AppError> {
    visible_file(conn, caller, tracking_number, document_id).map(|(_, download)| download)
}

/// The request's id and the file, when this caller may have it.
fn visible_file(
    conn: &mut Conn,
    caller: &Caller,
    tracking_number: &str,
    document_id: DocumentId,
) -> Result<(crate::domain::ids::RequestId, Download), AppError> {
    let (row, _) = load_for(conn, caller, tracking_number)?;
    let document = documents::by_id(conn, row.id, document_id)?
        .filter(|d| caller.staff().is_some() || d.released_at.is_some())
        .ok_or(AppError::NotFound)?;
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
        _ => Err(AppError::NotFound),
    }
}

/// Records that the caller is being sent the file (asked again, in the transaction that
/// writes the event, so a document is never logged as sent to someone who may not have it).
/// `range` is the part asked for when not the whole file.
pub fn record_download(
    conn: &mut Conn,
    caller: &Caller,
    tracking_number: &str,
    document_id: DocumentId,
    range: Option<&str>,
) -> Result<Download, AppError> {
    let (request_id, download) = visible_file(conn, caller, tracking_number, document_id)?;
    let step = Step::DocumentDownloaded(Downloaded {
        document_id: download.document_id,
        title: download.title.clone(),
        sha256: download.sha256.clone(),
        size_bytes: download.size_bytes,
        range: range.map(str::to_string),
    });
    audit::append(conn, request_id, db::now(), &caller.audit_actor(), &step)?;
    Ok(download)
}
