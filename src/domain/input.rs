//! Values that arrive from outside, parsed at the edge into types that cannot be wrong.
//! Each parser returns a plain message; callers collect them per field in [`FieldErrors`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use validator::ValidateEmail;

/// Per-field messages for a 422 answer or a re-rendered form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldErrors(pub BTreeMap<String, Vec<String>>);

impl FieldErrors {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.entry(field.into()).or_default().push(message.into());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Keeps the value when it parsed, records the message under `field` when it did not.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, String>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }

    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

/// Characters that are not text: they show nothing, or reorder what is shown around them
/// (zero-width spaces, word joiner, byte-order mark, Mongolian vowel separator, bidirectional
/// embeddings, overrides and isolates). Refused in everything people type: a name could hide
/// another name in them, a citation could read backwards.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{180E}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// The Unicode line and paragraph separators: line breaks, which single-line text refuses.
pub fn is_line_separator(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}')
}

/// Trimmed text of bounded length. Single-line text has no control characters and no line
/// separators at all, so it can never break an email header; multi-line text may hold
/// newlines and tabs. Single-line text holds no invisible characters ([`is_invisible`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Text(String);

impl Text {
    pub fn line(raw: &str, max_chars: usize) -> Result<Text, String> {
        Self::parse(raw, max_chars, false)
    }

    pub fn multiline(raw: &str, max_chars: usize) -> Result<Text, String> {
        Self::parse(raw, max_chars, true)
    }

    fn parse(raw: &str, max_chars: usize, multiline: bool) -> Result<Text, String> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err("must not be empty".into());
        }
        let chars = trimmed.chars().count();
        if chars > max_chars {
            return Err(format!(
                "must be at most {max_chars} characters (it has {chars})"
            ));
        }
        let allowed = |c: char| {
            (!c.is_control() || (multiline && matches!(c, '\n' | '\r' | '\t')))
                && (multiline || !is_line_separator(c))
        };
        if !trimmed.chars().all(allowed) {
            return Err(if multiline {
                "must not contain control characters".into()
            } else {
                "must be a single line without control characters".into()
            });
        }
        // A name, a title, an address is a label people compare by eye: nothing invisible in
        // it. Multi-line text (a description, a message) is kept exactly as written, and pages
        // show it isolated (`dir="auto"`), so quoting such characters cannot reorder them.
        if !multiline && trimmed.chars().any(is_invisible) {
            return Err(
                "must not contain invisible characters (zero-width spaces or direction overrides)"
                    .into(),
            );
        }
        Ok(Text(trimmed.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// Limits on what people type, generous enough for real requests.
pub mod limits {
    pub const NAME: usize = 200;
    pub const EMAIL: usize = 254;
    pub const PHONE: usize = 40;
    pub const ORGANIZATION: usize = 200;
    pub const DESCRIPTION: usize = 10_000;
    pub const FIELD_TEXT: usize = 5_000;
    pub const FORMAT: usize = 100;
    pub const DATASET_ID: usize = 200;
    pub const CITATION: usize = 300;
    pub const MESSAGE: usize = 20_000;
    pub const DECISION: usize = 20_000;
    /// A postal address, on as many lines as it takes.
    pub const POSTAL_ADDRESS: usize = 500;
    /// A complaint's subject, and where it happened.
    pub const SUBJECT: usize = 200;
    pub const LOCATION: usize = 300;
    /// An agency a complaint is referred to.
    pub const AGENCY: usize = 200;
}

/// An email address, lower-cased in its domain part, that a mail server would accept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// An address a mail server will take: besides the usual syntax, no dot at either end of
    /// the name or two in a row, a domain name with a dot in it (not an address in brackets,
    /// not a bare host), and nothing invisible. Anything else would be filed and then never
    /// delivered.
    pub fn parse(raw: &str) -> Result<Email, String> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err("must not be empty".into());
        }
        if trimmed.len() > limits::EMAIL {
            return Err(format!("must be at most {} characters", limits::EMAIL));
        }
        let invalid = || "must be a valid email address, like name@example.com".to_string();
        let odd = |c: char| {
            c.is_control()
                || c.is_whitespace()
                || is_invisible(c)
                || matches!(c, '\u{200C}' | '\u{200D}' | '\u{00AD}')
        };
        if trimmed.chars().any(odd) || !trimmed.validate_email() {
            return Err(invalid());
        }
        let (local, domain) = trimmed.rsplit_once('@').ok_or_else(invalid)?;
        let local_ok = !local.starts_with('.') && !local.ends_with('.') && !local.contains("..");
        let domain_ok = !domain.starts_with('[')
            && domain.contains('.')
            && domain
                .split('.')
                .all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'));
        if !local_ok || !domain_ok {
            return Err(invalid());
        }
        Ok(Email(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// For logs: enough to tell addresses apart, not enough to contact anyone.
    pub fn masked(&self) -> String {
        mask_email(&self.0)
    }
}

/// `jane.doe@example.com` → `j***@example.com`.
pub fn mask_email(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

/// A telephone number as people write it: digits and the usual punctuation. Its length is
/// counted as sent, spaces around it included, so the OpenAPI schema can state it.
pub fn parse_phone(raw: &str) -> Result<Text, String> {
    let chars = raw.chars().count();
    if chars > limits::PHONE {
        return Err(format!(
            "must be at most {} characters (it has {chars})",
            limits::PHONE
        ));
    }
    let text = Text::line(raw, limits::PHONE)?;
    let ok = text
        .as_str()
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().xX".contains(c))
        && text.as_str().chars().filter(char::is_ascii_digit).count() >= 7;
    if ok {
        Ok(text)
    } else {
        Err("must be a telephone number, like (925) 671-3000".into())
    }
}

/// A count in a query string (a page, a page size): decimal digits only, 1 to `max`.
pub fn parse_count(raw: &str, max: i64) -> Option<i64> {
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse::<i64>().ok().filter(|n| (1..=max).contains(n))
}

/// A request's public identifier, e.g. `RR-2026-00042`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TrackingNumber(String);

impl TrackingNumber {
    pub const PREFIX: &'static str = "RR";

    pub fn new(year: i32, sequence: i64) -> TrackingNumber {
        TrackingNumber(format!("{}-{year:04}-{sequence:05}", Self::PREFIX))
    }

    pub fn parse(raw: &str) -> Option<TrackingNumber> {
        let mut parts = raw.split('-');
        let (prefix, year, seq) = (parts.next()?, parts.next()?, parts.next()?);
        let digits = |s: &str, min: usize, max: usize| {
            (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
        };
        (parts.next().is_none()
            && prefix == Self::PREFIX
            && digits(year, 4, 4)
            && digits(seq, 5, 12))
        .then(|| TrackingNumber(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TrackingNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person responsible for withholding records, named with their title or position
/// (Gov. Code §7922.540(b)): a staff member, or someone without an account (outside counsel).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Responsible {
    pub name: String,
    pub title: String,
    /// The staff account, when the person has one: they may not review the appeal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_id: Option<super::ids::StaffId>,
}

impl Responsible {
    pub fn parse(name: &str, title: &str) -> Result<Responsible, String> {
        let name = Text::line(name, limits::NAME).map_err(|e| format!("name {e}"))?;
        let title = Text::line(title, limits::NAME).map_err(|e| format!("title {e}"))?;
        Ok(Responsible {
            name: name.into_string(),
            title: title.into_string(),
            staff_id: None,
        })
    }
}

/// A legal citation such as "Gov. Code §7927.705".
pub fn parse_citation(raw: &str) -> Result<Text, String> {
    Text::line(raw, limits::CITATION)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(Text::line("  hello ", 10).unwrap().as_str(), "hello");
        assert!(Text::line("   ", 10).is_err());
        assert!(Text::line("abcdefghijk", 10).is_err());
        assert!(
            Text::line("ééééé", 5).is_ok(),
            "limits count characters, not bytes"
        );
    }

    #[test]
    fn single_line_text_refuses_line_breaks_that_could_inject_headers() {
        assert!(Text::line("Jane\r\nBcc: x@example.com", 100).is_err());
        assert!(Text::multiline("line one\nline two", 100).is_ok());
        assert!(Text::multiline("bell\u{7}", 100).is_err());
    }

    #[test]
    fn emails_are_checked_and_their_domain_lower_cased() {
        assert_eq!(
            Email::parse(" Jane@Example.COM ").unwrap().as_str(),
            "Jane@example.com"
        );
        for bad in [
            "",
            "jane",
            "jane@",
            "@example.com",
            "ja ne@example.com",
            "a@b\r\nBcc: c@d",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn addresses_no_mail_server_takes_are_refused() {
        for bad in [
            ".jane@example.com",
            "jane.@example.com",
            "jane..doe@example.com",
            "jane@[127.0.0.1]",
            "jane@example",
            "jane@exa\u{200B}mple.com",
            "jane@-example.com",
            "jane@example..com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
        for good in [
            "jane.doe@example.com",
            "o'brien+records@mail.example.org",
            "j@x.io",
        ] {
            assert!(Email::parse(good).is_ok(), "{good:?} should be taken");
        }
    }

    #[test]
    fn invisible_characters_and_line_separators_are_not_text() {
        for hidden in [
            "Jane\u{200B}Doe",
            "\u{202E}eoD enaJ",
            "Jane\u{2066}Doe",
            "\u{FEFF}Jane",
        ] {
            assert!(Text::line(hidden, 100).is_err(), "{hidden:?}");
            // Kept exactly in a description or message, shown isolated.
            assert!(Text::multiline(hidden, 100).is_ok(), "{hidden:?}");
        }
        assert!(Text::line("one\u{2028}two", 100).is_err());
        assert!(Text::multiline("one\u{2028}two", 100).is_ok());
        // Joiners belong to some scripts (Persian names, emoji): they stay.
        assert!(Text::line("می\u{200C}خواهم", 100).is_ok());
    }

    #[test]
    fn masked_emails_keep_only_the_first_letter_and_the_domain() {
        assert_eq!(mask_email("jane.doe@example.com"), "j***@example.com");
        assert_eq!(mask_email("nonsense"), "***");
    }

    #[test]
    fn phones_take_the_usual_punctuation() {
        assert!(parse_phone("(925) 671-3000").is_ok());
        assert!(parse_phone("+1 925 671 3000 x12").is_ok());
        assert!(parse_phone("call me").is_err());
        assert!(parse_phone("12345").is_err());
        assert!(parse_phone(&format!("{}925 671 3000", " ".repeat(30))).is_err());
    }

    #[test]
    fn counts_are_plain_digits_within_bounds() {
        assert_eq!(parse_count("7", 10), Some(7));
        assert_eq!(parse_count("007", 10), Some(7));
        for bad in [
            "",
            " 7",
            "+7",
            "-1",
            "0",
            "11",
            "7.0",
            "99999999999999999999",
        ] {
            assert_eq!(parse_count(bad, 10), None, "{bad:?}");
        }
    }

    #[test]
    fn tracking_numbers_round_trip_and_reject_lookalikes() {
        let tn = TrackingNumber::new(2026, 42);
        assert_eq!(tn.as_str(), "RR-2026-00042");
        assert_eq!(TrackingNumber::parse("RR-2026-00042"), Some(tn));
        assert_eq!(
            TrackingNumber::parse("RR-2026-1234567").unwrap().as_str(),
            "RR-2026-1234567"
        );
        for bad in [
            "",
            "RR-2026-42",
            "XX-2026-00042",
            "RR-26-00042",
            "RR-2026-00042-1",
            "RR-2026-0004a",
        ] {
            assert!(TrackingNumber::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn field_errors_collect_messages_per_field() {
        let mut errors = FieldErrors::default();
        assert_eq!(errors.check("a", Ok::<_, String>(1)), Some(1));
        assert_eq!(errors.check::<i32>("b", Err("bad".into())), None);
        errors.add("b", "worse");
        assert_eq!(errors.0["b"], vec!["bad".to_string(), "worse".to_string()]);
        assert!(errors.into_result().is_err());
    }
}
