//! What a file would give away by accident, found before it is released (docs/PRODUCT.md,
//! "Release checks"): hidden sheets, rows and columns, comments and personal metadata in
//! spreadsheets; tracked changes, comments and author metadata in Word files; metadata,
//! annotations, attachments and text under redaction boxes in PDFs.
//!
//! Pure functions over bytes: no database, no files, no clock. A file that cannot be read is a
//! finding of its own (`unreadable`), never an error, and the readers stop at fixed limits so
//! a small file cannot unpack into gigabytes.

mod drawing;
mod office;
mod ooxml;
mod pdf;

use crate::domain::documents::FileKind;

/// The most bytes the checks unpack from one file (ZIP entries, PDF streams).
pub const MAX_UNPACKED: u64 = 64 * 1024 * 1024;
/// The most entries an office file may hold to be checked.
pub const MAX_ENTRIES: usize = 10_000;
/// The most findings of one kind listed for one file; the rest are counted.
const MAX_QUOTED: usize = 3;

pub use crate::domain::findings::{Finding, FindingCode};

/// What a file of this kind would give away. Kinds with nothing hidden to look for (CSV,
/// text, images, ZIP archives) give nothing.
pub fn check(kind: FileKind, bytes: &[u8]) -> Vec<Finding> {
    // The readers (lopdf, zip, quick-xml) refuse bad files with errors; a panic on some file
    // they did not foresee must still be a finding, not a failed release.
    let checked =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check_kind(kind, bytes)));
    checked.unwrap_or_else(|_| vec![Finding::unreadable("it could not be read")])
}

fn check_kind(kind: FileKind, bytes: &[u8]) -> Vec<Finding> {
    match kind {
        FileKind::Xlsx => office::check_xlsx(bytes),
        FileKind::Docx => office::check_docx(bytes),
        FileKind::Pdf => pdf::check(bytes),
        FileKind::Csv
        | FileKind::Text
        | FileKind::Zip
        | FileKind::Png
        | FileKind::Jpeg
        | FileKind::Gif
        | FileKind::Webp => Vec::new(),
    }
}

/// At most a few words of what was found, in curly quotes: "‘SSN 123-45-…’" (the audit log
/// keeps a finding without them: `findings::without_quotes`).
fn quote(text: &str) -> String {
    // The file's own curly quotes become straight ones: the quote's ends must be the only
    // curly quotes in it, or the audit log would keep what follows a quote inside it.
    format!("‘{}’", short(text).replace(['‘', '’'], "'"))
}

/// At most a few words of a text, cut with "…".
fn short(text: &str) -> String {
    const WORDS: usize = 4;
    const CHARS: usize = 32;
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let words: Vec<&str> = clean.split_whitespace().collect();
    let mut out = words
        .iter()
        .take(WORDS)
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let mut cut = words.len() > WORDS;
    if out.chars().count() > CHARS {
        out = out.chars().take(CHARS).collect();
        cut = true;
    }
    if cut {
        out.push('…');
    }
    out
}

/// "a, b and 2 more": names found, the first few of them.
fn listed(names: &[String]) -> String {
    let shown: Vec<String> = names.iter().take(MAX_QUOTED).cloned().collect();
    let rest = names.len().saturating_sub(MAX_QUOTED);
    match (shown.len(), rest) {
        (0, _) => String::new(),
        (1, 0) => shown[0].clone(),
        (_, 0) => {
            let (last, first) = shown.split_last().expect("two or more");
            format!("{} and {last}", first.join(", "))
        }
        (_, rest) => format!("{} and {rest} more", shown.join(", ")),
    }
}

/// "1 comment", "3 comments".
fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests;
