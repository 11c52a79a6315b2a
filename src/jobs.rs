//! Background work inside `serve`: the notice dispatcher and the deadline reminders. Started
//! with the server and stopped with it.

use std::time::{Duration, Instant};

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::app::App;

pub struct Jobs {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Jobs {
    pub fn start(app: App, reminder_every: Duration) -> Jobs {
        let (stop, mut stopped) = watch::channel(false);
        let poll = app.delivery_poll();
        let task = tokio::spawn(async move {
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
                let busy = app.deliver_notices().await.unwrap_or_else(|e| {
                    log::error!("notice dispatcher: {e}");
                    0
                });
                if *stopped.borrow() {
                    break;
                }
                if busy == 0 {
                    tokio::select! {
                        _ = tokio::time::sleep(poll) => {}
                        _ = stopped.changed() => break,
                    }
                }
            }
        });
        Jobs { stop, task }
    }

    /// Lets the current round finish, then stops.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}
