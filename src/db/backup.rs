//! Online backup of a SQLite install: `VACUUM INTO` reads one consistent snapshot while the
//! server keeps writing, into a file beside the target that is synced and then renamed, so
//! PATH is either a whole copy or absent.

use std::fs::File;
use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use super::{Backend, Db, DbError};

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("this install uses PostgreSQL: back it up with pg_dump (see the README)")]
    Postgres,
    #[error("{0} already exists; a backup never overwrites a file")]
    Exists(PathBuf),
    #[error("cannot write the backup at {0}: {1}")]
    Io(PathBuf, std::io::Error),
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
}

pub fn copy_to(db: &Db, target: &Path) -> Result<Copy, BackupError> {
    if db.backend() == Backend::Postgres {
        return Err(BackupError::Postgres);
    }
    if target.exists() {
        return Err(BackupError::Exists(target.into()));
    }
    let io = |e| BackupError::Io(target.into(), e);
    let mut partial = target.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    // Left by an interrupted run of this command; VACUUM INTO refuses a non-empty file.
    match std::fs::remove_file(&partial) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(e)),
    }

    let quoted = partial.to_string_lossy().replace('\'', "''");
    // VACUUM cannot run inside a transaction; it takes its own read snapshot.
    db.read(|conn| {
        conn.batch_execute(&format!("VACUUM INTO '{quoted}'"))
            .map_err(BackupError::from)
    })?;

    // SQLite does not sync the file VACUUM INTO writes; a backup must survive a power cut.
    let file = File::open(&partial).map_err(io)?;
    restrict_to_owner(&file).map_err(io)?;
    file.sync_all().map_err(io)?;
    let bytes = file.metadata().map_err(io)?.len();
    drop(file);
    std::fs::rename(&partial, target).map_err(io)?;
    if let Some(folder) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        File::open(folder).and_then(|f| f.sync_all()).map_err(io)?;
    }

    let mut copy = SqliteConnection::establish(&target.to_string_lossy())
        .map_err(|e| BackupError::Db(e.into()))?;
    let requests = super::schema::requests::table
        .count()
        .get_result(&mut copy)?;
    Ok(Copy { bytes, requests })
}

/// The copy holds requesters' names and addresses: readable by its owner only.
#[cfg(unix)]
fn restrict_to_owner(file: &File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn restrict_to_owner(_file: &File) -> std::io::Result<()> {
    Ok(())
}
