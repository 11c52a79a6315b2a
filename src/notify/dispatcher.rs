//! Sends what the outbox holds: claims a batch, sends it with bounded concurrency, and records
//! each outcome. Failures retry with exponential backoff up to a cap, then dead-letter.

use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use diesel::Connection;
use futures::stream::{self, StreamExt};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::mailer::{build_message_with, Addressing, Attachment, MailError, Mailer};
use super::outbox::{self, Claimed, ToSend};
use crate::config::Settings;
use crate::db::{self, Conn, Db, DbError};
use crate::domain::ids::{OutboxId, RequestId};
use crate::domain::input::mask_email;
use crate::domain::step::Step;

#[derive(Debug, Clone)]
pub struct DispatchSettings {
    pub max_attempts: i32,
    pub retry_initial: Duration,
    pub retry_max: Duration,
    pub lease: Duration,
    pub batch: i64,
    pub concurrency: usize,
    pub poll: Duration,
}

impl DispatchSettings {
    pub fn from_settings(settings: &Settings) -> DispatchSettings {
        let mail = &settings.mail;
        DispatchSettings {
            max_attempts: mail.max_attempts.max(1),
            retry_initial: Duration::from_millis(mail.retry_initial_milliseconds.max(1)),
            retry_max: Duration::from_millis(
                mail.retry_max_milliseconds
                    .max(mail.retry_initial_milliseconds),
            ),
            lease: Duration::from_secs(mail.lease_seconds.max(30)),
            batch: mail.batch_size.max(1),
            concurrency: mail.concurrency.max(1),
            poll: Duration::from_millis(mail.poll_milliseconds.max(10)),
        }
    }

    /// After the n-th failed attempt: initial × 2^(n-1), capped.
    pub fn backoff(&self, attempts: i32) -> Duration {
        let factor = 2u32.saturating_pow(attempts.clamp(1, 30) as u32 - 1);
        self.retry_initial
            .saturating_mul(factor)
            .min(self.retry_max)
    }
}

/// Makes a claimed notice's letter as a PDF to attach, on a read connection; None for a
/// notice that is no letter (`app::letters::attacher`, when config `[letters] attach_pdf`).
pub type LetterAttacher =
    std::sync::Arc<dyn Fn(&mut crate::db::Conn, &Claimed) -> Option<Attachment> + Send + Sync>;

#[derive(Clone)]
pub struct Dispatcher {
    db: Db,
    mailer: Mailer,
    from: String,
    /// Each notice's own return path, so a bounce names it (docs/PRODUCT.md, "Bounces").
    return_paths: Option<super::ReplyAddresses>,
    settings: DispatchSettings,
    letters: Option<LetterAttacher>,
    /// The sends under way, in every round together, at most `concurrency`.
    sends: std::sync::Arc<tokio::sync::Semaphore>,
}

/// A round claimed and sending: its task, which ends when every outcome is recorded, and word
/// that its last send has started (or that it ended).
pub struct RoundUnderWay {
    pub task: JoinHandle<()>,
    pub last_send_started: oneshot::Receiver<()>,
}

/// Notices claimed together, and when.
struct Batch {
    notices: Vec<ToSend>,
    claimed_at: Instant,
}

/// What became of one claimed notice, recorded with the others that came in meanwhile.
enum Outcome {
    /// Sent; the server's reply.
    Sent(String),
    /// Not sent: retried after `retry_in`, or dead-lettered when None.
    Failed {
        error: String,
        retry_in: Option<Duration>,
    },
    /// Not started in time: back in the queue, the attempt not counted.
    Released,
}

fn later(now: NaiveDateTime, by: Duration) -> NaiveDateTime {
    now + chrono::Duration::from_std(by).unwrap_or(chrono::Duration::seconds(60))
}

impl Dispatcher {
    pub fn new(db: Db, mailer: Mailer, from: String, settings: DispatchSettings) -> Dispatcher {
        Dispatcher {
            db,
            mailer,
            from,
            return_paths: None,
            sends: std::sync::Arc::new(tokio::sync::Semaphore::new(settings.concurrency)),
            settings,
            letters: None,
        }
    }

    /// Attaches each requester's letter as a PDF, as `attach` makes it.
    pub fn with_letters(mut self, attach: Option<LetterAttacher>) -> Dispatcher {
        self.letters = attach;
        self
    }

    /// Sends each notice from a return path of its own under these addresses' key.
    pub fn with_return_paths(mut self, addresses: super::ReplyAddresses) -> Dispatcher {
        self.return_paths = Some(addresses);
        self
    }

    pub fn settings(&self) -> &DispatchSettings {
        &self.settings
    }

    /// One round: claim a batch, send it, record the outcomes. Answers how many were claimed
    /// (those given back unsent included: the round was busy).
    pub async fn run_once(&self) -> Result<usize, DbError> {
        Ok(self.round().await?.claimed)
    }

    /// Claims a batch and sends it in a task of its own: answers how many were claimed and the
    /// round under way. The server's loop claims the next batch once this one has started
    /// its last send (`jobs.rs`), so a round's claim and records overlap another's sends while
    /// each has its own window to start its sends in. Rounds may overlap, since a claim never
    /// takes a notice another round holds, nor a person's notice while an earlier one of the
    /// same request waits (`outbox::claim`); the sends of all rounds together stay within
    /// `concurrency`.
    pub async fn start_round(&self) -> Result<(usize, Option<RoundUnderWay>), DbError> {
        let Some(batch) = self.claim().await? else {
            return Ok((0, None));
        };
        let count = batch.notices.len();
        let (started, last_send_started) = tokio::sync::oneshot::channel();
        let me = self.clone();
        let task = tokio::spawn(async move {
            me.send(batch, Some(started)).await;
        });
        Ok((
            count,
            Some(RoundUnderWay {
                task,
                last_send_started,
            }),
        ))
    }

    /// One round, as `run_once`, telling how many of those claimed went back to the queue.
    async fn round(&self) -> Result<Round, DbError> {
        match self.claim().await? {
            None => Ok(Round::default()),
            Some(batch) => Ok(self.send(batch, None).await),
        }
    }

    /// Claims a batch (which mints the private links) in one write; none when nothing is due.
    async fn claim(&self) -> Result<Option<Batch>, DbError> {
        let db = self.db.clone();
        let batch = self.settings.batch;
        let lease = self.settings.lease;
        let claimed_at = Instant::now();
        let claimed = tokio::task::spawn_blocking(move || {
            let now = db::now();
            db.write_grouped(move |conn| {
                let claimed = outbox::claim(conn, now, later(now, lease), batch)?;
                outbox::mint_links(conn, claimed, now).map_err(DbError::from)
            })
        })
        .await
        .map_err(|e| DbError::Migration(format!("dispatcher task failed: {e}")))??;
        Ok((!claimed.is_empty()).then_some(Batch {
            notices: claimed,
            claimed_at,
        }))
    }

    /// Sends a claimed batch and records the outcomes.
    ///
    /// Outcomes are recorded as they come, many to a write (first tried all together,
    /// `record_together`; if that fails, each in a savepoint of its own, so one that fails to
    /// record leaves the others recorded): while one write is under way the
    /// next outcomes gather for the one after it, so a slow send never holds back the record
    /// of a fast one. On SQLite the writes join the group commit beside the filings.
    async fn send(&self, batch: Batch, started: Option<oneshot::Sender<()>>) -> Round {
        let count = batch.notices.len();
        let mut started = started;
        // A batch is larger than the sends at once. A send starts only in the first two fifths
        // of the lease and is given two fifths at most, so it ends, and is recorded, before
        // another instance may take the notice over. One that could not start in time goes
        // back to the queue.
        let budget = self.settings.lease * 2 / 5;
        let start_by = batch.claimed_at + budget;
        let (outcomes, mut recorded) = tokio::sync::mpsc::unbounded_channel();
        let sending = async move {
            stream::iter(batch.notices.into_iter().enumerate())
                .map(|(i, notice)| {
                    // Taken up when a send is free: the last one's turn has come.
                    if i + 1 == count {
                        if let Some(started) = started.take() {
                            let _ = started.send(());
                        }
                    }
                    self.deliver(notice, start_by, budget)
                })
                .buffer_unordered(self.settings.concurrency)
                .for_each(|outcome| {
                    let _ = outcomes.send(outcome);
                    std::future::ready(())
                })
                .await;
        };
        let recording = async {
            let mut released = 0;
            while let Some(first) = recorded.recv().await {
                let mut round = vec![first];
                while let Ok(more) = recorded.try_recv() {
                    round.push(more);
                }
                released += round
                    .iter()
                    .filter(|(_, outcome)| matches!(outcome, Outcome::Released))
                    .count();
                self.record(round).await;
            }
            released
        };
        let ((), released) = futures::join!(sending, recording);
        Round {
            claimed: count,
            released,
        }
    }

    /// Sends one notice, unless `start_by` has passed, giving it `budget` at most.
    async fn deliver(
        &self,
        to_send: ToSend,
        start_by: Instant,
        budget: Duration,
    ) -> (Claimed, Outcome) {
        let ToSend { claimed, message } = to_send;
        let mut ready = match message {
            Ok(ready) => ready,
            Err(e) => return self.settle(claimed, Err(MailError::Build(e))),
        };
        // Waits its turn among the sends of every round under way, but not past its window
        // to start: one whose turn comes too late goes back to the queue.
        let turn = tokio::time::timeout_at(start_by.into(), self.sends.acquire()).await;
        let Ok(Ok(_turn)) = turn else {
            return (claimed, Outcome::Released);
        };
        if let Some(attach) = self.letters.clone() {
            // The letter is read from the chain on a connection of its own, outside the
            // claim's write, so making a PDF never holds up other writers; one send's turn
            // makes one PDF, so the letters read at once stay within `concurrency`.
            let db = self.db.clone();
            let of = claimed.clone();
            let made = tokio::task::spawn_blocking(move || {
                db.read(|conn| Ok::<_, DbError>(attach(conn, &of)))
            })
            .await;
            ready.attachment = match made {
                Ok(Ok(attachment)) => attachment,
                // Never a letter without the PDF config promises: it goes again later.
                Ok(Err(e)) => {
                    let e = MailError::Send(format!("its letter could not be read: {e}"));
                    return self.settle(claimed, Err(e));
                }
                Err(e) => {
                    let e = MailError::Send(format!("its letter could not be made: {e}"));
                    return self.settle(claimed, Err(e));
                }
            };
        }
        if Instant::now() > start_by {
            return (claimed, Outcome::Released);
        }
        let sent = match build_message_with(
            &Addressing {
                from: &self.from,
                to_name: ready.to_name.as_deref(),
                to_address: &claimed.recipient,
                reply_to: ready.reply_to.as_deref(),
                return_path: self
                    .return_paths
                    .as_ref()
                    .map(|paths| paths.return_path(claimed.id.0))
                    .as_deref(),
                message_id: &claimed.message_id,
            },
            &ready.message,
            ready.attachment.as_ref(),
        ) {
            // lettre's own timeout covers only the connection; a server that stalls later is
            // given up on here (the message may have arrived: it goes again, same Message-ID).
            Ok(message) => match tokio::time::timeout(budget, self.mailer.send(message)).await {
                Ok(sent) => sent,
                Err(_) => Err(MailError::Send(format!(
                    "no answer from the mail server within {budget:?}"
                ))),
            },
            Err(e) => Err(e),
        };
        self.settle(claimed, sent)
    }

    /// What a send's result means for the notice: sent, to retry after a backoff, or dead.
    fn settle(&self, claimed: Claimed, sent: Result<String, MailError>) -> (Claimed, Outcome) {
        let to = mask_email(&claimed.recipient);
        // Servers quote the address in their refusals; logs get it masked.
        let sent = sent.map_err(|e| match e {
            MailError::Send(text) => MailError::Send(text.replace(claimed.recipient.as_str(), &to)),
            other => other,
        });
        let outcome = match sent {
            Ok(reply) => {
                log::info!(
                    "notice {} ({}) to {to} delivered: {reply}",
                    claimed.id,
                    claimed.notice
                );
                Outcome::Sent(reply)
            }
            // A message that cannot be built will not build next time either.
            Err(e @ (MailError::Build(_) | MailError::Config(_))) => {
                log::error!(
                    "notice {} ({}) to {to} cannot be sent: {e}",
                    claimed.id,
                    claimed.notice
                );
                Outcome::Failed {
                    error: e.to_string(),
                    retry_in: None,
                }
            }
            Err(e) if claimed.attempts >= self.settings.max_attempts => {
                log::error!(
                    "notice {} ({}) to {to} dead-lettered after {} attempts: {e}",
                    claimed.id,
                    claimed.notice,
                    claimed.attempts
                );
                Outcome::Failed {
                    error: e.to_string(),
                    retry_in: None,
                }
            }
            Err(e) => {
                let wait = self.settings.backoff(claimed.attempts);
                log::warn!(
                    "notice {} ({}) to {to} failed (attempt {}), retrying in {wait:?}: {e}",
                    claimed.id,
                    claimed.notice,
                    claimed.attempts
                );
                Outcome::Failed {
                    error: e.to_string(),
                    retry_in: Some(wait),
                }
            }
        };
        (claimed, outcome)
    }

    /// Records outcomes in one write. A notice whose outcome is not recorded stays claimed and
    /// goes out again after its lease, with the same Message-ID.
    async fn record(&self, outcomes: Vec<(Claimed, Outcome)>) {
        let db = self.db.clone();
        let recorded = tokio::task::spawn_blocking(move || {
            let now = db::now();
            db.write_grouped(move |conn| {
                // The whole round in a few statements. If any of it fails, it is undone (a
                // savepoint) and each notice is recorded on its own.
                match conn.transaction(|conn| record_together(conn, &outcomes, now)) {
                    Ok(()) => return Ok(()),
                    Err(e) => log::warn!(
                        "recording a round's outcomes together failed, recording them one by one: {e}"
                    ),
                }
                for (claimed, outcome) in &outcomes {
                    let one = conn.transaction(|conn| match outcome {
                        Outcome::Sent(reply) => outbox::delivered(conn, claimed, now, reply),
                        Outcome::Failed { error, retry_in } => outbox::failed(
                            conn,
                            claimed,
                            now,
                            error,
                            retry_in.map(|w| later(now, w)),
                        ),
                        Outcome::Released => outbox::release(conn, claimed, now),
                    });
                    if let Err(e) = one {
                        log::error!(
                            "recording notice {}'s outcome failed (it will be retried after its lease): {e}",
                            claimed.id
                        );
                    }
                }
                Ok::<_, DbError>(())
            })
        })
        .await;
        match recorded {
            Ok(Ok(())) => {}
            Ok(Err(e)) => log::error!(
                "recording notices' outcomes failed (they will be retried after their lease): {e}"
            ),
            Err(e) => log::error!("recording notices' outcomes failed: {e}"),
        }
    }

    /// Sends until the outbox has nothing due (for tests and the CLI).
    pub async fn drain(&self) -> Result<usize, DbError> {
        let mut total = 0;
        loop {
            let round = self.round().await?;
            if round.claimed == 0 {
                return Ok(total);
            }
            // Those given back are claimed again in a later round and counted there.
            total += round.claimed - round.released;
        }
    }
}

/// Records a round's outcomes in one transaction: the deliveries settled in one statement,
/// failures and notices given back one by one (few), then every event written through one
/// `OpenChains`, each request's in the order of its notices. On PostgreSQL that is a handful
/// of statements for a whole round, where a notice took five round trips of its own; in
/// SQLite's writer an event and a head each, where a notice took a savepoint and four
/// statements (docs/PERFORMANCE.md, "Notices on PostgreSQL" and "Deliveries recorded together
/// on SQLite").
fn record_together(
    conn: &mut Conn,
    outcomes: &[(Claimed, Outcome)],
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    // Each request's events go into its chain in the order of its notices.
    let mut in_order: Vec<&(Claimed, Outcome)> = outcomes.iter().collect();
    in_order.sort_by_key(|(claimed, _)| claimed.id);
    let sent: Vec<(&Claimed, &str)> = in_order
        .iter()
        .filter_map(|(claimed, outcome)| match outcome {
            Outcome::Sent(reply) => Some((claimed, reply.as_str())),
            _ => None,
        })
        .collect();
    let mut steps: Vec<(OutboxId, Step)> = outbox::deliveries(conn, &sent, now)?;
    for (claimed, outcome) in &in_order {
        let step = match outcome {
            Outcome::Sent(_) => continue,
            Outcome::Failed { error, retry_in } => {
                outbox::failure(conn, claimed, error, retry_in.map(|w| later(now, w)))?
            }
            Outcome::Released => {
                outbox::release(conn, claimed, now)?;
                None
            }
        };
        steps.extend(step.map(|step| (claimed.id, step)));
    }
    steps.sort_by_key(|(id, _)| *id);
    let request_of: std::collections::HashMap<OutboxId, RequestId> = outcomes
        .iter()
        .filter_map(|(claimed, _)| claimed.request_id.map(|r| (claimed.id, r)))
        .collect();
    let mut events = Vec::with_capacity(steps.len());
    for (id, step) in steps {
        if let Some(request_id) = request_of.get(&id) {
            events.push((*request_id, step));
        }
    }
    let ids: Vec<RequestId> = events.iter().map(|(request_id, _)| *request_id).collect();
    let mut chains = crate::audit::OpenChains::open(conn, &ids)?;
    for (request_id, step) in &events {
        chains.append(*request_id, now, &crate::audit::Actor::System, step)?;
    }
    chains.close(conn)
}

/// What one round did.
#[derive(Debug, Default, Clone, Copy)]
struct Round {
    claimed: usize,
    /// Given back to the queue unsent (their sends could not start in time).
    released: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_starts_within_ten_seconds_doubles_and_is_capped() {
        let settings = DispatchSettings {
            max_attempts: 8,
            retry_initial: Duration::from_secs(5),
            retry_max: Duration::from_secs(300),
            lease: Duration::from_secs(120),
            batch: 50,
            concurrency: 8,
            poll: Duration::from_millis(500),
        };
        assert_eq!(settings.backoff(1), Duration::from_secs(5));
        assert_eq!(settings.backoff(2), Duration::from_secs(10));
        assert_eq!(settings.backoff(4), Duration::from_secs(40));
        assert_eq!(settings.backoff(7), Duration::from_secs(300));
        assert_eq!(settings.backoff(100), Duration::from_secs(300));
    }
}
