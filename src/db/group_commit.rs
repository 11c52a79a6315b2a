//! Group commit for SQLite. SQLite has one writer and pays one fsync per commit
//! (`synchronous=FULL`); a transaction per request caps intake near the disk's sync rate. Here
//! one writer thread takes every write waiting in line, runs each in its own savepoint inside
//! one transaction, commits once, and only then answers each caller — so a request is
//! acknowledged only when it is durable, and a step that fails rolls back alone.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex};

use diesel::connection::{Connection, SimpleConnection};

use super::{Conn, DbError, Pool};

/// The most steps committed together: enough to amortise the sync, few enough that the
/// first caller of a batch is not kept waiting on the last.
const MAX_BATCH: usize = 128;

/// One caller's step, waiting for its batch.
trait Step: Send {
    /// Runs the step in a savepoint of the batch's transaction.
    fn run(&mut self, conn: &mut Conn);
    /// Answers the caller once the batch's commit succeeded (`Ok`) or failed.
    fn finish(self: Box<Self>, commit: Result<(), DbError>);
}

struct Pending<T, E, F> {
    work: Option<F>,
    outcome: Option<Result<T, E>>,
    reply: SyncSender<Result<T, E>>,
}

impl<T, E, F> Step for Pending<T, E, F>
where
    T: Send,
    E: From<DbError> + From<diesel::result::Error> + Send,
    F: FnOnce(&mut Conn) -> Result<T, E> + Send,
{
    fn run(&mut self, conn: &mut Conn) {
        let Some(work) = self.work.take() else { return };
        // A nested transaction is a savepoint: an error here undoes this step only.
        let outcome = conn.transaction(|conn| {
            catch_unwind(AssertUnwindSafe(|| work(conn)))
                .unwrap_or_else(|_| Err(E::from(DbError::Panicked)))
        });
        self.outcome = Some(outcome);
    }

    fn finish(self: Box<Self>, commit: Result<(), DbError>) {
        let answer = match (commit, self.outcome) {
            (Ok(()), Some(outcome)) => outcome,
            // The step's own refusal stands; it wrote nothing either way.
            (Err(_), Some(Err(refusal))) => Err(refusal),
            // It worked but the batch did not commit: nothing of it is durable.
            (Err(e), _) => Err(E::from(e)),
            (Ok(()), None) => Err(E::from(DbError::Panicked)),
        };
        let _ = self.reply.send(answer);
    }
}

/// The writer thread's inbox. The thread ends when the last `Db` handle is dropped.
pub struct GroupWriter {
    inbox: Mutex<Sender<Box<dyn Step>>>,
}

impl GroupWriter {
    pub fn start(pool: Pool, turn: Arc<Mutex<()>>) -> GroupWriter {
        let (inbox, queue) = channel::<Box<dyn Step>>();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || write_batches(pool, turn, queue))
            .expect("start the SQLite writer thread");
        GroupWriter {
            inbox: Mutex::new(inbox),
        }
    }

    /// Runs `work` in the next batch and waits until that batch is committed.
    pub fn write<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + From<diesel::result::Error> + Send + 'static,
        F: FnOnce(&mut Conn) -> Result<T, E> + Send + 'static,
    {
        let (reply, answer) = sync_channel(1);
        let step = Box::new(Pending {
            work: Some(work),
            outcome: None,
            reply,
        });
        let sent = self
            .inbox
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .send(step);
        if sent.is_err() {
            return Err(E::from(DbError::WriterGone));
        }
        answer.recv().unwrap_or(Err(E::from(DbError::WriterGone)))
    }
}

fn write_batches(pool: Pool, turn: Arc<Mutex<()>>, queue: Receiver<Box<dyn Step>>) {
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(step) => batch.push(step),
                Err(_) => break,
            }
        }
        // Other writers (the dispatcher, the command line) take the same turn.
        let _turn = turn.lock().unwrap_or_else(|p| p.into_inner());
        let commit = match pool.get() {
            Ok(mut conn) => run_batch(&mut conn, &mut batch),
            Err(e) => Err(DbError::from(e)),
        };
        for step in batch {
            step.finish(commit.as_ref().map(|_| ()).map_err(DbError::again));
        }
    }
}

fn run_batch(conn: &mut Conn, batch: &mut [Box<dyn Step>]) -> Result<(), DbError> {
    conn.transaction::<_, DbError, _>(|conn| {
        // Take SQLite's write lock first, as `Db::write` does.
        conn.batch_execute("UPDATE counters SET value = value WHERE 0")?;
        for step in batch.iter_mut() {
            step.run(conn);
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;

    use crate::db::schema::counters;
    use crate::db::{DatabaseUrl, Db, DbError};

    #[derive(Debug, thiserror::Error)]
    enum StepError {
        #[error("refused")]
        Refused,
        #[error(transparent)]
        Db(#[from] DbError),
    }

    impl From<diesel::result::Error> for StepError {
        fn from(e: diesel::result::Error) -> Self {
            StepError::Db(e.into())
        }
    }

    fn insert(conn: &mut crate::db::Conn, name: &str) -> QueryResult<usize> {
        diesel::insert_into(counters::table)
            .values((counters::name.eq(name), counters::value.eq(1_i64)))
            .execute(conn)
    }

    #[test]
    fn a_step_that_fails_or_panics_rolls_back_alone_and_the_others_commit() {
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::Sqlite(dir.path().join("group.db"));
        let db = Db::connect(&url, 4).unwrap().with_group_commit(true);
        db.migrate().unwrap();

        let steps: Vec<_> = (0..60)
            .map(|i| {
                let db = db.clone();
                std::thread::spawn(move || {
                    db.write_grouped(move |conn| {
                        let name = format!("step-{i}");
                        insert(conn, &name)?;
                        match i % 10 {
                            3 => Err(StepError::Refused),
                            7 => panic!("step {i} panics after writing"),
                            _ => Ok(name),
                        }
                    })
                })
            })
            .collect();
        let mut committed = Vec::new();
        for (i, step) in steps.into_iter().enumerate() {
            match (i % 10, step.join().unwrap()) {
                (3, Err(StepError::Refused)) | (7, Err(StepError::Db(DbError::Panicked))) => {}
                (_, Ok(name)) => committed.push(name),
                (_, other) => panic!("step {i}: {other:?}"),
            }
        }
        assert_eq!(committed.len(), 48);

        let mut stored: Vec<String> = db
            .read(|conn| {
                counters::table
                    .filter(counters::name.like("step-%"))
                    .select(counters::name)
                    .load(conn)
                    .map_err(DbError::from)
            })
            .unwrap();
        stored.sort();
        committed.sort();
        assert_eq!(
            stored, committed,
            "exactly the steps that succeeded are stored"
        );
    }
}
