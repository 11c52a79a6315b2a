//! The canonical form of an event and its hash. Pure functions: what is hashed here is
//! exactly what `verify` recomputes from the stored columns.

use chrono::{Datelike, NaiveDateTime, Timelike};
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
    let mut text = Vec::with_capacity(TIME_LEN);
    write_time(&mut text, at);
    String::from_utf8(text).expect("a formatted time is ASCII")
}

/// `2026-03-02T09:30:00.123456Z`
const TIME_LEN: usize = 27;

/// Appends `at` as `format_time` writes it. Digits are written directly: `audit verify`
/// formats every event, and a strftime pass was a tenth of its time.
fn write_time(out: &mut Vec<u8>, at: NaiveDateTime) {
    let nanos = at.nanosecond();
    // Years beyond four digits and leap seconds are left to chrono, which spells them out.
    if !(0..=9999).contains(&at.year()) || nanos >= 1_000_000_000 {
        let text = at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
        out.extend_from_slice(text.as_bytes());
        return;
    }
    let digits = |out: &mut Vec<u8>, value: u32, width: usize| {
        let mut text = [b'0'; 6];
        let mut rest = value;
        for digit in text[..width].iter_mut().rev() {
            *digit = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        out.extend_from_slice(&text[..width]);
    };
    digits(out, at.year() as u32, 4);
    out.push(b'-');
    digits(out, at.month(), 2);
    out.push(b'-');
    digits(out, at.day(), 2);
    out.push(b'T');
    digits(out, at.hour(), 2);
    out.push(b':');
    digits(out, at.minute(), 2);
    out.push(b':');
    digits(out, at.second(), 2);
    out.push(b'.');
    digits(out, nanos / 1_000, 6);
    out.push(b'Z');
}

fn write_json_string(out: &mut Vec<u8>, s: &str) {
    serde_json::to_writer(out, s).expect("a string always serialises into memory");
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
    let mut line = Vec::new();
    write_canonical(&mut line, tracking_number, seq, at, actor, action, content);
    String::from_utf8(line).expect("JSON made of strings is UTF-8")
}

/// `canonical` written into a buffer the caller keeps (`verify` hashes through
/// `hash_event_hex` instead, which never copies the content into the line).
pub fn write_canonical(
    line: &mut Vec<u8>,
    tracking_number: &str,
    seq: i64,
    at: NaiveDateTime,
    actor: &str,
    action: &str,
    content: &str,
) {
    line.clear();
    write_head(line, at, actor, action);
    line.extend_from_slice(content.as_bytes());
    write_tail(line, tracking_number, seq);
}

/// The canonical line up to its content.
fn write_head(line: &mut Vec<u8>, at: NaiveDateTime, actor: &str, action: &str) {
    line.extend_from_slice(br#"{"action":"#);
    write_json_string(line, action);
    line.extend_from_slice(br#","actor":"#);
    write_json_string(line, actor);
    // A formatted time has nothing JSON would escape.
    line.extend_from_slice(br#","at":""#);
    write_time(line, at);
    line.extend_from_slice(br#"","content":"#);
}

/// The canonical line after its content.
fn write_tail(line: &mut Vec<u8>, tracking_number: &str, seq: i64) {
    use std::io::Write;
    line.extend_from_slice(br#","request":"#);
    write_json_string(line, tracking_number);
    line.extend_from_slice(br#","seq":"#);
    write!(line, "{seq}}}").expect("writing into memory cannot fail");
}

/// `hash_hex(prev_hash, canonical(…))`, with the content fed to SHA-256 where it lies instead
/// of copied into the line; `scratch` holds the rest of the line.
#[allow(clippy::too_many_arguments)]
pub fn hash_event_hex(
    scratch: &mut Vec<u8>,
    prev_hash: &[u8],
    tracking_number: &str,
    seq: i64,
    at: NaiveDateTime,
    actor: &str,
    action: &str,
    content: &str,
) -> [u8; 64] {
    scratch.clear();
    write_head(scratch, at, actor, action);
    let head = scratch.len();
    write_tail(scratch, tracking_number, seq);
    let digest = Sha256::new()
        .chain_update(prev_hash)
        .chain_update(&scratch[..head])
        .chain_update(content.as_bytes())
        .chain_update(&scratch[head..])
        .finalize();
    let mut hex = [0_u8; 64];
    hex::encode_to_slice(digest, &mut hex).expect("32 bytes are 64 hex digits");
    hex
}

pub fn hash(prev_hash: &str, canonical_event: &str) -> String {
    let hex = hash_hex(prev_hash, canonical_event.as_bytes());
    String::from_utf8(hex.to_vec()).expect("hex digits are ASCII")
}

/// The hash as 64 lowercase hex digits, without allocating.
pub fn hash_hex(prev_hash: &str, canonical_event: &[u8]) -> [u8; 64] {
    let digest = Sha256::new()
        .chain_update(prev_hash.as_bytes())
        .chain_update(canonical_event)
        .finalize();
    let mut hex = [0_u8; 64];
    hex::encode_to_slice(digest, &mut hex).expect("32 bytes are 64 hex digits");
    hex
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

    #[test]
    fn times_are_written_as_chrono_writes_them() {
        let chrono_text = |at: NaiveDateTime| at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let times = [
            at(),
            day(2026, 12, 31)
                .and_hms_nano_opt(23, 59, 59, 999_999_999)
                .unwrap(),
            day(1, 1, 1).and_hms_opt(0, 0, 0).unwrap(),
            day(9999, 12, 31).and_hms_micro_opt(1, 2, 3, 4).unwrap(),
            day(10000, 1, 1).and_hms_opt(0, 0, 0).unwrap(),
            day(-1, 6, 15).and_hms_opt(12, 0, 0).unwrap(),
            // A leap second.
            day(2016, 12, 31)
                .and_hms_nano_opt(23, 59, 59, 1_500_000_000)
                .unwrap(),
        ];
        for time in times {
            assert_eq!(format_time(time), chrono_text(time));
        }
        for step in 0..10_000_i64 {
            let time = at() + chrono::Duration::microseconds(step * 7_919_993_311);
            assert_eq!(format_time(time), chrono_text(time));
        }
    }

    #[test]
    fn the_canonical_line_written_into_a_buffer_is_the_same_line() {
        let mut line = b"left over from the event before".to_vec();
        write_canonical(
            &mut line,
            "RR-2026-00001",
            12,
            at(),
            "staff:a\"b",
            "message",
            "{}",
        );
        assert_eq!(
            line,
            canonical("RR-2026-00001", 12, at(), "staff:a\"b", "message", "{}").as_bytes()
        );
        let whole = [GENESIS_HASH.as_bytes(), &line].concat();
        assert_eq!(
            hash_hex(GENESIS_HASH, &line).as_slice(),
            hex::encode(Sha256::digest(whole)).as_bytes()
        );
        let fed = hash_event_hex(
            &mut b"left over".to_vec(),
            GENESIS_HASH.as_bytes(),
            "RR-2026-00001",
            12,
            at(),
            "staff:a\"b",
            "message",
            "{}",
        );
        assert_eq!(fed, hash_hex(GENESIS_HASH, &line));
    }
}
