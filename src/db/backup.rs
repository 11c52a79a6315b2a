//! Online backup of a SQLite install into a new folder laid out as a data folder:
//! `recordsdesk.db` and `files/`, so `RECORDSDESK_DATA_DIR=<the folder>` serves the copy.
//!
//! - The folder is made by this command (owner-only), and never exists before: a backup never
//!   replaces anything, even a file that appears while it runs.
//! - The database: `VACUUM INTO` reads one consistent snapshot while the server keeps writing,
//!   into a file made owner-only and empty beforehand (the copy holds requesters' names and
//!   addresses from its first byte), synced, then linked to its final name, which fails rather
//!   than replace a file.
//! - The file store: every stored file the copy's documents name, copied owner-only and
//!   hashed as it is copied. Stored files are never changed, and a document's file is stored
//!   before its row is written, so the snapshot names only files that are there.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::{Backend, Db, DbError};
use crate::blobs::BlobStore;

/// The database's name in a data folder.
pub const DATABASE_FILE: &str = "recordsdesk.db";

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("this install uses PostgreSQL: back it up with pg_dump, and copy the data folder's files/ (see the README)")]
    Postgres,
    #[error(
        "{0} already exists; a backup is written into a new folder and never replaces anything"
    )]
    Exists(PathBuf),
    #[error("cannot write the backup at {0}: {1}")]
    Io(PathBuf, io::Error),
    #[error("the stored file {0} no longer holds the bytes its name promises; run `recordsdesk audit verify`")]
    Altered(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for BackupError {
    fn from(e: diesel::result::Error) -> Self {
        BackupError::Db(e.into())
    }
}

/// What was written.
#[derive(Debug, Clone, Copy)]
pub struct Copy {
    pub bytes: u64,
    pub requests: i64,
    pub files: usize,
    pub file_bytes: u64,
}

/// An I/O failure at `path`, for `map_err`.
fn at(path: &Path) -> impl FnOnce(io::Error) -> BackupError {
    let path = path.to_path_buf();
    move |e| BackupError::Io(path, e)
}

/// Where the backup's database is, in the folder `backup_to` wrote.
pub fn database_in(folder: &Path) -> PathBuf {
    folder.join(DATABASE_FILE)
}

/// Copies the database and every file it names (documents, requesters' files, received mail)
/// into the new folder `target`.
pub fn backup_to(db: &Db, files: &BlobStore, target: &Path) -> Result<Copy, BackupError> {
    if db.backend() == Backend::Postgres {
        return Err(BackupError::Postgres);
    }
    match owner_only_folder(target) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return Err(BackupError::Exists(target.into()))
        }
        Err(e) => return Err(BackupError::Io(target.into(), e)),
    }

    let final_name = database_in(target);
    let partial = target.join(format!("{DATABASE_FILE}.partial"));
    // Empty and owner-only before SQLite writes a byte into it (VACUUM INTO takes an empty file).
    drop(owner_only_file(&partial).map_err(at(&partial))?);
    let quoted = partial.to_string_lossy().replace('\'', "''");
    // VACUUM cannot run inside a transaction; it takes its own read snapshot.
    db.read(|conn| {
        conn.batch_execute(&format!("VACUUM INTO '{quoted}'"))
            .map_err(BackupError::from)
    })?;
    // SQLite does not sync the file VACUUM INTO writes; a backup must survive a power cut.
    let file = File::open(&partial).map_err(at(&partial))?;
    file.sync_all().map_err(at(&partial))?;
    let bytes = file.metadata().map_err(at(&partial))?.len();
    drop(file);
    // A link never replaces an existing file, unlike rename.
    fs::hard_link(&partial, &final_name).map_err(|e| match e.kind() {
        io::ErrorKind::AlreadyExists => BackupError::Exists(final_name.clone()),
        _ => BackupError::Io(final_name.clone(), e),
    })?;
    fs::remove_file(&partial).map_err(at(&partial))?;

    let mut copy = super::Conn::Sqlite(
        SqliteConnection::establish(&final_name.to_string_lossy())
            .map_err(|e| BackupError::Db(e.into()))?,
    );
    let requests = super::schema::requests::table
        .count()
        .get_result(&mut copy)?;
    let named = super::named_files(&mut copy)?;
    drop(copy);

    let mut file_bytes = 0;
    for sha256 in &named {
        let source = files
            .path_of(sha256)
            .ok_or_else(|| BackupError::Altered(sha256.clone()))?;
        let relative = source
            .strip_prefix(files.root())
            .expect("stored files are under the store's root");
        let copied = target.join("files").join(relative);
        // The stored file itself, or a copy downloaded from the bucket (removed after).
        let source = files
            .local_file(sha256)
            .map_err(|e| BackupError::Io(files.name_of(sha256).into(), e))?;
        file_bytes += copy_checked(source.path(), &copied, sha256)?;
    }
    sync_folder(target).map_err(at(target))?;
    Ok(Copy {
        bytes,
        requests,
        files: named.len(),
        file_bytes,
    })
}

/// Copies one stored file, owner-only, hashing the bytes on the way; answers its length.
fn copy_checked(source: &Path, target: &Path, sha256: &str) -> Result<u64, BackupError> {
    let folder = target.parent().expect("a stored file sits in a folder");
    for dir in [folder.parent().expect("inside files/"), folder] {
        match owner_only_folder(dir) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(BackupError::Io(dir.into(), e)),
        }
    }
    let mut from = File::open(source).map_err(at(source))?;
    let mut to = owner_only_file(target).map_err(at(target))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut length = 0;
    loop {
        let read = from.read(&mut buffer).map_err(at(source))?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
        to.write_all(&buffer[..read]).map_err(at(target))?;
        length += read as u64;
    }
    if hex::encode(hasher.finalize()) != sha256 {
        return Err(BackupError::Altered(sha256.into()));
    }
    to.sync_all().map_err(at(target))?;
    Ok(length)
}

/// A new file, readable and writable by its owner only from the moment it exists.
fn owner_only_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// A new folder only its owner may enter; fails when it exists.
fn owner_only_folder(path: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

fn sync_folder(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(path)?.sync_all()?;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            File::open(parent)?.sync_all()?;
        }
    }
    Ok(())
}
