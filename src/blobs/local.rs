//! The local folder backend: a file is kept at `<root>/<first two hex digits>/<SHA-256>`,
//! hard-linked into place from `<root>/tmp` (a link never replaces a file) and synced.

use std::fs::{self, File};
use std::io;
use std::path::Path;

use sha2::{Digest, Sha256};

/// Removes the half-written uploads in `tmp` a stopped server left behind, once they are a
/// day old: younger ones may belong to another instance sharing the folder.
pub(super) fn clean_tmp(tmp: &Path) -> io::Result<()> {
    let day = std::time::Duration::from_secs(24 * 60 * 60);
    for entry in fs::read_dir(tmp)? {
        let entry = entry?;
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > day);
        if stale {
            let _ = fs::remove_file(entry.path());
        }
    }
    Ok(())
}

/// Links the finished upload at `upload` into place at `target`, unless those bytes are
/// already there.
pub(super) fn link(root: &Path, upload: &Path, target: &Path) -> io::Result<()> {
    let folder = target.parent().expect("stored files sit in a folder");
    if !folder.exists() {
        fs::create_dir_all(folder)?;
        // The new folder's own name must survive a power loss too.
        sync_dir(root)?;
    }
    // A hard link never replaces an existing file, unlike rename.
    match fs::hard_link(upload, target) {
        Ok(()) => sync_dir(folder),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// The names of the stored files under `root` (not uploads in progress) that `is_hash`
/// accepts, unordered.
pub(super) fn stored(root: &Path, is_hash: impl Fn(&str) -> bool) -> io::Result<Vec<String>> {
    let mut found = Vec::new();
    for folder in fs::read_dir(root)? {
        let folder = folder?;
        if folder.file_name() == "tmp" || !folder.file_type()?.is_dir() {
            continue;
        }
        for file in fs::read_dir(folder.path())? {
            let name = file?.file_name().to_string_lossy().to_string();
            if is_hash(&name) {
                found.push(name);
            }
        }
    }
    Ok(found)
}

/// Removes the file at `path` if it is at least `min_age` old; answers whether it did.
pub(super) fn remove_if_old(path: &Path, min_age: std::time::Duration) -> bool {
    let old_enough = fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age >= min_age);
    old_enough && fs::remove_file(path).is_ok()
}

/// Reads the file at `path` back in chunks and hashes it again.
pub(super) fn check(path: &Path, sha256: &str) -> Result<(), String> {
    let mut file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut hasher = Sha256::new();
    io::copy(&mut file, &mut hasher).map_err(|e| format!("{}: {e}", path.display()))?;
    let found = hex::encode(hasher.finalize());
    if found == sha256 {
        Ok(())
    } else {
        Err(format!(
            "{} holds other bytes now (their SHA-256 is {found})",
            path.display()
        ))
    }
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}
