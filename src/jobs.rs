//! Background work inside `serve`: the notice dispatcher and the deadline reminders. Started
//! with the server and stopped with it.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;

use crate::app::App;

/// Rounds of the notice dispatcher under way at once: one sending while the next is claimed.
const ROUNDS_AT_ONCE: usize = 2;

/// Waits for a round of sends to end; one that panicked is logged (its notices go out again
/// after their lease).
async fn finish(task: Option<JoinHandle<()>>) {
    if let Some(task) = task {
        if let Err(e) = task.await {
            log::error!("a round of notices failed: {e}");
        }
    }
}

/// The oldest round under way, when it ends; never, when none is.
async fn first_to_end(
    sending: &mut VecDeque<JoinHandle<()>>,
) -> Result<(), tokio::task::JoinError> {
    match sending.front_mut() {
        Some(task) => task.await,
        None => std::future::pending().await,
    }
}

pub struct Jobs {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Jobs {
    pub fn start(app: App, reminder_every: Duration) -> Jobs {
        let (stop, mut stopped) = watch::channel(false);
        let poll = app.delivery_poll();
        let task = tokio::spawn(async move {
            let mut sending: VecDeque<JoinHandle<()>> = VecDeque::new();
            // The newest round, until its last send has started.
            let mut starting: Option<oneshot::Receiver<()>> = None;
            let mut last_reminders: Option<Instant> = None;
            let mut last_sweep: Option<Instant> = None;
            loop {
                if *stopped.borrow() {
                    break;
                }
                if last_sweep.is_none_or(|at| at.elapsed() >= Duration::from_secs(60 * 60)) {
                    last_sweep = Some(Instant::now());
                    if let Err(e) = app.sweep_files().await {
                        log::error!("sweeping the file store: {e}");
                    }
                    match app.read_file_texts().await {
                        Ok(0) => {}
                        Ok(n) => log::info!("read the text of {n} released files"),
                        Err(e) => log::error!("reading released files' text: {e}"),
                    }
                }
                if last_reminders.is_none_or(|at| at.elapsed() >= reminder_every) {
                    last_reminders = Some(Instant::now());
                    // Another instance's change to the directory or the calendar is seen here.
                    if let Err(e) = app.reload_live().await {
                        log::error!("reading the department directory and holidays failed: {e}");
                    }
                    match app.send_reminders().await {
                        Ok(0) => {}
                        Ok(n) => log::info!("queued deadline reminders for {n} requests"),
                        Err(e) => log::error!("deadline reminders failed: {e}"),
                    }
                }
                // The next batch is claimed once the newest round has started its last send:
                // its claim, and the last round's records, then overlap the sends (each waits
                // for a commit, which would leave the sends idle), while each round has its
                // own window to start its sends in.
                if let Some(started) = starting.take() {
                    tokio::select! {
                        _ = started => {}
                        _ = stopped.changed() => break,
                    }
                }
                while sending.len() >= ROUNDS_AT_ONCE
                    || sending.front().is_some_and(|task| task.is_finished())
                {
                    finish(sending.pop_front()).await;
                }
                if *stopped.borrow() {
                    break;
                }
                let claimed = match app.start_delivery().await {
                    Ok((claimed, round)) => {
                        if let Some(round) = round {
                            sending.push_back(round.task);
                            starting = Some(round.last_send_started);
                        }
                        claimed
                    }
                    Err(e) => {
                        log::error!("notice dispatcher: {e}");
                        0
                    }
                };
                if claimed == 0 {
                    // Nothing due: the poll, or a round ending (which may free a person's
                    // next notice), whichever comes first.
                    let ended = tokio::select! {
                        _ = tokio::time::sleep(poll) => None,
                        _ = stopped.changed() => break,
                        ended = first_to_end(&mut sending) => Some(ended),
                    };
                    if let Some(ended) = ended {
                        sending.pop_front();
                        if let Err(e) = ended {
                            log::error!("a round of notices failed: {e}");
                        }
                    }
                }
            }
            // Stopping claims nothing more and lets the rounds under way finish.
            while let Some(task) = sending.pop_front() {
                finish(Some(task)).await;
            }
        });
        Jobs { stop, task }
    }

    /// Lets the rounds under way finish, then stops.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}
