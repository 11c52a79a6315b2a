//! The audit anchor: chain heads written outside the database (docs/RELIABILITY.md, "The audit
//! anchor"). Someone who can write the database can delete a chain's last events, or a whole
//! chain, and set the request's head to match: every hash still holds. The anchor file
//! remembers, for every chain, an event it had reached; `audit verify` then requires that
//! event to be in the chain, with that hash, so nothing committed before it can be removed,
//! reordered or edited unseen.
//!
//! The file is append-only JSON Lines, one anchor a line:
//!
//! ```text
//! {"at":"2026-03-02T09:30:00.123456Z","prev":"<64 hex>","chains":2,"heads":[["RR-2026-00001",7,"<64 hex>"],["RR-2026-00002",1,"<64 hex>"]]}
//! ```
//!
//! `heads` holds each chain that moved since the line before (tracking number, seq, hash of
//! that event); a chain's anchor is its highest seq over all lines. `prev` is the SHA-256 of
//! the line before (its bytes without the newline; 64 zeros for the first), so a line taken
//! out of the middle or edited is seen too. A last line without its newline was cut short by a
//! crash before it was synced: it was never an anchor, and is ignored (the writer drops it).
//! The writer is `anchoring.rs`.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::chain::{self, GENESIS_HASH};

/// The anchor file's name in the data folder, unless `[audit] anchor_path` names another.
pub const FILE_NAME: &str = "audit-anchor.jsonl";

/// One line of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub at: String,
    pub prev: String,
    pub chains: usize,
    /// (tracking number, seq, hash of the event at that seq).
    pub heads: Vec<(String, i64, String)>,
}

impl Line {
    pub fn new(at: NaiveDateTime, prev: &str, heads: Vec<(String, i64, String)>) -> Line {
        Line {
            at: chain::format_time(at),
            prev: prev.to_string(),
            chains: heads.len(),
            heads,
        }
    }

    /// The line as written, without its newline.
    pub fn text(&self) -> String {
        serde_json::to_string(self).expect("an anchor line always serialises")
    }
}

/// The SHA-256 of a line as written (without its newline): the next line's `prev`.
pub fn line_hash(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// What the file anchors: every chain's highest anchored event.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// Tracking number → (seq, hash).
    pub heads: HashMap<String, (i64, String)>,
    /// Complete lines read.
    pub lines: usize,
    /// When the last complete line was written.
    pub latest_at: Option<String>,
    /// The hash of the last complete line (the next line's `prev`).
    pub last_hash: String,
    /// Bytes of the complete lines: anything after was cut short.
    pub complete_len: usize,
    /// Lines that do not hold: unreadable, or not linked to the line before.
    pub problems: Vec<String>,
}

impl Anchor {
    /// Reads the file's bytes.
    pub fn parse(bytes: &[u8]) -> Anchor {
        let mut anchor = Anchor {
            last_hash: GENESIS_HASH.to_string(),
            ..Anchor::default()
        };
        let complete_len = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        anchor.complete_len = complete_len;
        for (index, raw) in bytes[..complete_len]
            .split_inclusive(|b| *b == b'\n')
            .enumerate()
        {
            let raw = &raw[..raw.len() - 1];
            let number = index + 1;
            let Ok(text) = std::str::from_utf8(raw) else {
                anchor.problems.push(format!("line {number} is not UTF-8"));
                continue;
            };
            let line: Line = match serde_json::from_str(text) {
                Ok(line) => line,
                Err(e) => {
                    anchor
                        .problems
                        .push(format!("line {number} is not an anchor: {e}"));
                    continue;
                }
            };
            if line.prev != anchor.last_hash {
                anchor.problems.push(format!(
                    "line {number} does not follow the line before it: lines were removed or changed"
                ));
            }
            anchor.last_hash = line_hash(text);
            anchor.lines += 1;
            anchor.latest_at = Some(line.at.clone());
            for (tracking_number, seq, hash) in line.heads {
                let entry = anchor
                    .heads
                    .entry(tracking_number)
                    .or_insert((0, String::new()));
                if seq >= entry.0 {
                    *entry = (seq, hash);
                }
            }
        }
        anchor
    }

    /// Reads the anchor file; `None` when there is none.
    pub fn read(path: &Path) -> std::io::Result<Option<Anchor>> {
        match std::fs::read(path) {
            Ok(bytes) => Ok(Some(Anchor::parse(&bytes))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The anchored seq and hash of a chain.
    pub fn head(&self, tracking_number: &str) -> Option<(i64, &str)> {
        self.heads
            .get(tracking_number)
            .map(|(seq, hash)| (*seq, hash.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No file is no anchor yet; a path that cannot be read as one is an error, never
    /// taken for "nothing anchored" (which would let a rewritten history pass).
    #[test]
    fn a_missing_anchor_is_none_and_an_unreadable_one_is_an_error() {
        let folder = tempfile::tempdir().unwrap();
        assert!(Anchor::read(&folder.path().join("absent.anchor"))
            .unwrap()
            .is_none());
        assert!(
            Anchor::read(folder.path()).is_err(),
            "a folder is not an anchor"
        );
    }

    fn at() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
    }

    fn file(lines: &[Vec<(String, i64, String)>]) -> String {
        let mut prev = GENESIS_HASH.to_string();
        let mut out = String::new();
        for heads in lines {
            let text = Line::new(at(), &prev, heads.clone()).text();
            prev = line_hash(&text);
            out.push_str(&text);
            out.push('\n');
        }
        out
    }

    fn head(tn: &str, seq: i64) -> (String, i64, String) {
        (tn.into(), seq, format!("{seq:064}"))
    }

    #[test]
    fn the_latest_seq_of_each_chain_is_its_anchor() {
        let text = file(&[
            vec![head("RR-2026-00001", 3), head("RR-2026-00002", 1)],
            vec![head("RR-2026-00001", 5)],
        ]);
        let anchor = Anchor::parse(text.as_bytes());
        assert_eq!(anchor.lines, 2);
        assert!(anchor.problems.is_empty(), "{:?}", anchor.problems);
        assert_eq!(anchor.head("RR-2026-00001").unwrap().0, 5);
        assert_eq!(anchor.head("RR-2026-00002").unwrap().0, 1);
        assert_eq!(anchor.complete_len, text.len());
    }

    #[test]
    fn a_line_cut_short_is_not_an_anchor() {
        let text = file(&[
            vec![head("RR-2026-00001", 3)],
            vec![head("RR-2026-00001", 4)],
        ]);
        let cut = &text[..text.len() - 10];
        let anchor = Anchor::parse(cut.as_bytes());
        assert_eq!(anchor.lines, 1);
        assert!(anchor.problems.is_empty());
        assert_eq!(anchor.head("RR-2026-00001").unwrap().0, 3);
        assert_eq!(anchor.complete_len, text.find('\n').unwrap() + 1);
    }

    #[test]
    fn a_line_taken_out_or_edited_is_seen() {
        let text = file(&[
            vec![head("RR-2026-00001", 1)],
            vec![head("RR-2026-00001", 2)],
            vec![head("RR-2026-00001", 3)],
        ]);
        let lines: Vec<&str> = text.lines().collect();
        let without_middle = format!("{}\n{}\n", lines[0], lines[2]);
        assert_eq!(Anchor::parse(without_middle.as_bytes()).problems.len(), 1);
        let edited = text.replace("RR-2026-00001\",2", "RR-2026-00001\",1");
        assert_eq!(Anchor::parse(edited.as_bytes()).problems.len(), 1);
    }
}
