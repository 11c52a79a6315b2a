//! Files from requesters (docs/PRODUCT.md, "Files from requesters"): a requester sends a file
//! with a message, through the API or the tracking page. The file is checked as staff uploads
//! are (its kind by its bytes, its size), kept in the same content-addressed store, and named
//! by hash in the message's audit event. Staff who can see the request, and the requester,
//! download it.

use super::manage::{write_message, StoredFile};
use super::view::Case;
use super::{load_for, AppError, Caller, Ctx};
use crate::blobs::BlobWriter;
use crate::db::{requester_files, Conn};
use crate::domain::documents::FileKind;
use crate::domain::ids::RequesterFileId;
use crate::domain::input::{limits, Text};
use crate::domain::FieldErrors;

/// A file and the words beside it, as either face received them.
pub struct RawSentFile {
    /// The name the client sent (unsafe until made a display name).
    pub file_name: String,
    pub file: Option<BlobWriter>,
    /// The message; blank sends the file alone.
    pub body: Option<String>,
}

/// A file of an allowed kind and its message, ready to be kept.
pub struct CheckedSentFile {
    pub title: String,
    pub kind: FileKind,
    pub file: BlobWriter,
    pub body: Option<Text>,
}

impl TryFrom<RawSentFile> for CheckedSentFile {
    type Error = FieldErrors;

    fn try_from(raw: RawSentFile) -> Result<CheckedSentFile, FieldErrors> {
        let mut errors = FieldErrors::default();
        let body = raw
            .body
            .as_deref()
            .filter(|b| !b.trim().is_empty())
            .and_then(|b| errors.check("body", Text::multiline(b, limits::MESSAGE)));
        let (title, kind) =
            super::documents::check_file(&mut errors, &raw.file_name, raw.file.as_ref(), "send");
        match (kind, raw.file) {
            (Some(kind), Some(file)) if errors.is_empty() => Ok(CheckedSentFile {
                title,
                kind,
                file,
                body,
            }),
            _ => Err(errors),
        }
    }
}

/// Asked before an upload is read: only the requester sends files this way (staff attach
/// documents), on a request that still takes their messages.
pub fn may_send(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
) -> Result<(), AppError> {
    let (row, _) = load_for(conn, caller, tracking_number)?;
    if caller.staff().is_some() {
        return Err(AppError::Forbidden(
            "staff attach documents to a request; this is for the requester's files".into(),
        ));
    }
    super::manage::check_requester_may_write(conn, ctx, &row, crate::db::now())
}

/// Writes the requester's message with its file, already kept in the store.
pub fn send(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    file: &StoredFile,
    body: Option<&Text>,
) -> Result<Case, AppError> {
    if caller.staff().is_some() {
        return Err(AppError::Forbidden(
            "staff attach documents to a request; this is for the requester's files".into(),
        ));
    }
    write_message(
        conn,
        ctx,
        caller,
        tracking_number,
        body.map(Text::as_str).unwrap_or(""),
        std::slice::from_ref(file),
    )
}

/// What a download of a requester's file serves.
#[derive(Debug, Clone)]
pub struct SentDownload {
    pub title: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub content_type: String,
}

/// The requester's file, for the requester and for staff who can see the request; to anyone
/// else it does not exist.
pub fn find_download(
    conn: &mut Conn,
    caller: &Caller,
    tracking_number: &str,
    id: RequesterFileId,
) -> Result<SentDownload, AppError> {
    let (row, _) = load_for(conn, caller, tracking_number)?;
    let file = requester_files::by_id(conn, row.id, id)?.ok_or(AppError::NotFound)?;
    Ok(SentDownload {
        title: file.title,
        sha256: file.sha256,
        size_bytes: file.size_bytes,
        content_type: file.content_type,
    })
}
