//! The anchor writer inside `serve`: a thread of its own, outside every request's path. Each
//! interval it reads the events committed since its last look, and appends one line naming
//! the new head of every chain that moved (the mail chain's among them), synced before the
//! next look (the format is in
//! `anchor.rs`). It also writes once when it starts (whatever was committed while no writer
//! ran) and once when `serve` stops.
//!
//! With several instances on one PostgreSQL exactly one writes: the one holding a session
//! advisory lock on a connection of its own; the others try again each interval and take over
//! when it goes. SQLite has one instance.

use std::collections::{BTreeMap, HashMap};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::PathBuf;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use diesel::prelude::*;

use super::anchor::{line_hash, Anchor, Line};
use crate::db::schema::{admin_events, audit_events, mail_events, requests};
use crate::db::{self, DatabaseUrl, Db, DbError};
use crate::domain::ids::RequestId;

/// The advisory lock the writing instance holds (the bytes of "rdanchor").
const LOCK_KEY: i64 = 0x7264_616e_6368_6f72;

/// An id below the highest seen but not seen itself belongs to a transaction still open (on
/// PostgreSQL ids are taken before commit) or rolled back. It is looked for again until this
/// long has passed, then taken as rolled back.
const HOLE_WAIT: Duration = Duration::from_secs(10);

/// A gap wider than this is a sequence jump, not transactions in flight.
const MAX_HOLES: i64 = 10_000;

/// Events re-read on taking over, for the transactions in flight then.
const TAKEOVER_WINDOW: i64 = 1_000;

/// The running writer. Dropping it lets the thread write a last time and end; `stop` also
/// waits for that.
pub struct AnchorWriter {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl AnchorWriter {
    pub fn start(db: Db, url: DatabaseUrl, path: PathBuf, every: Duration) -> AnchorWriter {
        let (stop, stopped) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("audit-anchor".into())
            .spawn(move || run(db, url, path, every.max(Duration::from_millis(1)), stopped))
            .expect("start the audit anchor thread");
        AnchorWriter {
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// Writes what was committed until now, then stops.
    pub fn stop(mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for AnchorWriter {
    fn drop(&mut self) {
        // The thread sees the channel close, writes a last time and ends on its own.
        drop(self.stop.take());
    }
}

fn run(db: Db, url: DatabaseUrl, path: PathBuf, every: Duration, stopped: mpsc::Receiver<()>) {
    let mut lock = WriterLock::new(url);
    let mut tracker: Option<Tracker> = None;
    let mut warned = false;
    loop {
        if tracker.is_none() && lock.acquire() {
            match Tracker::open(&db, &path) {
                Ok(opened) => {
                    log::info!("audit anchor: writing {}", path.display());
                    tracker = Some(opened);
                    warned = false;
                }
                Err(e) if !warned => {
                    log::error!("audit anchor {}: {e}", path.display());
                    warned = true;
                }
                Err(_) => {}
            }
        }
        let stopping = !matches!(
            stopped.recv_timeout(every),
            Err(mpsc::RecvTimeoutError::Timeout)
        );
        if tracker.is_some() && !lock.still_held() {
            log::warn!("audit anchor: the writer's lock was lost; another instance writes now");
            tracker = None;
        }
        if let Some(t) = tracker.as_mut() {
            if let Err(e) = t.round(&db) {
                log::error!("audit anchor {}: {e}", path.display());
                // Read the file and the heads again at the next look.
                tracker = None;
            }
        }
        if stopping {
            break;
        }
    }
}

/// PostgreSQL: the session advisory lock on a dedicated connection. SQLite: always held.
struct WriterLock {
    url: DatabaseUrl,
    conn: Option<diesel::PgConnection>,
}

#[derive(QueryableByName)]
struct Locked {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    locked: bool,
}

impl WriterLock {
    fn new(url: DatabaseUrl) -> WriterLock {
        WriterLock { url, conn: None }
    }

    fn acquire(&mut self) -> bool {
        let DatabaseUrl::Postgres(url) = &self.url else {
            return true;
        };
        if self.conn.is_some() {
            return true;
        }
        let Ok(mut conn) = diesel::PgConnection::establish(url) else {
            return false;
        };
        let got = diesel::sql_query(format!("SELECT pg_try_advisory_lock({LOCK_KEY}) AS locked"))
            .get_result::<Locked>(&mut conn)
            .is_ok_and(|row| row.locked);
        if got {
            self.conn = Some(conn);
        }
        got
    }

    /// Whether the lock's connection is still alive (the lock dies with it).
    fn still_held(&mut self) -> bool {
        let DatabaseUrl::Postgres(_) = &self.url else {
            return true;
        };
        let alive = self
            .conn
            .as_mut()
            .is_some_and(|c| diesel::sql_query("SELECT 1").execute(c).is_ok());
        if !alive {
            self.conn = None;
        }
        alive
    }
}

/// What has been anchored, and where the next look starts.
struct Tracker {
    file: File,
    last_hash: String,
    /// Tracking number → anchored seq.
    anchored: HashMap<String, i64>,
    /// Request id → tracking number, as learnt (a tracking number never changes).
    numbers: HashMap<RequestId, String>,
    /// The highest event id seen.
    max_seen: i64,
    /// Ids below `max_seen` not seen yet, with when they were first missed.
    holes: BTreeMap<i64, Instant>,
}

type Head = (String, i64, String);

#[derive(Debug, thiserror::Error)]
enum AnchorError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl From<diesel::result::Error> for AnchorError {
    fn from(e: diesel::result::Error) -> Self {
        AnchorError::Db(e.into())
    }
}

impl Tracker {
    /// Opens the file (dropping a last line a crash cut short), reads what it anchors, and
    /// anchors every chain that moved since.
    fn open(db: &Db, path: &std::path::Path) -> Result<Tracker, AnchorError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)?;
        let bytes = std::fs::read(path)?;
        let anchor = Anchor::parse(&bytes);
        if anchor.complete_len < bytes.len() {
            log::warn!(
                "audit anchor {}: dropping a last line cut short ({} bytes)",
                path.display(),
                bytes.len() - anchor.complete_len
            );
            file.set_len(anchor.complete_len as u64)?;
            file.sync_all()?;
        }
        for problem in &anchor.problems {
            log::error!("audit anchor {}: {problem}", path.display());
        }
        // One snapshot: every head, the highest id, and the recent ids (to find transactions
        // still in flight now).
        let (heads, recent): (Vec<Head>, Vec<i64>) = db.snapshot(|conn| {
            let heads = requests::table
                .filter(requests::audit_seq.gt(0))
                .select((
                    requests::tracking_number,
                    requests::audit_seq,
                    requests::audit_head,
                ))
                .load(conn)?;
            let max: Option<i64> = audit_events::table
                .select(diesel::dsl::max(audit_events::id))
                .first(conn)?;
            let recent = audit_events::table
                .filter(audit_events::id.gt(max.unwrap_or(0) - TAKEOVER_WINDOW))
                .select(audit_events::id)
                .order(audit_events::id)
                .load(conn)?;
            Ok::<_, AnchorError>((heads, recent))
        })?;
        let mut tracker = Tracker {
            file,
            last_hash: anchor.last_hash,
            anchored: anchor
                .heads
                .into_iter()
                .map(|(tn, (seq, _))| (tn, seq))
                .collect(),
            numbers: HashMap::new(),
            max_seen: recent.first().map_or(0, |first| first - 1),
            holes: BTreeMap::new(),
        };
        tracker.saw(&recent, Instant::now());
        tracker.write(heads)?;
        Ok(tracker)
    }

    /// Notes the ids seen: new ones move `max_seen` and leave holes behind; old ones fill them.
    fn saw(&mut self, ids: &[i64], now: Instant) {
        for &id in ids {
            if id > self.max_seen {
                if id - self.max_seen <= MAX_HOLES {
                    for missing in self.max_seen + 1..id {
                        self.holes.insert(missing, now);
                    }
                }
                self.max_seen = id;
            } else {
                self.holes.remove(&id);
            }
        }
        self.holes
            .retain(|_, since| now.duration_since(*since) < HOLE_WAIT);
    }

    /// One look: the events committed since the last, and a line for the chains they moved.
    fn round(&mut self, db: &Db) -> Result<(), AnchorError> {
        let holes: Vec<i64> = self.holes.keys().copied().collect();
        let after = self.max_seen;
        // Each query on one primary key (a join, or an OR between the two, had SQLite scan
        // a whole table each look); tracking numbers come from `numbers`.
        if self.numbers.len() > 1_000_000 {
            // Learnt again as needed: the map stays bounded however long `serve` runs.
            self.numbers.clear();
        }
        let known = &self.numbers;
        let (events, named, mail_head, admin_head) = db.read(|conn| {
            let columns = (
                audit_events::id,
                audit_events::request_id,
                audit_events::seq,
                audit_events::hash,
            );
            let mut events: Vec<(i64, RequestId, i64, String)> = audit_events::table
                .filter(audit_events::id.gt(after))
                .select(columns)
                .order(audit_events::id)
                .load(conn)?;
            if !holes.is_empty() {
                let late: Vec<(i64, RequestId, i64, String)> = audit_events::table
                    .filter(audit_events::id.eq_any(&holes))
                    .select(columns)
                    .load(conn)?;
                events.extend(late);
            }
            let mut unknown: Vec<RequestId> = events
                .iter()
                .map(|e| e.1)
                .filter(|id| !known.contains_key(id))
                .collect();
            unknown.sort_unstable_by_key(|id| id.0);
            unknown.dedup();
            let mut named: Vec<(RequestId, String)> = Vec::new();
            // In pieces: SQLite takes at most 32,766 parameters in a statement.
            for some in unknown.chunks(10_000) {
                named.extend(
                    requests::table
                        .filter(requests::id.eq_any(some))
                        .select((requests::id, requests::tracking_number))
                        .load::<(RequestId, String)>(conn)?,
                );
            }
            // The mail chain's head, under its chain name (`mail_chain::CHAIN`).
            let mail_head: Option<(i64, String)> = mail_events::table
                .order(mail_events::seq.desc())
                .select((mail_events::seq, mail_events::hash))
                .first(conn)
                .optional()?;
            let admin_head: Option<(i64, String)> = admin_events::table
                .order(admin_events::seq.desc())
                .select((admin_events::seq, admin_events::hash))
                .first(conn)
                .optional()?;
            Ok::<_, DbError>((events, named, mail_head, admin_head))
        })?;
        self.numbers.extend(named);
        let ids: Vec<i64> = events.iter().map(|e| e.0).collect();
        self.saw(&ids, Instant::now());
        let numbers = &self.numbers;
        let events: Vec<(i64, String, i64, String)> = events
            .into_iter()
            .filter_map(|(id, request, seq, hash)| {
                numbers.get(&request).map(|tn| (id, tn.clone(), seq, hash))
            })
            .collect();
        let mut heads: Vec<Head> = events
            .into_iter()
            .map(|(_, tn, seq, hash)| (tn, seq, hash))
            .collect();
        if let Some((seq, hash)) = mail_head {
            heads.push((super::mail_chain::CHAIN.to_string(), seq, hash));
        }
        if let Some((seq, hash)) = admin_head {
            heads.push((super::admin_chain::CHAIN.to_string(), seq, hash));
        }
        Ok(self.write(heads)?)
    }

    /// Appends and syncs one line with the highest of `heads` per chain that is newer than
    /// its anchor; nothing when no chain moved.
    fn write(&mut self, heads: Vec<Head>) -> std::io::Result<()> {
        let mut newest: HashMap<String, (i64, String)> = HashMap::new();
        for (tn, seq, hash) in heads {
            if self
                .anchored
                .get(&tn)
                .is_some_and(|anchored| *anchored >= seq)
            {
                continue;
            }
            match newest.get(&tn) {
                Some((known, _)) if *known >= seq => {}
                _ => {
                    newest.insert(tn, (seq, hash));
                }
            }
        }
        if newest.is_empty() {
            return Ok(());
        }
        let mut heads: Vec<Head> = newest
            .into_iter()
            .map(|(tn, (seq, hash))| (tn, seq, hash))
            .collect();
        heads.sort();
        let line = Line::new(db::now(), &self.last_hash, heads);
        let text = line.text();
        let mut bytes = text.clone().into_bytes();
        bytes.push(b'\n');
        self.file.write_all(&bytes)?;
        self.file.sync_data()?;
        self.last_hash = line_hash(&text);
        for (tn, seq, _) in line.heads {
            self.anchored.insert(tn, seq);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tracker() -> Tracker {
        Tracker {
            file: tempfile::tempfile().unwrap(),
            last_hash: String::new(),
            anchored: HashMap::new(),
            numbers: HashMap::new(),
            max_seen: 0,
            holes: BTreeMap::new(),
        }
    }

    fn holes(t: &Tracker) -> Vec<i64> {
        t.holes.keys().copied().collect()
    }

    #[test]
    fn ids_committed_out_of_order_are_waited_for_then_given_up() {
        let now = Instant::now();
        let mut t = tracker();
        t.saw(&[1, 2, 5], now);
        assert_eq!(t.max_seen, 5);
        assert_eq!(holes(&t), [3, 4]);
        // A late commit fills its hole.
        t.saw(&[3], now);
        assert_eq!(holes(&t), [4]);
        // A hole unseen for HOLE_WAIT is given up.
        t.saw(&[], now + HOLE_WAIT);
        assert!(t.holes.is_empty());
    }

    #[test]
    fn a_jump_past_max_holes_leaves_no_holes_and_one_up_to_it_does() {
        let now = Instant::now();
        let mut t = tracker();
        t.saw(&[MAX_HOLES], now);
        assert_eq!(t.holes.len() as i64, MAX_HOLES - 1);
        let mut t = tracker();
        t.saw(&[MAX_HOLES + 1], now);
        assert!(t.holes.is_empty());
        assert_eq!(t.max_seen, MAX_HOLES + 1);
    }
}
