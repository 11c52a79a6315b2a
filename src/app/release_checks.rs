//! Release checks (docs/PRODUCT.md, "Release checks"): the files chosen for release, read from
//! the store and checked (`crate::release_check`) before the release's transaction; the
//! release (`documents::release`) refuses what was found unless it is confirmed.

use super::documents::{check_manager, Release};
use super::{load_for, AppError, Caller};
use crate::blobs::BlobStore;
use crate::db::{documents, Conn};
use crate::domain::documents::FileKind;
use crate::domain::ids::DocumentId;
use crate::release_check::{self, Finding};

/// What the release checks found in one document chosen for release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentFindings {
    pub document_id: DocumentId,
    pub title: String,
    pub findings: Vec<Finding>,
}

/// A stored file chosen for release, to be checked before the release is written.
#[derive(Debug, Clone)]
pub struct ToCheck {
    pub document_id: DocumentId,
    pub title: String,
    pub sha256: String,
    pub kind: Option<FileKind>,
}

/// The files among the documents chosen that are not yet released: the ones to check. Asked
/// before the release's transaction, so files are read outside it; a caller who may not
/// release is refused here as the release would refuse them.
pub fn files_to_check(
    conn: &mut Conn,
    caller: &Caller,
    tracking_number: &str,
    release: &Release,
) -> Result<Vec<ToCheck>, AppError> {
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    check_manager(&row, &actor, "release documents")?;
    Ok(documents::for_request(conn, row.id)?
        .into_iter()
        .filter(|d| release.documents.contains(&d.id) && d.released_at.is_none())
        .filter_map(|d| {
            let kind = d
                .content_type
                .as_deref()
                .and_then(FileKind::from_content_type);
            Some(ToCheck {
                document_id: d.id,
                title: d.title,
                sha256: d.sha256?,
                kind,
            })
        })
        .collect())
}

/// Reads each file from the store and checks it (`crate::release_check`): only the documents
/// where something was found.
pub fn check_files(files: &BlobStore, to_check: &[ToCheck]) -> Vec<DocumentFindings> {
    to_check
        .iter()
        .map(|file| {
            let bytes = files
                .local_file(&file.sha256)
                .and_then(|stored| std::fs::read(stored.path()))
                .ok();
            let findings = match (file.kind, bytes) {
                (Some(kind), Some(bytes)) => release_check::check(kind, &bytes),
                (None, _) => Vec::new(),
                (Some(_), None) => vec![Finding::unreadable("its stored copy cannot be read")],
            };
            DocumentFindings {
                document_id: file.document_id,
                title: file.title.clone(),
                findings,
            }
        })
        .filter(|d| !d.findings.is_empty())
        .collect()
}
