//! The canonical form of an event and its hash. Pure functions: what is hashed here is
//! exactly what `verify` recomputes from the stored columns.

use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};

/// The hash a chain's first event links back to.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who caused an event, as written in the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Requester,
    Staff { email: String },
    System,
}

impl Actor {
    pub fn label(&self) -> String {
        match self {
            Actor::Requester => "requester".into(),
            Actor::Staff { email } => format!("staff:{email}"),
            Actor::System => "system".into(),
        }
    }
}

/// Timestamps are hashed at microsecond precision, the finest both backends keep.
pub fn format_time(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string always serialises")
}

/// The event as one line of JSON with its keys in a fixed order. `content` is already
/// canonical JSON (serde_json writes object keys sorted) and is embedded verbatim.
pub fn canonical(
    tracking_number: &str,
    seq: i64,
    at: NaiveDateTime,
    actor: &str,
    action: &str,
    content: &str,
) -> String {
    format!(
        r#"{{"action":{},"actor":{},"at":{},"content":{},"request":{},"seq":{}}}"#,
        json_string(action),
        json_string(actor),
        json_string(&format_time(at)),
        content,
        json_string(tracking_number),
        seq
    )
}

pub fn hash(prev_hash: &str, canonical_event: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(canonical_event.as_bytes());
    hex::encode(hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, 2)
            .unwrap()
            .and_hms_micro_opt(9, 30, 0, 123456)
            .unwrap()
    }

    #[test]
    fn the_canonical_form_is_sorted_compact_json() {
        let line = canonical(
            "RR-2026-00001",
            1,
            at(),
            "requester",
            "submitted",
            r#"{"a":1}"#,
        );
        assert_eq!(
            line,
            r#"{"action":"submitted","actor":"requester","at":"2026-03-02T09:30:00.123456Z","content":{"a":1},"request":"RR-2026-00001","seq":1}"#
        );
        let parsed: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(
            serde_json::to_string(&parsed).unwrap(),
            line,
            "already in serde_json's sorted form"
        );
    }

    #[test]
    fn strings_are_escaped_so_content_cannot_forge_fields() {
        let line = canonical(
            "RR-2026-00001",
            2,
            at(),
            "staff:a\"b@example.com",
            "message",
            "{}",
        );
        assert!(line.contains(r#""actor":"staff:a\"b@example.com""#));
    }

    #[test]
    fn the_hash_covers_the_previous_hash_and_every_byte_of_the_event() {
        let event = canonical("RR-2026-00001", 1, at(), "requester", "submitted", "{}");
        let first = hash(GENESIS_HASH, &event);
        assert_eq!(first.len(), 64);
        assert_ne!(first, hash(&first, &event));
        assert_ne!(
            first,
            hash(GENESIS_HASH, &event.replace("submitted", "Submitted"))
        );
        assert_eq!(first, hash(GENESIS_HASH, &event));
    }
}
