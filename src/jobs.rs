//! Background work inside `serve`: the notice dispatcher and the deadline reminders. Started
//! with the server and stopped with it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::db::Db;
use crate::notify::Dispatcher;
use crate::workflow::{reminders, Ctx};

pub struct Jobs {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Jobs {
    pub fn start(
        db: Db,
        ctx: Arc<Ctx>,
        dispatcher: Option<Dispatcher>,
        reminder_every: Duration,
    ) -> Jobs {
        let (stop, mut stopped) = watch::channel(false);
        let poll = dispatcher
            .as_ref()
            .map(|d| d.settings().poll)
            .unwrap_or(Duration::from_secs(1));
        let task = tokio::spawn(async move {
            let mut last_reminders: Option<Instant> = None;
            loop {
                if last_reminders.is_none_or(|at| at.elapsed() >= reminder_every) {
                    last_reminders = Some(Instant::now());
                    let (db, ctx) = (db.clone(), ctx.clone());
                    match tokio::task::spawn_blocking(move || reminders::send_due(&db, &ctx)).await
                    {
                        Ok(Ok(0)) => {}
                        Ok(Ok(n)) => log::info!("queued deadline reminders for {n} requests"),
                        Ok(Err(e)) => log::error!("deadline reminders failed: {e}"),
                        Err(e) => log::error!("deadline reminders failed: {e}"),
                    }
                }
                let busy = match &dispatcher {
                    Some(dispatcher) => dispatcher.run_once().await.unwrap_or_else(|e| {
                        log::error!("notice dispatcher: {e}");
                        0
                    }),
                    None => 0,
                };
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
