//! XLSX and DOCX: ZIP archives of XML parts. Only the parts that can hide something are read,
//! each within what is left of the unpacking budget (`ooxml::Archive`).

use std::collections::{BTreeMap, BTreeSet};

use super::ooxml::{checked, is_true, personal_metadata, walk, Archive, Node};
use super::{count, listed, quote, short, Finding, FindingCode};

/// A spreadsheet: hidden sheets, hidden rows and columns, comments, personal metadata.
pub fn check_xlsx(bytes: &[u8]) -> Vec<Finding> {
    checked(|| {
        let mut archive = Archive::open(bytes)?;
        let workbook = archive
            .read("xl/workbook.xml")?
            .ok_or_else(|| Finding::unreadable("it has no workbook"))?;
        // Each sheet's name, whether (and how) it is hidden, and its relationship id.
        let mut sheets: Vec<(String, Option<String>, Option<String>)> = Vec::new();
        walk(&workbook, |node| {
            if let Node::Open("sheet", attrs) = node {
                sheets.push((
                    attrs.get("name").cloned().unwrap_or_default(),
                    attrs.get("state").cloned(),
                    attrs.get("id").cloned(),
                ));
            }
        })?;
        let mut targets = BTreeMap::new();
        if let Some(rels) = archive.read("xl/_rels/workbook.xml.rels")? {
            walk(&rels, |node| {
                if let Node::Open("Relationship", attrs) = node {
                    if let (Some(id), Some(target)) = (attrs.get("Id"), attrs.get("Target")) {
                        let path = match target.strip_prefix('/') {
                            Some(absolute) => absolute.to_string(),
                            None => format!("xl/{target}"),
                        };
                        targets.insert(id.clone(), path);
                    }
                }
            })?;
        }
        let mut findings = Vec::new();
        for (name, state, id) in &sheets {
            match state.as_deref() {
                Some("hidden") => findings.push(Finding::new(
                    FindingCode::HiddenSheet,
                    format!("Sheet \"{name}\" is hidden"),
                )),
                Some("veryHidden") => findings.push(Finding::new(
                    FindingCode::HiddenSheet,
                    format!("Sheet \"{name}\" is hidden so that Excel's menus cannot show it"),
                )),
                _ => {}
            }
            let Some(path) = id.as_ref().and_then(|id| targets.get(id)) else {
                continue;
            };
            let Some(sheet) = archive.read(path)? else {
                continue;
            };
            let (mut rows, mut columns) = (0_usize, 0_usize);
            walk(&sheet, |node| match node {
                Node::Open("row", attrs) if is_true(attrs.get("hidden")) => rows += 1,
                Node::Open("col", attrs) if is_true(attrs.get("hidden")) => {
                    let at = |k: &str| attrs.get(k).and_then(|v| v.parse::<usize>().ok());
                    let (min, max) = (at("min").unwrap_or(1), at("max").unwrap_or(1));
                    columns += max.saturating_sub(min).min(16_384) + 1;
                }
                _ => {}
            })?;
            if rows > 0 {
                findings.push(Finding::new(
                    FindingCode::HiddenRows,
                    format!(
                        "{} on sheet \"{name}\"",
                        count(rows, "hidden row", "hidden rows")
                    ),
                ));
            }
            if columns > 0 {
                findings.push(Finding::new(
                    FindingCode::HiddenColumns,
                    format!(
                        "{} on sheet \"{name}\"",
                        count(columns, "hidden column", "hidden columns")
                    ),
                ));
            }
        }
        let mut comments = 0;
        let mut authors = BTreeSet::new();
        for part in archive.names() {
            let legacy = part.starts_with("xl/comments") && part.ends_with(".xml");
            let threaded = part.starts_with("xl/threadedComments/") && part.ends_with(".xml");
            if !(legacy || threaded) {
                continue;
            }
            let Some(xml) = archive.read(&part)? else {
                continue;
            };
            let mut in_author = false;
            walk(&xml, |node| match node {
                Node::Open("comment", _) if legacy => comments += 1,
                Node::Open("threadedComment", _) if threaded => comments += 1,
                Node::Open("author", _) => in_author = true,
                Node::Text(t) if in_author && !t.trim().is_empty() => {
                    authors.insert(t.trim().to_string());
                }
                Node::Close("author") => in_author = false,
                _ => {}
            })?;
        }
        if comments > 0 {
            findings.push(Finding::new(
                FindingCode::SpreadsheetComments,
                by(count(comments, "comment", "comments"), authors),
            ));
        }
        findings.extend(personal_metadata(&mut archive)?);
        Ok(findings)
    })
}

/// "3 tracked changes by J. Smith": the authors, when the file names them.
fn by(what: String, authors: BTreeSet<String>) -> String {
    let names: Vec<String> = authors.iter().map(|a| short(a)).collect();
    if names.is_empty() {
        what
    } else {
        format!("{what} by {}", listed(&names))
    }
}

/// A Word file: tracked changes, comments, personal metadata.
pub fn check_docx(bytes: &[u8]) -> Vec<Finding> {
    checked(|| {
        let mut archive = Archive::open(bytes)?;
        let parts: Vec<String> = archive
            .names()
            .into_iter()
            .filter(|n| n.starts_with("word/") && n.ends_with(".xml"))
            .filter(|n| !n.contains("/_rels/"))
            .collect();
        if !parts.iter().any(|n| n == "word/document.xml") {
            return Err(Finding::unreadable("it has no document body"));
        }
        let mut findings = Vec::new();
        let (mut changes, mut change_authors) = (0_usize, BTreeSet::new());
        let (mut comments, mut comment_authors) = (0_usize, BTreeSet::new());
        let mut deleted = String::new();
        for part in &parts {
            let Some(xml) = archive.read(part)? else {
                continue;
            };
            let is_comments = part == "word/comments.xml";
            let mut in_deleted = false;
            walk(&xml, |node| match node {
                Node::Open("ins" | "del" | "moveFrom" | "moveTo", attrs) if !is_comments => {
                    changes += 1;
                    if let Some(author) = attrs.get("author") {
                        change_authors.insert(author.clone());
                    }
                }
                Node::Open("comment", attrs) if is_comments => {
                    comments += 1;
                    if let Some(author) = attrs.get("author") {
                        comment_authors.insert(author.clone());
                    }
                }
                Node::Open("delText", _) => in_deleted = true,
                Node::Text(t) if in_deleted && deleted.len() < 200 => {
                    deleted.push_str(t);
                    deleted.push(' ');
                }
                Node::Close("delText") => in_deleted = false,
                _ => {}
            })?;
        }
        if changes > 0 {
            let mut words = by(
                count(changes, "tracked change", "tracked changes"),
                change_authors,
            );
            if !deleted.trim().is_empty() {
                words.push_str(&format!(", with deleted text {}", quote(&deleted)));
            }
            findings.push(Finding::new(FindingCode::TrackedChanges, words));
        }
        if comments > 0 {
            findings.push(Finding::new(
                FindingCode::DocumentComments,
                by(count(comments, "comment", "comments"), comment_authors),
            ));
        }
        findings.extend(personal_metadata(&mut archive)?);
        Ok(findings)
    })
}
