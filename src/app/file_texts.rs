//! Reading released files' text for the reading room's search (docs/PRODUCT.md, "Reading
//! room"). Started in the background once a release commits (`App::read_file_texts_soon`:
//! the release never waits for it, and one reading runs at a time), and again by the hourly
//! sweep for any released file still unread (a server stopped in between, files released
//! before this existed). What was read goes into the item's index entry when the request is
//! published, or at once when it already is.

use std::sync::atomic::{AtomicBool, Ordering};

use super::AppError;
use crate::blobs::BlobStore;
use crate::db::document_texts::{self, NewDocumentText};
use crate::db::Db;
use crate::domain::documents::FileKind;
use crate::domain::ids::{DocumentId, RequestId};
use crate::file_text::{text_of, FileText};

/// Whether a background reading is under way, and whether it must go round once more.
#[derive(Debug, Default)]
pub struct Reading {
    running: AtomicBool,
    again: AtomicBool,
}

impl Reading {
    /// Asks for a reading; true when the caller must start one (none is running).
    pub fn ask(&self) -> bool {
        self.again.store(true, Ordering::SeqCst);
        !self.running.swap(true, Ordering::SeqCst)
    }

    /// Called by the running reading before each round.
    pub fn begin_round(&self) {
        self.again.store(false, Ordering::SeqCst);
    }

    /// Called by the running reading after a round: true when it must go round again (it was
    /// asked meanwhile and no other reading took over).
    pub fn again(&self) -> bool {
        if self.again.load(Ordering::SeqCst) {
            return true;
        }
        self.running.store(false, Ordering::SeqCst);
        // Asked between the check and the store: that asker saw `running` set and left it
        // to us.
        self.again.load(Ordering::SeqCst) && !self.running.swap(true, Ordering::SeqCst)
    }
}

/// Files read per call.
const BATCH: i64 = 50;

/// Reads the text of released files not yet read, a batch at a time until none are left;
/// answers how many were read. A file whose text cannot be kept is logged and left for the
/// next sweep; the files after it are read all the same.
pub fn read_unread(db: &Db, files: &BlobStore) -> Result<usize, AppError> {
    let mut done = 0;
    let mut after = DocumentId(0);
    loop {
        let unread =
            db.read(|conn| document_texts::unread(conn, after, BATCH).map_err(AppError::from))?;
        let Some(last) = unread.last() else {
            return Ok(done);
        };
        after = last.0;
        for (document_id, request_id, sha256, content_type) in unread {
            match read_one(db, files, document_id, request_id, &sha256, &content_type) {
                Ok(()) => done += 1,
                Err(e) => log::error!("document {document_id}: its text was not kept: {e}"),
            }
        }
    }
}

/// Reads one file's text, keeps it, and writes its item's index entry again.
fn read_one(
    db: &Db,
    files: &BlobStore,
    document_id: DocumentId,
    request_id: RequestId,
    sha256: &str,
    content_type: &str,
) -> Result<(), AppError> {
    let found = match FileKind::from_content_type(content_type) {
        None => FileText::NotText,
        Some(kind) => match files.local_file(sha256) {
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::InvalidInput
                ) =>
            {
                FileText::Unreadable("the stored file is missing".into())
            }
            Err(e) => FileText::Unreadable(format!("the stored file could not be read ({e})")),
            Ok(file) => match std::fs::read(file.path()) {
                Ok(bytes) => text_of(kind, &bytes),
                Err(e) => FileText::Unreadable(format!("the stored file could not be read ({e})")),
            },
        },
    };
    if let FileText::Unreadable(why) = &found {
        log::warn!("document {document_id}: its text was not read: {why}");
    }
    let (body, note, characters) = match &found {
        FileText::Text { body, characters } => (Some(body.as_str()), None, *characters),
        FileText::Unreadable(why) => (None, Some(why.as_str()), 0),
        FileText::Empty | FileText::NotText => (None, None, 0),
    };
    db.write(|conn| {
        document_texts::insert(
            conn,
            &NewDocumentText {
                document_id,
                status: found.status(),
                body,
                note,
                characters: i64::try_from(characters).unwrap_or(i64::MAX),
                extracted_at: crate::db::now(),
            },
        )
        .map_err(AppError::from)
    })?;
    // The text is kept whatever becomes of the index: an entry that cannot be written now is
    // written again when the item next changes.
    if let Err(e) = db.write(|conn| super::reading_room::index(conn, request_id)) {
        log::error!("request {request_id}: the reading room's index was not written: {e}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_reading_runs_at_a_time_and_goes_round_again_when_asked_meanwhile() {
        let reading = Reading::default();
        assert!(reading.ask(), "the first asker starts a reading");
        assert!(
            !reading.ask(),
            "a second asker leaves it to the one running"
        );
        reading.begin_round();
        assert!(!reading.ask());
        assert!(reading.again(), "asked during the round: once more");
        reading.begin_round();
        assert!(!reading.again(), "nothing asked: the reading ends");
        assert!(reading.ask(), "the next asker starts a new one");
    }
}
