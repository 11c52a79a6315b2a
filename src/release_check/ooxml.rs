//! Office files as the checks read them: a ZIP archive whose parts are read within what is
//! left of [`MAX_UNPACKED`], XML walked element by element, and the properties that name people.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};

use super::{quote, Finding, FindingCode, MAX_ENTRIES, MAX_UNPACKED};

/// An office file opened for checking, with what is left of its unpacking budget.
pub(super) struct Archive<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    budget: u64,
}

impl<'a> Archive<'a> {
    pub(super) fn open(bytes: &'a [u8]) -> Result<Archive<'a>, Finding> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|_| Finding::unreadable("it is not a readable ZIP archive"))?;
        if zip.len() > MAX_ENTRIES {
            return Err(Finding::unreadable("it holds too many parts"));
        }
        Ok(Archive {
            zip,
            budget: MAX_UNPACKED,
        })
    }

    pub(super) fn names(&self) -> Vec<String> {
        self.zip
            .file_names()
            .filter_map(Result::ok)
            .map(|n| n.into_owned())
            .collect()
    }

    /// A part's text, or `None` when the archive has no such part.
    pub(super) fn read(&mut self, name: &str) -> Result<Option<String>, Finding> {
        let file = match self.zip.by_name(name) {
            Ok(file) => file,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(_) => return Err(Finding::unreadable("a part of it cannot be unpacked")),
        };
        let mut out = Vec::new();
        file.take(self.budget + 1)
            .read_to_end(&mut out)
            .map_err(|_| Finding::unreadable("a part of it cannot be unpacked"))?;
        if out.len() as u64 > self.budget {
            return Err(Finding::unreadable("it unpacks to more than 64 MiB"));
        }
        self.budget -= out.len() as u64;
        Ok(Some(String::from_utf8_lossy(&out).into_owned()))
    }
}

/// One thing met reading XML: an element opened (its local name and attributes by local
/// name), its text, or an element closed.
pub(super) enum Node<'x> {
    Open(&'x str, &'x BTreeMap<String, String>),
    Text(&'x str),
    Close(&'x str),
}

fn local(name: &str) -> String {
    match name.rsplit_once(':') {
        Some((_, local)) => local.to_string(),
        None => name.to_string(),
    }
}

/// Reads `xml`, calling `on` for each element and text; a part that is not XML is unreadable.
pub(super) fn walk(xml: &str, mut on: impl FnMut(Node<'_>)) -> Result<(), Finding> {
    let bad = || Finding::unreadable("a part of it is not well-formed XML");
    let mut reader = Reader::from_str(xml);
    loop {
        let (e, empty) = match reader.read_event().map_err(|_| bad())? {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                on(Node::Close(&local(e.name().as_ref())));
                continue;
            }
            Event::Text(t) => {
                on(Node::Text(&t.xml10_content()));
                continue;
            }
            Event::CData(t) => {
                on(Node::Text(&t));
                continue;
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match r.xml10_content().as_ref() {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        _ => String::new(),
                    },
                };
                on(Node::Text(&resolved));
                continue;
            }
            Event::Eof => return Ok(()),
            _ => continue,
        };
        let name = local(e.name().as_ref());
        let mut attrs = BTreeMap::new();
        for attr in e.attributes() {
            let attr = attr.map_err(|_| bad())?;
            let value = attr
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|_| bad())?;
            attrs.insert(local(attr.key.as_ref()), value.into_owned());
        }
        on(Node::Open(&name, &attrs));
        if empty {
            on(Node::Close(&name));
        }
    }
}

/// The text of each element named in `wanted`, by its local name.
fn texts(xml: &str, wanted: &[&str]) -> Result<BTreeMap<String, String>, Finding> {
    let mut found = BTreeMap::new();
    let mut inside: Option<String> = None;
    walk(xml, |node| match node {
        Node::Open(name, _) if wanted.contains(&name) => inside = Some(name.to_string()),
        Node::Text(text) => {
            if let Some(name) = &inside {
                found
                    .entry(name.clone())
                    .or_insert_with(String::new)
                    .push_str(text);
            }
        }
        Node::Close(_) => inside = None,
        Node::Open(..) => {}
    })?;
    found.retain(|_, v| !v.trim().is_empty());
    Ok(found)
}

pub(super) fn is_true(value: Option<&String>) -> bool {
    matches!(value.map(String::as_str), Some("1" | "true"))
}

/// Who wrote and last saved the file, and the company and manager it names
/// (`docProps/core.xml`, `docProps/app.xml`).
pub(super) fn personal_metadata(archive: &mut Archive<'_>) -> Result<Option<Finding>, Finding> {
    let mut said = Vec::new();
    if let Some(core) = archive.read("docProps/core.xml")? {
        let found = texts(&core, &["creator", "lastModifiedBy"])?;
        if let Some(v) = found.get("creator") {
            said.push(format!("author {}", quote(v)));
        }
        if let Some(v) = found.get("lastModifiedBy") {
            said.push(format!("last saved by {}", quote(v)));
        }
    }
    if let Some(app) = archive.read("docProps/app.xml")? {
        let found = texts(&app, &["Company", "Manager"])?;
        if let Some(v) = found.get("Company") {
            said.push(format!("company {}", quote(v)));
        }
        if let Some(v) = found.get("Manager") {
            said.push(format!("manager {}", quote(v)));
        }
    }
    Ok((!said.is_empty()).then(|| {
        Finding::new(
            FindingCode::PersonalMetadata,
            format!("The file's properties name people: {}", said.join(", ")),
        )
    }))
}

/// Runs `inner`, a failure to read being the one finding.
pub(super) fn checked(inner: impl FnOnce() -> Result<Vec<Finding>, Finding>) -> Vec<Finding> {
    inner().unwrap_or_else(|unreadable| vec![unreadable])
}
