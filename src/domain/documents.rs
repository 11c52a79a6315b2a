//! Response documents: which files may be attached (by what their bytes are, not only by what
//! they are called), what a file is shown as, and when documents may be added and released.

use serde::{Deserialize, Serialize};

use super::Status;

/// A document is a file kept here, or a link to records kept elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    File,
    Link,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 2] = [DocumentKind::File, DocumentKind::Link];

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::File => "file",
            DocumentKind::Link => "link",
        }
    }

    pub fn parse(s: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The kinds of file staff may attach. Anything else is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Csv,
    Xlsx,
    Docx,
    Text,
    Zip,
    Png,
    Jpeg,
    Gif,
    Webp,
}

/// Every allowed kind, for messages and forms.
pub const ALLOWED: [FileKind; 10] = [
    FileKind::Pdf,
    FileKind::Csv,
    FileKind::Xlsx,
    FileKind::Docx,
    FileKind::Text,
    FileKind::Zip,
    FileKind::Png,
    FileKind::Jpeg,
    FileKind::Gif,
    FileKind::Webp,
];

/// How many leading bytes `FileKind::of` needs to tell a kind by its contents.
pub const SNIFF_BYTES: usize = 4096;

impl FileKind {
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Pdf => &["pdf"],
            FileKind::Csv => &["csv"],
            FileKind::Xlsx => &["xlsx"],
            FileKind::Docx => &["docx"],
            FileKind::Text => &["txt"],
            FileKind::Zip => &["zip"],
            FileKind::Png => &["png"],
            FileKind::Jpeg => &["jpg", "jpeg"],
            FileKind::Gif => &["gif"],
            FileKind::Webp => &["webp"],
        }
    }

    /// The media type downloads are served with: ours, never the uploader's claim.
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Csv => "text/csv; charset=utf-8",
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Text => "text/plain; charset=utf-8",
            FileKind::Zip => "application/zip",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Gif => "image/gif",
            FileKind::Webp => "image/webp",
        }
    }

    /// The kind of a stored file, by the media type it was stored with (`content_type`).
    pub fn from_content_type(content_type: &str) -> Option<FileKind> {
        ALLOWED
            .into_iter()
            .find(|k| k.content_type() == content_type)
    }

    /// What the file is, from its name's extension, checked against its first bytes
    /// (`head`: up to [`SNIFF_BYTES`] of them; all of them for a shorter file).
    pub fn of(file_name: &str, head: &[u8]) -> Result<FileKind, String> {
        let extension = file_name
            .rsplit_once('.')
            .map(|(_, ext)| ext.to_ascii_lowercase())
            .unwrap_or_default();
        let kind = ALLOWED
            .into_iter()
            .find(|kind| kind.extensions().contains(&extension.as_str()))
            .ok_or_else(|| {
                format!(
                    "files of this type cannot be attached; allowed: {}",
                    allowed_list()
                )
            })?;
        if kind.matches(head) {
            Ok(kind)
        } else {
            Err(format!(
                "the file is called .{extension} but its contents are not a {} file",
                kind.extensions()[0].to_ascii_uppercase()
            ))
        }
    }

    /// Whether the leading bytes look like this kind. Office files are ZIP archives.
    fn matches(self, head: &[u8]) -> bool {
        match self {
            FileKind::Pdf => head.starts_with(b"%PDF-"),
            FileKind::Xlsx | FileKind::Docx | FileKind::Zip => {
                head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06")
            }
            FileKind::Png => head.starts_with(b"\x89PNG\r\n\x1a\n"),
            FileKind::Jpeg => head.starts_with(&[0xFF, 0xD8, 0xFF]),
            FileKind::Gif => head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a"),
            FileKind::Webp => head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP",
            FileKind::Csv | FileKind::Text => is_text(head),
        }
    }
}

/// "PDF, CSV, XLSX, …": for messages.
pub fn allowed_list() -> String {
    ALLOWED
        .iter()
        .map(|k| k.extensions()[0].to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join(", ")
}

/// UTF-8 without NUL bytes; a character cut off at the end of the sample is fine.
fn is_text(head: &[u8]) -> bool {
    if head.contains(&0) {
        return false;
    }
    match std::str::from_utf8(head) {
        Ok(_) => true,
        // Only a sample cut at SNIFF_BYTES may end mid-character; a whole file may not.
        Err(e) => e.error_len().is_none() && head.len() == SNIFF_BYTES,
    }
}

/// The longest name a document is shown with, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// What a file is shown and downloaded as. The name comes from the uploader's computer: any
/// folder part is dropped, control and direction-changing characters are removed, and what is
/// left is bounded. (The file itself is stored under its hash, never under this name.)
pub fn display_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !is_bidi_control(*c))
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.').trim();
    if trimmed.is_empty() {
        return "document".into();
    }
    if trimmed.chars().count() <= MAX_NAME_CHARS {
        return trimmed.to_string();
    }
    // Keep the extension when shortening.
    let (stem, extension) = match trimmed.rsplit_once('.') {
        Some((stem, ext)) if ext.chars().count() <= 10 => (stem, format!(".{ext}")),
        _ => (trimmed, String::new()),
    };
    let keep = MAX_NAME_CHARS - extension.chars().count();
    format!("{}{extension}", stem.chars().take(keep).collect::<String>())
}

/// Invisible characters that change how text around them reads (direction marks and
/// overrides, zero-width and joiner characters, the byte-order mark, line and paragraph
/// separators, soft hyphen): Unicode's format characters that matter in file names.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// Documents are prepared while a request is open or granted; never on a withdrawn request or
/// a denial that stands.
pub fn may_add(status: Status) -> bool {
    status.meaning().documents_added
}

/// The requester gets records with a grant, or in part while the request is under review.
pub fn may_release(status: Status) -> bool {
    status.meaning().documents_released
}

/// A link to records (a dataset export): http or https with a host, no user name or password
/// (it would be emailed to the requester), no spaces or control characters, at most
/// [`MAX_LINK_CHARS`] characters.
pub fn parse_link(url: &str) -> Result<String, String> {
    if url.is_empty() {
        return Err("must not be empty".into());
    }
    if url.chars().count() > MAX_LINK_CHARS {
        return Err(format!("must be at most {MAX_LINK_CHARS} characters"));
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("must start with https:// or http://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty()
        || authority.contains('@')
        || url.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        return Err("must be a web address such as https://data.example.gov/export.csv".into());
    }
    Ok(url.to_string())
}

/// The longest link accepted.
pub const MAX_LINK_CHARS: usize = 2000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_files_kind_is_found_by_its_media_type() {
        for kind in ALLOWED {
            assert_eq!(FileKind::from_content_type(kind.content_type()), Some(kind));
        }
        assert_eq!(FileKind::from_content_type("application/x-unknown"), None);
    }

    #[test]
    fn a_file_is_what_its_name_says_only_when_its_bytes_agree() {
        assert_eq!(FileKind::of("report.PDF", b"%PDF-1.7\n"), Ok(FileKind::Pdf));
        assert_eq!(
            FileKind::of("a.xlsx", b"PK\x03\x04rest"),
            Ok(FileKind::Xlsx)
        );
        assert_eq!(
            FileKind::of("a.jpeg", &[0xFF, 0xD8, 0xFF, 0xE0]),
            Ok(FileKind::Jpeg)
        );
        assert_eq!(
            FileKind::of("a.webp", b"RIFF\0\0\0\0WEBPVP8 "),
            Ok(FileKind::Webp)
        );
        assert_eq!(
            FileKind::of("list.csv", "name,é\n".as_bytes()),
            Ok(FileKind::Csv)
        );
        assert!(FileKind::of("report.pdf", b"MZ\x90\0").is_err());
        assert!(FileKind::of("setup.exe", b"MZ\x90\0").is_err());
        assert!(FileKind::of("no-extension", b"%PDF-1.7").is_err());
        assert!(FileKind::of("notes.txt", b"binary\0data").is_err());
        assert!(FileKind::of("page.html", b"<html>").is_err());
    }

    #[test]
    fn text_cut_mid_character_at_the_end_of_the_sample_is_still_text() {
        let mut head = vec![b'a'; SNIFF_BYTES - 1];
        head.push(0xC3); // the first byte of "é"
        assert!(is_text(&head));
        assert!(
            !is_text(&[b'a', 0xC3]),
            "a whole short file must be valid UTF-8"
        );
    }

    #[test]
    fn names_lose_folders_and_control_characters() {
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(display_name("C:\\Users\\x\\report.pdf"), "report.pdf");
        assert_eq!(display_name("bad\u{0}\r\nname.pdf"), "badname.pdf");
        assert_eq!(display_name("evil\u{202E}fdp.exe"), "evilfdp.exe");
        assert_eq!(display_name("a\u{200B}b\u{FEFF}\u{061C}c.pdf"), "abc.pdf");
        assert_eq!(display_name(".."), "document");
        assert_eq!(display_name("   "), "document");
        assert_eq!(display_name(".hidden.txt"), "hidden.txt");
        let long = format!("{}.pdf", "x".repeat(500));
        let shown = display_name(&long);
        assert_eq!(shown.chars().count(), MAX_NAME_CHARS);
        assert!(shown.ends_with(".pdf"));
    }

    #[test]
    fn records_are_released_with_a_grant_or_in_part_under_review() {
        for status in Status::ALL {
            let expected = matches!(status, Status::UnderReview | Status::Granted);
            assert_eq!(may_release(status), expected, "{status:?}");
        }
        assert!(!may_add(Status::Withdrawn));
        assert!(!may_add(Status::Denied));
    }

    #[test]
    fn links_are_web_addresses() {
        assert!(parse_link("https://data.example.gov/x.csv").is_ok());
        assert!(parse_link("javascript:alert(1)").is_err());
        assert!(parse_link("https://").is_err());
        assert!(parse_link("https://a b").is_err());
        assert!(parse_link("ftp://x").is_err());
        assert!(parse_link("https://?x").is_err());
        assert!(parse_link("https://#top").is_err());
        assert!(parse_link("https://user:secret@data.example.gov/x").is_err());
    }
}
