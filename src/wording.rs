//! The fixed wording of what requesters read, one Fluent file per language
//! (`templates/wording/<language>/*.ftl`, embedded at build time): the tracking page's timeline,
//! stages and next step, the names of states and kinds, the lines shown after a step, and the
//! subjects of the requester's letters. A second language is a second folder of the same
//! messages (docs/PRODUCT.md, "Wording"); the message ids in code are checked against every
//! language by the tests below.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

fluent_templates::static_loader! {
    static WORDING = {
        locales: "./templates/wording",
        fallback_language: "en-US",
        // No Unicode isolation marks around placed values: the text goes into plain-text
        // letters and HTML alike, and the values are dates, numbers and titles.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A language the wording is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    English,
}

impl Language {
    pub const ALL: [Language; 1] = [Language::English];

    fn id(self) -> LanguageIdentifier {
        match self {
            Language::English => "en-US".parse().expect("a valid language identifier"),
        }
    }
}

/// A value placed into a message.
#[derive(Debug, Clone)]
pub enum Arg<'a> {
    Text(&'a str),
    Number(i64),
}

/// The message `id` in `language`, its `{ $name }` places filled from `args`. A message missing
/// from the language is a mistake of ours that the tests catch; were one to slip through, the
/// English text stands in, and failing that the id.
pub fn say(language: Language, id: &str, args: &[(&str, Arg<'_>)]) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
        .iter()
        .map(|(name, value)| {
            let value = match value {
                Arg::Text(text) => FluentValue::from(*text),
                Arg::Number(n) => FluentValue::from(*n),
            };
            (Cow::Owned((*name).to_string()), value)
        })
        .collect();
    WORDING
        .try_lookup_complete(&language.id(), id, Some(&args))
        .unwrap_or_else(|| {
            log::error!("the wording has no message {id:?}");
            id.to_string()
        })
}

/// The message `id` in `language`, without values.
pub fn word(language: Language, id: &str) -> String {
    say(language, id, &[])
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The ids of a language's messages, read from its files.
    fn messages_of(language: Language) -> Vec<String> {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("templates/wording")
            .join(language.id().to_string());
        let mut ids = Vec::new();
        for file in std::fs::read_dir(&folder).expect("the language's folder") {
            let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
            for line in text.lines() {
                if let Some((id, _)) = line.split_once(" =") {
                    if !id.is_empty() && id.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
                        ids.push(id.to_string());
                    }
                }
            }
        }
        ids
    }

    /// The message ids the code names: quoted words joined by hyphens that start as the
    /// wording's ids do.
    fn ids_in_code() -> Vec<(String, String)> {
        const PREFIXES: [&str; 12] = [
            "timeline-",
            "stage-",
            "next-",
            "status-",
            "kind-",
            "key-",
            "done-",
            "withdraw-",
            "find-",
            "subject-",
            "letter-kind-",
            "form-",
        ];
        let mut found = Vec::new();
        let mut folders = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for quoted in text.split('"').skip(1).step_by(2) {
                        let is_id = PREFIXES.iter().any(|p| quoted.starts_with(p))
                            && quoted.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                            && !quoted.ends_with('-');
                        if is_id {
                            found.push((quoted.to_string(), path.display().to_string()));
                        }
                    }
                }
            }
        }
        found
    }

    #[test]
    fn every_message_the_code_names_is_written_in_every_language_and_none_is_unused() {
        let named = ids_in_code();
        assert!(
            named.len() > 50,
            "the scan found the code's messages: {named:?}"
        );
        for language in Language::ALL {
            let written = messages_of(language);
            for (id, file) in &named {
                assert!(
                    written.contains(id),
                    "{language:?} has no message {id:?} (named in {file})"
                );
            }
            for id in &written {
                assert!(
                    named.iter().any(|(n, _)| n == id),
                    "{language:?}'s message {id:?} is named nowhere in the code"
                );
            }
        }
    }

    #[test]
    fn values_are_placed_without_isolation_marks_and_counts_choose_their_form() {
        let one = say(
            Language::English,
            "timeline-documents-released",
            &[("count", Arg::Number(1))],
        );
        assert_eq!(one, "We released 1 document to you.");
        let many = say(
            Language::English,
            "timeline-documents-released",
            &[("count", Arg::Number(3))],
        );
        assert_eq!(many, "We released 3 documents to you.");
        let due = say(
            Language::English,
            "timeline-received",
            &[("due", Arg::Text("Monday, December 14, 2026"))],
        );
        assert_eq!(
            due,
            "We received your request. We will tell you our decision by Monday, December 14, 2026."
        );
    }

    #[test]
    fn a_missing_message_is_named_not_a_panic() {
        assert_eq!(
            word(Language::English, "no-such-message"),
            "no-such-message"
        );
    }
}
