//! DCAT-US 1.1 (Project Open Data) `data.json` catalogs, read leniently.
//!
//! Real portal exports (ArcGIS Hub, Socrata, CKAN) seldom pass a strict validator: e-mails are
//! missing, descriptions are HTML, fields carry the wrong JSON type. So this parser keeps every
//! dataset it can use and reports instead of rejecting: unusable entries go to `skipped` with a
//! reason a city admin can act on, and anything guessed or dropped goes to `warnings`.
//! It does no I/O and never panics; a wrongly typed field is treated as absent.

use std::collections::HashSet;

use serde_json::{Map, Value};
use validator::ValidateEmail;

/// Identifiers end up in URLs, logs and database keys; anything longer is almost surely junk.
const MAX_IDENTIFIER_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    pub title: Option<String>,
    pub format: Option<String>,
    pub media_type: Option<String>,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CatalogEntry {
    pub identifier: String,
    pub title: String,
    pub description: String,
    pub keywords: Vec<String>,
    pub publisher: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub access_level: String,
    pub license: Option<String>,
    pub rights: Option<String>,
    pub accrual_periodicity: Option<String>,
    pub modified: Option<String>,
    pub described_by: Option<String>,
    pub landing_page: Option<String>,
    pub distributions: Vec<Distribution>,
    /// The dataset's object as the file has it, every field, published again in our
    /// `data.json` (`super::data_json`).
    pub source: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    pub index: usize,
    pub identifier: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    pub identifier: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedCatalog {
    pub entries: Vec<CatalogEntry>,
    pub skipped: Vec<Skipped>,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("the file is not JSON: {0}")]
    NotJson(String),
    #[error("the file is not a DCAT-US catalog: {0}")]
    NotACatalog(String),
}

/// Reads a `data.json` catalog. Only a file that is not JSON, or has no `dataset` list, fails.
pub fn parse(bytes: &[u8]) -> Result<ParsedCatalog, CatalogError> {
    // Files saved by some Windows tools start with a byte-order mark, which serde_json refuses.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let root: Value =
        serde_json::from_slice(bytes).map_err(|e| CatalogError::NotJson(e.to_string()))?;
    let mut catalog = ParsedCatalog::default();
    // Only kept entries count as "seen": a broken first copy should not hide a good second one.
    let mut seen = HashSet::new();
    for (index, item) in dataset_list(&root)?.iter().enumerate() {
        match read_entry(index, item) {
            Ok((entry, _)) if seen.contains(&entry.identifier) => catalog.skipped.push(Skipped {
                index,
                identifier: Some(entry.identifier),
                reason: "duplicate identifier".to_string(),
            }),
            Ok((entry, warnings)) => {
                seen.insert(entry.identifier.clone());
                catalog.warnings.extend(warnings);
                catalog.entries.push(entry);
            }
            Err(skipped) => catalog.skipped.push(skipped),
        }
    }
    Ok(catalog)
}

/// ISO 8601 repeating durations (DCAT-US `accrualPeriodicity`) as words for people.
pub fn periodicity_words(iso: &str) -> Option<&'static str> {
    let code = iso.trim().to_ascii_uppercase();
    Some(match code.as_str() {
        "R/P1D" => "daily",
        "R/P1W" => "weekly",
        "R/P2W" => "every two weeks",
        "R/P0.5M" => "twice a month",
        "R/P1M" => "monthly",
        "R/P3M" => "quarterly",
        "R/P6M" => "twice a year",
        "R/P1Y" => "annually",
        "R/P2Y" => "every two years",
        "R/P3Y" => "every three years",
        "R/PT1H" => "hourly",
        "R/PT1S" | "R/PT1M" => "continuously updated",
        "IRREGULAR" => "irregularly",
        _ => return None,
    })
}

fn dataset_list(root: &Value) -> Result<&[Value], CatalogError> {
    let Value::Object(top) = root else {
        let found = type_name(root);
        return Err(CatalogError::NotACatalog(format!(
            "the top level is {found}, not an object"
        )));
    };
    match top.get("dataset") {
        Some(Value::Array(list)) => Ok(list),
        Some(other) => Err(CatalogError::NotACatalog(format!(
            "`dataset` is {}, not a list",
            type_name(other)
        ))),
        None => Err(CatalogError::NotACatalog(
            "there is no `dataset` list".to_string(),
        )),
    }
}

/// One dataset, or the reason it cannot be used. Warnings are returned rather than recorded so
/// that an entry which is skipped later (as a duplicate) leaves no warnings behind.
fn read_entry(index: usize, item: &Value) -> Result<(CatalogEntry, Vec<Warning>), Skipped> {
    let skip = |identifier: Option<&str>, reason: String| Skipped {
        index,
        identifier: identifier.map(str::to_string),
        reason,
    };
    let Value::Object(obj) = item else {
        return Err(skip(
            None,
            format!("it is {}, not a dataset object", type_name(item)),
        ));
    };
    let identifier = read_identifier(obj).map_err(|reason| skip(None, reason))?;
    let mut r = Reader {
        obj,
        identifier: identifier.clone(),
        warnings: Vec::new(),
    };
    let title = r
        .title()
        .map_err(|reason| skip(Some(&identifier), reason))?;
    let access_level = r
        .access_level()
        .map_err(|reason| skip(Some(&identifier), reason))?;
    let (contact_name, contact_email) = r.contact();
    let entry = CatalogEntry {
        identifier,
        title,
        description: r.description(),
        keywords: r.keywords(),
        publisher: r.publisher(),
        contact_name,
        contact_email,
        access_level: access_level.to_string(),
        license: r.text("license"),
        rights: r.text("rights"),
        accrual_periodicity: r.text("accrualPeriodicity"),
        modified: r.text("modified"),
        described_by: r.link("describedBy"),
        landing_page: r.link("landingPage"),
        distributions: r.distributions(),
        source: obj.clone(),
    };
    Ok((entry, r.warnings))
}

fn read_identifier(obj: &Map<String, Value>) -> Result<String, String> {
    let id = match obj.get("identifier") {
        Some(Value::String(s)) => s.trim(),
        None | Some(Value::Null) => "",
        Some(other) => return Err(format!("its identifier is {}, not text", type_name(other))),
    };
    if id.is_empty() {
        Err("it has no identifier".to_string())
    } else if id.chars().count() > MAX_IDENTIFIER_CHARS {
        Err(format!(
            "its identifier is longer than {MAX_IDENTIFIER_CHARS} characters"
        ))
    } else if id.chars().any(char::is_control) {
        Err("its identifier contains control characters (line breaks, tabs or similar)".into())
    } else {
        Ok(id.to_string())
    }
}

/// Reads the fields of one dataset object, collecting warnings against its identifier.
struct Reader<'a> {
    obj: &'a Map<String, Value>,
    identifier: String,
    warnings: Vec<Warning>,
}

impl<'a> Reader<'a> {
    fn warn(&mut self, message: impl Into<String>) {
        let identifier = self.identifier.clone();
        self.warnings.push(Warning {
            identifier,
            message: message.into(),
        });
    }

    fn text(&mut self, key: &str) -> Option<String> {
        let value = self.obj.get(key);
        self.text_value(key, value)
    }

    fn link(&mut self, key: &str) -> Option<String> {
        let value = self.obj.get(key);
        self.link_value(key, value)
    }

    /// A URL our pages may link to: http or https only; any other is ignored with a warning.
    fn link_value(&mut self, what: &str, value: Option<&Value>) -> Option<String> {
        let url = self.text_value(what, value)?;
        if super::is_web_link(&url) {
            Some(url)
        } else {
            self.warn(format!(
                "`{what}` is not an http or https address and was ignored"
            ));
            None
        }
    }

    /// A trimmed, single-line, non-empty string; other JSON types are ignored with a warning.
    fn text_value(&mut self, what: &str, value: Option<&Value>) -> Option<String> {
        match value {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => non_empty(one_line(s)),
            Some(other) => {
                self.warn(format!(
                    "`{what}` is {}, not text, and was ignored",
                    type_name(other)
                ));
                None
            }
        }
    }

    fn title(&mut self) -> Result<String, String> {
        match self.obj.get("title") {
            // Paragraph breaks from stripped HTML become spaces: a title is one line.
            Some(Value::String(s)) => {
                let text = html_to_text(s);
                let words: Vec<&str> = text.split('\n').filter(|l| !l.is_empty()).collect();
                non_empty(words.join(" ")).ok_or_else(|| "it has no title".to_string())
            }
            None | Some(Value::Null) => Err("it has no title".to_string()),
            Some(other) => Err(format!("its title is {}, not text", type_name(other))),
        }
    }

    /// Missing means "public" (the DCAT-US default in practice), but a value we do not
    /// recognise may be a stricter level spelled oddly, so that entry is skipped, never guessed.
    fn access_level(&mut self) -> Result<&'static str, String> {
        match self.obj.get("accessLevel") {
            Some(Value::String(s)) if !s.trim().is_empty() => normalise_access_level(s)
                .ok_or_else(|| {
                    format!(
                        "unknown access level {:?} (expected public, restricted public or non-public)",
                        shorten(s)
                    )
                }),
            None | Some(Value::Null) | Some(Value::String(_)) => {
                self.warn("no accessLevel given; treated as public");
                Ok("public")
            }
            Some(other) => Err(format!("its accessLevel is {}, not text", type_name(other))),
        }
    }

    fn description(&mut self) -> String {
        let text = match self.obj.get("description") {
            Some(Value::String(s)) => html_to_text(s),
            _ => String::new(),
        };
        if text.is_empty() {
            self.warn("has no description");
        }
        text
    }

    /// `keyword` should be a list, but a single string is common enough to accept.
    fn keywords(&mut self) -> Vec<String> {
        let obj = self.obj;
        let items = match obj.get("keyword") {
            None | Some(Value::Null) => return Vec::new(),
            Some(Value::Array(list)) => list.as_slice(),
            Some(one @ Value::String(_)) => std::slice::from_ref(one),
            Some(other) => {
                self.warn(format!(
                    "`keyword` is {}, not a list, and was ignored",
                    type_name(other)
                ));
                return Vec::new();
            }
        };
        let mut seen = HashSet::new();
        items
            .iter()
            .filter_map(|v| v.as_str().and_then(|s| non_empty(one_line(s))))
            .filter(|k| seen.insert(k.clone()))
            .collect()
    }

    /// `publisher` is an organisation object with a `name`; some exporters write a plain string.
    fn publisher(&mut self) -> Option<String> {
        let obj = self.obj;
        match obj.get("publisher") {
            Some(Value::Object(p)) => self.text_value("publisher.name", p.get("name")),
            other => self.text_value("publisher", other),
        }
    }

    /// (name, e-mail) from `contactPoint`. The e-mail is where requests get routed, so a
    /// missing or unusable one is always reported.
    fn contact(&mut self) -> (Option<String>, Option<String>) {
        let obj = self.obj;
        let (name, raw_email) = match obj.get("contactPoint") {
            Some(Value::Object(c)) => (
                self.text_value("contactPoint.fn", c.get("fn")),
                self.text_value("contactPoint.hasEmail", c.get("hasEmail")),
            ),
            other => (self.text_value("contactPoint", other), None),
        };
        let Some(raw_email) = raw_email else {
            self.warn("has no contact email (contactPoint.hasEmail)");
            return (name, None);
        };
        let email = strip_mailto(&raw_email).trim().to_lowercase();
        if email.validate_email() {
            (name, Some(email))
        } else {
            let shown = shorten(&raw_email);
            self.warn(format!(
                "contact email {shown:?} is not a valid address and was ignored"
            ));
            (name, None)
        }
    }

    fn distributions(&mut self) -> Vec<Distribution> {
        let obj = self.obj;
        let items = match obj.get("distribution") {
            None | Some(Value::Null) => return Vec::new(),
            Some(Value::Array(list)) => list.as_slice(),
            Some(one @ Value::Object(_)) => std::slice::from_ref(one),
            Some(other) => {
                let found = type_name(other);
                self.warn(format!(
                    "`distribution` is {found}, not a list, and was ignored"
                ));
                return Vec::new();
            }
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, d)| self.distribution(i + 1, d))
            .collect()
    }

    fn distribution(&mut self, number: usize, item: &Value) -> Option<Distribution> {
        let Value::Object(d) = item else {
            let found = type_name(item);
            self.warn(format!(
                "distribution {number} is {found}, not an object, and was left out"
            ));
            return None;
        };
        let title = self.text_value("distribution.title", d.get("title"));
        let media_type = self.text_value("distribution.mediaType", d.get("mediaType"));
        let download = self.link_value("distribution.downloadURL", d.get("downloadURL"));
        let access = self.link_value("distribution.accessURL", d.get("accessURL"));
        let Some(url) = download.or(access) else {
            self.warn(format!(
                "distribution {number} has no downloadURL or accessURL and was left out"
            ));
            return None;
        };
        // Socrata gives only `mediaType`; fall back to the file extension as a last resort.
        let format = self
            .text_value("distribution.format", d.get("format"))
            .or_else(|| {
                media_type
                    .as_deref()
                    .and_then(format_from_media_type)
                    .map(String::from)
            })
            .or_else(|| format_from_url(&url).map(String::from));
        Some(Distribution {
            title,
            format,
            media_type,
            url,
        })
    }
}

fn normalise_access_level(raw: &str) -> Option<&'static str> {
    let words = raw.to_lowercase().replace(['-', '_'], " ");
    let words: Vec<&str> = words.split_whitespace().collect();
    match words.join(" ").as_str() {
        "public" => Some("public"),
        "restricted public" => Some("restricted public"),
        "non public" | "nonpublic" => Some("non-public"),
        _ => None,
    }
}

/// (label, file extension, media types). Only well-known extensions count: ".php" or ".aspx"
/// in a URL say nothing about the data.
#[rustfmt::skip]
const FORMATS: &[(&str, &str, &[&str])] = &[
    ("CSV", "csv", &["text/csv"]),
    ("JSON", "json", &["application/json"]),
    ("GeoJSON", "geojson", &["application/vnd.geo+json", "application/geo+json"]),
    ("ZIP", "zip", &["application/zip", "application/x-zip-compressed"]),
    ("PDF", "pdf", &["application/pdf"]),
    ("XML", "xml", &["application/xml", "text/xml"]),
    ("RDF", "rdf", &["application/rdf+xml"]),
    ("KML", "kml", &["application/vnd.google-earth.kml+xml"]),
    ("KMZ", "kmz", &["application/vnd.google-earth.kmz"]),
    ("XLS", "xls", &["application/vnd.ms-excel"]),
    ("XLSX", "xlsx", &["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]),
    ("TXT", "txt", &["text/plain"]),
    ("HTML", "html", &["text/html"]),
];

fn format_from_media_type(media_type: &str) -> Option<&'static str> {
    // Compare without parameters such as "; charset=utf-8".
    let essence = media_type.split(';').next()?.trim().to_ascii_lowercase();
    let found = FORMATS
        .iter()
        .find(|(_, _, types)| types.contains(&essence.as_str()));
    found.map(|(label, _, _)| *label)
}

fn format_from_url(url: &str) -> Option<&'static str> {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let (_host, path) = after_scheme.split_once('/')?;
    let file = path.split(['?', '#']).next()?.rsplit('/').next()?;
    let ext = file.rsplit_once('.')?.1.to_ascii_lowercase();
    let found = FORMATS.iter().find(|(_, known, _)| *known == ext);
    found.map(|(label, _, _)| *label)
}

/// Portal descriptions are HTML fragments; people read them as plain text.
fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(pos) = rest.find(['<', '&']) {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        let consumed = if tail.starts_with('<') {
            tag_len(tail).inspect(|&len| {
                if is_line_break_tag(&tail[..len]) {
                    out.push('\n');
                }
            })
        } else {
            decode_entity(tail).map(|(ch, len)| {
                out.push(ch);
                len
            })
        };
        // Not a tag or entity after all ("a < b", "Fish & Chips"): keep the character.
        let len = consumed.unwrap_or_else(|| {
            out.push_str(&tail[..1]);
            1
        });
        rest = &tail[len..];
    }
    out.push_str(rest);
    tidy_lines(&out)
}

/// Byte length of the tag at the start of `s`, if it really is one (`<b`, `</b`, `<!--`).
fn tag_len(s: &str) -> Option<usize> {
    let second = s[1..].chars().next()?;
    if !(second.is_ascii_alphabetic() || second == '/' || second == '!') {
        return None;
    }
    // Stopping at the next `<` keeps a stray "<a" without `>` from scanning to the end of the
    // text over and over (quadratic time on hostile input).
    let end = 1 + s[1..].find(['<', '>'])?;
    (s.as_bytes()[end] == b'>').then_some(end + 1)
}

fn is_line_break_tag(tag: &str) -> bool {
    let closing = tag.starts_with("</");
    let name: String = tag
        .trim_start_matches(['<', '/'])
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    // Closing `</li>` adds nothing: the next `<li>` already starts a new line.
    match name.as_str() {
        "p" | "div" | "ul" | "ol" => true,
        "br" | "li" | "tr" => !closing,
        _ => false,
    }
}

/// The character for the entity at the start of `s`, and the entity's byte length.
fn decode_entity(s: &str) -> Option<(char, usize)> {
    // The longest entity we know ("&#x10FFFF;") is 10 bytes; looking no further keeps a text
    // full of bare "&" linear.
    let end = s.bytes().take(11).position(|b| b == b';')?;
    let name = &s[1..end];
    let ch = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "#39" | "apos" => '\'',
        "nbsp" => ' ',
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((ch, end + 1))
}

/// Normalises line ends, drops control characters (a NUL would break the database) and the
/// zero-width spaces pasted text often carries, trims each line and leaves at most one blank
/// line between paragraphs.
fn tidy_lines(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    let mut blank_before = false;
    for line in text.split('\n') {
        let line: String = line
            .chars()
            .filter(|&c| !(c.is_control() && c != '\t') && c != '\u{200b}' && c != '\u{feff}')
            .map(|c| if c == '\u{a0}' { ' ' } else { c })
            .collect();
        let line = line.trim();
        if line.is_empty() {
            blank_before = true;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_before { "\n\n" } else { "\n" });
        }
        out.push_str(line);
        blank_before = false;
    }
    out
}

/// Joins lines with spaces and drops control characters, for single-line fields.
fn one_line(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

fn non_empty(s: String) -> Option<String> {
    let trimmed = s.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

pub(super) fn strip_mailto(raw: &str) -> &str {
    let raw = raw.trim();
    let address = match raw.get(..7) {
        Some(prefix) if prefix.eq_ignore_ascii_case("mailto:") => &raw[7..],
        _ => raw,
    };
    // "mailto:x@y.org?subject=..." is valid too.
    address.split('?').next().unwrap_or(address)
}

/// Keeps quoted input in messages short.
fn shorten(s: &str) -> String {
    s.chars().take(60).collect()
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "empty (null)",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared_catalog(name: &str) -> ParsedCatalog {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
        parse(&bytes).expect("a real catalog parses")
    }

    fn saint_paul() -> ParsedCatalog {
        shared_catalog("saint-paul-mn_socrata_data.json")
    }

    fn ramsey() -> ParsedCatalog {
        shared_catalog("ramsey-county-mn_arcgis-hub_data.json")
    }

    fn restricted() -> ParsedCatalog {
        parse(include_bytes!(
            "../../tests/fixtures/catalog-restricted.json"
        ))
        .unwrap()
    }

    /// Parses `{"dataset": [<datasets>]}`.
    fn catalog_of(datasets: &str) -> ParsedCatalog {
        parse(format!(r#"{{"dataset": [{datasets}]}}"#).as_bytes()).unwrap()
    }

    fn entry<'a>(catalog: &'a ParsedCatalog, identifier: &str) -> &'a CatalogEntry {
        let found = catalog.entries.iter().find(|e| e.identifier == identifier);
        found.unwrap_or_else(|| panic!("no entry {identifier}"))
    }

    fn warnings_for<'a>(catalog: &'a ParsedCatalog, identifier: &str) -> Vec<&'a str> {
        let mine = catalog
            .warnings
            .iter()
            .filter(|w| w.identifier == identifier);
        mine.map(|w| w.message.as_str()).collect()
    }

    #[test]
    fn every_dataset_of_the_saint_paul_socrata_catalog_is_kept() {
        let catalog = saint_paul();
        assert_eq!(catalog.entries.len(), 26);
        assert!(catalog.skipped.is_empty(), "{:?}", catalog.skipped);
    }

    #[test]
    fn every_dataset_of_the_ramsey_county_arcgis_catalog_is_kept() {
        let catalog = ramsey();
        assert_eq!(catalog.entries.len(), 30);
        assert!(catalog.skipped.is_empty(), "{:?}", catalog.skipped);
    }

    #[test]
    fn a_socrata_entry_is_read_field_by_field() {
        let catalog = saint_paul();
        let e = entry(
            &catalog,
            "https://information.stpaul.gov/api/views/26h5-gyz4",
        );
        assert_eq!(e.title, "Capital Project List - Dataset");
        assert_eq!(
            e.description,
            "This is a list of capital projects from 2004 to present."
        );
        assert_eq!(e.publisher.as_deref(), Some("information.stpaul.gov"));
        assert_eq!(
            e.contact_name.as_deref(),
            Some("Engelking, Derek (CI-StPaul)")
        );
        assert_eq!(e.access_level, "public");
        assert_eq!(e.modified.as_deref(), Some("2018-08-09"));
        assert_eq!(
            e.landing_page.as_deref(),
            Some("https://information.stpaul.gov/d/26h5-gyz4")
        );
        assert!(e.keywords.is_empty());
        assert_eq!(e.license, None);
        assert_eq!(e.distributions.len(), 4);
        let csv = &e.distributions[0];
        assert_eq!(
            csv.url,
            "https://information.stpaul.gov/api/views/26h5-gyz4/rows.csv?accessType=DOWNLOAD"
        );
        assert_eq!(csv.media_type.as_deref(), Some("text/csv"));
        assert_eq!(
            csv.format.as_deref(),
            Some("CSV"),
            "derived from the media type"
        );
        assert_eq!(e.distributions[2].format.as_deref(), Some("JSON"));
    }

    #[test]
    fn an_arcgis_entry_is_read_field_by_field() {
        let catalog = ramsey();
        let id =
            "https://data-ramseygis.opendata.arcgis.com/maps/RamseyGIS::quarter-quarter-sections";
        let e = entry(&catalog, id);
        assert_eq!(e.title, "Quarter Quarter Sections");
        assert_eq!(e.keywords, ["PLSS", "Survey", "Quarter Quarter Sections"]);
        assert_eq!(e.publisher.as_deref(), Some("Ramsey County GIS Portal"));
        assert_eq!(e.contact_name.as_deref(), Some("RCGISAdmin"));
        assert_eq!(
            e.contact_email.as_deref(),
            Some("rcgismetadata@co.ramsey.mn.us")
        );
        assert_eq!(e.access_level, "public");
        assert_eq!(e.modified.as_deref(), Some("2018-08-08T15:48:04.000Z"));
        assert!(e.description.starts_with("This data set contains polygons"));
        let csv = e
            .distributions
            .iter()
            .find(|d| d.title.as_deref() == Some("CSV"));
        let csv = csv.expect("a CSV distribution");
        assert!(csv.url.starts_with(
            "https://data-ramseygis.opendata.arcgis.com/datasets/RamseyGIS::quarter-quarter-sections.csv?"
        ));
        assert_eq!(csv.format.as_deref(), Some("CSV"));
        assert_eq!(e.distributions.len(), 6, "accessURL counts as the URL");
        assert!(warnings_for(&catalog, id).is_empty());
    }

    #[test]
    fn html_is_stripped_from_arcgis_descriptions() {
        let catalog = ramsey();
        let id = "https://data-ramseygis.opendata.arcgis.com/maps/RamseyGIS::right-of-ways";
        assert_eq!(
            entry(&catalog, id).description,
            "This dataset contains federal, state, county & municipal platted right of ways.\n\n\
             Right of Way boundaries support many functions including automated half and quarter \
             section map production, thematic mapping, land records and property assessment, \
             and surveying and engineering projects."
        );
        for e in &catalog.entries {
            for markup in [
                "<span", "<div", "<font", "<br", "<p>", "&quot;", "&amp;", "\r",
            ] {
                assert!(
                    !e.description.contains(markup),
                    "{markup} in {}",
                    e.identifier
                );
            }
        }
    }

    #[test]
    fn an_empty_arcgis_description_is_kept_with_a_warning() {
        let catalog = ramsey();
        let id = "https://data-ramseygis.opendata.arcgis.com/maps/RamseyGIS::elevations";
        assert_eq!(entry(&catalog, id).description, "");
        assert_eq!(warnings_for(&catalog, id), ["has no description"]);
    }

    #[test]
    fn an_empty_arcgis_license_becomes_none() {
        assert!(ramsey().entries.iter().all(|e| e.license.is_none()));
    }

    #[test]
    fn socrata_entries_without_an_email_are_kept_with_a_warning() {
        let catalog = saint_paul();
        for e in &catalog.entries {
            assert_eq!(e.contact_email, None);
            let warnings = warnings_for(&catalog, &e.identifier);
            assert!(warnings.contains(&"has no contact email (contactPoint.hasEmail)"));
        }
    }

    #[test]
    fn the_restricted_fixture_keeps_six_entries_with_their_access_levels() {
        let catalog = restricted();
        let levels: Vec<(&str, &str)> = catalog
            .entries
            .iter()
            .map(|e| {
                (
                    e.identifier.rsplit('/').next().unwrap(),
                    e.access_level.as_str(),
                )
            })
            .collect();
        assert_eq!(
            levels,
            [
                ("building-permits", "public"),
                ("code-enforcement-cases", "restricted public"),
                ("police-calls-for-service", "restricted public"),
                ("police-use-of-force", "non-public"),
                ("pavement-condition", "public"),
                ("sewer-overflows", "restricted public"),
            ]
        );
    }

    #[test]
    fn the_restricted_fixture_skips_the_untitled_and_the_duplicate_entry() {
        let base = "https://data.cityofconcord.org/datasets/";
        let skipped = restricted().skipped;
        let expected = [
            (6, "draft-tree-inventory", "it has no title"),
            (7, "building-permits", "duplicate identifier"),
        ];
        assert_eq!(skipped.len(), expected.len());
        for (s, (index, id, reason)) in skipped.iter().zip(expected) {
            assert_eq!(s.index, index);
            assert_eq!(s.identifier, Some(format!("{base}{id}")));
            assert_eq!(s.reason, reason);
        }
    }

    #[test]
    fn the_restricted_fixture_reads_contacts_periodicity_and_data_dictionary() {
        let catalog = restricted();
        let base = "https://data.cityofconcord.org/datasets/";
        let permits = entry(&catalog, &format!("{base}building-permits"));
        assert_eq!(
            permits.title, "Building Permits",
            "the duplicate did not replace it"
        );
        assert_eq!(
            permits.contact_email.as_deref(),
            Some("permits@cityofconcord.org")
        );
        assert_eq!(permits.publisher.as_deref(), Some("Community Development"));
        assert_eq!(permits.distributions[1].format.as_deref(), Some("GeoJSON"));
        let cases = entry(&catalog, &format!("{base}code-enforcement-cases"));
        assert_eq!(
            cases.described_by.as_deref(),
            Some("https://data.cityofconcord.org/datasets/code-enforcement-cases/data-dictionary.pdf")
        );
        assert_eq!(cases.accrual_periodicity.as_deref(), Some("R/P1M"));
        let force = entry(&catalog, &format!("{base}police-use-of-force"));
        assert_eq!(
            force.contact_email.as_deref(),
            Some("police-records@cityofconcord.org")
        );
        assert!(force.distributions.is_empty());
        assert_eq!(force.accrual_periodicity.as_deref(), Some("irregular"));
        let calls = entry(&catalog, &format!("{base}police-calls-for-service"));
        assert_eq!(
            calls.distributions[0].url,
            "https://data.cityofconcord.org/api/police-calls-for-service"
        );
        let pavement_id = format!("{base}pavement-condition");
        let pavement = entry(&catalog, &pavement_id);
        assert_eq!(pavement.contact_email, None);
        assert_eq!(
            pavement.distributions[1].format.as_deref(),
            Some("PDF"),
            "from the extension"
        );
        assert_eq!(
            catalog.warnings,
            [Warning {
                identifier: pavement_id,
                message: "has no contact email (contactPoint.hasEmail)".to_string()
            }]
        );
    }

    #[test]
    fn access_level_spellings_are_normalised_and_a_missing_one_means_public() {
        let catalog = catalog_of(
            r#"{"identifier": "a", "title": "A", "accessLevel": " Restricted-Public "},
               {"identifier": "b", "title": "B", "accessLevel": "restricted_public"},
               {"identifier": "c", "title": "C", "accessLevel": "NON PUBLIC"},
               {"identifier": "d", "title": "D", "accessLevel": "Public"},
               {"identifier": "e", "title": "E"}"#,
        );
        let levels: Vec<&str> = catalog
            .entries
            .iter()
            .map(|e| e.access_level.as_str())
            .collect();
        assert_eq!(
            levels,
            [
                "restricted public",
                "restricted public",
                "non-public",
                "public",
                "public"
            ]
        );
        assert!(warnings_for(&catalog, "e").contains(&"no accessLevel given; treated as public"));
    }

    #[test]
    fn an_unknown_access_level_skips_the_entry_instead_of_guessing() {
        let catalog = catalog_of(
            r#"{"identifier": "a", "title": "A", "accessLevel": "confidential"},
               {"identifier": "b", "title": "B", "accessLevel": 3}"#,
        );
        assert!(catalog.entries.is_empty());
        assert_eq!(
            catalog.skipped[0].reason,
            r#"unknown access level "confidential" (expected public, restricted public or non-public)"#
        );
        assert_eq!(
            catalog.skipped[1].reason,
            "its accessLevel is a number, not text"
        );
    }

    #[test]
    fn bad_identifiers_are_skipped_with_a_reason() {
        let long = "x".repeat(201);
        let catalog = catalog_of(&format!(
            r#"{{"title": "No id"}}, {{"identifier": "  ", "title": "Blank"}},
               {{"identifier": 42, "title": "Number"}}, {{"identifier": "{long}", "title": "Long"}},
               {{"identifier": "a\tb", "title": "Tab"}}, "not an object",
               {{"identifier": "  ok  ", "title": " <b>Fine</b> "}}"#
        ));
        let reasons: Vec<&str> = catalog.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "it has no identifier",
                "it has no identifier",
                "its identifier is a number, not text",
                "its identifier is longer than 200 characters",
                "its identifier contains control characters (line breaks, tabs or similar)",
                "it is text, not a dataset object",
            ]
        );
        assert_eq!(catalog.entries[0].identifier, "ok");
        assert_eq!(catalog.entries[0].title, "Fine");
    }

    #[test]
    fn keywords_are_trimmed_and_deduplicated_and_a_single_string_is_accepted() {
        let catalog = catalog_of(
            r#"{"identifier": "a", "title": "A", "keyword": [" parks ", "", "trees", "parks", 7]},
               {"identifier": "b", "title": "B", "keyword": "budget"}"#,
        );
        assert_eq!(catalog.entries[0].keywords, ["parks", "trees"]);
        assert_eq!(catalog.entries[1].keywords, ["budget"]);
    }

    #[test]
    fn distributions_take_the_best_url_and_format_available() {
        let catalog = catalog_of(
            r#"{"identifier": "a", "title": "A", "distribution": [
                {"downloadURL": "https://x.org/d.csv", "accessURL": "https://x.org/page"},
                {"accessURL": "https://x.org/data.xlsx?v=2"},
                {"downloadURL": "https://x.org/f", "mediaType": "text/csv; charset=utf-8"},
                {"downloadURL": "https://x.org/report.php"},
                {"title": "No link", "format": "CSV"},
                "junk"]}"#,
        );
        let e = &catalog.entries[0];
        let got: Vec<(&str, Option<&str>)> = e
            .distributions
            .iter()
            .map(|d| (d.url.as_str(), d.format.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("https://x.org/d.csv", Some("CSV")),
                ("https://x.org/data.xlsx?v=2", Some("XLSX")),
                ("https://x.org/f", Some("CSV")),
                ("https://x.org/report.php", None),
            ]
        );
        assert_eq!(
            warnings_for(&catalog, "a")
                .into_iter()
                .filter(|w| w.starts_with("distribution"))
                .collect::<Vec<_>>(),
            [
                "distribution 5 has no downloadURL or accessURL and was left out",
                "distribution 6 is text, not an object, and was left out",
            ]
        );
    }

    #[test]
    fn entities_and_line_breaks_in_descriptions_become_plain_text() {
        let html =
            "<p>Fish &amp; chips &lt;3 &#233;t&#xE9;&nbsp;ok&#8203;</p>\r\n\r\n\r\n<ul><li>one</li>\
                    <li>two</li></ul>a < b &unknown; &#0;<br/><br/><br/>end";
        assert_eq!(
            html_to_text(html),
            "Fish & chips <3 été ok\n\none\ntwo\na < b &unknown;\n\nend"
        );
    }

    #[test]
    fn an_invalid_or_mailto_email_is_normalised_or_dropped_with_a_warning() {
        let catalog = catalog_of(
            r#"{"identifier": "a", "title": "A", "contactPoint": {"hasEmail": " MAILTO:Clerk@City.Gov?subject=Hi "}},
               {"identifier": "b", "title": "B", "contactPoint": {"fn": "Clerk", "hasEmail": "call the clerk"}}"#,
        );
        assert_eq!(
            catalog.entries[0].contact_email.as_deref(),
            Some("clerk@city.gov")
        );
        assert_eq!(catalog.entries[1].contact_email, None);
        assert_eq!(catalog.entries[1].contact_name.as_deref(), Some("Clerk"));
        assert!(warnings_for(&catalog, "b")
            .contains(&r#"contact email "call the clerk" is not a valid address and was ignored"#));
    }

    #[test]
    fn files_that_are_not_json_or_not_catalogs_are_errors() {
        let not_json = parse(b"<html>404 Not Found</html>");
        assert!(matches!(not_json, Err(CatalogError::NotJson(_))));
        let truncated = include_bytes!("../../tests/fixtures/catalog-restricted.json");
        let truncated = parse(&truncated[..truncated.len() / 2]);
        assert!(matches!(truncated, Err(CatalogError::NotJson(_))));
        assert!(matches!(parse(b""), Err(CatalogError::NotJson(_))));
        for not_a_catalog in [&b"[]"[..], b"{}", b"{\"dataset\": {}}", b"42", b"null"] {
            let result = parse(not_a_catalog);
            assert!(
                matches!(result, Err(CatalogError::NotACatalog(_))),
                "{result:?}"
            );
        }
        let message = parse(b"{\"dataset\": 1}").unwrap_err().to_string();
        assert_eq!(
            message,
            "the file is not a DCAT-US catalog: `dataset` is a number, not a list"
        );
    }

    #[test]
    fn a_byte_order_mark_and_an_empty_dataset_list_are_fine() {
        assert_eq!(
            parse(b"\xEF\xBB\xBF{\"dataset\": []}").unwrap(),
            ParsedCatalog::default()
        );
    }

    #[test]
    fn periodicity_codes_read_as_words() {
        let cases = [
            ("R/P1D", Some("daily")),
            ("R/P1W", Some("weekly")),
            ("R/P2W", Some("every two weeks")),
            ("R/P0.5M", Some("twice a month")),
            ("R/P1M", Some("monthly")),
            (" r/p3m ", Some("quarterly")),
            ("R/P6M", Some("twice a year")),
            ("R/P1Y", Some("annually")),
            ("R/P2Y", Some("every two years")),
            ("R/P3Y", Some("every three years")),
            ("R/PT1H", Some("hourly")),
            ("R/PT1S", Some("continuously updated")),
            ("R/PT1M", Some("continuously updated")),
            ("irregular", Some("irregularly")),
            ("R/P5Y", None),
            ("", None),
            ("weekly", None),
        ];
        for (code, words) in cases {
            assert_eq!(periodicity_words(code), words, "{code:?}");
        }
    }

    #[test]
    fn garbage_types_anywhere_do_not_panic() {
        let catalog = catalog_of(
            r#"null, 1, true, [], [{"identifier": "x"}], {},
               {"identifier": "g", "title": ["x"], "accessLevel": "public"},
               {"identifier": "h", "title": "H", "description": 5, "keyword": {"a": 1},
                "publisher": 7, "contactPoint": ["x"], "license": false, "rights": [],
                "accrualPeriodicity": 1.5, "modified": 20240101, "describedBy": {},
                "landingPage": null, "distribution": "https://x.org/a.csv"},
               {"identifier": "i", "title": "I", "publisher": {"name": {"x": 1}},
                "contactPoint": {"fn": 1, "hasEmail": 2},
                "distribution": [{"downloadURL": 3, "accessURL": ["y"], "mediaType": 4, "format": 5}]}"#,
        );
        assert_eq!(catalog.skipped.len(), 7);
        assert_eq!(catalog.skipped[6].reason, "its title is a list, not text");
        let h = entry(&catalog, "h");
        assert_eq!(
            (
                h.description.as_str(),
                h.publisher.as_ref(),
                h.license.as_ref()
            ),
            ("", None, None)
        );
        assert!(h.distributions.is_empty() && h.keywords.is_empty() && h.modified.is_none());
        assert!(entry(&catalog, "i").distributions.is_empty());
        assert!(warnings_for(&catalog, "h")
            .contains(&"`modified` is a number, not text, and was ignored"));
    }

    #[test]
    fn no_truncation_or_odd_bytes_make_the_parser_panic() {
        let bytes = include_bytes!("../../tests/fixtures/catalog-restricted.json");
        for end in 0..bytes.len() {
            let _ = parse(&bytes[..end]);
        }
        for bad in [
            &b"\xff\xfe{"[..],
            b"{\"dataset\": [\"\\u0000\"]}",
            &[b'['; 10_000],
        ] {
            let _ = parse(bad);
        }
    }

    #[test]
    fn stray_angle_brackets_and_ampersands_stay_as_text() {
        // Long enough that a scan starting over at each stray `<` would be felt in a run, but
        // speed is the benches' business: this checks the text only.
        let noise = "<a &".repeat(50_000);
        assert_eq!(html_to_text(&noise), noise);
    }
}
