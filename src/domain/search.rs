//! What staff type into a search box, read as a tracking number, an email address or words,
//! and the one way text is folded into words, for what is indexed and for what is searched
//! alike (docs/PRODUCT.md, "Search"). Both databases index the text folded here, so they
//! agree on what matches: "José O’Brien" is found by "jose obrien" on either.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::input::{Email, Text, TrackingNumber};

/// The most a search box takes, in characters.
pub const MAX_QUERY_CHARS: usize = 500;

/// Words past this many are not searched for: each further word only narrows a list that
/// is already short, and costs the database a posting list.
pub const MAX_WORDS: usize = 12;

/// Text as the index keeps it: lower case, accents dropped, apostrophes closed up ("o'brien"
/// is "obrien"), every other character that is not a letter or a digit a space between
/// words. What is left is words of letters and digits and single spaces: nothing either
/// database's full-text syntax reads as an operator.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.nfkd().filter(|c| !is_combining_mark(*c)) {
        if is_apostrophe(c) {
            continue;
        }
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.extend(c.to_lowercase().filter(|c| !is_combining_mark(*c)));
        } else {
            gap = true;
        }
    }
    out
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`' | '\u{00B4}'
    )
}

/// The words of a text, folded.
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// What a search box asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Terms {
    /// One request, by its number: found exactly, not by words.
    TrackingNumber(TrackingNumber),
    /// Every request filed from this address (compared without regard to case).
    Email(String),
    /// Requests whose text has every one of these words (folded, at most `MAX_WORDS`). Empty
    /// when the box held only punctuation: nothing matches, and that is not an error.
    Words(Vec<String>),
}

impl Terms {
    /// Reads a search box. Blank is an error (there is nothing to search for), and so are
    /// more than `MAX_QUERY_CHARS` and control characters; anything else is a search, whatever
    /// punctuation or search syntax it holds.
    pub fn parse(raw: &str) -> Result<Terms, String> {
        if raw.trim().is_empty() {
            return Err("enter a tracking number, a name, an email address or words".into());
        }
        // One line of text, as every other field takes it: control characters are refused.
        let line = Text::line(raw, MAX_QUERY_CHARS)?;
        let trimmed = line.as_str();
        if let Some(number) = TrackingNumber::parse(&trimmed.to_uppercase()) {
            return Ok(Terms::TrackingNumber(number));
        }
        if trimmed.contains('@') {
            if let Ok(email) = Email::parse(trimmed) {
                return Ok(Terms::Email(email.as_str().to_lowercase()));
            }
        }
        let mut found = words(trimmed);
        let mut seen = std::collections::HashSet::new();
        found.retain(|w| seen.insert(w.clone()));
        found.truncate(MAX_WORDS);
        Ok(Terms::Words(found))
    }
}

/// The text a request is found by: its number, who filed it and what was written on it.
#[derive(Debug, Clone, Default)]
pub struct RequestText<'a> {
    pub tracking_number: &'a str,
    pub requester_name: Option<&'a str>,
    pub requester_email: Option<&'a str>,
    pub organization: Option<&'a str>,
    pub description: &'a str,
    pub intended_use: Option<&'a str>,
    /// A complaint's subject and where it happened.
    pub subject: Option<&'a str>,
    pub location: Option<&'a str>,
    /// Every message on the request, either way, in any order.
    pub messages: Vec<&'a str>,
}

impl RequestText<'_> {
    /// The folded words the index keeps for the request.
    pub fn folded(&self) -> String {
        let parts = [
            Some(self.tracking_number),
            self.requester_name,
            self.requester_email,
            self.organization,
            self.subject,
            Some(self.description),
            self.intended_use,
            self.location,
        ];
        let mut out = String::new();
        for part in parts
            .into_iter()
            .flatten()
            .chain(self.messages.iter().copied())
        {
            let folded = fold(part);
            if folded.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&folded);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_case_and_apostrophes_fold_away() {
        assert_eq!(fold("José Núñez"), "jose nunez");
        assert_eq!(fold("O'Brien and O’Brien"), "obrien and obrien");
        assert_eq!(fold("ÇA  GÜNTHER\tﬁle"), "ca gunther file");
        assert_eq!(fold("Straße"), "straße");
    }

    #[test]
    fn punctuation_and_search_syntax_are_spaces() {
        assert_eq!(
            fold("\"Willow Pass\" AND (sidewalk*) NEAR/2 -x"),
            "willow pass and sidewalk near 2 x"
        );
        assert_eq!(fold("a:b ^c {d} [e] f|g & h! <i>"), "a b c d e f g h i");
        assert_eq!(fold("  ...  "), "");
        assert_eq!(
            words("1,200 ft. of 6\" pipe"),
            ["1", "200", "ft", "of", "6", "pipe"]
        );
    }

    #[test]
    fn a_tracking_number_is_found_exactly_in_any_case() {
        assert_eq!(
            Terms::parse(" rr-2026-00042 "),
            Ok(Terms::TrackingNumber(
                TrackingNumber::parse("RR-2026-00042").unwrap()
            ))
        );
        // Not a whole number: its parts are words.
        assert_eq!(
            Terms::parse("RR-2026"),
            Ok(Terms::Words(vec!["rr".into(), "2026".into()]))
        );
    }

    #[test]
    fn an_email_is_found_exactly_without_regard_to_case() {
        assert_eq!(
            Terms::parse("Jane.Doe@Example.org"),
            Ok(Terms::Email("jane.doe@example.org".into()))
        );
        // Not an address: words.
        assert_eq!(Terms::parse("@jane"), Ok(Terms::Words(vec!["jane".into()])));
    }

    #[test]
    fn words_are_folded_deduplicated_and_capped() {
        assert_eq!(
            Terms::parse("Willow willow WILLÔW pass"),
            Ok(Terms::Words(vec!["willow".into(), "pass".into()]))
        );
        let many = (0..30)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        match Terms::parse(&many) {
            Ok(Terms::Words(w)) => assert_eq!(w.len(), MAX_WORDS),
            other => panic!("{other:?}"),
        }
        assert_eq!(Terms::parse("\"*\" -- ()"), Ok(Terms::Words(vec![])));
    }

    #[test]
    fn blank_and_overlong_searches_are_refused() {
        assert!(Terms::parse("   ").is_err());
        assert!(Terms::parse(&"a".repeat(MAX_QUERY_CHARS + 1)).is_err());
        assert!(Terms::parse(&"a".repeat(MAX_QUERY_CHARS)).is_ok());
    }

    #[test]
    fn a_requests_text_holds_each_part_folded() {
        let text = RequestText {
            tracking_number: "RR-2026-00001",
            requester_name: Some("Zoë O'Neil"),
            requester_email: Some("zoe@example.org"),
            organization: None,
            description: "Sidewalk repairs on Willow Pass Road",
            intended_use: None,
            subject: None,
            location: None,
            messages: vec!["", "Any update?"],
        };
        assert_eq!(
            text.folded(),
            "rr 2026 00001 zoe oneil zoe example org sidewalk repairs on willow pass road any update"
        );
    }
}
