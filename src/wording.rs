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

/// A language the wording is written in. English is the legal original; the Spanish wording
/// needs review by a qualified translator before a city relies on it (docs/PRODUCT.md,
/// "Languages").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    English,
    Spanish,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::English, Language::Spanish];

    fn id(self) -> LanguageIdentifier {
        match self {
            Language::English => "en-US".parse().expect("a valid language identifier"),
            Language::Spanish => "es".parse().expect("a valid language identifier"),
        }
    }

    /// The code stored with a request and sent in the language switch: `en`, `es`.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Spanish => "es",
        }
    }

    /// Its name as staff pages (in English) give it.
    pub fn english_name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::Spanish => "Spanish",
        }
    }

    /// The language of a code (`en`, `es`, or a longer tag such as `es-MX`), if it is one of
    /// ours.
    pub fn from_code(code: &str) -> Option<Language> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Language::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The first of ours a browser's `Accept-Language` prefers (by its q-values, then its
    /// order), or English.
    pub fn from_accept_language(header: &str) -> Language {
        let mut wanted: Vec<(f32, usize, Language)> = header
            .split(',')
            .enumerate()
            .filter_map(|(at, part)| {
                let mut pieces = part.split(';');
                let language = Language::from_code(pieces.next()?)?;
                // A weight that does not read as 0 to 1 (RFC 9110's qvalue) drops the entry.
                let q = match pieces
                    .map(str::trim)
                    .find(|p| p.len() >= 2 && p[..2].eq_ignore_ascii_case("q="))
                {
                    None => 1.0,
                    Some(q) => q[2..].trim().parse::<f32>().ok()?,
                };
                ((0.0..=1.0).contains(&q) && q > 0.0).then_some((q, at, language))
            })
            .collect();
        wanted.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        wanted.first().map_or(Language::English, |w| w.2)
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

/// The wording as templates reach it: `{{ t.w("id") }}` for a message without values, and
/// `{{ t.say("id").with("due", due).count("n", n) }}` for one with values. Templates escape what
/// it renders like any other value, so messages hold no markup: a link or emphasis stays in the
/// template, between two messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Words(pub Language);

impl Words {
    /// Whether this wording is a translation of the English, which is the legal text.
    pub fn is_translation(&self) -> bool {
        self.0 != Language::English
    }

    /// The language itself, for what a template passes on (a date, a reckoning).
    pub fn language(&self) -> Language {
        self.0
    }

    /// The language's code, for a page's `lang` and its links (`en`, `es`).
    pub fn code(&self) -> &'static str {
        self.0.code()
    }

    pub fn w(&self, id: &str) -> String {
        word(self.0, id)
    }

    pub fn say<'a>(&self, id: &'a str) -> Saying<'a> {
        Saying {
            language: self.0,
            id,
            args: Vec::new(),
        }
    }
}

/// A whole number a message may count with; templates hand values over by reference.
pub trait Count {
    fn count(&self) -> i64;
}

macro_rules! counts {
    ($($t:ty),*) => {$(
        impl Count for $t {
            fn count(&self) -> i64 {
                i64::try_from(*self).unwrap_or(i64::MAX)
            }
        }
    )*};
}
counts!(i32, i64, u32, u64, usize);

impl<T: Count + ?Sized> Count for &T {
    fn count(&self) -> i64 {
        (**self).count()
    }
}

/// A message with the values still to be placed; it renders once displayed.
#[derive(Debug, Clone)]
pub struct Saying<'a> {
    language: Language,
    id: &'a str,
    args: Vec<(&'a str, Placed)>,
}

#[derive(Debug, Clone)]
enum Placed {
    Text(String),
    Number(i64),
}

impl<'a> Saying<'a> {
    /// Places a text (a date, a title, a name) where the message says `{ $name }`.
    pub fn with(mut self, name: &'a str, value: impl std::fmt::Display) -> Self {
        self.args.push((name, Placed::Text(value.to_string())));
        self
    }

    /// Places a number, which the message may use to choose its form ("1 day", "3 days").
    pub fn count(mut self, name: &'a str, value: impl Count) -> Self {
        self.args.push((name, Placed::Number(value.count())));
        self
    }
}

impl std::fmt::Display for Saying<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let args: Vec<(&str, Arg<'_>)> = self
            .args
            .iter()
            .map(|(name, value)| {
                let value = match value {
                    Placed::Text(text) => Arg::Text(text),
                    Placed::Number(n) => Arg::Number(*n),
                };
                (*name, value)
            })
            .collect();
        f.write_str(&say(self.language, self.id, &args))
    }
}

impl<'a> Saying<'a> {
    /// Places a link where the message says `{ $name }`: the sentence stays whole for its
    /// translator, and the link's words are their own message.
    pub fn link(
        self,
        name: &'a str,
        href: impl std::fmt::Display,
        text: impl std::fmt::Display,
    ) -> Markup<'a> {
        Markup {
            saying: self,
            places: Vec::new(),
        }
        .link(name, href, text)
    }

    /// Places a value in bold where the message says `{ $name }`.
    pub fn strong(self, name: &'a str, text: impl std::fmt::Display) -> Markup<'a> {
        self.markup().strong(name, text)
    }

    /// The message as HTML, for placing code or an address in it.
    pub fn markup(self) -> Markup<'a> {
        Markup {
            saying: self,
            places: Vec::new(),
        }
    }
}

/// A message with links or bold values placed in it: the page's HTML for it, every piece of
/// text escaped here, so a template shows it as it is.
#[derive(Debug, Clone)]
pub struct Markup<'a> {
    saying: Saying<'a>,
    places: Vec<(&'a str, String)>,
}

impl<'a> Markup<'a> {
    pub fn link(
        mut self,
        name: &'a str,
        href: impl std::fmt::Display,
        text: impl std::fmt::Display,
    ) -> Self {
        let html = format!(
            "<a href=\"{}\">{}</a>",
            escape_html(&href.to_string()),
            escape_html(&text.to_string())
        );
        self.places.push((name, html));
        self
    }

    pub fn strong(mut self, name: &'a str, text: impl std::fmt::Display) -> Self {
        let html = format!("<strong>{}</strong>", escape_html(&text.to_string()));
        self.places.push((name, html));
        self
    }

    /// Places a word a user types as it is: a header name, a command.
    pub fn code(mut self, name: &'a str, text: impl std::fmt::Display) -> Self {
        let html = format!("<code>{}</code>", escape_html(&text.to_string()));
        self.places.push((name, html));
        self
    }

    /// Places a value that must stay on one line: a tracking number, a phone number.
    pub fn nowrap(mut self, name: &'a str, text: impl std::fmt::Display) -> Self {
        let html = format!(
            "<span class=\"nowrap\">{}</span>",
            escape_html(&text.to_string())
        );
        self.places.push((name, html));
        self
    }

    /// Places a web address that may break anywhere, so it never widens a phone's page.
    pub fn url(mut self, name: &'a str, text: impl std::fmt::Display) -> Self {
        let html = format!(
            "<span class=\"url\">{}</span>",
            escape_html(&text.to_string())
        );
        self.places.push((name, html));
        self
    }

    pub fn with(mut self, name: &'a str, value: impl std::fmt::Display) -> Self {
        self.saying = self.saying.with(name, value);
        self
    }

    pub fn count(mut self, name: &'a str, value: impl Count) -> Self {
        self.saying = self.saying.count(name, value);
        self
    }
}

impl std::fmt::Display for Markup<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Each place is first a mark from Unicode's private use area, which no message holds
        // and escaping leaves alone; the escaped sentence then gets its HTML at the marks.
        let mut saying = self.saying.clone();
        for (i, (name, _)) in self.places.iter().enumerate() {
            saying = saying.with(name, format!("\u{E000}{i}\u{E001}"));
        }
        let mut html = escape_html(&saying.to_string());
        for (i, (_, place)) in self.places.iter().enumerate() {
            html = html.replace(&format!("\u{E000}{i}\u{E001}"), place);
        }
        f.write_str(&html)
    }
}

/// Its text escaped as it is built, so the template need not escape it again.
impl askama::filters::HtmlSafe for Markup<'_> {}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn a_browsers_languages_choose_ours_by_preference_then_order() {
        use Language::*;
        assert_eq!(
            Language::from_accept_language("es-MX,es;q=0.9,en;q=0.8"),
            Spanish
        );
        assert_eq!(
            Language::from_accept_language("en-US,en;q=0.9,es;q=0.8"),
            English
        );
        assert_eq!(
            Language::from_accept_language("fr-FR,es;q=0.5,en;q=0.4"),
            Spanish
        );
        assert_eq!(
            Language::from_accept_language("en;q=0.2, es;q=0.7"),
            Spanish
        );
        assert_eq!(Language::from_accept_language("es;q=0, en"), English);
        assert_eq!(Language::from_accept_language("de, fr"), English);
        assert_eq!(Language::from_accept_language(""), English);
        assert_eq!(Language::from_accept_language(";;,q=,es;q=abc"), English);
        assert_eq!(Language::from_accept_language("es;Q=0, en"), English);
        assert_eq!(Language::from_accept_language("es;q=2, en;q=0.5"), English);
        assert_eq!(Language::from_accept_language("es;q=inf"), English);
        assert_eq!(Language::from_code("ES"), Some(Spanish));
        assert_eq!(Language::from_code("es_US"), Some(Spanish));
        assert_eq!(Language::from_code("eng"), None);
        for language in Language::ALL {
            assert_eq!(Language::from_code(language.code()), Some(language));
        }
    }

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

    /// The message ids the code and the templates name: quoted words joined by hyphens that
    /// start as the wording's ids do.
    fn ids_in_code() -> Vec<(String, String)> {
        const PREFIXES: [&str; 14] = [
            "refusal-",
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
            "letter-",
            "form-",
            "page-",
        ];
        let mut found = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut folders = vec![
            root.join("src"),
            root.join("templates/pages"),
            root.join("templates/notices"),
        ];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else if path
                    .extension()
                    .is_some_and(|e| e == "rs" || e == "html" || e == "txt")
                {
                    let text = std::fs::read_to_string(&path).unwrap();
                    let quoted: Vec<&str> = if path.extension().is_some_and(|e| e == "rs") {
                        // Every piece between two quotes: a stray quote cannot shift which
                        // pieces are read as quoted.
                        text.split('"').collect()
                    } else {
                        // A template names its messages as `t.w("…")` and `t.say("…")`, or
                        // as a quoted id of its own pages and letters (in a list it walks);
                        // its other quoted words are HTML attributes.
                        let calls = ["w(\"", "say(\""]
                            .iter()
                            .flat_map(|call| text.split(call).skip(1))
                            .filter_map(|rest| rest.split('"').next());
                        let listed = text
                            .split('"')
                            .filter(|q| q.starts_with("page-") || q.starts_with("letter-"));
                        calls.chain(listed).collect()
                    };
                    for quoted in quoted {
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

    /// A template's text outside its tags and expressions: what it would say in English
    /// whatever the reader's language.
    pub(crate) fn fixed_text(template: &str) -> String {
        let mut out = String::new();
        let mut rest = template;
        while let Some(c) = rest.chars().next() {
            // An example of code reads the same in every language.
            let closing = if rest.starts_with("<pre") {
                Some("</pre>")
            } else if rest.starts_with("{{") {
                Some("}}")
            } else if rest.starts_with("{%") {
                Some("%}")
            } else if rest.starts_with("{#") {
                Some("#}")
            } else if c == '<' {
                Some(">")
            } else if c == '&' && rest[1..].find(';').is_some_and(|i| i < 10) {
                Some(";")
            } else {
                None
            };
            match closing {
                Some(closing) => {
                    let end = rest.find(closing).map_or(rest.len(), |i| i + closing.len());
                    rest = &rest[end..];
                    out.push(' ');
                }
                None => {
                    out.push(c);
                    rest = &rest[c.len_utf8()..];
                }
            }
        }
        out
    }

    /// The words a template says itself, outside its tags and expressions: none, when all its
    /// wording comes from the wording files.
    pub(crate) fn own_words(template: &str) -> Vec<String> {
        fixed_text(template)
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphabetic))
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn the_public_pages_hold_no_words_of_their_own() {
        // Staff pages (case, queue, step, login, notices) stay in English.
        const PUBLIC: [&str; 21] = [
            "base",
            "letters",
            "decision_letter",
            "fee_document",
            "fee_lines",
            "fee_money",
            "complaint_form",
            "home",
            "filed",
            "find",
            "find_sent",
            "error",
            "error_summary",
            "field",
            "confirm",
            "api_key",
            "dataset",
            "datasets",
            "reports",
            "request_form",
            "tracking",
        ];
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/pages");
        for page in PUBLIC {
            let template = std::fs::read_to_string(folder.join(format!("{page}.html"))).unwrap();
            let words = own_words(&template);
            assert!(
                words.is_empty(),
                "{page}.html says {words:?} in its own words, not the wording's"
            );
        }
        assert_eq!(
            fixed_text("<p>{{ t.w(\"x\") }} &amp; {% if a %}Hi{% endif %}</p>").trim(),
            "Hi"
        );
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
    fn links_and_bold_values_are_placed_into_an_escaped_sentence() {
        let t = Words(Language::English);
        let html = t
            .say("page-filed-number")
            .strong("number", "RR-2026-<00001>")
            .to_string();
        assert_eq!(
            html,
            "Your tracking number is <strong>RR-2026-&lt;00001&gt;</strong>."
        );
        let html = t
            .say("page-home-already")
            .link("find", "/requests/find?a=1&b=\"2\"", "find <your> request")
            .to_string();
        assert_eq!(
            html,
            "Already made a request? Open it from the link in any of our emails, or \
             <a href=\"/requests/find?a=1&amp;b=&quot;2&quot;\">find &lt;your&gt; request</a> \
             with its tracking number and your email address."
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
