//! The mail chain (docs/PRODUCT.md, "Replies by email"): what became of every message received
//! at the reply and return-path addresses — filed to a request, left for staff, attached or
//! discarded by staff, read as a bounce — hashed like a request's chain, under the chain name
//! `mail`. A request's own chain records a filed reply as the requester's message; this one
//! also holds the mail that reached no request, and staff's decisions on it.

use chrono::NaiveDateTime;
use diesel::QueryResult;
use serde::Serialize;

use super::anchor::Anchor;
use super::chain::Actor;
use super::side_chain;
use crate::db::mail::{self, ChainEventRow};
use crate::db::Conn;

/// The name the mail chain's events carry where a request's carry its tracking number.
pub const CHAIN: &str = "mail";

/// An event of the mail chain.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum MailEvent {
    /// A message kept: what it is, and what was done with it on arrival.
    Received {
        mail_id: i64,
        sha256: String,
        size_bytes: i64,
        from: String,
        recipient: String,
        /// `filed`, `unmatched` or `bounce`.
        outcome: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        tracking_number: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// Staff attached an unmatched message to a request.
    Attached {
        mail_id: i64,
        sha256: String,
        tracking_number: String,
    },
    /// Staff discarded an unmatched message.
    Discarded {
        mail_id: i64,
        sha256: String,
        reason: String,
    },
}

impl MailEvent {
    pub fn action(&self) -> &'static str {
        match self {
            MailEvent::Received { .. } => "mail_received",
            MailEvent::Attached { .. } => "mail_attached",
            MailEvent::Discarded { .. } => "mail_discarded",
        }
    }
}

/// Appends an event, in the caller's transaction (which holds the chain's head until it ends).
pub fn append(
    conn: &mut Conn,
    at: NaiveDateTime,
    actor: &Actor,
    event: &MailEvent,
) -> QueryResult<()> {
    let head = mail::lock_head(conn)?;
    let row = side_chain::next_event(CHAIN, head, at, actor, event.action(), event);
    mail::insert_event(conn, &row)
}

/// Recomputes the mail chain: each event's hash from its predecessor's, the numbers without
/// a gap, and the event the anchor holds (when there is an anchor) still there as it was.
/// Answers what does not hold, one line each.
pub fn verify(conn: &mut Conn, anchor: Option<&Anchor>) -> QueryResult<Vec<String>> {
    let events = mail::events(conn)?;
    let mut problems = check(&events);
    if let Some((seq, hash)) = anchor.and_then(|a| a.head(CHAIN)) {
        problems.extend(check_anchor(&events, seq, hash));
    }
    Ok(problems)
}

fn check_anchor(events: &[ChainEventRow], seq: i64, hash: &str) -> Option<String> {
    side_chain::check_anchor(CHAIN, events, seq, hash)
}

fn check(events: &[ChainEventRow]) -> Vec<String> {
    side_chain::check(CHAIN, events)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::chain::{self, GENESIS_HASH};

    fn at() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 5)
            .unwrap()
            .and_hms_opt(9, 30, 0)
            .unwrap()
    }

    fn chain_of(n: i64) -> Vec<ChainEventRow> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let content = format!(r#"{{"mail_id":{seq}}}"#);
                let line = chain::canonical(CHAIN, seq, at(), "system", "mail_received", &content);
                let hash = chain::hash(&prev, &line);
                let row = ChainEventRow {
                    seq,
                    at: at(),
                    actor: "system".into(),
                    action: "mail_received".into(),
                    content,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                row
            })
            .collect()
    }

    /// The actions are stored in every event and hashed: they never change.
    #[test]
    fn each_event_is_stored_under_its_own_action() {
        let received = MailEvent::Received {
            mail_id: 1,
            sha256: "ab".repeat(32),
            size_bytes: 10,
            from: "a@example.org".into(),
            recipient: "b@example.org".into(),
            outcome: "unmatched".into(),
            tracking_number: None,
            reason: Some("It was not sent to a request's reply address".into()),
        };
        let attached = MailEvent::Attached {
            mail_id: 1,
            sha256: "ab".repeat(32),
            tracking_number: "RR-2026-00001".into(),
        };
        let discarded = MailEvent::Discarded {
            mail_id: 1,
            sha256: "ab".repeat(32),
            reason: "Advertising".into(),
        };
        assert_eq!(received.action(), "mail_received");
        assert_eq!(attached.action(), "mail_attached");
        assert_eq!(discarded.action(), "mail_discarded");
        // Absent fields are left out, so older events read and hash the same.
        let content = serde_json::to_value(&received).unwrap();
        assert!(content.get("tracking_number").is_none(), "{content}");
    }

    #[test]
    fn an_intact_chain_holds() {
        assert!(check(&chain_of(3)).is_empty());
        assert!(check(&[]).is_empty());
    }

    #[test]
    fn the_anchored_event_must_still_be_there_as_it_was() {
        let events = chain_of(3);
        assert_eq!(check_anchor(&events, 3, &events[2].hash), None);
        assert_eq!(check_anchor(&events, 2, &events[1].hash), None);
        let cut = &events[..2];
        assert!(check_anchor(cut, 3, &events[2].hash)
            .unwrap()
            .contains("ends at event 2"));
        let rewritten = check_anchor(&events, 2, &events[2].hash).unwrap();
        assert!(rewritten.contains("rewritten"), "{rewritten}");
    }

    #[test]
    fn an_altered_removed_or_relinked_event_is_named() {
        let mut altered = chain_of(3);
        altered[1].content = r#"{"mail_id":99}"#.into();
        assert_eq!(
            check(&altered),
            ["mail chain: event 2 was altered after it was written"]
        );

        let mut removed = chain_of(3);
        removed.remove(1);
        assert_eq!(
            check(&removed),
            ["mail chain: event 2 is missing (the next is 3)"]
        );

        let mut relinked = chain_of(3);
        relinked[2].prev_hash = GENESIS_HASH.into();
        let problems = check(&relinked);
        assert!(
            problems.contains(&"mail chain: event 3 does not follow event 2".to_string()),
            "{problems:?}"
        );
    }
}
