//! The content-addressed file store under `<data_dir>/files`: a file is kept at
//! `files/<first two hex digits>/<SHA-256>`, written once and never overwritten, so an audit
//! event that names a hash names exactly the bytes a requester downloads.
//!
//! An upload streams into `files/tmp/` while it is hashed and counted; only a complete file
//! within the size limit is linked into place. Nothing is held in memory but one chunk.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::domain::documents::SNIFF_BYTES;

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("the file is larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("file store: {0}")]
    Io(#[from] io::Error),
}

/// Where files live, and how large one may be.
#[derive(Debug, Clone)]
pub struct BlobStore {
    root: PathBuf,
    max_bytes: u64,
}

/// A stored file: its hash (lowercase hex) and length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    pub sha256: String,
    pub size: u64,
}

impl BlobStore {
    /// Opens (creating) the store. Half-written uploads a stopped server left behind are
    /// removed once they are a day old: younger ones may belong to another instance sharing
    /// the folder.
    pub fn open(root: &Path, max_bytes: u64) -> io::Result<BlobStore> {
        let tmp = root.join("tmp");
        fs::create_dir_all(&tmp)?;
        let day = std::time::Duration::from_secs(24 * 60 * 60);
        for entry in fs::read_dir(&tmp)? {
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
        Ok(BlobStore::at(root, max_bytes))
    }

    /// The store as it is, for reading beside a running server (nothing is cleaned up).
    pub fn at(root: &Path, max_bytes: u64) -> BlobStore {
        BlobStore {
            root: root.to_path_buf(),
            max_bytes,
        }
    }

    /// The folder the store keeps its files in.
    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// Starts a new upload.
    pub fn begin(&self) -> Result<BlobWriter, BlobError> {
        let path = self.root.join("tmp").join(crate::secrets::random_hex(16));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&path)?;
        Ok(BlobWriter {
            file: Some(file),
            path,
            hasher: Sha256::new(),
            size: 0,
            head: Vec::new(),
            limit: self.max_bytes,
        })
    }

    /// Where the file with this hash is kept, if the hash is one (64 lowercase hex digits).
    pub fn path_of(&self, sha256: &str) -> Option<PathBuf> {
        let valid = sha256.len() == 64
            && sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        valid.then(|| self.root.join(&sha256[..2]).join(sha256))
    }

    /// Moves a finished upload into place. When the same bytes are already stored, the copy
    /// is dropped and the stored file is left as it is.
    pub fn commit(&self, mut writer: BlobWriter) -> Result<Blob, BlobError> {
        let file = writer.file.take().expect("an upload is committed once");
        file.sync_all()?;
        drop(file);
        let sha256 = hex::encode(writer.hasher.finalize_reset());
        let target = self.path_of(&sha256).expect("a SHA-256 is 64 hex digits");
        let folder = target.parent().expect("stored files sit in a folder");
        if !folder.exists() {
            fs::create_dir_all(folder)?;
            // The new folder's own name must survive a power loss too.
            sync_dir(&self.root)?;
        }
        // A hard link never replaces an existing file, unlike rename.
        match fs::hard_link(&writer.path, &target) {
            Ok(()) => sync_dir(folder)?,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e.into()),
        }
        Ok(Blob {
            sha256,
            size: writer.size,
        })
    }
}

impl BlobStore {
    /// The hashes of every stored file (not uploads in progress), in order.
    pub fn stored(&self) -> io::Result<Vec<String>> {
        let mut found = Vec::new();
        for folder in fs::read_dir(&self.root)? {
            let folder = folder?;
            if folder.file_name() == "tmp" || !folder.file_type()?.is_dir() {
                continue;
            }
            for file in fs::read_dir(folder.path())? {
                let name = file?.file_name().to_string_lossy().to_string();
                if self.path_of(&name).is_some() {
                    found.push(name);
                }
            }
        }
        found.sort();
        Ok(found)
    }

    /// Removes stored files no document names (`named`), once they are older than `min_age`:
    /// an upload whose database write failed leaves its file behind, and a younger one may be
    /// an upload whose document is being written right now. Answers how many were removed.
    pub fn sweep_unnamed(
        &self,
        named: &std::collections::HashSet<String>,
        min_age: std::time::Duration,
    ) -> io::Result<usize> {
        let mut removed = 0;
        for sha256 in self.stored()? {
            if named.contains(&sha256) {
                continue;
            }
            let path = self.path_of(&sha256).expect("stored names are hashes");
            let old_enough = fs::metadata(&path)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age >= min_age);
            if old_enough && fs::remove_file(&path).is_ok() {
                log::warn!("removed the file {sha256}: no document names it");
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Whether the stored file still holds the bytes its name promises: read back in chunks
    /// and hashed again. `Err` says what is wrong.
    pub fn check(&self, sha256: &str) -> Result<(), String> {
        let path = self
            .path_of(sha256)
            .ok_or_else(|| format!("{sha256:?} is not a SHA-256"))?;
        let mut file = File::open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
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
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// An upload in progress. Dropped unfinished (refused, too large, connection lost), its
/// temporary file is removed.
#[derive(Debug)]
pub struct BlobWriter {
    file: Option<File>,
    path: PathBuf,
    hasher: Sha256,
    size: u64,
    head: Vec<u8>,
    limit: u64,
}

impl BlobWriter {
    pub fn write(&mut self, chunk: &[u8]) -> Result<(), BlobError> {
        self.size += chunk.len() as u64;
        if self.size > self.limit {
            return Err(BlobError::TooLarge { limit: self.limit });
        }
        if self.head.len() < SNIFF_BYTES {
            let take = (SNIFF_BYTES - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        self.hasher.update(chunk);
        self.file
            .as_mut()
            .expect("an upload is written before it is committed")
            .write_all(chunk)?;
        Ok(())
    }

    /// The first bytes, to tell what kind of file this is.
    pub fn head(&self) -> &[u8] {
        &self.head
    }

    pub fn size(&self) -> u64 {
        self.size
    }
}

impl Drop for BlobWriter {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_stored_under_its_hash_once_and_its_upload_copy_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path(), 1024).unwrap();
        let put = |bytes: &[u8]| {
            let mut writer = store.begin().unwrap();
            for chunk in bytes.chunks(7) {
                writer.write(chunk).unwrap();
            }
            store.commit(writer).unwrap()
        };
        let blob = put(b"%PDF-1.7 hello");
        assert_eq!(blob.sha256, crate::secrets::sha256_hex(b"%PDF-1.7 hello"));
        assert_eq!(blob.size, 14);
        let path = store.path_of(&blob.sha256).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"%PDF-1.7 hello");
        assert_eq!(
            put(b"%PDF-1.7 hello"),
            blob,
            "the same bytes twice: one file"
        );
        assert_eq!(fs::read_dir(dir.path().join("tmp")).unwrap().count(), 0);
    }

    #[test]
    fn too_large_an_upload_is_refused_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path(), 10).unwrap();
        let mut writer = store.begin().unwrap();
        writer.write(b"0123456789").unwrap();
        assert!(matches!(
            writer.write(b"x"),
            Err(BlobError::TooLarge { limit: 10 })
        ));
        drop(writer);
        assert_eq!(fs::read_dir(dir.path().join("tmp")).unwrap().count(), 0);
    }

    #[test]
    fn a_changed_or_missing_file_fails_its_check() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path(), 100).unwrap();
        let mut writer = store.begin().unwrap();
        writer.write(b"%PDF-1.7 original").unwrap();
        let blob = store.commit(writer).unwrap();
        assert_eq!(store.check(&blob.sha256), Ok(()));
        let path = store.path_of(&blob.sha256).unwrap();
        fs::write(&path, b"%PDF-1.7 altered!").unwrap();
        assert!(store
            .check(&blob.sha256)
            .unwrap_err()
            .contains("other bytes"));
        fs::remove_file(&path).unwrap();
        assert!(store.check(&blob.sha256).is_err());
    }

    #[test]
    fn a_file_no_document_names_is_swept_once_old_enough_a_named_one_never() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path(), 100).unwrap();
        let put = |bytes: &[u8]| {
            let mut w = store.begin().unwrap();
            w.write(bytes).unwrap();
            store.commit(w).unwrap().sha256
        };
        let named = put(b"named file");
        let orphan = put(b"orphan file");
        let keep: std::collections::HashSet<String> = [named.clone()].into();
        // Too young: it may be an upload whose document is being written.
        let hour = std::time::Duration::from_secs(3600);
        assert_eq!(store.sweep_unnamed(&keep, hour).unwrap(), 0);
        assert_eq!(store.stored().unwrap().len(), 2);
        assert_eq!(
            store
                .sweep_unnamed(&keep, std::time::Duration::ZERO)
                .unwrap(),
            1
        );
        assert_eq!(store.stored().unwrap(), vec![named]);
        assert!(store.path_of(&orphan).is_some_and(|p| !p.exists()));
    }

    #[test]
    fn only_hashes_name_stored_files() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path(), 10).unwrap();
        assert!(store.path_of("../../etc/passwd").is_none());
        assert!(store.path_of(&"A".repeat(64)).is_none());
        assert!(store.path_of(&"a".repeat(64)).is_some());
    }
}
