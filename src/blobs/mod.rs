//! The content-addressed file store: a file is kept under its SHA-256, written once and never
//! overwritten, so an audit event that names a hash names exactly the bytes a requester
//! downloads. Two backends keep the files (docs/ARCHITECTURE.md, "Files"):
//!
//! - the local folder `<data_dir>/files`, at `files/<first two hex digits>/<SHA-256>`
//!   (`local.rs`), the default;
//! - an S3-compatible bucket, at `<prefix>/files/<first two hex digits>/<SHA-256>`
//!   (`remote.rs`, through `object_store`).
//!
//! Either way an upload streams into `files/tmp/` while it is hashed and counted; only a
//! complete file within the size limit is linked (or uploaded) into place. While a file is
//! received only one chunk is held in memory; going up to a bucket, a few 8 MiB parts are
//! (`remote.rs`), and no more than two files go up at once.

mod local;
mod remote;

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};

pub use self::remote::{Bucket, ByteStream, ObjectInfo};
use crate::config::S3Settings;
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
    /// The local folder: the files themselves, or (with a bucket) only the uploads in
    /// progress and the downloads being read.
    root: PathBuf,
    max_bytes: u64,
    bucket: Option<Arc<Bucket>>,
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
        local::clean_tmp(&tmp)?;
        Ok(BlobStore::at(root, max_bytes))
    }

    /// Opens the store whose files are kept in an S3-compatible bucket, checking that the
    /// bucket answers. `root` is the local folder uploads stream through (`root/tmp`, cleaned
    /// up as `open` does).
    pub fn open_bucket(
        root: &Path,
        max_bytes: u64,
        settings: &S3Settings,
    ) -> io::Result<BlobStore> {
        let tmp = root.join("tmp");
        fs::create_dir_all(&tmp)?;
        local::clean_tmp(&tmp)?;
        let bucket = Bucket::connect(settings)?;
        Ok(BlobStore {
            root: root.to_path_buf(),
            max_bytes,
            bucket: Some(Arc::new(bucket)),
        })
    }

    /// The store as it is, for reading beside a running server (nothing is cleaned up).
    pub fn at(root: &Path, max_bytes: u64) -> BlobStore {
        BlobStore {
            root: root.to_path_buf(),
            max_bytes,
            bucket: None,
        }
    }

    /// The local folder of the store (see `root` above).
    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// The bucket the files are kept in, if they are not kept in the local folder.
    pub fn bucket(&self) -> Option<&Bucket> {
        self.bucket.as_deref()
    }

    /// Starts a new upload.
    pub fn begin(&self) -> Result<BlobWriter, BlobError> {
        let path = self.root.join("tmp").join(crate::secrets::random_hex(16));
        let file = owner_only(&path)?;
        Ok(BlobWriter {
            file: Some(file),
            path,
            hasher: Sha256::new(),
            size: 0,
            head: Vec::new(),
            limit: self.max_bytes,
        })
    }

    /// Where the file with this hash is kept in the local folder, if the hash is one (64
    /// lowercase hex digits). With a bucket, the file is not there: read it with
    /// `local_file`.
    pub fn path_of(&self, sha256: &str) -> Option<PathBuf> {
        is_sha256(sha256).then(|| self.root.join(&sha256[..2]).join(sha256))
    }

    /// The stored file as problems name it: its path, or its object's address.
    pub fn name_of(&self, sha256: &str) -> String {
        match (&self.bucket, self.path_of(sha256)) {
            (_, None) => format!("{sha256:?}"),
            (Some(bucket), Some(_)) => bucket.name(sha256),
            (None, Some(path)) => path.display().to_string(),
        }
    }

    /// Moves a finished upload into place. When the same bytes are already stored, the copy
    /// is dropped and the stored file is left as it is.
    pub fn commit(&self, mut writer: BlobWriter) -> Result<Blob, BlobError> {
        let file = writer.file.take().expect("an upload is committed once");
        file.sync_all()?;
        drop(file);
        let sha256 = hex::encode(writer.hasher.finalize_reset());
        let target = self.path_of(&sha256).expect("a SHA-256 is 64 hex digits");
        match &self.bucket {
            None => local::link(&self.root, &writer.path, &target)?,
            Some(bucket) => bucket.put_file(&sha256, &writer.path, writer.size)?,
        }
        Ok(Blob {
            sha256,
            size: writer.size,
        })
    }

    /// The stored file as a file on this machine, to read: the stored file itself, or (with
    /// a bucket) a copy downloaded into `tmp/`, removed when the answer is dropped.
    pub fn local_file(&self, sha256: &str) -> io::Result<LocalFile> {
        let path = self.path_of(sha256).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{sha256:?} is not a SHA-256"),
            )
        })?;
        let Some(bucket) = &self.bucket else {
            return Ok(LocalFile {
                path,
                temporary: false,
            });
        };
        let copy = LocalFile {
            path: self
                .root
                .join("tmp")
                .join(format!("{}.download", crate::secrets::random_hex(16))),
            temporary: true,
        };
        let mut file = owner_only(&copy.path)?;
        for chunk in bucket.read(sha256) {
            file.write_all(
                &chunk.map_err(|e| {
                    io::Error::new(e.kind(), format!("{}: {e}", bucket.name(sha256)))
                })?,
            )?;
        }
        file.sync_all()?;
        Ok(copy)
    }
}

impl BlobStore {
    /// The hashes of every stored file (not uploads in progress), in order.
    pub fn stored(&self) -> io::Result<Vec<String>> {
        let mut found = match &self.bucket {
            None => local::stored(&self.root, |name| self.path_of(name).is_some())?,
            Some(bucket) => bucket
                .list(is_sha256)?
                .into_iter()
                .map(|(sha256, _)| sha256)
                .collect(),
        };
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
        if let Some(bucket) = &self.bucket {
            let now = chrono::Utc::now();
            for (sha256, object) in bucket.list(is_sha256)? {
                let old_enough = (now - object.last_modified)
                    .to_std()
                    .is_ok_and(|age| age >= min_age);
                if named.contains(&sha256) || !old_enough {
                    continue;
                }
                match bucket.delete(&sha256) {
                    Ok(()) => {
                        log::warn!("removed the file {sha256}: no document names it");
                        removed += 1;
                    }
                    Err(e) => log::error!("the file {sha256} could not be removed: {e}"),
                }
            }
            return Ok(removed);
        }
        for sha256 in self.stored()? {
            if named.contains(&sha256) {
                continue;
            }
            let path = self.path_of(&sha256).expect("stored names are hashes");
            if local::remove_if_old(&path, min_age) {
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
        let Some(bucket) = &self.bucket else {
            return local::check(&path, sha256);
        };
        let name = bucket.name(sha256);
        let mut hasher = Sha256::new();
        for chunk in bucket.read(sha256) {
            hasher.update(chunk.map_err(|e| format!("{name}: {e}"))?);
        }
        let found = hex::encode(hasher.finalize());
        if found == sha256 {
            Ok(())
        } else {
            Err(format!(
                "{name} holds other bytes now (their SHA-256 is {found})"
            ))
        }
    }
}

/// Whether `name` is a SHA-256 as the store writes them: 64 lowercase hex digits.
fn is_sha256(name: &str) -> bool {
    name.len() == 64
        && name
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A new file only its owner may read.
fn owner_only(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// A stored file readable on this machine (`BlobStore::local_file`).
#[derive(Debug)]
pub struct LocalFile {
    path: PathBuf,
    temporary: bool,
}

impl LocalFile {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for LocalFile {
    fn drop(&mut self) {
        if self.temporary {
            let _ = fs::remove_file(&self.path);
        }
    }
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
