//! What the command line does beside serving: staff accounts, the audit check, backups and
//! the catalog import. Each runs on the database handle the command opened.

use std::path::Path;

use super::staff::{self, NewAccount, RawStaffAccount};
use super::{accounts, AppError, Ctx, StaffAccount};
use crate::audit::Actor;
use crate::audit::{self, VerifyReport};
use crate::blobs::BlobStore;
use crate::catalog::{dcat, import};
use crate::db::backup::Copy;
use crate::db::{self, DatabaseUrl, Db, DbError};

/// Ends every session of a staff member (`recordsdesk staff revoke-sessions`); how many.
pub fn revoke_sessions(db: &Db, email: &str) -> Result<usize, AppError> {
    db.write(|conn| staff::revoke_sessions(conn, email))
}

/// Every account (`recordsdesk staff list`).
pub fn list_staff(db: &Db) -> Result<Vec<accounts::AccountListing>, AppError> {
    db.read(accounts::list)
}

fn account_by_email(
    conn: &mut crate::db::Conn,
    email: &str,
) -> Result<crate::domain::StaffId, AppError> {
    let email = accounts::staff_email(email).map_err(|_| AppError::NotFound)?;
    crate::db::staff::by_email(conn, &email)?
        .map(|row| row.id)
        .ok_or(AppError::NotFound)
}

/// `recordsdesk staff disable --email E`: every sign-in ends at once.
pub fn disable_staff(db: &Db, email: &str) -> Result<accounts::AccountListing, AppError> {
    db.write(|conn| {
        let id = account_by_email(conn, email)?;
        accounts::disable(conn, &Actor::System, id)
    })
}

/// `recordsdesk staff enable --email E`.
pub fn enable_staff(db: &Db, email: &str) -> Result<accounts::AccountListing, AppError> {
    db.write(|conn| {
        let id = account_by_email(conn, email)?;
        accounts::enable(conn, &Actor::System, id)
    })
}

/// `recordsdesk staff reset --email E`: emails a link to choose a new password.
pub fn reset_staff(db: &Db, ctx: &Ctx, email: &str) -> Result<accounts::AccountListing, AppError> {
    db.write(|conn| {
        let id = account_by_email(conn, email)?;
        accounts::send_reset(conn, ctx, &Actor::System, id)
    })
}

/// Creates a staff account (`recordsdesk staff add`).
pub fn add_staff(db: &Db, raw: RawStaffAccount) -> Result<StaffAccount, AppError> {
    let new = NewAccount::try_from(raw)?;
    db.write(|conn| staff::add(conn, new))
}

/// What `recordsdesk audit verify` found.
#[derive(Debug)]
pub struct Verified {
    pub chains: VerifyReport,
    /// Documents that disagree with the chain's record of them.
    pub documents: Vec<String>,
    /// What does not hold in the mail chain (received email).
    pub mail: Vec<String>,
    /// What does not hold in the administration chain.
    pub admin: Vec<String>,
    /// Stored files whose bytes no longer match the hash the chain names.
    pub files: Vec<String>,
    /// Files the documents name.
    pub named_files: usize,
    /// Stored files no document names (an upload whose database write then failed).
    pub unnamed_files: usize,
}

impl Verified {
    pub fn holds(&self) -> bool {
        self.chains.holds()
            && self.documents.is_empty()
            && self.mail.is_empty()
            && self.admin.is_empty()
            && self.files.is_empty()
    }
}

/// Recomputes every chain on one snapshot, holds each to the anchor at `anchor_path` and
/// each request to the state its chain makes, checks the documents and the requesters' files
/// against their events, and re-hashes every stored file they name.
pub fn verify(db: &Db, files: &BlobStore, anchor_path: &Path) -> Result<Verified, DbError> {
    // Read before the snapshot begins: everything it names was committed before it.
    let anchor = audit::Anchor::read(anchor_path).unwrap_or_else(|e| {
        Some(audit::Anchor {
            problems: vec![format!("cannot read {}: {e}", anchor_path.display())],
            ..audit::Anchor::default()
        })
    });
    let readers = audit::more_readers();
    let (chains, documents, mail, admin, hashes) = db.shared_snapshot(readers, |conn, more| {
        let report = audit::verify_anchored(conn, more, anchor.as_ref())?;
        let mut documents = audit::verify_documents(conn)?;
        documents.extend(audit::verify_requester_files(conn)?);
        let mail = audit::mail_chain::verify(conn, anchor.as_ref())?;
        let admin = audit::admin_chain::verify(conn, anchor.as_ref())?;
        // A requester may send a file staff also attach: its bytes are checked once.
        let hashes = db::named_files(conn)?;
        Ok::<_, DbError>((report, documents, mail, admin, hashes))
    })?;
    let altered = hashes
        .iter()
        .filter_map(|hash| files.check(hash).err())
        .collect();
    let unnamed = files
        .stored()
        .map(|stored| {
            stored
                .iter()
                .filter(|h| hashes.binary_search(h).is_err())
                .count()
        })
        .unwrap_or(0);
    Ok(Verified {
        chains,
        documents,
        mail,
        admin,
        files: altered,
        named_files: hashes.len(),
        unnamed_files: unnamed,
    })
}

/// A backup written and read back.
#[derive(Debug)]
pub struct BackedUp {
    pub copy: Copy,
    /// The audit check of the copy, its files re-hashed.
    pub check: Verified,
}

/// Copies a running SQLite database and every file it names into the new folder
/// `folder`, then checks the copy as `audit verify` would, re-hashing the copied files: a
/// backup nobody has checked is a hope. The copy starts no anchor of its own: against the live
/// anchor it would be named for everything filed since (docs/RELIABILITY.md, "The audit
/// anchor").
pub fn backup(db: &Db, files: &BlobStore, folder: &Path) -> Result<BackedUp, BackupError> {
    let copy = db::backup::backup_to(db, files, folder).map_err(BackupError::Copy)?;
    let check = DatabaseUrl::Sqlite(db::backup::database_in(folder));
    let copied_files = BlobStore::at(&folder.join("files"), files.max_bytes());
    let report = Db::connect(&check, 1)
        .and_then(|copy_db| verify(&copy_db, &copied_files, &folder.join("no-anchor")))
        .map_err(|e| BackupError::Unreadable(folder.display().to_string(), e))?;
    Ok(BackedUp {
        copy,
        check: report,
    })
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(transparent)]
    Copy(db::backup::BackupError),
    #[error("the copy at {0} cannot be read back: {1}")]
    Unreadable(String, DbError),
}

/// Why a catalog was not imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}; nothing was imported")]
    Parse(dcat::CatalogError),
    #[error("{0}; nothing was imported")]
    Db(DbError),
}

/// Imports or refreshes the catalog from a `data.json`'s bytes, in one transaction;
/// `progress` hears how many entries are done, of how many.
pub fn import_catalog(
    db: &Db,
    bytes: &[u8],
    progress: &mut dyn FnMut(usize, usize),
) -> Result<(import::ImportSummary, usize), ImportError> {
    let parsed = dcat::parse(bytes).map_err(ImportError::Parse)?;
    let total = parsed.entries.len();
    let summary = db
        .write(|conn| {
            let directory = db::directory::load(conn)?;
            let summary = import::apply(conn, &parsed, &directory, db::now(), &mut |done| {
                progress(done, total)
            })?;
            audit::admin_chain::append(
                conn,
                db::now(),
                &Actor::System,
                &audit::admin_chain::AdminEvent::CatalogImported {
                    sha256: crate::secrets::sha256_hex(bytes),
                    added: summary.added,
                    updated: summary.updated,
                    unchanged: summary.unchanged,
                    withdrawn: summary.withdrawn,
                    unplaced: summary.unplaced.len(),
                },
            )?;
            Ok::<_, DbError>(summary)
        })
        .map_err(ImportError::Db)?;
    Ok((summary, parsed.entries.len()))
}
