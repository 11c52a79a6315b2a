//! The reading room's rules (docs/PRODUCT.md, "Reading room"): where a request stands in it,
//! the outcomes it publishes, and the check that a public summary carries no contact details.

use serde::{Deserialize, Serialize};

/// Where a request stands in the reading room once staff decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublicationStatus {
    Published,
    KeptOut,
    Withdrawn,
}

impl PublicationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PublicationStatus::Published => "published",
            PublicationStatus::KeptOut => "kept_out",
            PublicationStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(text: &str) -> Option<PublicationStatus> {
        match text {
            "published" => Some(PublicationStatus::Published),
            "kept_out" => Some(PublicationStatus::KeptOut),
            "withdrawn" => Some(PublicationStatus::Withdrawn),
            _ => None,
        }
    }
}

/// What the reading room says was decided: only grants are published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Granted,
    GrantedInPart,
}

impl Outcome {
    pub const ALL: [Outcome; 2] = [Outcome::Granted, Outcome::GrantedInPart];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Granted => "granted",
            Outcome::GrantedInPart => "granted_in_part",
        }
    }

    pub fn parse(text: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == text)
    }

    pub fn of_grant(partial: bool) -> Outcome {
        if partial {
            Outcome::GrantedInPart
        } else {
            Outcome::Granted
        }
    }
}

/// What a staff member may do to a request's place in the reading room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublicationAction {
    Publish,
    KeepOut,
    Withdraw,
}

impl PublicationAction {
    pub fn parse(text: &str) -> Option<PublicationAction> {
        match text {
            "publish" => Some(PublicationAction::Publish),
            "keep_out" => Some(PublicationAction::KeepOut),
            "withdraw" => Some(PublicationAction::Withdraw),
            _ => None,
        }
    }
}

/// Contact details found in a text meant for the public, each as it was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactFound {
    pub emails: Vec<String>,
    pub phones: Vec<String>,
}

impl ContactFound {
    pub fn is_empty(&self) -> bool {
        self.emails.is_empty() && self.phones.is_empty()
    }

    /// "an email address (a@b.org) and a phone number (555-123-4567)".
    pub fn words(&self) -> String {
        let mut parts = Vec::new();
        if !self.emails.is_empty() {
            parts.push(format!(
                "{} ({})",
                if self.emails.len() == 1 {
                    "an email address"
                } else {
                    "email addresses"
                },
                self.emails.join(", ")
            ));
        }
        if !self.phones.is_empty() {
            parts.push(format!(
                "{} ({})",
                if self.phones.len() == 1 {
                    "a phone number"
                } else {
                    "phone numbers"
                },
                self.phones.join(", ")
            ));
        }
        parts.join(" and ")
    }
}

/// Email-shaped and US-phone-shaped text in `text`, and the requester's own email and phone
/// however they were written there.
pub fn contact_details(text: &str, email: Option<&str>, phone: Option<&str>) -> ContactFound {
    let mut found = ContactFound::default();
    let push = |list: &mut Vec<String>, item: String| {
        if !list.contains(&item) {
            list.push(item);
        }
    };
    if let Some(email) = email.map(str::trim).filter(|e| !e.is_empty()) {
        // ASCII case only: it keeps every byte where it was, so the match's place in the
        // folded text is its place in the text (full Unicode folding can change lengths).
        let lower = text.to_ascii_lowercase();
        if let Some(at) = lower.find(&email.to_ascii_lowercase()) {
            push(&mut found.emails, text[at..at + email.len()].to_string());
        }
    }
    for candidate in email_shaped(text) {
        push(&mut found.emails, candidate);
    }
    let own_digits: String = phone
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    for span in number_spans(text) {
        let digits: String = span.chars().filter(char::is_ascii_digit).collect();
        let own = own_digits.len() >= 7 && digits.contains(own_digits.as_str());
        if own || phone_shaped(span) {
            push(&mut found.phones, span.to_string());
        }
    }
    found
}

fn local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._%+-".contains(c)
}

fn domain_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '.' || c == '-'
}

/// Each `local@domain.tld` in the text.
fn email_shaped(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices('@') {
        let start = text[..at]
            .char_indices()
            .rev()
            .take_while(|(_, c)| local_char(*c))
            .last()
            .map(|(i, _)| i);
        let end = at
            + 1
            + text[at + 1..]
                .char_indices()
                .take_while(|(_, c)| domain_char(*c))
                .last()
                .map(|(i, c)| i + c.len_utf8())
                .unwrap_or(0);
        let Some(start) = start else { continue };
        let domain = text[at + 1..end].trim_end_matches(['.', '-']);
        let tld_ok = domain
            .rsplit_once('.')
            .is_some_and(|(name, tld)| !name.is_empty() && tld.len() >= 2);
        if tld_ok {
            out.push(format!("{}@{domain}", &text[start..at]));
        }
    }
    out
}

/// Runs of digits and the separators phone numbers are written with, trimmed to digits and
/// brackets at both ends.
fn number_spans(text: &str) -> Vec<&str> {
    let part = |c: char| c.is_ascii_digit() || " ()-.+".contains(c);
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), '\0')]) {
        match (start, part(c) && i < text.len()) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                let span = text[s..i]
                    .trim_matches(|c: char| !c.is_ascii_digit() && c != '(' && c != '+')
                    .trim_end_matches(|c: char| !c.is_ascii_digit());
                if span.chars().any(|c| c.is_ascii_digit()) {
                    spans.push(span);
                }
                start = None;
            }
            _ => {}
        }
    }
    spans
}

/// A US phone number as people write one: 555-123-4567, (555) 123-4567, 555.123.4567,
/// +1 555 123 4567, 5551234567.
fn phone_shaped(span: &str) -> bool {
    let groups: Vec<usize> = span
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .map(str::len)
        .collect();
    matches!(
        groups.as_slice(),
        [3, 3, 4] | [1, 3, 3, 4] | [10] | [3, 7] | [1, 10]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_requesters_email_in_any_case() {
        let found = contact_details(
            "Ask JANE@Example.org about it",
            Some("jane@example.org"),
            None,
        );
        assert_eq!(found.emails, vec!["JANE@Example.org".to_string()]);
        assert!(found.words().contains("an email address"));
        // Letters whose lower case is longer come before it: found, and nothing breaks.
        let found = contact_details("İİİ ẞ JANE@Example.org", Some("jane@example.org"), None);
        assert_eq!(found.emails, vec!["JANE@Example.org".to_string()]);
    }

    #[test]
    fn finds_email_and_phone_shaped_text() {
        let found = contact_details(
            "Write to a.b+c@city.gov. or call (555) 123-4567, or +1 555.123.4567.",
            None,
            None,
        );
        assert_eq!(found.emails, vec!["a.b+c@city.gov".to_string()]);
        assert_eq!(found.phones.len(), 2, "{:?}", found.phones);
    }

    #[test]
    fn finds_the_requesters_phone_however_written() {
        let found = contact_details("ref 44 20 7946 0958", None, Some("+44 20 7946 0958"));
        assert_eq!(found.phones.len(), 1);
    }

    #[test]
    fn years_amounts_and_handles_are_not_contact_details() {
        let found = contact_details(
            "Permits issued 2023-2024, 1,200 of them; see @cityhall and item 12.5",
            Some("x@y.org"),
            Some("555-000-1111"),
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn stored_words_read_back() {
        for status in [
            PublicationStatus::Published,
            PublicationStatus::KeptOut,
            PublicationStatus::Withdrawn,
        ] {
            assert_eq!(PublicationStatus::parse(status.as_str()), Some(status));
        }
        for outcome in Outcome::ALL {
            assert_eq!(Outcome::parse(outcome.as_str()), Some(outcome));
        }
    }
}
