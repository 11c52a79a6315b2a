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
    /// The requester's name, as written in the text.
    pub names: Vec<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
}

/// The requester as the reading room guards against naming them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Requester<'a> {
    pub name: Option<&'a str>,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
}

impl ContactFound {
    pub fn is_empty(&self) -> bool {
        self.names.is_empty() && self.emails.is_empty() && self.phones.is_empty()
    }

    /// "the requester's name (Jane Roe), an email address (a@b.org) and a phone number
    /// (555-123-4567)".
    pub fn words(&self) -> String {
        let mut parts = Vec::new();
        if !self.names.is_empty() {
            parts.push(format!("the requester's name ({})", self.names.join(", ")));
        }
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
        match parts.len() {
            0 | 1 => parts.join(""),
            n => format!("{} and {}", parts[..n - 1].join(", "), parts[n - 1]),
        }
    }
}

/// Where the requester's own name is written in `text`, whole words, in any ASCII case; a
/// name shorter than three letters is not looked for (it would be found everywhere).
fn name_in(text: &str, name: Option<&str>) -> Option<String> {
    let name = name.map(str::trim).filter(|n| n.chars().count() >= 3)?;
    // ASCII case only, as for the email: each byte keeps its place.
    let lower = text.to_ascii_lowercase();
    let wanted = name.to_ascii_lowercase();
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    lower.match_indices(&wanted).find_map(|(at, _)| {
        let end = at + wanted.len();
        let before = text[..at].chars().next_back();
        let after = text[end..].chars().next();
        (!word(before) && !word(after)).then(|| text[at..end].to_string())
    })
}

/// The requester's own name, email and phone however written in `text` (and nothing
/// else): for a text staff cannot change, such as the decision a published item shows.
pub fn requester_details(text: &str, who: &Requester<'_>) -> ContactFound {
    let mut found = own_contact(text, who.email, who.phone);
    found.names.extend(name_in(text, who.name));
    if found.names.is_empty() {
        // A letter names its reader in part: "Dear Jane," or "Ms. Roe".
        found.names.extend(name_parts_in(text, who.name));
    }
    found
}

/// Each part of the requester's name of three letters or more, written as in their name
/// (capitals included: a name in a letter is capitalised, and "Park" the name is then told
/// from "park" the place less often), as whole words.
fn name_parts_in(text: &str, name: Option<&str>) -> Vec<String> {
    let Some(name) = name else {
        return Vec::new();
    };
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut found = Vec::new();
    for part in name.split_whitespace() {
        let part = part.trim_matches(|c: char| !c.is_alphanumeric());
        if part.chars().count() < 3 || found.iter().any(|f| f == part) {
            continue;
        }
        let whole = text.match_indices(part).any(|(at, _)| {
            !word(text[..at].chars().next_back()) && !word(text[at + part.len()..].chars().next())
        });
        if whole {
            found.push(part.to_string());
        }
    }
    found
}

/// Everything `contact_details` finds, and the requester's name: for a public summary.
pub fn public_text_details(text: &str, who: &Requester<'_>) -> ContactFound {
    let mut found = contact_details(text, who.email, who.phone);
    found.names.extend(name_in(text, who.name));
    found
}

/// Email-shaped and US-phone-shaped text in `text`, and the requester's own email and phone
/// however they were written there.
pub fn contact_details(text: &str, email: Option<&str>, phone: Option<&str>) -> ContactFound {
    let mut found = own_contact(text, email, phone);
    for candidate in email_shaped(text) {
        push(&mut found.emails, candidate);
    }
    for span in number_spans(text) {
        if phone_shaped(span) {
            push(&mut found.phones, span.to_string());
        }
    }
    found
}

fn push(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// The requester's own email and phone however they were written in `text`.
fn own_contact(text: &str, email: Option<&str>, phone: Option<&str>) -> ContactFound {
    let mut found = ContactFound::default();
    if let Some(email) = email.map(str::trim).filter(|e| !e.is_empty()) {
        // ASCII case only: it keeps every byte where it was, so the match's place in the
        // folded text is its place in the text (full Unicode folding can change lengths).
        let lower = text.to_ascii_lowercase();
        if let Some(at) = lower.find(&email.to_ascii_lowercase()) {
            push(&mut found.emails, text[at..at + email.len()].to_string());
        }
    }
    let own_digits: String = phone
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    if own_digits.len() >= 7 {
        for span in number_spans(text) {
            let digits: String = span.chars().filter(char::is_ascii_digit).collect();
            if digits.contains(own_digits.as_str()) {
                push(&mut found.phones, span.to_string());
            }
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

    const JANE: Requester<'static> = Requester {
        name: Some("Jane Roe"),
        email: Some("jane@example.org"),
        phone: Some("925-555-0100"),
    };

    #[test]
    fn finds_the_requesters_name_as_whole_words_in_any_case() {
        let found = public_text_details("Records asked for by JANE ROE in March.", &JANE);
        assert_eq!(found.names, vec!["JANE ROE".to_string()]);
        assert_eq!(found.words(), "the requester's name (JANE ROE)");
        // Inside a longer word it is not her name.
        assert!(public_text_details("Ask Mary-Jane Roebuck.", &JANE).is_empty());
        // A name of two letters is never looked for.
        let short = Requester {
            name: Some("Al"),
            ..Requester::default()
        };
        assert!(public_text_details("All permits", &short).is_empty());
    }

    #[test]
    fn a_decision_is_checked_for_the_requester_only() {
        let decision = "Dear Jane Roe: call the Clerk at (925) 671-3000 or cityclerk@city.gov.";
        let found = requester_details(decision, &JANE);
        assert_eq!(found.names, vec!["Jane Roe".to_string()]);
        // In part, as letters name their reader; as whole words, capitalised as in the name.
        assert_eq!(
            requester_details("Dear Jane,", &JANE).names,
            vec!["Jane".to_string()]
        );
        assert_eq!(
            requester_details("Dear Ms. Roe:", &JANE).names,
            vec!["Roe".to_string()]
        );
        assert!(requester_details("Janet and roe deer", &JANE).is_empty());
        // A part of two letters is never looked for on its own.
        let short = Requester {
            name: Some("Jo Li"),
            ..Requester::default()
        };
        assert!(requester_details("Ask Jo or Li at the desk", &short).is_empty());
        assert!(
            found.emails.is_empty() && found.phones.is_empty(),
            "{found:?}"
        );
        let found = requester_details("We wrote to jane@example.org and 925.555.0100.", &JANE);
        assert_eq!(found.emails.len(), 1);
        assert_eq!(found.phones.len(), 1);
        assert_eq!(
            found.words(),
            "an email address (jane@example.org) and a phone number (925.555.0100)"
        );
        let all = public_text_details("Jane Roe, jane@example.org, 925 555 0100", &JANE);
        assert!(all
            .words()
            .starts_with("the requester's name (Jane Roe), an email address"));
    }

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
