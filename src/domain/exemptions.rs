//! The exemptions staff cite when they withhold records, and what each withholding must say.
//!
//! A withholding is justified either by an express exemption or by the public interest
//! balancing of Gov. Code §7922.000 (former §6255(a)); §7922.540(c) requires one or the other
//! (docs: CPRA-RULES.md 1.4–1.6). Staff choose from a catalogue keyed by the current section, or
//! choose "other" and type a California, U.S.C. or C.F.R. citation, which is checked and
//! normalised here so letters and reports print it one way.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::input::{limits, FieldErrors, Text};

/// Longest description of one withheld record or category of records.
pub const MAX_ITEM_CHARS: usize = 300;

/// The choice, beside the catalogue's sections, that lets staff type a citation.
pub const OTHER: &str = "other";

/// Gov. Code §7922.000, the public interest balancing ("catch-all") exemption.
pub const PUBLIC_INTEREST_BALANCING: &str = "7922.000";

const EXAMPLES: &str =
    "Gov. Code §7927.705, Evid. Code §1040, 5 U.S.C. §552(b)(6) or 45 C.F.R. §164.512";

/// One exemption of the catalogue, as configured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExemptionEntry {
    /// The current Gov. Code section, e.g. "7927.705".
    pub section: String,
    /// The section's number before the 2023 recodification, e.g. "6254(k)".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub former: Option<String>,
    /// A short title, e.g. "Records exempt under other state or federal law".
    pub title: String,
}

impl ExemptionEntry {
    /// As printed in letters: "Gov. Code §7927.705 (former §6254(k))".
    pub fn citation(&self) -> String {
        match &self.former {
            Some(former) => format!("Gov. Code §{} (former §{former})", self.section),
            None => format!("Gov. Code §{}", self.section),
        }
    }
}

/// The exemptions staff may choose from, in the order they are listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExemptionCatalogue {
    entries: Vec<ExemptionEntry>,
}

impl ExemptionCatalogue {
    /// Checks configured entries: section numbers like "7927.705" or "7927.705(a)", former
    /// numbers like "6254(k)", non-empty single-line titles, and no number listed twice
    /// (current or former), so a section or its former number names one entry only.
    pub fn new(entries: Vec<ExemptionEntry>) -> Result<ExemptionCatalogue, String> {
        if entries.is_empty() {
            return Err("the exemption catalogue has no entries".into());
        }
        let mut checked: Vec<ExemptionEntry> = Vec::with_capacity(entries.len());
        for entry in entries {
            let section = entry.section.trim().to_string();
            if !is_section_number(&section, true) {
                return Err(format!(
                    "exemption {section:?}: the section must be a Gov. Code section number, \
                     like 7927.705 or 7927.705(a)"
                ));
            }
            let former = entry.former.map(|f| f.trim().to_string());
            let former = former.filter(|f| !f.is_empty());
            if let Some(former) = former.as_deref().filter(|f| !is_section_number(f, false)) {
                return Err(format!(
                    "exemption {section}: the former section {former:?} must be a section \
                     number, like 6254(k)"
                ));
            }
            let title = Text::line(&entry.title, limits::NAME)
                .map_err(|e| format!("exemption {section}: the title {e}"))?;
            for key in std::iter::once(&section).chain(former.iter()) {
                let taken =
                    |e: &ExemptionEntry| &e.section == key || e.former.as_ref() == Some(key);
                if checked.iter().any(taken) || former.as_ref() == Some(&section) {
                    return Err(format!("exemption {key} is listed more than once"));
                }
            }
            checked.push(ExemptionEntry {
                section,
                former,
                title: title.into_string(),
            });
        }
        Ok(ExemptionCatalogue { entries: checked })
    }

    /// The exemptions CPRA-RULES.md marks verified, for a city that has configured none.
    pub fn seeded() -> ExemptionCatalogue {
        let entry = |section: &str, former: &str, title: &str| ExemptionEntry {
            section: section.into(),
            former: Some(former.into()),
            title: title.into(),
        };
        ExemptionCatalogue::new(vec![
            entry(
                "7922.000",
                "6255(a)",
                "Public interest in withholding clearly outweighs disclosure",
            ),
            entry(
                "7923.600",
                "6254(f)",
                "Law enforcement investigation and security records",
            ),
            entry(
                "7927.705",
                "6254(k)",
                "Records exempt under other state or federal law, including privileges",
            ),
        ])
        .expect("the seeded catalogue is valid")
    }

    pub fn entries(&self) -> &[ExemptionEntry] {
        &self.entries
    }

    /// The entry whose current section is `section` (surrounding spaces ignored).
    pub fn find(&self, section: &str) -> Option<&ExemptionEntry> {
        let section = section.trim();
        self.entries.iter().find(|e| e.section == section)
    }

    /// The entry a typed Gov. Code citation names exactly, by current or former number.
    fn find_cited(&self, cited: &Cited) -> Option<&ExemptionEntry> {
        let number = cited.gov_code()?;
        self.entries
            .iter()
            .find(|e| e.section == number || e.former.as_deref() == Some(number))
    }
}

/// What one withheld item cites. Stored as JSON (requests, audit events): keep field names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ground {
    /// The catalogue's section when the exemption was chosen from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// As printed in letters: "Gov. Code §7927.705 (former §6254(k))", "Evid. Code §1040".
    pub citation: String,
    /// The catalogue's title, when chosen from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

impl Ground {
    pub fn from_entry(entry: &ExemptionEntry) -> Ground {
        Ground {
            section: Some(entry.section.clone()),
            citation: entry.citation(),
            title: Some(entry.title.clone()),
        }
    }

    /// An "other" ground from a typed citation (see [`parse_other_citation`]).
    pub fn other(raw: &str) -> Result<Ground, String> {
        parse_cited(raw).map(|cited| Ground::from_cited(&cited))
    }

    fn from_cited(cited: &Cited) -> Ground {
        Ground {
            section: None,
            citation: cited.to_string(),
            title: None,
        }
    }

    /// The catalogue section ("7927.705"), or "other"; what reports group by.
    pub fn key(&self) -> &str {
        self.section.as_deref().unwrap_or(OTHER)
    }

    /// Gov. Code §7922.000 (former §6255(a)), chosen from the catalogue or typed as "other".
    /// Such a withholding needs a written justification.
    pub fn is_public_interest_balancing(&self) -> bool {
        match &self.section {
            Some(section) => split_subdivisions(section).0 == PUBLIC_INTEREST_BALANCING,
            None => parse_cited(&self.citation).is_ok_and(|c| c.is_public_interest_balancing()),
        }
    }
}

/// A document's exemption as staff type it beside a redaction: a Government Code section
/// number alone ("7927.705", the catalogue's way of naming one) or any citation
/// [`parse_other_citation`] takes; in the form letters print.
pub fn parse_document_exemption(raw: &str) -> Result<String, String> {
    let trimmed = raw.trim();
    let bare_section = !trimmed.is_empty()
        && trimmed.chars().next().is_some_and(|c| c.is_ascii_digit())
        && trimmed
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '(' | ')'));
    if bare_section {
        parse_other_citation(&format!("Gov. Code §{trimmed}"))
    } else {
        parse_other_citation(trimmed)
    }
}

/// Checks a typed citation and returns it in one form: "Gov. Code §7927.705(a)",
/// "Evid. Code §1040", "5 U.S.C. §552(b)(6)", "45 C.F.R. §164.512(f)", "34 C.F.R. Part 99".
pub fn parse_other_citation(raw: &str) -> Result<String, String> {
    parse_cited(raw).map(|cited| cited.to_string())
}

/// What staff typed for one withheld item, from the JSON API or the HTML form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawWithheld {
    pub item: Option<String>,
    /// A catalogue section, or "other".
    pub exemption: Option<String>,
    /// The typed citation, when the exemption is "other".
    pub citation: Option<String>,
    pub reason: Option<String>,
    pub justification: Option<String>,
}

/// One record or category of records withheld, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withheld {
    /// The record or category withheld.
    pub item: String,
    pub ground: Ground,
    /// Why the exemption applies.
    pub reason: String,
    /// For public interest balancing: why withholding clearly outweighs disclosure here.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub justification: Option<String>,
}

/// Parses item `index`, recording plain messages under `withheld[{index}].item`, `.exemption`,
/// `.citation`, `.reason` and `.justification`. An "other" citation that names a catalogue
/// entry exactly (e.g. "Gov. Code § 6254(k)") becomes that entry. A citation sent with a
/// catalogue choice is ignored (the form always has the box).
pub fn parse_withheld(
    catalogue: &ExemptionCatalogue,
    raw: &RawWithheld,
    index: usize,
    errors: &mut FieldErrors,
) -> Option<Withheld> {
    let field = |name: &str| format!("withheld[{index}].{name}");
    let item = match present(&raw.item) {
        None => Err("say which record or category of records is withheld".to_string()),
        Some(item) => Text::line(item, MAX_ITEM_CHARS).map(Text::into_string),
    };
    let item = errors.check(&field("item"), item);
    let ground = match present(&raw.exemption) {
        Some(choice) if choice.eq_ignore_ascii_case(OTHER) => {
            let cited = match present(&raw.citation) {
                None => Err(format!(
                    "for Other, type the law that allows withholding, like {EXAMPLES}"
                )),
                Some(citation) => parse_cited(citation),
            };
            errors.check(&field("citation"), cited).map(|cited| {
                match catalogue.find_cited(&cited) {
                    Some(entry) => Ground::from_entry(entry),
                    None => Ground::from_cited(&cited),
                }
            })
        }
        choice => {
            let entry = choice.and_then(|c| catalogue.find(c));
            let ground = entry
                .map(Ground::from_entry)
                .ok_or_else(|| "choose an exemption from the list, or Other".to_string());
            errors.check(&field("exemption"), ground)
        }
    };
    let reason = match present(&raw.reason) {
        None => Err("explain why the exemption applies to this record".to_string()),
        Some(reason) => Text::multiline(reason, limits::DECISION).map(Text::into_string),
    };
    let reason = errors.check(&field("reason"), reason);
    let balancing = ground
        .as_ref()
        .is_some_and(Ground::is_public_interest_balancing);
    let justification = match present(&raw.justification) {
        None if balancing => Err(JUSTIFICATION_NEEDED.to_string()),
        None => Ok(None),
        Some(text) => Text::multiline(text, limits::DECISION).map(|t| Some(t.into_string())),
    };
    let justification = errors.check(&field("justification"), justification);
    Some(Withheld {
        item: item?,
        ground: ground?,
        reason: reason?,
        justification: justification?,
    })
}

const JUSTIFICATION_NEEDED: &str = "withholding under the public interest balancing exemption \
    (Gov. Code §7922.000) needs a written justification: explain why, on the facts of this \
    request, the public interest served by withholding clearly outweighs the public interest \
    served by disclosure";

fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The distinct citations, in order of first appearance: the legal basis line of a letter.
pub fn citations(withheld: &[Withheld]) -> Vec<String> {
    let mut distinct: Vec<String> = Vec::new();
    for w in withheld {
        if !distinct.contains(&w.ground.citation) {
            distinct.push(w.ground.citation.clone());
        }
    }
    distinct
}

// ---- Citations ------------------------------------------------------------------------------

/// One of California's 29 codes: how letters abbreviate it, and what else people write, in
/// lower case without dots, commas or apostrophes, "&" read as "and".
struct CaliforniaCode {
    cite: &'static str,
    /// Written before "Code": "Government", "Gov", "Govt" → "Government Code", "Gov. Code", ….
    stems: &'static [&'static str],
    /// Whole names: "Code of Civil Procedure", initialisms such as "CCP" or "PC".
    names: &'static [&'static str],
}

#[rustfmt::skip]
const CALIFORNIA_CODES: [CaliforniaCode; 29] = [
    CaliforniaCode { cite: "Bus. & Prof. Code", stems: &["business and professions", "business and profession", "bus and prof", "bus and profs", "bus prof", "b and p", "bp", "bpc"], names: &["bpc", "b and p"] },
    CaliforniaCode { cite: "Civ. Code", stems: &["civil", "civ"], names: &[] },
    CaliforniaCode { cite: "Code Civ. Proc.", stems: &["civil procedure", "civ proc", "ccp"], names: &["code of civil procedure", "code of civ proc", "code civ proc", "code civil proc", "ccp"] },
    CaliforniaCode { cite: "Com. Code", stems: &["commercial", "com", "comm", "u com", "uniform commercial"], names: &[] },
    CaliforniaCode { cite: "Corp. Code", stems: &["corporations", "corporation", "corp", "corps"], names: &[] },
    CaliforniaCode { cite: "Ed. Code", stems: &["education", "educ", "ed", "edc"], names: &[] },
    CaliforniaCode { cite: "Elec. Code", stems: &["elections", "election", "elec", "elecs"], names: &[] },
    CaliforniaCode { cite: "Evid. Code", stems: &["evidence", "evid", "ev"], names: &[] },
    CaliforniaCode { cite: "Fam. Code", stems: &["family", "fam"], names: &[] },
    CaliforniaCode { cite: "Fin. Code", stems: &["financial", "finance", "fin"], names: &[] },
    CaliforniaCode { cite: "Fish & G. Code", stems: &["fish and game", "fish and g", "f and g", "fgc"], names: &[] },
    CaliforniaCode { cite: "Food & Agr. Code", stems: &["food and agricultural", "food and agriculture", "food and agr", "food and ag", "fac"], names: &[] },
    CaliforniaCode { cite: "Gov. Code", stems: &["government", "govt", "gov"], names: &[] },
    CaliforniaCode { cite: "Harb. & Nav. Code", stems: &["harbors and navigation", "harbor and navigation", "harb and nav", "h and n", "hnc"], names: &[] },
    CaliforniaCode { cite: "Health & Saf. Code", stems: &["health and safety", "health and saf", "health and safe", "h and s", "hsc"], names: &["hsc", "h and s"] },
    CaliforniaCode { cite: "Ins. Code", stems: &["insurance", "ins"], names: &[] },
    CaliforniaCode { cite: "Lab. Code", stems: &["labor", "labour", "lab"], names: &[] },
    CaliforniaCode { cite: "Mil. & Vet. Code", stems: &["military and veterans", "military and veteran", "mil and vet", "m and v", "mvc"], names: &[] },
    CaliforniaCode { cite: "Pen. Code", stems: &["penal", "pen", "pc"], names: &["pc"] },
    CaliforniaCode { cite: "Prob. Code", stems: &["probate", "prob"], names: &[] },
    CaliforniaCode { cite: "Pub. Contract Code", stems: &["public contract", "public contracts", "pub contract", "pub cont", "pcc"], names: &["pcc"] },
    CaliforniaCode { cite: "Pub. Resources Code", stems: &["public resources", "public resource", "pub resources", "pub res", "prc"], names: &["prc"] },
    CaliforniaCode { cite: "Pub. Util. Code", stems: &["public utilities", "public utility", "pub util", "pub utils", "puc"], names: &["puc"] },
    CaliforniaCode { cite: "Rev. & Tax. Code", stems: &["revenue and taxation", "rev and tax", "r and t", "rtc"], names: &["rtc", "r and t"] },
    CaliforniaCode { cite: "Sts. & Hy. Code", stems: &["streets and highways", "sts and hy", "sts and hwy", "sts and hwys", "str and hwy", "s and h", "shc"], names: &[] },
    CaliforniaCode { cite: "Unemp. Ins. Code", stems: &["unemployment insurance", "unemp ins", "ui", "uic"], names: &["uic"] },
    CaliforniaCode { cite: "Veh. Code", stems: &["vehicle", "veh", "vc"], names: &["vc"] },
    CaliforniaCode { cite: "Wat. Code", stems: &["water", "wat"], names: &[] },
    CaliforniaCode { cite: "Welf. & Inst. Code", stems: &["welfare and institutions", "welf and inst", "w and i", "wic"], names: &["wic", "w and i"] },
];

/// A citation that parsed: "Gov. Code" §"7927.705(a)", "5 U.S.C." §"552(b)(6)", "34 C.F.R."
/// Part "99".
struct Cited {
    code: String,
    number: String,
    part: bool,
}

impl Cited {
    /// The section number, when this cites the Government Code.
    fn gov_code(&self) -> Option<&str> {
        (self.code == "Gov. Code").then_some(self.number.as_str())
    }

    fn is_public_interest_balancing(&self) -> bool {
        match self.gov_code().map(split_subdivisions) {
            Some((PUBLIC_INTEREST_BALANCING, _)) => true,
            // Former §6255(b) is now §7922.540, the duty to deny in writing.
            Some(("6255", subdivisions)) => {
                subdivisions.is_empty() || subdivisions.starts_with("(a)")
            }
            _ => false,
        }
    }
}

impl fmt::Display for Cited {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.part { "Part " } else { "§" };
        write!(f, "{} {sign}{}", self.code, self.number)
    }
}

fn expected() -> String {
    format!("name a code section, like {EXAMPLES}")
}

fn number_needed(after: &str) -> String {
    format!("give one section number after {after}, like {EXAMPLES}")
}

fn one_section() -> String {
    "cite one section only, like Gov. Code §7927.705(a)".into()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Marker {
    Section,
    Part,
    Several,
}

fn marker(token: &str) -> Option<Marker> {
    match token.trim_end_matches([',', '.']).to_lowercase().as_str() {
        "§" | "sec" | "section" => Some(Marker::Section),
        "part" | "pt" => Some(Marker::Part),
        "secs" | "sections" | "parts" | "pts" => Some(Marker::Several),
        _ => None,
    }
}

fn parse_cited(raw: &str) -> Result<Cited, String> {
    if raw.trim().is_empty() {
        return Err(expected());
    }
    let text = Text::line(raw, limits::CITATION)?;
    let s = text.as_str();
    // The California Style Manual's "(Gov. Code, § 7927.705.)".
    let s = s
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(s)
        .trim();
    let s = s.strip_suffix('.').unwrap_or(s).replace('§', " § ");
    let tokens: Vec<&str> = s.split_whitespace().collect();
    // Federal citations start with their title: "5 U.S.C. …", "45 C.F.R. …".
    let digits = |t: &str, max: usize| t.len() <= max && t.bytes().all(|b| b.is_ascii_digit());
    let title = tokens.first().filter(|t| tokens.len() > 1 && digits(t, 3));
    let from = usize::from(title.is_some());
    let starts_number = |t: &str| t.starts_with(|c: char| c.is_ascii_digit() || c == '(');
    let at = tokens
        .iter()
        .skip(from)
        .position(|t| marker(t).is_some() || starts_number(t))
        .map_or(tokens.len(), |i| i + from);
    let mut name = &tokens[from..at];
    let mark = tokens.get(at).and_then(|t| marker(t));
    let mut number = &tokens[(at + usize::from(mark.is_some())).min(tokens.len())..];
    if mark == Some(Marker::Several)
        || mark.is_some() && number.first().is_some_and(|t| marker(t).is_some())
    {
        return Err(one_section()); // "§§", "sections"
    }
    let part = mark == Some(Marker::Part);
    if let Some(title) = title {
        let title: u32 = title.parse().map_err(|_| expected())?;
        let (code, titles) = match name.concat().replace('.', "").to_lowercase().as_str() {
            "usc" | "usca" | "uscode" => (format!("{title} U.S.C."), 54),
            "cfr" => (format!("{title} C.F.R."), 50),
            _ => return Err(expected()),
        };
        if !(1..=titles).contains(&title) {
            return Err(format!("{code} has no title {title}; {}", expected()));
        }
        let number = join_number(number, &code)?;
        let (section, subdivisions) = split_subdivisions(&number);
        let (number, part) = match titles {
            // 54 titles: the U.S. Code; 50: the C.F.R.
            54 if !part && is_usc_section(&number) => (
                format!("{}{subdivisions}", section.to_ascii_lowercase()),
                false,
            ),
            50 if !part && is_section_number(&number, true) => (number, false),
            // A C.F.R. number without a dot names a part: "34 CFR 99".
            50 if !number.is_empty() && digits(&number, 4) => (number, true),
            _ => return Err(number_needed(&code)),
        };
        return Ok(Cited { code, number, part });
    }
    // "section 7927.705 of the Government Code"
    if name.is_empty() && mark == Some(Marker::Section) {
        if let Some(of) = number.iter().position(|t| t.eq_ignore_ascii_case("of")) {
            (name, number) = (&number[of + 1..], &number[..of]);
        }
    }
    let name = normalise_name(name);
    let stem = name.strip_suffix(" code");
    let Some(code) = CALIFORNIA_CODES
        .iter()
        .find(|c| c.names.contains(&name.as_str()) || stem.is_some_and(|s| c.stems.contains(&s)))
    else {
        return Err(if name.split(' ').any(|w| w == "code") {
            format!("that is not one of California's 29 codes; {}", expected())
        } else {
            expected()
        });
    };
    let number = join_number(number, code.cite)?;
    if part || !is_section_number(&number, false) {
        return Err(number_needed(code.cite));
    }
    let code = code.cite.to_string();
    Ok(Cited { code, number, part })
}

/// A code's name as typed, in lower case without dots, commas or apostrophes, "&" read as
/// "and", a leading "Cal." or "California" dropped.
fn normalise_name(tokens: &[&str]) -> String {
    let joined = tokens.join(" ").to_lowercase().replace('&', " and ");
    let kept = joined.replace(['.', ',', '\'', '’'], "");
    let mut words: Vec<&str> = kept.split_whitespace().collect();
    for noise in [["the"].as_slice(), &["cal", "calif", "california", "ca"]] {
        if words.first().is_some_and(|w| noise.contains(w)) {
            words.remove(0);
        }
    }
    words.join(" ")
}

/// The tokens after "§" as one number: "832.7," "subd." "(b)(11)" → "832.7(b)(11)".
fn join_number(tokens: &[&str], after: &str) -> Result<String, String> {
    let mut number = String::new();
    for token in tokens {
        let token = token.trim_end_matches([',', ';']);
        let another = token.starts_with(|c: char| c.is_ascii_digit()) || marker(token).is_some();
        match token.trim_end_matches('.').to_lowercase().as_str() {
            "subd" | "subds" | "subdivision" | "subsec" | "subsection" | "para" | "paragraph" => {}
            _ if number.is_empty() => number.push_str(token),
            "and" | "or" | "to" | "through" | "&" | "-" | "–" | "et" => return Err(one_section()),
            _ if another => return Err(one_section()),
            _ => number.push_str(token),
        }
    }
    if number.is_empty() {
        return Err(number_needed(after));
    }
    Ok(number)
}

/// "832.7(b)(11)" → ("832.7", "(b)(11)").
fn split_subdivisions(number: &str) -> (&str, &str) {
    number.split_at(number.find('(').unwrap_or(number.len()))
}

/// Splits off the leading characters that satisfy `f`.
fn take(s: &str, f: impl Fn(char) -> bool) -> (&str, &str) {
    s.split_at(s.find(|c: char| !f(c)).unwrap_or(s.len()))
}

/// Zero or more "(a)", "(11)", "(A)", "(ii)".
fn is_subdivisions(mut s: &str) -> bool {
    while let Some(rest) = s.strip_prefix('(') {
        let (inner, rest) = take(rest, |c| c.is_ascii_alphanumeric());
        match rest.strip_prefix(')') {
            Some(rest) if (1..=8).contains(&inner.len()) => s = rest,
            _ => return false,
        }
    }
    s.is_empty()
}

/// "954", "7927.705", "832.7(b)(11)"; the decimal part is required when `dotted`.
fn is_section_number(s: &str, dotted: bool) -> bool {
    let (whole, rest) = take(s, |c| c.is_ascii_digit());
    let rest = match rest.strip_prefix('.') {
        Some(after) => match take(after, |c| c.is_ascii_digit()) {
            (decimals, rest) if (1..=6).contains(&decimals.len()) => rest,
            _ => return false,
        },
        None if dotted => return false,
        None => rest,
    };
    (1..=6).contains(&whole.len()) && is_subdivisions(rest)
}

/// A U.S. Code section: "552(b)(6)", "1232g", "1320d-6", "300aa-25".
fn is_usc_section(s: &str) -> bool {
    let piece = |s| {
        let (digits, rest) = take(s, |c| c.is_ascii_digit());
        let (letters, rest) = take(rest, |c| c.is_ascii_alphabetic());
        ((1..=6).contains(&digits.len()) && letters.len() <= 3).then_some(rest)
    };
    let rest = piece(s).and_then(|rest| match rest.strip_prefix('-') {
        Some(after) => piece(after),
        None => Some(rest),
    });
    rest.is_some_and(is_subdivisions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(section: &str, former: Option<&str>, title: &str) -> ExemptionEntry {
        ExemptionEntry {
            section: section.into(),
            former: former.map(Into::into),
            title: title.into(),
        }
    }

    #[test]
    fn the_seeded_catalogue_has_the_three_verified_exemptions() {
        let catalogue = ExemptionCatalogue::seeded();
        let sections: Vec<&str> = catalogue
            .entries()
            .iter()
            .map(|e| e.section.as_str())
            .collect();
        assert_eq!(sections, ["7922.000", "7923.600", "7927.705"]);
        let k = catalogue.find(" 7927.705 ").unwrap();
        assert_eq!(k.former.as_deref(), Some("6254(k)"));
        assert_eq!(k.citation(), "Gov. Code §7927.705 (former §6254(k))");
        assert!(
            catalogue.find("6254(k)").is_none(),
            "found by current section only"
        );
        assert!(catalogue.find("other").is_none());
    }

    #[test]
    fn catalogue_entries_are_checked() {
        let ok = ExemptionCatalogue::new(vec![
            entry(" 7927.700 ", Some(" "), " Personnel files "),
            entry("7927.705(a)", Some("6254(k)"), "Other law"),
        ])
        .unwrap();
        assert_eq!(ok.entries()[0], entry("7927.700", None, "Personnel files"));
        for (entries, why) in [
            (vec![], "empty"),
            (vec![entry("6254", None, "x")], "no dot"),
            (vec![entry("§7927.705", None, "x")], "section sign"),
            (vec![entry("7927.705 (a)", None, "x")], "space"),
            (vec![entry("7927.", None, "x")], "no decimals"),
            (vec![entry("other", None, "x")], "word"),
            (vec![entry("7927.705", Some("k"), "x")], "bad former"),
            (vec![entry("7927.705", None, "  ")], "empty title"),
            (vec![entry("7927.705", None, "a\nb")], "two-line title"),
            (
                vec![entry("7927.705", None, "a"), entry("7927.705", None, "b")],
                "dup",
            ),
            (
                vec![
                    entry("7927.705", Some("6254(k)"), "a"),
                    entry("7927.700", Some("6254(k)"), "b"),
                ],
                "dup former",
            ),
            (
                vec![
                    entry("7927.705", Some("7927.700"), "a"),
                    entry("7927.700", None, "b"),
                ],
                "former is a section",
            ),
        ] {
            assert!(ExemptionCatalogue::new(entries).is_err(), "{why}");
        }
    }

    #[test]
    fn entries_deserialize_without_a_former_number() {
        let e: ExemptionEntry =
            serde_json::from_str(r#"{"section":"7927.700","title":"Personnel files"}"#).unwrap();
        assert_eq!(e, entry("7927.700", None, "Personnel files"));
        assert_eq!(e.citation(), "Gov. Code §7927.700");
    }

    #[test]
    fn citations_lawyers_write_are_accepted_and_normalised() {
        for (raw, normalised) in [
            ("Gov. Code § 7927.705", "Gov. Code §7927.705"),
            (
                "Government Code section 7927.705(a)",
                "Gov. Code §7927.705(a)",
            ),
            ("Evid. Code §1040", "Evid. Code §1040"),
            ("Evidence Code 954", "Evid. Code §954"),
            ("Pen. Code § 832.7(b)(11)", "Pen. Code §832.7(b)(11)"),
            ("Penal Code section 832.7", "Pen. Code §832.7"),
            ("Cal. Gov. Code § 7922.000", "Gov. Code §7922.000"),
            ("Code Civ. Proc. § 1985.3", "Code Civ. Proc. §1985.3"),
            ("Welf. & Inst. Code § 827", "Welf. & Inst. Code §827"),
            (
                "Health & Saf. Code § 1280.15",
                "Health & Saf. Code §1280.15",
            ),
            ("Bus. & Prof. Code § 2225", "Bus. & Prof. Code §2225"),
            ("Veh. Code § 1808.21", "Veh. Code §1808.21"),
            ("5 U.S.C. § 552(b)(6)", "5 U.S.C. §552(b)(6)"),
            ("42 USC 1320d-6", "42 U.S.C. §1320d-6"),
            ("20 U.S.C. § 1232g", "20 U.S.C. §1232g"),
            ("45 C.F.R. § 164.512", "45 C.F.R. §164.512"),
            ("45 CFR 164.512(f)", "45 C.F.R. §164.512(f)"),
            ("34 C.F.R. Part 99", "34 C.F.R. Part 99"),
            // Other spellings of the same.
            ("  gov code §7927.705 ", "Gov. Code §7927.705"),
            ("Gov't Code § 7927.705", "Gov. Code §7927.705"),
            (
                "California Government Code Sec. 7927.705",
                "Gov. Code §7927.705",
            ),
            ("(Gov. Code, § 7927.705.)", "Gov. Code §7927.705"),
            (
                "Pen. Code, § 832.7, subd. (b)(11)",
                "Pen. Code §832.7(b)(11)",
            ),
            ("Pen. Code § 832.7 (b) (11)", "Pen. Code §832.7(b)(11)"),
            (
                "section 7927.705 of the Government Code",
                "Gov. Code §7927.705",
            ),
            (
                "Code of Civil Procedure section 1985.3",
                "Code Civ. Proc. §1985.3",
            ),
            ("CCP § 1985.3", "Code Civ. Proc. §1985.3"),
            ("W&I Code 827", "Welf. & Inst. Code §827"),
            (
                "Welfare and Institutions Code section 827",
                "Welf. & Inst. Code §827",
            ),
            ("H&S Code §1280.15", "Health & Saf. Code §1280.15"),
            (
                "Health and Safety Code 1280.15",
                "Health & Saf. Code §1280.15",
            ),
            ("B&P Code § 2225", "Bus. & Prof. Code §2225"),
            (
                "Business and Professions Code section 2225",
                "Bus. & Prof. Code §2225",
            ),
            ("PC 832.7", "Pen. Code §832.7"),
            ("Vehicle Code § 1808.21", "Veh. Code §1808.21"),
            ("5 U.S.C. sec. 552(b)(6)", "5 U.S.C. §552(b)(6)"),
            ("5 U. S. C. §552(b)(6).", "5 U.S.C. §552(b)(6)"),
            ("42 U.S.C. §1320D-6", "42 U.S.C. §1320d-6"),
            ("42 U.S.C. § 300aa-25", "42 U.S.C. §300aa-25"),
            ("45 CFR 164", "45 C.F.R. Part 164"),
            ("34 CFR pt. 99", "34 C.F.R. Part 99"),
            ("034 C.F.R. § 99.31(a)(1)", "34 C.F.R. §99.31(a)(1)"),
        ] {
            assert_eq!(
                parse_other_citation(raw).as_deref(),
                Ok(normalised),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn all_29_california_codes_are_known_by_name_and_abbreviation() {
        for (full, short) in [
            ("Business and Professions Code", "Bus. & Prof. Code"),
            ("Civil Code", "Civ. Code"),
            ("Code of Civil Procedure", "Code Civ. Proc."),
            ("Commercial Code", "Com. Code"),
            ("Corporations Code", "Corp. Code"),
            ("Education Code", "Ed. Code"),
            ("Elections Code", "Elec. Code"),
            ("Evidence Code", "Evid. Code"),
            ("Family Code", "Fam. Code"),
            ("Financial Code", "Fin. Code"),
            ("Fish and Game Code", "Fish & G. Code"),
            ("Food and Agricultural Code", "Food & Agr. Code"),
            ("Government Code", "Gov. Code"),
            ("Harbors and Navigation Code", "Harb. & Nav. Code"),
            ("Health and Safety Code", "Health & Saf. Code"),
            ("Insurance Code", "Ins. Code"),
            ("Labor Code", "Lab. Code"),
            ("Military and Veterans Code", "Mil. & Vet. Code"),
            ("Penal Code", "Pen. Code"),
            ("Probate Code", "Prob. Code"),
            ("Public Contract Code", "Pub. Contract Code"),
            ("Public Resources Code", "Pub. Resources Code"),
            ("Public Utilities Code", "Pub. Util. Code"),
            ("Revenue and Taxation Code", "Rev. & Tax. Code"),
            ("Streets and Highways Code", "Sts. & Hy. Code"),
            ("Unemployment Insurance Code", "Unemp. Ins. Code"),
            ("Vehicle Code", "Veh. Code"),
            ("Water Code", "Wat. Code"),
            ("Welfare and Institutions Code", "Welf. & Inst. Code"),
        ] {
            let expected = format!("{short} §123.4(a)");
            for raw in [
                format!("{full} section 123.4(a)"),
                format!("{short} § 123.4(a)"),
                format!("Cal. {short} §123.4(a)"),
            ] {
                assert_eq!(parse_other_citation(&raw), Ok(expected.clone()), "{raw:?}");
            }
        }
    }

    #[test]
    fn free_text_and_half_citations_are_refused_with_an_example() {
        let example = "name a code section, like Gov. Code §7927.705, Evid. Code §1040, \
                       5 U.S.C. §552(b)(6) or 45 C.F.R. §164.512";
        for raw in [
            "",
            "   ",
            "privacy",
            "attorney client privilege",
            "section 5",
            "7927.705",
            "6254",
            "§ 7927.705",
            "Foo Code § 12",
            "Cal. Code Regs. tit. 15 § 3000",
            "5 privacy 552",
            "Gov. Code § 7927.705\nBcc: x@example.com",
        ] {
            let message = parse_other_citation(raw).unwrap_err();
            assert!(
                message.contains("like Gov. Code §7927.705") || message.contains("single line"),
                "{raw:?}: {message}"
            );
        }
        assert_eq!(parse_other_citation("privacy"), Err(example.into()));
        for (raw, says) in [
            ("Gov. Code", "after Gov. Code"),
            ("Government Code section", "after Gov. Code"),
            ("Gov. Code § 7927.705 attorney-client", "after Gov. Code"),
            ("Gov. Code § 79a", "after Gov. Code"),
            ("Gov. Code Part 5", "after Gov. Code"),
            ("5 U.S.C.", "after 5 U.S.C."),
            ("5 U.S.C. Part 552", "after 5 U.S.C."),
            ("45 C.F.R. Part 164.512", "after 45 C.F.R."),
            ("45 C.F.R. § 164.512(", "after 45 C.F.R."),
            ("60 U.S.C. § 1", "no title 60"),
            ("0 C.F.R. § 1.1", "no title 0"),
            ("Foo Code § 12", "not one of California's 29 codes"),
            ("Gov. Code §§ 7927.705, 7927.700", "one section only"),
            (
                "Gov. Code sections 7927.705 and 7927.700",
                "one section only",
            ),
            ("Gov. Code § 7927.705 and § 7927.700", "one section only"),
            ("Gov. Code § 7927.705, 7927.700", "one section only"),
            ("Gov. Code § 7920.000 et seq.", "one section only"),
            ("45 CFR §§ 164.502", "one section only"),
        ] {
            let message = parse_other_citation(raw).unwrap_err();
            assert!(message.contains(says), "{raw:?}: {message}");
        }
        let long = format!("Gov. Code § 7927.705 {}", "x".repeat(limits::CITATION));
        assert!(parse_other_citation(&long).unwrap_err().contains("at most"));
    }

    #[test]
    fn grounds_serialise_with_stable_names_and_skip_what_is_absent() {
        let catalogue = ExemptionCatalogue::seeded();
        let chosen = Ground::from_entry(catalogue.find("7927.705").unwrap());
        assert_eq!(
            serde_json::to_value(&chosen).unwrap(),
            serde_json::json!({
                "section": "7927.705",
                "citation": "Gov. Code §7927.705 (former §6254(k))",
                "title": "Records exempt under other state or federal law, including privileges",
            })
        );
        let other = Ground::other("Evid. Code 1040").unwrap();
        let json = serde_json::to_value(&other).unwrap();
        assert_eq!(json, serde_json::json!({ "citation": "Evid. Code §1040" }));
        assert_eq!(serde_json::from_value::<Ground>(json).unwrap(), other);
        assert_eq!((chosen.key(), other.key()), ("7927.705", "other"));
    }

    #[test]
    fn public_interest_balancing_is_recognised_however_it_is_cited() {
        let catalogue = ExemptionCatalogue::seeded();
        let ground = |s: &str| Ground::from_entry(catalogue.find(s).unwrap());
        assert!(ground("7922.000").is_public_interest_balancing());
        assert!(!ground("7927.705").is_public_interest_balancing());
        assert!(!ground("7923.600").is_public_interest_balancing());
        for (raw, balancing) in [
            ("Gov. Code § 7922.000", true),
            ("Government Code section 6255", true),
            ("Gov. Code §6255(a)", true),
            ("Gov. Code §6255(b)", false), // now §7922.540: the denial must be in writing
            ("Gov. Code §7927.705", false),
            ("Evid. Code §7922.000", false),
            ("5 U.S.C. §552(b)(6)", false),
        ] {
            let other = Ground::other(raw).unwrap();
            assert_eq!(other.is_public_interest_balancing(), balancing, "{raw:?}");
        }
    }

    fn raw(item: &str, exemption: &str, citation: &str, reason: &str, just: &str) -> RawWithheld {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        RawWithheld {
            item: some(item),
            exemption: some(exemption),
            citation: some(citation),
            reason: some(reason),
            justification: some(just),
        }
    }

    fn parse(raw: &RawWithheld) -> Result<Withheld, FieldErrors> {
        let mut errors = FieldErrors::default();
        let parsed = parse_withheld(&ExemptionCatalogue::seeded(), raw, 2, &mut errors);
        assert_eq!(parsed.is_some(), errors.is_empty());
        parsed.ok_or(errors)
    }

    fn fields(errors: FieldErrors) -> Vec<String> {
        errors.0.into_keys().collect()
    }

    #[test]
    fn a_withheld_item_from_the_catalogue() {
        let w = parse(&raw(
            " Legal memo of 3 May ",
            "7927.705",
            "ignored: a catalogue choice",
            "Attorney-client privileged (Evid. Code §954).\nNot waived.",
            "",
        ))
        .unwrap();
        assert_eq!(w.item, "Legal memo of 3 May");
        assert_eq!(w.ground.key(), "7927.705");
        assert_eq!(
            w.reason,
            "Attorney-client privileged (Evid. Code §954).\nNot waived."
        );
        assert_eq!(w.justification, None);
        let json = serde_json::to_value(&w).unwrap();
        assert!(json.get("justification").is_none());
        assert_eq!(serde_json::from_value::<Withheld>(json).unwrap(), w);
    }

    #[test]
    fn a_withheld_item_citing_other_law() {
        let w = parse(&raw(
            "Body camera video",
            "Other",
            "Pen. Code § 832.7(a)",
            "Peace officer record",
            "",
        ))
        .unwrap();
        assert_eq!(w.ground.key(), "other");
        assert_eq!(w.ground.citation, "Pen. Code §832.7(a)");
        // Typing a catalogue exemption, by its current or former number, chooses it.
        for typed in ["Gov. Code § 7927.705", "Gov. Code § 6254(k)"] {
            let w = parse(&raw("Memo", "other", typed, "Privileged", "")).unwrap();
            assert_eq!(w.ground.key(), "7927.705", "{typed}");
        }
        let w = parse(&raw(
            "Memo",
            "other",
            "Gov. Code § 7927.705(b)",
            "Privileged",
            "",
        ))
        .unwrap();
        assert_eq!(w.ground.key(), "other");
    }

    #[test]
    fn every_part_is_required() {
        let errors = parse(&RawWithheld::default()).unwrap_err();
        assert_eq!(
            fields(errors.clone()),
            [
                "withheld[2].exemption",
                "withheld[2].item",
                "withheld[2].reason"
            ]
        );
        assert_eq!(
            errors.0["withheld[2].exemption"],
            ["choose an exemption from the list, or Other"]
        );
        assert_eq!(
            errors.0["withheld[2].item"],
            ["say which record or category of records is withheld"]
        );
        let blank = raw("  ", " ", "", "\n", "");
        assert_eq!(fields(parse(&blank).unwrap_err()), fields(errors));
    }

    #[test]
    fn items_are_one_bounded_line_and_reasons_bounded() {
        let long_item = "x".repeat(MAX_ITEM_CHARS + 1);
        let long_reason = "x".repeat(limits::DECISION + 1);
        for (bad, field) in [
            (raw(&long_item, "7927.705", "", "r", ""), "withheld[2].item"),
            (raw("a\nb", "7927.705", "", "r", ""), "withheld[2].item"),
            (
                raw("a", "7927.705", "", &long_reason, ""),
                "withheld[2].reason",
            ),
            (
                raw("a", "7927.705", "", "bell\u{7}", ""),
                "withheld[2].reason",
            ),
            (
                raw("a", "7927.705", "", "r", &long_reason),
                "withheld[2].justification",
            ),
        ] {
            assert_eq!(fields(parse(&bad).unwrap_err()), [field]);
        }
        assert!(parse(&raw(&"x".repeat(MAX_ITEM_CHARS), "7927.705", "", "r", "")).is_ok());
    }

    #[test]
    fn the_exemption_is_a_catalogue_section_or_other_with_a_citation() {
        for unknown in ["7927.700", "6254(k)", "privacy", "othe"] {
            let errors = parse(&raw("a", unknown, "Gov. Code §7927.700", "r", "")).unwrap_err();
            assert_eq!(
                errors.0["withheld[2].exemption"],
                ["choose an exemption from the list, or Other"]
            );
        }
        let errors = parse(&raw("a", "other", "", "r", "")).unwrap_err();
        assert!(errors.0["withheld[2].citation"][0].starts_with("for Other, type the law"));
        let errors = parse(&raw("a", "other", "privacy", "r", "")).unwrap_err();
        assert_eq!(fields(errors.clone()), ["withheld[2].citation"]);
        assert!(errors.0["withheld[2].citation"][0].contains("Evid. Code §1040"));
    }

    #[test]
    fn public_interest_balancing_needs_a_written_justification() {
        for (exemption, citation) in [
            ("7922.000", ""),
            ("other", "Gov. Code § 6255"),
            ("other", "Government Code 7922.000"),
        ] {
            let errors = parse(&raw(
                "Draft budget",
                exemption,
                citation,
                "Deliberative",
                "",
            ))
            .unwrap_err();
            assert_eq!(
                fields(errors.clone()),
                ["withheld[2].justification"],
                "{citation}"
            );
            let message = &errors.0["withheld[2].justification"][0];
            assert!(message.contains("clearly outweighs the public interest served by disclosure"));
            assert!(message.contains("on the facts of this request"));
            let w = parse(&raw(
                "Draft budget",
                exemption,
                citation,
                "Deliberative",
                " Because … ",
            ))
            .unwrap();
            assert!(w.ground.is_public_interest_balancing());
            assert_eq!(w.justification.as_deref(), Some("Because …"));
        }
        // Also when the city's catalogue does not list §7922.000.
        let catalogue = ExemptionCatalogue::new(vec![entry("7927.705", None, "Other law")]);
        let mut errors = FieldErrors::default();
        let typed = raw(
            "Draft budget",
            "other",
            "Gov. Code § 7922.000",
            "Deliberative",
            "",
        );
        assert!(parse_withheld(&catalogue.unwrap(), &typed, 0, &mut errors).is_none());
        assert_eq!(fields(errors), ["withheld[0].justification"]);
        // Kept, harmlessly, for another exemption.
        let w = parse(&raw(
            "Memo",
            "7927.705",
            "",
            "Privileged",
            "Also outweighed",
        ))
        .unwrap();
        assert_eq!(w.justification.as_deref(), Some("Also outweighed"));
    }

    #[test]
    fn errors_of_other_items_are_kept_and_this_one_still_reports() {
        let mut errors = FieldErrors::default();
        errors.add(
            "withheld[0].item",
            "say which record or category of records is withheld",
        );
        let ok = raw("a", "7927.705", "", "r", "");
        assert!(parse_withheld(&ExemptionCatalogue::seeded(), &ok, 1, &mut errors).is_some());
        assert_eq!(fields(errors), ["withheld[0].item"]);
    }

    #[test]
    fn citations_are_distinct_and_in_order() {
        let w = |exemption: &str, citation: &str| {
            parse(&raw("a", exemption, citation, "r", "j")).unwrap()
        };
        let withheld = [
            w("7927.705", ""),
            w("other", "Evid. Code § 1040"),
            w("7927.705", ""),
            w("other", "Evidence Code 1040"),
            w("7922.000", ""),
        ];
        assert_eq!(
            citations(&withheld),
            [
                "Gov. Code §7927.705 (former §6254(k))",
                "Evid. Code §1040",
                "Gov. Code §7922.000 (former §6255(a))",
            ]
        );
        assert!(citations(&[]).is_empty());
    }
}

#[cfg(test)]
mod document_exemption_tests {
    use super::parse_document_exemption;

    #[test]
    fn a_document_names_a_section_or_a_citation() {
        assert_eq!(
            parse_document_exemption("7927.705").unwrap(),
            "Gov. Code §7927.705"
        );
        assert_eq!(
            parse_document_exemption("Evid. Code § 1040").unwrap(),
            "Evid. Code §1040"
        );
        for bad in ["privacy", "section 5", "7927.705 because"] {
            assert!(parse_document_exemption(bad).is_err(), "{bad:?}");
        }
    }
}
