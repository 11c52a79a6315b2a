//! Mail received at the reply and return-path addresses (docs/PRODUCT.md, "Replies by
//! email"), read into what the service keeps: who sent it and to which address, its words
//! with quotes trimmed, its attachments, and, for a delivery status notification, what it says
//! of the delivery. The MIME work (multipart, quoted-printable and base64, charsets, encoded
//! headers, HTML) is mail-parser's.

mod quoting;

pub use quoting::trim_quoted;

use mail_parser::{MessageParser, MimeHeaders, PartType};

/// Why a message is refused outright (exit code 65 from `mail ingest`, 422 from the API):
/// everything else is kept, filed or not.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Unreadable {
    #[error("the message is empty")]
    Empty,
    #[error("the message has no headers: it is not an email")]
    NoHeaders,
    #[error("the message is {size} bytes, more than the {limit} taken")]
    TooLarge { size: usize, limit: usize },
}

/// A received message, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The Message-ID header without its angle brackets, when it has one.
    pub message_id: Option<String>,
    /// The sender's address (From), lower case; empty when it names none.
    pub from: String,
    /// The addresses it was delivered to, first those the mail server added (Delivered-To,
    /// X-Original-To), then To and Cc: the request's reply address is among them.
    pub recipients: Vec<String>,
    pub subject: String,
    /// Its text (an HTML-only message converted to text), whole.
    pub text: String,
    pub attachments: Vec<Attachment>,
    /// What a delivery status notification reports, when the message is one.
    pub delivery: Option<DeliveryStatus>,
    /// Sent by a program, not a person (RFC 3834 `Auto-Submitted`, or the older marks of
    /// out-of-office replies): never filed as the requester's words.
    pub automatic: bool,
}

impl Received {
    /// Its words without what they quote.
    pub fn reply(&self) -> String {
        trim_quoted(&self.text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The name the sender gave it (unsafe until made a display name).
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What a delivery status notification (RFC 3464) says of the failed recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryStatus {
    /// The status code, `5.1.1` or `4.2.2`.
    pub status: String,
    pub action: String,
    pub recipient: Option<String>,
    /// The server's words (Diagnostic-Code), for staff.
    pub diagnostic: Option<String>,
}

impl DeliveryStatus {
    /// A permanent failure (class 5): the address will not work. Class 4 is transient.
    pub fn is_permanent(&self) -> bool {
        self.status.starts_with('5')
    }

    /// Whether it tells of a failure at all (a DSN may also report a delay or a delivery).
    pub fn failed(&self) -> bool {
        self.action.eq_ignore_ascii_case("failed")
            || (self.action.is_empty()
                && (self.status.starts_with('5') || self.status.starts_with('4')))
    }
}

/// Reads a raw RFC 5322 message of at most `limit` bytes.
pub fn read(raw: &[u8], limit: usize) -> Result<Received, Unreadable> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(Unreadable::Empty);
    }
    if raw.len() > limit {
        return Err(Unreadable::TooLarge {
            size: raw.len(),
            limit,
        });
    }
    let message = MessageParser::default()
        .parse(raw)
        .filter(is_email)
        .ok_or(Unreadable::NoHeaders)?;
    let address_of = |a: &mail_parser::Addr<'_>| a.address().map(|s| s.trim().to_ascii_lowercase());
    let from = message
        .from()
        .and_then(|f| f.first())
        .and_then(address_of)
        .unwrap_or_default();
    let mut recipients: Vec<String> = Vec::new();
    for name in ["Delivered-To", "X-Original-To"] {
        for value in message.header_values(name) {
            if let Some(text) = value.as_text() {
                recipients.push(bare_address(text));
            }
        }
    }
    for list in message.all_to().chain(message.all_cc()) {
        recipients.extend(list.iter().filter_map(address_of));
    }
    recipients.retain(|r| !r.is_empty());
    let mut seen = std::collections::HashSet::new();
    recipients.retain(|r| seen.insert(r.clone()));

    let text = (0..message.text_body.len())
        .filter_map(|i| message.body_text(i))
        .map(|t| t.replace("\r\n", "\n"))
        .collect::<Vec<_>>()
        .join("\n\n");

    let mut attachments = Vec::new();
    let mut delivery = None;
    for (n, part) in message.parts.iter().enumerate() {
        let content_type = part
            .content_type()
            .map(|c| {
                format!(
                    "{}/{}",
                    c.ctype().to_ascii_lowercase(),
                    c.subtype().unwrap_or("").to_ascii_lowercase()
                )
            })
            .unwrap_or_default();
        if content_type == "message/delivery-status" {
            delivery = delivery.or_else(|| delivery_status(part.contents()));
            continue;
        }
        if n == 0 || !message.attachments.contains(&(n as u32)) {
            continue;
        }
        if matches!(part.body, PartType::Multipart(_)) {
            continue;
        }
        let name = part
            .attachment_name()
            .map(str::to_string)
            .unwrap_or_else(|| match part.body {
                PartType::Message(_) => format!("message-{}.eml", attachments.len() + 1),
                _ => format!("attachment-{}", attachments.len() + 1),
            });
        attachments.push(Attachment {
            name,
            bytes: part.contents().to_vec(),
        });
    }

    Ok(Received {
        message_id: message
            .message_id()
            .map(|id| id.trim().to_string())
            .filter(|id| !id.is_empty()),
        from,
        recipients,
        subject: message.subject().unwrap_or("").trim().to_string(),
        text,
        attachments,
        delivery,
        automatic: is_automatic(&message),
    })
}

fn is_automatic(message: &mail_parser::Message<'_>) -> bool {
    let header = |name: &str| {
        message
            .header_raw(name)
            .map(|v| v.trim().to_ascii_lowercase())
    };
    header("Auto-Submitted").is_some_and(|v| !v.starts_with("no"))
        || header("X-Autoreply").is_some()
        || header("X-Autorespond").is_some()
        || header("Precedence")
            .is_some_and(|v| matches!(v.as_str(), "bulk" | "junk" | "auto_reply"))
}

/// Whether the parsed text is an email at all: the parser takes anything, so one of the
/// headers every message has must be there.
fn is_email(message: &mail_parser::Message<'_>) -> bool {
    ["From", "Sender", "To", "Date", "Message-ID"]
        .iter()
        .any(|name| message.header(*name).is_some())
}

/// `Name <a@b>` or `<a@b>` or `a@b`, as the address alone in lower case.
fn bare_address(text: &str) -> String {
    let inner = match (text.rfind('<'), text.rfind('>')) {
        (Some(open), Some(close)) if open < close => &text[open + 1..close],
        _ => text,
    };
    inner.trim().to_ascii_lowercase()
}

/// The per-recipient fields of a `message/delivery-status` part: the first recipient's
/// Status, Action, Final-Recipient and Diagnostic-Code.
fn delivery_status(body: &[u8]) -> Option<DeliveryStatus> {
    let text = String::from_utf8_lossy(body);
    // Fields may fold onto the next line; unfold before reading.
    let unfolded = text
        .replace("\r\n", "\n")
        .replace("\n ", " ")
        .replace("\n\t", " ");
    let mut status = None;
    let mut action = String::new();
    let mut recipient = None;
    let mut diagnostic = None;
    for line in unfolded.lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "status" if status.is_none() => {
                status = value.split_whitespace().next().map(str::to_string)
            }
            "action" if action.is_empty() => action = value.to_string(),
            "final-recipient" if recipient.is_none() => {
                recipient = Some(bare_address(value.rsplit(';').next().unwrap_or(value)))
            }
            "diagnostic-code" if diagnostic.is_none() => {
                diagnostic = Some(value.rsplit(';').next().unwrap_or(value).trim().to_string())
            }
            _ => {}
        }
    }
    let status = status.filter(|s| {
        let mut parts = s.split('.');
        matches!(parts.next(), Some("2" | "4" | "5"))
            && parts.clone().count() == 2
            && parts.all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    })?;
    Some(DeliveryStatus {
        status,
        action,
        recipient,
        diagnostic,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: usize = 1 << 20;

    #[test]
    fn a_plain_reply_is_read_with_its_sender_recipients_and_words() {
        let raw = b"From: Ana Flores <Ana@Example.com>\r\n\
To: City Clerk <records+RR-2026-00001.0123456789abcdef0123@cityofconcord.org>\r\n\
Subject: Re: [RR-2026-00001] We need more detail\r\n\
Message-ID: <reply-1@example.com>\r\n\r\n\
Willow Pass Road, 2025.\r\n\r\nOn Tue, Dec 1, 2026, City Clerk wrote:\r\n> Which street?\r\n";
        let received = read(raw, LIMIT).unwrap();
        assert_eq!(received.from, "ana@example.com");
        assert_eq!(
            received.recipients,
            ["records+rr-2026-00001.0123456789abcdef0123@cityofconcord.org"]
        );
        assert_eq!(received.message_id.as_deref(), Some("reply-1@example.com"));
        assert_eq!(received.subject, "Re: [RR-2026-00001] We need more detail");
        assert_eq!(received.reply(), "Willow Pass Road, 2025.");
        assert!(received.text.contains("> Which street?"));
        assert_eq!(received.delivery, None);
        assert!(!received.automatic);
        let mut auto = b"Auto-Submitted: auto-replied\r\n".to_vec();
        auto.extend_from_slice(raw);
        assert!(read(&auto, LIMIT).unwrap().automatic);
        let mut by_hand = b"Auto-Submitted: no\r\n".to_vec();
        by_hand.extend_from_slice(raw);
        assert!(!read(&by_hand, LIMIT).unwrap().automatic);
    }

    #[test]
    fn html_only_latin1_quoted_printable_and_an_encoded_subject_become_text() {
        let mut raw = b"From: =?ISO-8859-1?Q?Jos=E9_N=FA=F1ez?= <jose@example.com>\r\n\
To: records@cityofconcord.org\r\n\
Subject: =?ISO-8859-1?Q?Petici=F3n?=\r\n\
MIME-Version: 1.0\r\n\
Content-Type: text/html; charset=ISO-8859-1\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\r\n"
            .to_vec();
        raw.extend_from_slice(
            b"<html><body><p>La acera de la calle Pe=F1a, por favor.</p></body></html>\r\n",
        );
        let received = read(&raw, LIMIT).unwrap();
        assert_eq!(received.subject, "Petición");
        assert!(
            received
                .reply()
                .contains("La acera de la calle Peña, por favor."),
            "{:?}",
            received.text
        );
        assert!(!received.text.contains("<p>"));
    }

    #[test]
    fn a_delivery_status_notification_reports_its_status() {
        let raw = b"From: MAILER-DAEMON@mx.example.com\r\n\
To: records+bounce-7.0123456789abcdef0123@cityofconcord.org\r\n\
Subject: Undelivered Mail Returned to Sender\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n\
--b1\r\nContent-Type: text/plain\r\n\r\nI'm sorry to have to inform you...\r\n\
--b1\r\nContent-Type: message/delivery-status\r\n\r\n\
Reporting-MTA: dns; mx.example.com\r\n\r\n\
Final-Recipient: rfc822; ana@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n\
Diagnostic-Code: smtp; 550 5.1.1 <ana@example.com>: Recipient address rejected\r\n\r\n\
--b1--\r\n";
        let received = read(raw, LIMIT).unwrap();
        let delivery = received.delivery.unwrap();
        assert_eq!(delivery.status, "5.1.1");
        assert!(delivery.is_permanent() && delivery.failed());
        assert_eq!(delivery.recipient.as_deref(), Some("ana@example.com"));
        assert!(delivery
            .diagnostic
            .unwrap()
            .contains("Recipient address rejected"));
        let soft = DeliveryStatus {
            status: "4.2.2".into(),
            action: "failed".into(),
            recipient: None,
            diagnostic: None,
        };
        assert!(!soft.is_permanent() && soft.failed());
        let delayed = DeliveryStatus {
            action: "delayed".into(),
            ..soft
        };
        assert!(!delayed.failed());
    }

    #[test]
    fn empty_headerless_or_oversized_input_is_refused() {
        assert_eq!(read(b"  \r\n", LIMIT), Err(Unreadable::Empty));
        assert!(read(b"\x00\x01\x02 no headers here", LIMIT).is_err());
        assert_eq!(
            read(b"From: a@b.c\r\n\r\nhello", 5),
            Err(Unreadable::TooLarge { size: 20, limit: 5 })
        );
    }
}
