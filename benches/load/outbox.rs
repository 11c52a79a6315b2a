//! Whether the notice dispatcher keeps up (issue 25): the outbox's depth (notices queued or
//! being sent) and the notices sent, read from the server's database every half second while
//! a phase runs and then until the outbox is empty again.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use diesel::dsl::count_star;
use diesel::prelude::*;
use recordsdesk::config::Settings;
use recordsdesk::db::schema::outbox;
use recordsdesk::db::{Db, DbError};
use recordsdesk::domain::notices::OutboxStatus;
use recordsdesk::startup::open_database;

const EVERY: Duration = Duration::from_millis(500);

/// One reading of the outbox.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub at: Duration,
    /// Queued or being sent.
    pub waiting: i64,
    pub sent: i64,
    /// Every row, whatever its state: what was queued in all.
    pub total: i64,
}

fn read(db: &Db, since: Instant) -> Result<Sample, DbError> {
    db.read(|conn| {
        let waiting = outbox::table
            .filter(outbox::status.eq_any([OutboxStatus::Queued, OutboxStatus::Sending]))
            .select(count_star())
            .first(conn)?;
        let sent = outbox::table
            .filter(outbox::status.eq(OutboxStatus::Sent))
            .select(count_star())
            .first(conn)?;
        let total = outbox::table.select(count_star()).first(conn)?;
        Ok(Sample {
            at: since.elapsed(),
            waiting,
            sent,
            total,
        })
    })
}

pub struct OutboxWatch {
    db: Db,
    began: Instant,
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Vec<Sample>>,
}

impl OutboxWatch {
    pub fn start(database_url: &str) -> Result<OutboxWatch, String> {
        let mut settings = Settings::defaults();
        settings.database.url = database_url.to_string().into();
        settings.database.pool_size = 1;
        let db = open_database(&settings).map_err(|e| e.to_string())?;
        let began = Instant::now();
        let stop = Arc::new(AtomicBool::new(false));
        let (flag, reader) = (stop.clone(), db.clone());
        let thread = std::thread::spawn(move || {
            let mut samples = Vec::new();
            while !flag.load(Ordering::Relaxed) {
                if let Ok(sample) = read(&reader, began) {
                    samples.push(sample);
                }
                std::thread::sleep(EVERY);
            }
            samples
        });
        Ok(OutboxWatch {
            db,
            began,
            stop,
            thread,
        })
    }

    /// Ends the phase: samples on until the outbox is empty or `patience` has passed.
    pub fn finish(self, patience: Duration) -> Backlog {
        let phase_end = self.began.elapsed();
        self.stop.store(true, Ordering::Relaxed);
        let mut samples = self.thread.join().unwrap_or_default();
        let at_end = read(&self.db, self.began).ok();
        samples.extend(at_end);
        let waited = Instant::now();
        let mut drained_after = None;
        loop {
            match read(&self.db, self.began) {
                Ok(sample) => {
                    samples.push(sample);
                    if sample.waiting == 0 {
                        drained_after = Some(waited.elapsed());
                        break;
                    }
                }
                Err(e) => eprintln!("outbox watch: {e}"),
            }
            if waited.elapsed() > patience {
                break;
            }
            std::thread::sleep(EVERY);
        }
        Backlog {
            phase: phase_end,
            at_end,
            drained_after,
            samples,
        }
    }
}

/// What the watch saw.
pub struct Backlog {
    pub phase: Duration,
    pub at_end: Option<Sample>,
    pub drained_after: Option<Duration>,
    pub samples: Vec<Sample>,
}

impl Backlog {
    /// Notices queued and sent per second during the phase, and the deepest the outbox got.
    pub fn summary(&self) -> String {
        let (Some(first), Some(end)) = (self.samples.first(), self.at_end) else {
            return "outbox: no readings".into();
        };
        let seconds = (end.at - first.at).as_secs_f64().max(0.001);
        let queued = (end.total - first.total) as f64 / seconds;
        let sent = (end.sent - first.sent) as f64 / seconds;
        let deepest = self.samples.iter().map(|s| s.waiting).max().unwrap_or(0);
        let drained = match self.drained_after {
            Some(d) => format!("empty {:.1} s after the phase ended", d.as_secs_f64()),
            None => format!(
                "still {} waiting when the watch gave up",
                self.samples.last().map_or(0, |s| s.waiting)
            ),
        };
        format!(
            "outbox over {:.0} s of load: {queued:.0} notices queued/s, {sent:.0} sent/s \
             (sent ÷ queued {:.2}); depth at most {deepest}, {} at the end; {drained}",
            self.phase.as_secs_f64(),
            if queued > 0.0 { sent / queued } else { 0.0 },
            end.waiting,
        )
    }

    /// The depth every second, for a plot or a table.
    pub fn series(&self) -> String {
        let mut next = Duration::ZERO;
        let mut out = Vec::new();
        for sample in &self.samples {
            if sample.at >= next {
                out.push(format!(
                    "{:.0}s {}",
                    sample.at.as_secs_f64(),
                    sample.waiting
                ));
                next = sample.at + Duration::from_secs(1);
            }
        }
        format!("outbox depth by second: {}", out.join(", "))
    }
}
