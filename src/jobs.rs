//! Background work inside `serve`: the notice dispatcher and the deadline reminders. Started
//! with the server and stopped with it.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use tokio::sync::watch;
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
            let mut last_reminders: Option<Instant> = None;
            let mut last_sweep: Option<Instant> = None;
            loop {
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
                // The next batch is claimed while the last is sent: a round's claim and
                // records each wait for a commit, which would leave the sends idle.
                if sending.len() >= ROUNDS_AT_ONCE {
                    finish(sending.pop_front()).await;
                }
                let claimed = match app.start_delivery().await {
                    Ok((claimed, task)) => {
                        sending.extend(task);
                        claimed
                    }
                    Err(e) => {
                        log::error!("notice dispatcher: {e}");
                        0
                    }
                };
                if *stopped.borrow() {
                    break;
                }
                if claimed == 0 {
                    if !sending.is_empty() {
                        // Nothing more is due yet: wait for the round under way, not the poll.
                        finish(sending.pop_front()).await;
                        continue;
                    }
                    tokio::select! {
                        _ = tokio::time::sleep(poll) => {}
                        _ = stopped.changed() => break,
                    }
                }
            }
            // Stopping lets the rounds under way finish.
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
