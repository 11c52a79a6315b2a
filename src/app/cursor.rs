//! Where a page of a list starts, as its "Next page" link carries it: the sort key of the last
//! row of the page before, two parts (a time or a date, then what breaks its ties), written as
//! `first/second` and made safe for a URL. The queue and the reading room's ready list read
//! their parts back, each in its own types; anything else is not a cursor.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// The cursor of a row whose sort key is (`first`, `second`). `first` must not hold a '/'.
pub fn encode(first: impl std::fmt::Display, second: impl std::fmt::Display) -> String {
    URL_SAFE_NO_PAD.encode(format!("{first}/{second}"))
}

/// The two parts of a cursor, as text, if it is one.
pub fn decode(raw: &str) -> Option<(String, String)> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(raw).ok()?).ok()?;
    let (first, second) = text.split_once('/')?;
    Some((first.to_string(), second.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_gives_back_its_two_parts_and_garbage_is_refused() {
        let cursor = encode("2026-12-01", 42);
        assert_eq!(decode(&cursor), Some(("2026-12-01".into(), "42".into())));
        // The second part may hold a '/': only the first is split at.
        assert_eq!(decode(&encode(7, "a/b")), Some(("7".into(), "a/b".into())));
        for bad in [
            "",
            "not a cursor",
            "zzz",
            &URL_SAFE_NO_PAD.encode("no slash"),
        ] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }
}
