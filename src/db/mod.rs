//! Storage: one connection type over SQLite and PostgreSQL, a pool, embedded migrations,
//! and the transaction helpers every write goes through. Query functions live in the
//! resource modules and take `&mut Conn`, so callers choose the transaction.

pub mod admin;
pub mod api_keys;
pub mod backup;
pub mod combined;
pub mod datasets;
pub mod directory;
pub mod document_texts;
pub mod documents;
pub mod fees;
pub mod group_commit;
pub mod limits;
pub mod links;
pub mod mail;
pub mod models;
pub mod publication_words;
pub mod publications;
pub mod reports;
pub mod requester_files;
pub mod requests;
pub mod schema;
pub mod search;
pub mod staff;
pub mod stored_time;
pub mod types;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

use chrono::{NaiveDateTime, SubsecRound, Utc};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::{PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A connection to whichever backend the install uses.
#[derive(diesel::MultiConnection)]
pub enum Conn {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

/// Runs `$body` with `$c` bound to the backend's own connection; the body is compiled once
/// for each backend. Run through `Conn` itself, a statement is wrapped by diesel's
/// MultiConnection in a query with no static id, so its SQL is written out again (more than
/// once) on every run, to find it in the statement cache: a third of the SQLite writer's time
/// when filing (docs/PERFORMANCE.md). The paths that run for every filing, step and read use
/// this; the rest go through `Conn`.
macro_rules! per_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::Conn::Sqlite($c) => $body,
            $crate::db::Conn::Postgres($c) => $body,
        }
    };
}
pub(crate) use per_backend;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://…")]
    BadUrl(String),
    #[error("cannot open the database: {0}")]
    Connect(#[from] ConnectionError),
    #[error("no database connection available: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("database migration failed: {0}")]
    Migration(String),
    #[error("cannot create the database folder {0}: {1}")]
    Folder(PathBuf, std::io::Error),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error("a database step panicked; it was rolled back")]
    Panicked,
    #[error("the database writer has stopped")]
    WriterGone,
    #[error("the batch this step was committed with failed: {0}")]
    BatchFailed(String),
}

impl DbError {
    /// The same failure for each step of a batch (errors are not `Clone`).
    pub fn again(&self) -> DbError {
        DbError::BatchFailed(self.to_string())
    }
}

/// A database location, with the backend chosen from the URL scheme (never by trial).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<DatabaseUrl, DbError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(url.to_string()));
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .ok_or_else(|| DbError::BadUrl(url.to_string()))?;
        if path.is_empty() {
            return Err(DbError::BadUrl(url.to_string()));
        }
        Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
    }

    pub fn backend(&self) -> Backend {
        match self {
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        }
    }
}

/// `url` (a PostgreSQL URL) naming the database `name` instead of its own, its connection
/// options (`?sslmode=…`) kept: for tools that make a database next to an admin one (tests,
/// load runs). None when the URL names no database.
pub fn postgres_url_for(url: &str, name: &str) -> Option<String> {
    let (address, options) = match url.split_once('?') {
        Some((address, options)) => (address, format!("?{options}")),
        None => (url, String::new()),
    };
    let (base, _) = address.rsplit_once('/')?;
    Some(format!("{base}/{name}{options}"))
}

/// Opens connections of the right backend and sets SQLite up for durability.
#[derive(Debug)]
pub struct Manager {
    url: DatabaseUrl,
}

impl r2d2::ManageConnection for Manager {
    type Connection = Conn;
    type Error = DbError;

    fn connect(&self) -> Result<Conn, DbError> {
        match &self.url {
            DatabaseUrl::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())?;
                // WAL for concurrent readers; FULL so an acknowledged write survives power loss.
                // Savepoint journals (one per grouped step) in memory: on disk they were a
                // write() per changed page, the writer's largest cost after inserting.
                // The busy timeout first: switching to WAL waits for the lock another
                // connection's close holds while it checkpoints (another process, or a pool
                // being dropped), where without it the connection failed at once.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
                     PRAGMA temp_store = MEMORY;",
                )?;
                Ok(Conn::Sqlite(conn))
            }
            DatabaseUrl::Postgres(url) => Ok(Conn::Postgres(PgConnection::establish(url)?)),
        }
    }

    fn is_valid(&self, conn: &mut Conn) -> Result<(), DbError> {
        Ok(conn.batch_execute("SELECT 1")?)
    }

    fn has_broken(&self, _conn: &mut Conn) -> bool {
        std::thread::panicking()
    }
}

pub type Pool = r2d2::Pool<Manager>;

/// The database handle the application shares.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    /// Opens connections outside the pool (`shared_snapshot`'s readers).
    manager: Arc<Manager>,
    backend: Backend,
    /// SQLite has one writer at a time; taking turns here instead of inside SQLite means a
    /// write transaction never fails with SQLITE_BUSY halfway through.
    sqlite_writer: Arc<Mutex<()>>,
    /// Held while one more reader of `read_parts` looks for a spare connection and takes it,
    /// so that several do not all see the same spare one.
    spare_readers: Arc<Mutex<()>>,
    /// SQLite only, when on: the writer thread that commits waiting steps together.
    group: Option<Arc<OnceLock<group_commit::GroupWriter>>>,
}

impl Db {
    pub fn connect(url: &DatabaseUrl, pool_size: u32) -> Result<Db, DbError> {
        if let DatabaseUrl::Sqlite(path) = url {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| DbError::Folder(parent.into(), e))?;
            }
        }
        let manager = Arc::new(Manager { url: url.clone() });
        // One direct attempt first, so an unreachable server is reported as itself rather
        // than as a pool time-out.
        drop(r2d2::ManageConnection::connect(&*manager)?);
        let pool = r2d2::Pool::builder()
            .max_size(pool_size.max(1))
            // No connections opened in the background: a pool thread still connecting to
            // PostgreSQL when a one-shot command (`audit verify`) exited made it die with
            // SIGSEGV about one run in five. Connections open when asked for, then stay pooled.
            .min_idle(Some(0))
            .connection_timeout(Duration::from_secs(10))
            .build(Manager { url: url.clone() })?;
        Ok(Db {
            pool,
            manager,
            backend: url.backend(),
            sqlite_writer: Arc::new(Mutex::new(())),
            spare_readers: Arc::new(Mutex::new(())),
            group: None,
        })
    }

    /// Commits concurrent `write_grouped` steps together on SQLite (see `group_commit`).
    /// PostgreSQL groups commits itself across connections; there this changes nothing.
    pub fn with_group_commit(mut self, on: bool) -> Db {
        self.group = (on && self.backend == Backend::Sqlite).then(|| Arc::new(OnceLock::new()));
        self
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn migrate(&self) -> Result<(), DbError> {
        let mut conn = self.pool.get()?;
        let result = match &mut *conn {
            Conn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
            Conn::Postgres(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
        };
        result.map_err(|e| DbError::Migration(e.to_string()))
    }

    /// Runs `f` on a pooled connection outside any explicit transaction.
    pub fn read<T, E>(&self, f: impl FnOnce(&mut Conn) -> Result<T, E>) -> Result<T, E>
    where
        E: From<DbError>,
    {
        let mut conn = self.pool.get().map_err(DbError::from)?;
        f(&mut conn)
    }

    /// Runs `f` on each of `parts` on pooled connections outside any transaction, several at
    /// once, and gives the results in the order of `parts`. The calling thread reads at once,
    /// on a connection waited for as `read` waits. Other readers, up to one per core with the
    /// calling thread counted, start on threads of their own, and read only if they get a
    /// connection that leaves the pool one to spare (`spare_connection`): a busy pool reads
    /// with fewer, slower but never wrong, and no reader but the first takes the pool's last
    /// connection (as far as the pool's count tells: other users take connections meanwhile).
    /// Once a part has failed no other part starts, and of the failures the first in `parts`'
    /// order is returned.
    pub fn read_parts<P, T, E>(
        &self,
        parts: Vec<P>,
        f: impl Fn(&mut Conn, P) -> Result<T, E> + Sync,
    ) -> Result<Vec<T>, E>
    where
        P: Send,
        T: Send,
        E: From<DbError> + Send,
    {
        let count = parts.len();
        if count == 0 {
            return Ok(Vec::new());
        }
        let more = count.min(cores()) - 1;
        let mut first = self.pool.get().map_err(DbError::from)?;
        // The parts not yet taken, and whether a part has failed: one lock, so no part is
        // taken once a failure is known.
        let queue = Mutex::new((parts.into_iter().enumerate(), false));
        let read = |conn: &mut Conn| {
            let mut done = Vec::new();
            loop {
                let next = {
                    let mut queue = queue.lock().unwrap_or_else(PoisonError::into_inner);
                    let (parts, failed) = &mut *queue;
                    if *failed {
                        None
                    } else {
                        parts.next()
                    }
                };
                let Some((n, part)) = next else { break };
                let result = f(conn, part);
                if result.is_err() {
                    queue.lock().unwrap_or_else(PoisonError::into_inner).1 = true;
                }
                done.push((n, result));
            }
            done
        };
        let done = std::thread::scope(|scope| {
            let others: Vec<_> = (0..more)
                .map(|_| {
                    scope.spawn(|| {
                        let parts_left = || {
                            let queue = queue.lock().unwrap_or_else(PoisonError::into_inner);
                            !queue.1 && queue.0.len() > 0
                        };
                        match self.spare_connection(parts_left) {
                            Some(mut conn) => read(&mut conn),
                            None => Vec::new(),
                        }
                    })
                })
                .collect();
            let mut done = read(&mut first);
            for other in others {
                done.extend(
                    other
                        .join()
                        .unwrap_or_else(|e| std::panic::resume_unwind(e)),
                );
            }
            done
        });
        let mut results: Vec<Option<Result<T, E>>> = (0..count).map(|_| None).collect();
        for (n, result) in done {
            results[n] = Some(result);
        }
        // Parts are taken in order and a part taken is finished, so a part is skipped only
        // after an earlier one failed: in `parts`' order, the first failure comes before any
        // part that did not run.
        let mut out = Vec::with_capacity(count);
        for result in results.into_iter().flatten() {
            out.push(result?);
        }
        Ok(out)
    }

    /// A pooled connection for one more reader, if taking it leaves the pool one to spare: an
    /// idle one at once, or one the pool may still open, waited for [`MORE_READERS_WAIT`] at
    /// most, in short steps, given up as soon as `wanted` says no part is left to read.
    fn spare_connection(
        &self,
        wanted: impl Fn() -> bool,
    ) -> Option<r2d2::PooledConnection<Manager>> {
        let _one_at_a_time = self
            .spare_readers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let mut waited = Duration::ZERO;
        while wanted() && waited < MORE_READERS_WAIT {
            let state = self.pool.state();
            let unopened = self.pool.max_size().saturating_sub(state.connections);
            if state.idle_connections + unopened < 2 {
                return None;
            }
            if state.idle_connections >= 2 {
                return self.pool.try_get();
            }
            if let Ok(conn) = self.pool.get_timeout(MORE_READERS_STEP) {
                return Some(conn);
            }
            waited += MORE_READERS_STEP;
        }
        None
    }

    /// Runs `f` in one transaction: all of it commits, or none of it.
    pub fn write<T, E>(&self, f: impl FnOnce(&mut Conn) -> Result<T, E>) -> Result<T, E>
    where
        E: From<DbError> + From<diesel::result::Error>,
    {
        // Take the turn before the connection, so waiting writers do not hold connections
        // that readers need.
        let _turn = match self.backend {
            Backend::Sqlite => Some(self.sqlite_writer.lock().unwrap_or_else(|p| p.into_inner())),
            Backend::Postgres => None,
        };
        let mut conn = self.pool.get().map_err(DbError::from)?;
        let conn: &mut Conn = &mut conn;
        conn.transaction(|conn| {
            if let Conn::Sqlite(c) = conn {
                // Claim SQLite's write lock before the first read, as BEGIN IMMEDIATE would:
                // a transaction that read first and wrote second could fail with
                // SQLITE_BUSY when another process (a second `serve`, the CLI) wrote between.
                c.batch_execute("UPDATE counters SET value = value WHERE 0")?;
            }
            f(conn)
        })
    }
}

impl Db {
    /// Like `write` — all of `f` commits or none of it, and it returns once committed — but
    /// on SQLite with group commit on, `f` shares its transaction (in its own savepoint) with
    /// the other steps waiting at that moment.
    pub fn write_grouped<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + From<diesel::result::Error> + Send + 'static,
        F: FnOnce(&mut Conn) -> Result<T, E> + Send + 'static,
    {
        match &self.group {
            Some(group) => group
                .get_or_init(|| {
                    group_commit::GroupWriter::start(self.pool.clone(), self.sqlite_writer.clone())
                })
                .write(f),
            None => self.write(f),
        }
    }

    /// Runs `f` on one consistent, read-only view of the database (what `audit verify` needs
    /// while the server keeps writing).
    pub fn snapshot<T, E>(&self, f: impl FnOnce(&mut Conn) -> Result<T, E>) -> Result<T, E>
    where
        E: From<DbError> + From<diesel::result::Error>,
    {
        self.shared_snapshot(0, |conn, _| f(conn))
    }

    /// `snapshot`, with `more` connections of their own (outside the pool) reading the very
    /// same view, so several threads can read one consistent state at once (`audit verify`'s
    /// readers). They are closed when `f` returns, which ends their transactions.
    ///
    /// - PostgreSQL: the first transaction exports its snapshot and the others take it
    ///   (`SET TRANSACTION SNAPSHOT`).
    /// - SQLite: a read transaction's view is fixed by its first read, and no commit can fall
    ///   between the readers' first reads while another connection holds the write lock
    ///   (`BEGIN IMMEDIATE`), taken for those few reads only.
    pub fn shared_snapshot<T, E>(
        &self,
        more: usize,
        f: impl FnOnce(&mut Conn, &mut [Conn]) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<DbError> + From<diesel::result::Error>,
    {
        let mut conn = self.pool.get().map_err(DbError::from)?;
        let conn: &mut Conn = &mut conn;
        let manager = &*self.manager;
        // Fewer readers than asked is slower, never wrong: a connection that cannot be opened,
        // or cannot join the snapshot, is left out, and `f` reads with those that did.
        let mut others = Vec::with_capacity(more);
        for _ in 0..more {
            match r2d2::ManageConnection::connect(manager) {
                Ok(other) => others.push(other),
                Err(e) => {
                    log::warn!("fewer readers: cannot open another connection ({e})");
                    break;
                }
            }
        }
        // Held until every reader has made its first read (SQLite only), waiting a second at
        // most for a write to finish. A file this process may not write (a read-only copy) is
        // read by one connection, as before.
        let mut lock = match self.backend {
            Backend::Sqlite if !others.is_empty() => {
                let locked = r2d2::ManageConnection::connect(manager).and_then(|mut lock| {
                    lock.batch_execute("PRAGMA busy_timeout = 1000; BEGIN IMMEDIATE")?;
                    Ok(lock)
                });
                match locked {
                    Ok(lock) => Some(lock),
                    Err(e) => {
                        log::warn!("reading with one connection: cannot hold the write lock ({e})");
                        others.clear();
                        None
                    }
                }
            }
            _ => None,
        };
        let result = conn.transaction(|conn| {
            match conn {
                Conn::Postgres(c) => {
                    c.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")?;
                    if !others.is_empty() {
                        let id = diesel::select(pg_export_snapshot()).get_result::<String>(c)?;
                        let join = format!(
                            "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; \
                             SET TRANSACTION SNAPSHOT '{}'",
                            id.replace('\'', "''")
                        );
                        others.retain_mut(|other| joined(other, &join));
                    }
                }
                Conn::Sqlite(c) if !others.is_empty() => {
                    c.batch_execute(FIRST_READ)?;
                    let join = format!("BEGIN; {FIRST_READ}");
                    others.retain_mut(|other| joined(other, &join));
                    if let Some(mut lock) = lock.take() {
                        lock.batch_execute("ROLLBACK")?;
                    }
                }
                Conn::Sqlite(_) => {}
            }
            f(conn, &mut others)
        });
        if let Some(mut lock) = lock {
            // The transaction failed before it let go; closing the connection would too.
            let _ = lock.batch_execute("ROLLBACK");
        }
        result
    }
}

/// Whether `other` took the snapshot through `join`; one that did not is closed by the caller,
/// which ends whatever transaction it began.
fn joined(other: &mut Conn, join: &str) -> bool {
    match other.batch_execute(join) {
        Ok(()) => true,
        Err(e) => {
            log::warn!("fewer readers: a connection could not join the snapshot ({e})");
            false
        }
    }
}

/// How long one more reader of `read_parts` waits for a connection the pool may still open,
/// at most, and in steps of how long.
const MORE_READERS_WAIT: Duration = Duration::from_millis(250);
const MORE_READERS_STEP: Duration = Duration::from_millis(25);

/// The machine's cores, as the process may use them (asked once: the answer reads files).
pub fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// A read that fixes a SQLite read transaction's view (any table's page would do).
const FIRST_READ: &str = "SELECT count(*) FROM staff";

diesel::define_sql_function! {
    /// Names this transaction's snapshot so other sessions can read from it.
    fn pg_export_snapshot() -> diesel::sql_types::Text;
}

/// The current time at the precision both backends keep (PostgreSQL stores microseconds),
/// so what is hashed is what is read back.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// Maps a unique-constraint violation to `None`, any other error to itself.
pub fn unless_unique_violation<T>(result: QueryResult<T>) -> QueryResult<Option<T>> {
    use diesel::result::{DatabaseErrorKind, Error};
    match result {
        Ok(value) => Ok(Some(value)),
        Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(None),
        Err(other) => Err(other),
    }
}

/// Every file the store must keep, by hash, sorted and once each: the documents', the
/// requesters' files and the received mail's raw messages.
pub fn named_files(conn: &mut Conn) -> diesel::QueryResult<Vec<String>> {
    let mut named = documents::stored_hashes(conn)?;
    named.extend(requester_files::stored_hashes(conn)?);
    named.extend(mail::stored_hashes(conn)?);
    named.sort();
    named.dedup();
    Ok(named)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_database_on_the_same_server_keeps_the_connection_options() {
        assert_eq!(
            postgres_url_for("postgres://u@h:5432/postgres?sslmode=disable", "rd_x").as_deref(),
            Some("postgres://u@h:5432/rd_x?sslmode=disable")
        );
        assert_eq!(
            postgres_url_for("postgres://u@h/postgres", "rd_x").as_deref(),
            Some("postgres://u@h/rd_x")
        );
    }

    #[test]
    fn the_backend_is_chosen_from_the_url_scheme() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://./var/recordsdesk.db").unwrap(),
            DatabaseUrl::Sqlite("./var/recordsdesk.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///tmp/x.db").unwrap(),
            DatabaseUrl::Sqlite("/tmp/x.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("postgres://u@h/db").unwrap().backend(),
            Backend::Postgres
        );
        assert_eq!(
            DatabaseUrl::parse("postgresql://h/db").unwrap().backend(),
            Backend::Postgres
        );
        for bad in ["", "mysql://h/db", "var/x.db", "sqlite://"] {
            assert!(DatabaseUrl::parse(bad).is_err(), "{bad:?}");
        }
    }

    /// Another connection holds the file's lock, as one closing does while it checkpoints: a
    /// new connection waits for it instead of failing at once ("database is locked").
    #[test]
    fn a_connection_waits_for_the_lock_another_holds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("locked.db");
        let locked = std::sync::mpsc::channel();
        let holder = {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut other = SqliteConnection::establish(&path.to_string_lossy()).unwrap();
                other
                    .batch_execute("BEGIN EXCLUSIVE; CREATE TABLE held (x)")
                    .unwrap();
                locked.0.send(()).unwrap();
                // Held a while after the new connection started asking.
                std::thread::sleep(Duration::from_millis(300));
                other.batch_execute("COMMIT").unwrap();
            })
        };
        locked.1.recv().unwrap();
        let db = Db::connect(&DatabaseUrl::Sqlite(path), 2);
        holder.join().unwrap();
        let db = db.expect("the connection waited for the lock");
        let tables: i64 = db
            .read(|conn| {
                diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
                    "(SELECT count(*) FROM held)",
                ))
                .get_result(conn)
                .map_err(DbError::from)
            })
            .unwrap();
        assert_eq!(tables, 0);
    }
}
