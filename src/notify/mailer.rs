//! Mail transports: SMTP (lettre, STARTTLS / TLS / auth from a URL), `.eml` files under the
//! data folder (the default, so a first run needs no mail server), and memory (tests).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::render::Rendered;
use crate::config::Settings;

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("mail configuration: {0}")]
    Config(String),
    #[error("cannot build the message: {0}")]
    Build(String),
    #[error("{0}")]
    Send(String),
}

#[derive(Clone)]
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// `.eml` files in this folder.
    File(PathBuf),
    Memory(Arc<Mutex<Vec<Message>>>),
}

/// Our URL forms (`?tls=starttls`, `?tls=tls`, `?tls=none`) in lettre's (`?tls=required`, `smtps://`).
fn lettre_url(url: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut scheme_base = base.to_string();
    let mut params = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair {
            "tls=starttls" | "tls=required" => params.push("tls=required".to_string()),
            "tls=opportunistic" => params.push(pair.to_string()),
            "tls=tls" | "tls=implicit" | "tls=wrapper" => {
                scheme_base = scheme_base.replacen("smtp://", "smtps://", 1);
            }
            "tls=none" => {}
            other => params.push(other.to_string()),
        }
    }
    if params.is_empty() {
        scheme_base
    } else {
        format!("{scheme_base}?{}", params.join("&"))
    }
}

/// How long connecting to the SMTP server may take (lettre's timeout covers only that; the
/// dispatcher bounds a whole send by its lease).
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

impl Mailer {
    pub fn from_settings(settings: &Settings) -> Result<Mailer, MailError> {
        match settings.mail.transport.as_str() {
            "smtp" => {
                let url = settings.mail.smtp_url.expose();
                if url.is_empty() {
                    return Err(MailError::Config(
                        "mail.transport is smtp but no RECORDSDESK_SMTP_URL is set".into(),
                    ));
                }
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&lettre_url(url))
                    .map_err(|e| MailError::Config(format!("RECORDSDESK_SMTP_URL: {e}")))?
                    .timeout(Some(SMTP_TIMEOUT))
                    .build();
                Ok(Mailer::Smtp(transport))
            }
            _ => {
                let dir = settings.data_dir.join("mail");
                std::fs::create_dir_all(&dir).map_err(|e| {
                    MailError::Config(format!("cannot create {}: {e}", dir.display()))
                })?;
                Ok(Mailer::File(dir))
            }
        }
    }

    pub fn memory() -> (Mailer, Arc<Mutex<Vec<Message>>>) {
        let sent = Arc::new(Mutex::new(Vec::new()));
        (Mailer::Memory(sent.clone()), sent)
    }

    /// Sends one message; answers what the server said (or where the file went).
    pub async fn send(&self, message: Message) -> Result<String, MailError> {
        match self {
            Mailer::Smtp(transport) => transport
                .send(message)
                .await
                .map(|response| {
                    let lines: Vec<&str> = response.message().collect();
                    format!("{} {}", response.code(), lines.join(" "))
                })
                .map_err(|e| MailError::Send(e.to_string())),
            Mailer::File(dir) => {
                let (dir, bytes) = (dir.clone(), message.formatted());
                actix_web::rt::task::spawn_blocking(move || write_eml(&dir, &bytes))
                    .await
                    .map_err(|e| MailError::Send(e.to_string()))?
                    .map(|path| format!("written to {}", path.display()))
                    .map_err(|e| MailError::Send(e.to_string()))
            }
            Mailer::Memory(sent) => {
                sent.lock().unwrap_or_else(|p| p.into_inner()).push(message);
                Ok("kept in memory".into())
            }
        }
    }
}

/// Writes one `.eml` file whole or not at all: into `<dir>.tmp/` first, synced, then renamed
/// into `dir`, so a server killed mid-write never leaves half a message where mail is read.
fn write_eml(dir: &std::path::Path, bytes: &[u8]) -> std::io::Result<PathBuf> {
    use std::io::Write;
    let staging = dir.with_extension("tmp");
    std::fs::create_dir_all(&staging)?;
    let name = format!("{}.eml", crate::secrets::random_hex(16));
    let partial = staging.join(&name);
    let mut file = std::fs::File::create(&partial)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    let path = dir.join(&name);
    std::fs::rename(&partial, &path)?;
    Ok(path)
}

/// Who a notice's email is from and to, where replies go, and where a failure is reported.
#[derive(Debug, Clone, Copy)]
pub struct Addressing<'a> {
    pub from: &'a str,
    pub to_name: Option<&'a str>,
    pub to_address: &'a str,
    /// The request's own reply address; `from` when none.
    pub reply_to: Option<&'a str>,
    /// The notice's own return path (envelope sender), where a delivery status notification
    /// goes; `from`'s address when none.
    pub return_path: Option<&'a str>,
    pub message_id: &'a str,
}

/// A file sent with an email: a requester's letter as a PDF (docs/PRODUCT.md, "Letters").
#[derive(Debug, Clone)]
pub struct Attachment {
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// The email for a notice: our stable Message-ID, plain text with an HTML alternative.
/// Addresses and names go through lettre's header encoding, so no typed text can add a header.
pub fn build_message(to: &Addressing<'_>, rendered: &Rendered) -> Result<Message, MailError> {
    build_message_with(to, rendered, None)
}

/// The email for a notice, with a file attached when there is one: the text and HTML
/// alternatives, then the file, in one multipart/mixed.
pub fn build_message_with(
    to: &Addressing<'_>,
    rendered: &Rendered,
    attachment: Option<&Attachment>,
) -> Result<Message, MailError> {
    let from: Mailbox = to
        .from
        .parse()
        .map_err(|e| MailError::Build(format!("mail.from: {e}")))?;
    let address: lettre::Address = to
        .to_address
        .parse()
        .map_err(|e| MailError::Build(format!("recipient: {e}")))?;
    let reply_to: Mailbox = match to.reply_to {
        Some(reply_to) => reply_to
            .parse()
            .map_err(|e| MailError::Build(format!("reply address: {e}")))?,
        None => from.clone(),
    };
    let return_path: lettre::Address = match to.return_path {
        Some(path) => path
            .parse()
            .map_err(|e| MailError::Build(format!("return path: {e}")))?,
        None => from.email.clone(),
    };
    let envelope = lettre::address::Envelope::new(Some(return_path), vec![address.clone()])
        .map_err(|e| MailError::Build(e.to_string()))?;
    let message_id = to.message_id;
    let to = Mailbox::new(to.to_name.map(|n| n.replace(['\r', '\n'], " ")), address);
    let alternative = MultiPart::alternative()
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(rendered.text.clone()),
        )
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_HTML)
                .body(rendered.html.clone()),
        );
    let body = match attachment {
        None => alternative,
        Some(file) => {
            let kind = ContentType::parse(file.content_type)
                .map_err(|e| MailError::Build(format!("attachment type: {e}")))?;
            let name = file.file_name.replace(['\r', '\n', '"'], "");
            MultiPart::mixed()
                .multipart(alternative)
                .singlepart(lettre::message::Attachment::new(name).body(file.bytes.clone(), kind))
        }
    };
    Message::builder()
        .from(from)
        .reply_to(reply_to)
        .to(to)
        .envelope(envelope)
        .subject(rendered.subject.replace(['\r', '\n'], " "))
        .message_id(Some(message_id.to_string()))
        .multipart(body)
        .map_err(|e| MailError::Build(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered() -> Rendered {
        Rendered {
            subject: "[RR-2026-00001] Hello".into(),
            text: "Body".into(),
            html: "<p>Body</p>".into(),
        }
    }

    #[test]
    fn our_tls_words_become_lettres() {
        assert_eq!(lettre_url("smtp://127.0.0.1:2525"), "smtp://127.0.0.1:2525");
        assert_eq!(
            lettre_url("smtp://u:p@mail.city:587?tls=starttls"),
            "smtp://u:p@mail.city:587?tls=required"
        );
        assert_eq!(
            lettre_url("smtp://mail.city:465?tls=tls"),
            "smtps://mail.city:465"
        );
        assert_eq!(
            lettre_url("smtp://mail.city:25?tls=none"),
            "smtp://mail.city:25"
        );
    }

    #[test]
    fn a_name_with_line_breaks_cannot_add_a_header() {
        let message = build_message(
            &Addressing {
                from: "City Clerk <clerk@city.test>",
                to_name: Some("Jane\r\nBcc: everyone@example.com"),
                to_address: "jane@example.com",
                reply_to: None,
                return_path: Some("clerk+bounce-1.abc@city.test"),
                message_id: "<RR-2026-00001.acknowledgement.1@city.test>",
            },
            &rendered(),
        )
        .unwrap();
        assert_eq!(
            message
                .envelope()
                .from()
                .map(ToString::to_string)
                .as_deref(),
            Some("clerk+bounce-1.abc@city.test")
        );
        let raw = String::from_utf8(message.formatted()).unwrap();
        assert!(
            !raw.lines()
                .any(|l| l.to_ascii_lowercase().starts_with("bcc:")),
            "{raw}"
        );
        assert!(raw.contains("Message-ID: <RR-2026-00001.acknowledgement.1@city.test>"));
        assert!(raw.contains("multipart/alternative"));
    }

    #[test]
    fn a_malformed_recipient_is_an_error_not_a_panic() {
        assert!(build_message(
            &Addressing {
                from: "clerk@city.test",
                to_name: None,
                to_address: "not an address",
                reply_to: None,
                return_path: None,
                message_id: "<x@y>",
            },
            &rendered()
        )
        .is_err());
    }
}
