//! The text a released file holds, for the reading room's search (docs/PRODUCT.md, "Reading
//! room"): PDF, TXT and CSV. Pure: bytes in, text out. A file whose text cannot be read is
//! said to be so, with the reason, and never fails what asked: a broken or hostile PDF is
//! published without its text.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::domain::documents::FileKind;

/// The most characters of text kept of one file; the rest is left out of the index.
pub const MAX_CHARS: usize = 1_000_000;
/// The most bytes a PDF's pages may decompress to, all pages together: a small file whose
/// pages all point at one inflating stream must not cost each page's share again.
const MAX_CONTENT: usize = 64 * 1024 * 1024;
/// The most pages whose text is read; a longer file is searched by its first pages.
const MAX_PAGES: usize = 2_000;

/// What reading a file's text found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileText {
    /// The text, cut at [`MAX_CHARS`], and how many characters the file held.
    Text { body: String, characters: usize },
    /// A readable file without any text (a scan without a text layer, an empty file).
    Empty,
    /// The file could not be read: why, in words for staff.
    Unreadable(String),
    /// A kind whose text is not read (images, ZIP archives, office files).
    NotText,
}

impl FileText {
    /// How the result is stored.
    pub fn status(&self) -> &'static str {
        match self {
            FileText::Text { .. } => "extracted",
            FileText::Empty => "empty",
            FileText::Unreadable(_) => "unreadable",
            FileText::NotText => "not_text",
        }
    }
}

/// The text of a file of `kind`.
pub fn text_of(kind: FileKind, bytes: &[u8]) -> FileText {
    let text = match kind {
        FileKind::Text | FileKind::Csv => Ok(plain_text(bytes)),
        FileKind::Pdf => pdf_text(bytes),
        _ => return FileText::NotText,
    };
    match text {
        Err(why) => FileText::Unreadable(why),
        Ok(text) => {
            let text = tidy(&text);
            if text.trim().is_empty() {
                return FileText::Empty;
            }
            let characters = text.chars().count();
            let body = if characters > MAX_CHARS {
                text.chars().take(MAX_CHARS).collect()
            } else {
                text
            };
            FileText::Text { body, characters }
        }
    }
}

/// A text file as UTF-8 (with or without its byte-order mark), else as Windows-1252, the
/// encoding older spreadsheet exports use: every byte is then some character.
fn plain_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|&b| windows_1252(b)).collect(),
    }
}

/// One Windows-1252 byte as its character (the five unassigned bytes as the replacement
/// character).
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{FFFD}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{FFFD}', 'Ž',
        '\u{FFFD}', '\u{FFFD}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ',
        '\u{FFFD}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// The text of every page of a PDF that has any; pages that fail are left out, and only a
/// file of which no page could be read is unreadable.
fn pdf_text(bytes: &[u8]) -> Result<String, String> {
    // lopdf is written to refuse bad files with errors; a panic on some file it did not
    // foresee must still not take the release with it.
    let read = catch_unwind(AssertUnwindSafe(|| -> Result<String, String> {
        let document = lopdf::Document::load_mem(bytes)
            .map_err(|e| format!("the PDF could not be read ({e})"))?;
        if document.is_encrypted() {
            return Err("the PDF is encrypted".into());
        }
        let pages = document.get_pages();
        let mut text = String::new();
        let mut failed = 0usize;
        let mut budget = MAX_CONTENT;
        for (number, id) in pages.into_iter().take(MAX_PAGES) {
            // The page's content, measured against what is left of the budget before its
            // text is read (which decompresses it again, within the same bound).
            let size = match document.get_page_content_with_limit(id, budget) {
                Ok(content) => content.len(),
                Err(_) => break,
            };
            budget -= size;
            for chunk in document.extract_text_chunks_with_limit(&[number], size.saturating_add(1))
            {
                match chunk {
                    Ok(t) => text.push_str(&t),
                    Err(_) => failed += 1,
                }
            }
            text.push('\n');
            if text.len() > MAX_CHARS * 4 {
                break;
            }
        }
        if failed > 0 && text.trim().is_empty() {
            return Err("the PDF's text could not be read".into());
        }
        Ok(text)
    }));
    read.unwrap_or_else(|_| Err("the PDF could not be read".into()))
}

/// Control characters (but line breaks and tabs) become spaces; NULs and the like would
/// otherwise reach the database and the index.
fn tidy(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::content::{Content, Operation};
    use lopdf::{dictionary, Document, Object, Stream};

    /// A PDF of one page per entry of `pages`, each line of text in Helvetica.
    pub(crate) fn pdf(pages: &[&str]) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font_id = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        });
        let resources_id = doc.add_object(dictionary! {
            "Font" => dictionary! { "F1" => font_id },
        });
        let mut kids = Vec::new();
        for text in pages {
            let content = Content {
                operations: vec![
                    Operation::new("BT", vec![]),
                    Operation::new("Tf", vec!["F1".into(), 12.into()]),
                    Operation::new("Td", vec![72.into(), 700.into()]),
                    Operation::new("Tj", vec![Object::string_literal(*text)]),
                    Operation::new("ET", vec![]),
                ],
            };
            let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
            let page_id = doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
            });
            kids.push(page_id.into());
        }
        let count = kids.len() as i64;
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => kids, "Count" => count,
                "Resources" => resources_id,
                "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
            }),
        );
        let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog_id);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    fn body(found: FileText) -> String {
        match found {
            FileText::Text { body, .. } => body,
            other => panic!("expected text, found {other:?}"),
        }
    }

    #[test]
    fn a_pdfs_text_is_read_from_every_page() {
        let text = body(text_of(
            FileKind::Pdf,
            &pdf(&["Budget memo for Parkside", "Second page: street paving"]),
        ));
        assert!(text.contains("Budget memo for Parkside"), "{text}");
        assert!(text.contains("street paving"), "{text}");
    }

    #[test]
    fn a_pdf_without_text_is_empty_and_a_broken_one_unreadable() {
        assert_eq!(text_of(FileKind::Pdf, &pdf(&[""])), FileText::Empty);
        let broken = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\n%%EOF";
        assert!(matches!(
            text_of(FileKind::Pdf, broken),
            FileText::Unreadable(_)
        ));
    }

    #[test]
    fn text_files_are_read_as_utf8_or_windows_1252() {
        assert_eq!(
            body(text_of(FileKind::Csv, "\u{FEFF}name,café\n".as_bytes())),
            "name,café\n"
        );
        assert_eq!(
            body(text_of(FileKind::Text, b"caf\xe9 \x93quoted\x94")),
            "café “quoted”"
        );
        assert_eq!(text_of(FileKind::Text, b"  \n"), FileText::Empty);
        assert_eq!(body(text_of(FileKind::Text, b"a\0b")), "a b");
    }

    #[test]
    fn long_text_is_cut_and_counted() {
        let long = "word ".repeat(MAX_CHARS / 5 + 10);
        match text_of(FileKind::Text, long.as_bytes()) {
            FileText::Text { body, characters } => {
                assert_eq!(body.chars().count(), MAX_CHARS);
                assert_eq!(characters, long.len());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn each_result_is_stored_as_the_word_the_database_allows() {
        // The `document_texts.status` CHECK of migration 26 takes these four and no other.
        let text = FileText::Text {
            body: "a".into(),
            characters: 1,
        };
        assert_eq!(text.status(), "extracted");
        assert_eq!(FileText::Empty.status(), "empty");
        assert_eq!(FileText::Unreadable("x".into()).status(), "unreadable");
        assert_eq!(FileText::NotText.status(), "not_text");
    }

    #[test]
    fn images_and_archives_are_not_read() {
        assert_eq!(text_of(FileKind::Png, b"\x89PNG"), FileText::NotText);
        assert_eq!(text_of(FileKind::Zip, b"PK\x03\x04"), FileText::NotText);
    }
}
