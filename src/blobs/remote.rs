//! The S3-compatible backend, through `object_store`: a file is kept as the object
//! `<prefix>/files/<first two hex digits>/<SHA-256>`, uploaded once (a key that exists is never
//! written again) and read back as a stream.
//!
//! `object_store` is async; the store's callers are not (diesel's blocking threads, the CLI).
//! The bucket owns a small runtime on a thread of its own: every call is spawned onto it and
//! its answer waited for on a channel, which works from any thread, inside a runtime or not
//! (tokio's `block_on` there would panic). Every call is bounded by a timeout.
//!
//! A wait on a tokio channel from a thread inside a runtime (an actix worker, an async test)
//! is made `unconstrained`: otherwise tokio's cooperative budget, spent after 128 chunks in
//! one poll of the caller's task, answers "pending" and defers the wake-up until that task
//! yields, which a thread blocked waiting never does.

use std::fmt;
use std::fs::File;
use std::future::Future;
use std::io::{self, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures::{Stream, StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as Key;
use object_store::{
    ClientOptions, GetOptions, ObjectStore, ObjectStoreExt, PutPayload, RetryConfig, WriteMultipart,
};
use tokio::sync::{mpsc, oneshot};

use crate::config::S3Settings;

/// One request's bound (connecting, then the whole request and its answer).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);
/// A call that moves no file (head, delete, the start of a download).
const CALL_TIMEOUT: Duration = Duration::from_secs(60);
/// Listing every stored file.
const LIST_TIMEOUT: Duration = Duration::from_secs(600);
/// A download that sends nothing for this long is given up...
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// ...and so is one whose reader takes nothing for this long (a stalled client).
const READER_TIMEOUT: Duration = Duration::from_secs(600);
/// A file up to this size is sent in one request, a larger one in parts of this size, at
/// most two parts in flight: a file going up holds about four parts in memory (the one read,
/// the writer's buffer, two in flight), and at most `UPLOADS_AT_ONCE` files go up at once.
const PART_BYTES: usize = 8 * 1024 * 1024;
const PARTS_AT_ONCE: usize = 2;
const UPLOADS_AT_ONCE: usize = 2;

/// A stream of a stored file's bytes.
pub type ByteStream = Pin<Box<dyn Stream<Item = io::Result<Bytes>> + Send>>;

/// An S3-compatible bucket holding the files.
pub struct Bucket {
    store: Arc<AmazonS3>,
    bucket: String,
    endpoint: String,
    /// `<prefix>/files`.
    folder: Key,
    runtime: tokio::runtime::Handle,
    /// Files going up at once, so many large uploads never hold many parts in memory.
    uploads: Arc<tokio::sync::Semaphore>,
    /// Dropped with the bucket, which stops its runtime.
    _stop: oneshot::Sender<()>,
}

impl fmt::Debug for Bucket {
    // The credentials stay out, whatever the builder would show.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bucket")
            .field("bucket", &self.bucket)
            .field("endpoint", &self.endpoint)
            .field("folder", &self.folder.as_ref())
            .finish_non_exhaustive()
    }
}

/// What a stored object is.
#[derive(Debug, Clone, Copy)]
pub struct ObjectInfo {
    pub size: u64,
    pub last_modified: DateTime<Utc>,
}

impl Bucket {
    /// Connects to the bucket and checks that it answers.
    pub(super) fn connect(settings: &S3Settings) -> io::Result<Bucket> {
        let region = match settings.region.trim() {
            "" => "us-east-1",
            region => region,
        };
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(settings.bucket.trim())
            .with_region(region)
            .with_allow_http(settings.allow_http)
            .with_retry(RetryConfig {
                max_retries: 3,
                retry_timeout: Duration::from_secs(30),
                ..RetryConfig::default()
            })
            .with_client_options(
                ClientOptions::new()
                    .with_allow_http(settings.allow_http)
                    .with_connect_timeout(CONNECT_TIMEOUT)
                    .with_timeout(REQUEST_TIMEOUT),
            );
        let endpoint = settings.endpoint.trim();
        if !endpoint.is_empty() {
            builder = builder.with_endpoint(endpoint);
        }
        if !settings.access_key_id.is_empty() {
            builder = builder
                .with_access_key_id(settings.access_key_id.trim())
                .with_secret_access_key(settings.secret_access_key.expose());
        }
        let store = builder
            .build()
            .map_err(|e| io::Error::other(format!("the S3 bucket's settings: {e}")))?;
        let mut folder = Key::default();
        for part in settings.prefix.split('/').filter(|p| !p.is_empty()) {
            folder = folder.join(part);
        }
        let (runtime, stop) = start_runtime()?;
        let bucket = Bucket {
            store: Arc::new(store),
            bucket: settings.bucket.trim().to_string(),
            endpoint: endpoint.to_string(),
            folder: folder.join("files"),
            runtime,
            uploads: Arc::new(tokio::sync::Semaphore::new(UPLOADS_AT_ONCE)),
            _stop: stop,
        };
        // A bucket that is missing or refuses the credentials is said at start, not at the
        // first upload.
        let (store, folder) = (bucket.store.clone(), bucket.folder.clone());
        bucket
            .run(CALL_TIMEOUT, async move {
                store.list_with_delimiter(Some(&folder)).await?;
                Ok(())
            })
            .map_err(|e| io::Error::new(e.kind(), format!("{bucket}: {e}")))?;
        Ok(bucket)
    }

    fn key(&self, sha256: &str) -> Key {
        self.folder.clone().join(&sha256[..2]).join(sha256)
    }

    /// The object's address, as problems name it.
    pub fn name(&self, sha256: &str) -> String {
        format!("s3://{}/{}", self.bucket, self.key(sha256))
    }

    /// Uploads the finished upload at `upload` under its hash, unless the bucket has it.
    pub(super) fn put_file(&self, sha256: &str, upload: &Path, size: u64) -> io::Result<()> {
        let (store, key, path) = (self.store.clone(), self.key(sha256), upload.to_path_buf());
        let uploads = self.uploads.clone();
        // Slow links still finish a large file: 2 minutes, and a minute per 8 MiB; a turn
        // behind other uploads may take as long again.
        let limit = Duration::from_secs(120 + 60 * size.div_ceil(PART_BYTES as u64));
        self.run(limit * 2, async move {
            let _turn = bounded(limit, async {
                uploads.acquire_owned().await.map_err(io::Error::other)
            })
            .await?;
            match store.head(&key).await {
                Ok(_) => return Ok(()),
                Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(e.into()),
            }
            if size <= PART_BYTES as u64 {
                let (_, bytes) = read_part(File::open(&path)?).await?;
                store.put(&key, PutPayload::from(bytes)).await?;
                return Ok(());
            }
            let mut writer =
                WriteMultipart::new_with_chunk_size(store.put_multipart(&key).await?, PART_BYTES);
            // Bounded here rather than from outside, so an upload that runs out of time is
            // aborted (its parts deleted) instead of left unfinished in the bucket.
            let sent = bounded(limit, async {
                send_parts(&mut writer, &path).await?;
                Ok(())
            })
            .await;
            match sent {
                Ok(()) => bounded(limit, async { Ok(writer.finish().await.map(drop)?) }).await,
                Err(e) => {
                    let _ = writer.abort().await;
                    Err(e)
                }
            }
        })
    }

    /// Every stored object under the folder that is named by a hash: (hash, last modified).
    pub(super) fn list(&self, is_hash: fn(&str) -> bool) -> io::Result<Vec<(String, ObjectInfo)>> {
        let (store, folder) = (self.store.clone(), self.folder.clone());
        let objects: Vec<object_store::ObjectMeta> = self.run(LIST_TIMEOUT, async move {
            Ok(store.list(Some(&folder)).try_collect().await?)
        })?;
        let mut found = Vec::new();
        for object in objects {
            let Some(parts) = object.location.prefix_match(&self.folder) else {
                continue;
            };
            let parts: Vec<String> = parts.map(|p| p.as_ref().to_string()).collect();
            if let [dir, name] = parts.as_slice() {
                if is_hash(name) && name.starts_with(dir.as_str()) && dir.len() == 2 {
                    found.push((
                        name.clone(),
                        ObjectInfo {
                            size: object.size,
                            last_modified: object.last_modified,
                        },
                    ));
                }
            }
        }
        Ok(found)
    }

    pub(super) fn delete(&self, sha256: &str) -> io::Result<()> {
        let (store, key) = (self.store.clone(), self.key(sha256));
        self.run(CALL_TIMEOUT, async move { Ok(store.delete(&key).await?) })
    }

    /// The object's size and age; `NotFound` when the bucket does not have it.
    pub async fn head(&self, sha256: &str) -> io::Result<ObjectInfo> {
        let (store, key) = (self.store.clone(), self.key(sha256));
        let call = self.runtime.spawn(bounded(CALL_TIMEOUT, async move {
            let meta = store.head(&key).await?;
            Ok(ObjectInfo {
                size: meta.size,
                last_modified: meta.last_modified,
            })
        }));
        call.await.unwrap_or_else(|e| Err(io::Error::other(e)))
    }

    /// The object's bytes (those in `range`, or all), as they arrive.
    pub fn stream(&self, sha256: &str, range: Option<Range<u64>>) -> ByteStream {
        let chunks = self.pump(sha256, range);
        Box::pin(futures::stream::unfold(chunks, |mut chunks| async move {
            chunks.recv().await.map(|chunk| (chunk, chunks))
        }))
    }

    /// The object's bytes, for a caller that waits: an iterator of chunks.
    pub(super) fn read(&self, sha256: &str) -> Chunks {
        Chunks(self.pump(sha256, None))
    }

    /// Downloads on the bucket's runtime, handing the chunks over a short channel (so a slow
    /// reader slows the download rather than filling memory); the first error ends it.
    fn pump(&self, sha256: &str, range: Option<Range<u64>>) -> mpsc::Receiver<io::Result<Bytes>> {
        let (store, key) = (self.store.clone(), self.key(sha256));
        let (chunks, received) = mpsc::channel(4);
        self.runtime.spawn(async move {
            let options = GetOptions {
                range: range.map(Into::into),
                ..GetOptions::default()
            };
            let mut stream =
                match tokio::time::timeout(CALL_TIMEOUT, store.get_opts(&key, options)).await {
                    Ok(Ok(found)) => found.into_stream(),
                    Ok(Err(e)) => {
                        let _ = chunks.send(Err(e.into())).await;
                        return;
                    }
                    Err(_) => {
                        let _ = chunks.send(Err(timed_out(CALL_TIMEOUT))).await;
                        return;
                    }
                };
            loop {
                let chunk = match tokio::time::timeout(IDLE_TIMEOUT, stream.next()).await {
                    Ok(None) => return,
                    Ok(Some(chunk)) => chunk.map_err(io::Error::from),
                    Err(_) => Err(timed_out(IDLE_TIMEOUT)),
                };
                let failed = chunk.is_err();
                // The reader gone (a download cancelled) or stalled: stop.
                let taken = tokio::time::timeout(READER_TIMEOUT, chunks.send(chunk)).await;
                if !matches!(taken, Ok(Ok(()))) || failed {
                    return;
                }
            }
        });
        received
    }

    /// Runs `call` on the bucket's runtime and waits for its answer, from any thread.
    fn run<T, F>(&self, limit: Duration, call: F) -> io::Result<T>
    where
        T: Send + 'static,
        F: Future<Output = io::Result<T>> + Send + 'static,
    {
        // A std channel: its wait knows nothing of tokio (not `blocking_recv`, which panics
        // on a runtime's thread, nor a budgeted `recv`).
        let (answer, answered) = std::sync::mpsc::sync_channel(1);
        self.runtime.spawn(async move {
            let _ = answer.send(bounded(limit, call).await);
        });
        answered
            .recv()
            .unwrap_or_else(|_| Err(io::Error::other("the file bucket's runtime has stopped")))
    }
}

impl fmt::Display for Bucket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s3://{}/{}", self.bucket, self.folder)
    }
}

/// A download's chunks, waited for one at a time.
pub(super) struct Chunks(mpsc::Receiver<io::Result<Bytes>>);

impl Iterator for Chunks {
    type Item = io::Result<Bytes>;

    fn next(&mut self) -> Option<io::Result<Bytes>> {
        futures::executor::block_on(tokio::task::unconstrained(self.0.recv()))
    }
}

/// A current-thread runtime driven by a thread of its own until the sender is dropped.
fn start_runtime() -> io::Result<(tokio::runtime::Handle, oneshot::Sender<()>)> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let handle = runtime.handle().clone();
    let (stop, stopped) = oneshot::channel::<()>();
    std::thread::Builder::new()
        .name("file-bucket".into())
        .spawn(move || {
            runtime.block_on(async move {
                let _ = stopped.await;
            })
        })?;
    Ok((handle, stop))
}

/// Sends the file at `path` in parts, at most `PARTS_AT_ONCE` at a time.
async fn send_parts(writer: &mut WriteMultipart, path: &PathBuf) -> io::Result<()> {
    let mut file = File::open(path)?;
    loop {
        let (rest, part) = read_part(file).await?;
        if part.is_empty() {
            return Ok(());
        }
        writer.wait_for_capacity(PARTS_AT_ONCE).await?;
        writer.write(&part);
        file = rest;
    }
}

/// Reads up to `PART_BYTES` from `file` on a blocking thread.
async fn read_part(mut file: File) -> io::Result<(File, Vec<u8>)> {
    tokio::task::spawn_blocking(move || {
        let mut part = Vec::with_capacity(PART_BYTES);
        (&mut file).take(PART_BYTES as u64).read_to_end(&mut part)?;
        Ok((file, part))
    })
    .await
    .map_err(io::Error::other)?
}

/// `call`, or a timeout error once `limit` has passed.
async fn bounded<T>(limit: Duration, call: impl Future<Output = io::Result<T>>) -> io::Result<T> {
    tokio::time::timeout(limit, call)
        .await
        .unwrap_or_else(|_| Err(timed_out(limit)))
}

fn timed_out(limit: Duration) -> io::Error {
    io::Error::new(
        io::ErrorKind::TimedOut,
        format!(
            "the file bucket did not answer within {} s",
            limit.as_secs()
        ),
    )
}
