//! How a letter's words are kept in its `notice_queued` event: compressed (docs/PRODUCT.md,
//! "The audit log"). A letter is its text and its HTML, which say the same words, and most of
//! those words are the letters' own fixed wording, so they are packed together with zstd
//! against a dictionary made of that wording, and written into the event as base64 after a
//! mark naming the dictionary (`z1:`). The chain hashes the event's content as stored, packed
//! letter included, so `audit verify` checks these very bytes; a letter is unpacked when it is
//! sent, shown or put in a case file.
//!
//! The dictionary is frozen: a letter packed with it can only be unpacked with the same bytes,
//! so `dictionary-1.txt` never changes (a test holds its SHA-256). When the wording has moved
//! far enough from it to matter, a second dictionary comes beside it under a mark of its own,
//! and this one stays for the letters it packed.

use std::cell::RefCell;
use std::sync::LazyLock;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// The letters' wording as it stood when this form was made (docs/PRODUCT.md, "The audit
/// log"): the English and Spanish sentences of the letters to requesters and the staff
/// letters, in the order the templates have them. Never edited.
const DICTIONARY_1: &[u8] = include_bytes!("packed_letter/dictionary-1.txt");

/// The mark before a letter packed with [`DICTIONARY_1`].
const MARK_1: &str = "z1:";

/// zstd's level: a filing packs two letters while the requester waits. Level 9 packed the
/// seed's letters an eighth smaller than 3 but took three times as long (54 against 17 µs a
/// letter) (docs/PERFORMANCE.md, "Letters packed in the chain").
const LEVEL: i32 = 3;

/// No letter unpacks to more than this; anything claiming more is not one of ours.
const LARGEST: usize = 16 * 1024 * 1024;

static ENCODER: LazyLock<zstd::dict::EncoderDictionary<'static>> =
    LazyLock::new(|| zstd::dict::EncoderDictionary::copy(DICTIONARY_1, LEVEL));
static DECODER: LazyLock<zstd::dict::DecoderDictionary<'static>> =
    LazyLock::new(|| zstd::dict::DecoderDictionary::copy(DICTIONARY_1));

thread_local! {
    /// A compressor and a decompressor per thread, kept: making one for each letter costs a
    /// third again (17 against 22 µs to pack a letter, 7 against 10 to unpack one).
    static COMPRESSOR: RefCell<zstd::bulk::Compressor<'static>> = RefCell::new(
        zstd::bulk::Compressor::with_prepared_dictionary(&ENCODER)
            .expect("zstd makes a compressor in memory"),
    );
    static DECOMPRESSOR: RefCell<zstd::bulk::Decompressor<'static>> = RefCell::new(
        zstd::bulk::Decompressor::with_prepared_dictionary(&DECODER)
            .expect("zstd makes a decompressor in memory"),
    );
}

/// A packed letter that cannot be unpacked: a mark this build does not know, or bytes that are
/// not what packing writes.
#[derive(Debug, thiserror::Error)]
#[error("a packed letter could not be unpacked: {0}")]
pub struct Unpackable(String);

/// `words` packed: the mark, then the compressed bytes in base64.
pub fn pack(words: &[u8]) -> String {
    let packed = COMPRESSOR
        .with(|c| c.borrow_mut().compress(words))
        // zstd fails only on a context it cannot allocate or a buffer too small, neither of
        // which `compress` (which sizes its own) meets.
        .expect("zstd packs any bytes in memory");
    let mut out = String::with_capacity(MARK_1.len() + packed.len().div_ceil(3) * 4);
    out.push_str(MARK_1);
    STANDARD.encode_string(&packed, &mut out);
    out
}

/// The bytes `pack` was given.
pub fn unpack(packed: &str) -> Result<Vec<u8>, Unpackable> {
    let Some(body) = packed.strip_prefix(MARK_1) else {
        let mark: String = packed.chars().take_while(|c| *c != ':').take(8).collect();
        return Err(Unpackable(format!("unknown form {mark:?}")));
    };
    let bytes = STANDARD
        .decode(body)
        .map_err(|e| Unpackable(format!("not base64: {e}")))?;
    let size = zstd::bulk::Decompressor::upper_bound(&bytes)
        .ok_or_else(|| Unpackable("no size recorded".into()))?;
    if size > LARGEST {
        return Err(Unpackable(format!("claims {size} bytes")));
    }
    DECOMPRESSOR
        .with(|d| d.borrow_mut().decompress(&bytes, size))
        .map_err(|e| Unpackable(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Letters packed with the first dictionary unpack only with its very bytes.
    #[test]
    fn the_first_dictionary_is_never_edited() {
        assert_eq!(
            crate::secrets::sha256_hex(DICTIONARY_1),
            "daf45142e877596e79d27520d1dfc01b057924830b9049f238c837d3e81d25f5",
            "dictionary-1.txt unpacks letters already kept: add a second one instead"
        );
    }

    #[test]
    fn what_is_packed_unpacks_to_the_same_bytes() {
        let letter = "Dear Jane,\n\nWe received your public records request on Monday, \
                      March 2, 2026. Ünïcödé and <b>HTML</b> too.\n"
            .repeat(3);
        for words in [letter.as_str(), ""] {
            let packed = pack(words.as_bytes());
            assert!(packed.starts_with("z1:"), "{packed}");
            assert_eq!(unpack(&packed).unwrap(), words.as_bytes());
        }
    }

    /// The letters' own wording is what the dictionary holds: a letter made of it packs to
    /// less than half of what zstd makes of it alone.
    #[test]
    fn a_letter_in_the_letters_wording_packs_small() {
        let letter = "Dear Jane Doe,\n\nWe received your public records request on Monday, \
            March 2, 2026. Its tracking number is PRR-2026-00042.\n\nWe will tell you our \
            determination by Thursday, March 12, 2026. The California Public Records Act gives \
            the City 10 calendar days to decide. In unusual circumstances the City may extend \
            this once, by up to 14 days, and will tell you why in writing.";
        let packed = pack(letter.as_bytes());
        let alone = zstd::bulk::compress(letter.as_bytes(), LEVEL).unwrap();
        let alone = MARK_1.len() + STANDARD.encode(alone).len();
        assert!(
            packed.len() * 2 < alone,
            "{} bytes packed from {}, {alone} without the dictionary",
            packed.len(),
            letter.len()
        );
    }

    #[test]
    fn what_packing_did_not_write_is_refused_and_says_why() {
        let good = pack(b"a letter");
        for (bad, says) in [
            ("z9:AAAA", "unknown form \"z9\""),
            ("plain words", "unknown form \"plain wo\""),
            ("z1:@@@", "not base64"),
            ("z1:AAAAAAAA", ""),
            (&good[..good.len() - 4], ""),
        ] {
            let err = unpack(bad).unwrap_err().to_string();
            assert!(err.contains(says), "{bad}: {err}");
        }
    }
}
