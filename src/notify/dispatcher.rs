//! Sends what the outbox holds: claims a batch, sends it with bounded concurrency, and records
//! each outcome. Failures retry with exponential backoff up to a cap, then dead-letter.

use std::time::Duration;

use chrono::NaiveDateTime;
use futures::stream::{self, StreamExt};

use super::mailer::{build_message_with, Addressing, Attachment, MailError, Mailer};
use super::outbox::{self, Claimed, ToSend};
use crate::config::Settings;
use crate::db::{self, Db, DbError};
use crate::domain::input::mask_email;

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

/// Makes a claimed notice's letter as a PDF to attach, in the claim's transaction; None for a
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

    /// One round: claim a batch, send it, record the outcomes. Answers how many were claimed.
    pub async fn run_once(&self) -> Result<usize, DbError> {
        let db = self.db.clone();
        // Claim no more than can be sent at once: every claimed notice starts sending at once,
        // well inside its lease, so no other instance takes it over mid-send.
        let batch = self.settings.batch.min(self.settings.concurrency as i64);
        let lease = self.settings.lease;
        let letters = self.letters.clone();
        let claimed = tokio::task::spawn_blocking(move || {
            let now = db::now();
            db.write(|conn| {
                let claimed = outbox::claim(conn, now, later(now, lease), batch)?;
                let mut ready = outbox::mint_links(conn, claimed, now).map_err(DbError::from)?;
                if let Some(attach) = &letters {
                    for to_send in &mut ready {
                        if let Ok(message) = &mut to_send.message {
                            message.attachment = attach(conn, &to_send.claimed);
                        }
                    }
                }
                Ok::<_, DbError>(ready)
            })
        })
        .await
        .map_err(|e| DbError::Migration(format!("dispatcher task failed: {e}")))??;
        let count = claimed.len();
        stream::iter(claimed)
            .for_each_concurrent(self.settings.concurrency, |notice| async move {
                self.deliver(notice).await
            })
            .await;
        Ok(count)
    }

    async fn deliver(&self, to_send: ToSend) {
        let ToSend { claimed, message } = to_send;
        let outcome = match message {
            Ok(ready) => match build_message_with(
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
                Ok(message) => self.mailer.send(message).await,
                Err(e) => Err(e),
            },
            Err(e) => Err(MailError::Build(e)),
        };
        let to = mask_email(&claimed.recipient);
        // Servers quote the address in their refusals; logs get it masked.
        let outcome = outcome.map_err(|e| match e {
            MailError::Send(text) => MailError::Send(text.replace(claimed.recipient.as_str(), &to)),
            other => other,
        });
        let retry_at = match &outcome {
            Ok(reply) => {
                log::info!(
                    "notice {} ({}) to {to} delivered: {reply}",
                    claimed.id,
                    claimed.notice
                );
                None
            }
            // A message that cannot be built will not build next time either.
            Err(MailError::Build(e)) | Err(MailError::Config(e)) => {
                log::error!(
                    "notice {} ({}) to {to} cannot be sent: {e}",
                    claimed.id,
                    claimed.notice
                );
                None
            }
            Err(MailError::Send(e)) if claimed.attempts >= self.settings.max_attempts => {
                log::error!(
                    "notice {} ({}) to {to} dead-lettered after {} attempts: {e}",
                    claimed.id,
                    claimed.notice,
                    claimed.attempts
                );
                None
            }
            Err(MailError::Send(e)) => {
                let wait = self.settings.backoff(claimed.attempts);
                log::warn!(
                    "notice {} ({}) to {to} failed (attempt {}), retrying in {wait:?}: {e}",
                    claimed.id,
                    claimed.notice,
                    claimed.attempts
                );
                Some(wait)
            }
        };
        let db = self.db.clone();
        let recorded = tokio::task::spawn_blocking(move || {
            let now = db::now();
            db.write(|conn| {
                let result = match &outcome {
                    Ok(reply) => outbox::delivered(conn, &claimed, now, reply),
                    Err(e) => outbox::failed(
                        conn,
                        &claimed,
                        now,
                        &e.to_string(),
                        retry_at.map(|w| later(now, w)),
                    ),
                };
                result.map_err(DbError::from)
            })
        })
        .await;
        match recorded {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => log::error!(
                "recording a notice's outcome failed (it will be retried after its lease): {e}"
            ),
            Err(e) => log::error!("recording a notice's outcome failed: {e}"),
        }
    }

    /// Sends until the outbox has nothing due (for tests and the CLI).
    pub async fn drain(&self) -> Result<usize, DbError> {
        let mut total = 0;
        loop {
            let sent = self.run_once().await?;
            if sent == 0 {
                return Ok(total);
            }
            total += sent;
        }
    }
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
