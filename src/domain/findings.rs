//! What a release check found in a file (`crate::release_check` looks; this names what it
//! found): the code of each kind of finding and its words for staff. A release that goes ahead
//! despite findings records them in its step (`step::ConfirmedFinding`).

use serde::{Deserialize, Serialize};

/// What kind of thing was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingCode {
    HiddenSheet,
    HiddenRows,
    HiddenColumns,
    SpreadsheetComments,
    PersonalMetadata,
    TrackedChanges,
    DocumentComments,
    PdfMetadata,
    PdfAnnotations,
    PdfAttachments,
    TextUnderBox,
    Unreadable,
}

impl FindingCode {
    pub const ALL: [FindingCode; 12] = [
        FindingCode::HiddenSheet,
        FindingCode::HiddenRows,
        FindingCode::HiddenColumns,
        FindingCode::SpreadsheetComments,
        FindingCode::PersonalMetadata,
        FindingCode::TrackedChanges,
        FindingCode::DocumentComments,
        FindingCode::PdfMetadata,
        FindingCode::PdfAnnotations,
        FindingCode::PdfAttachments,
        FindingCode::TextUnderBox,
        FindingCode::Unreadable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FindingCode::HiddenSheet => "hidden_sheet",
            FindingCode::HiddenRows => "hidden_rows",
            FindingCode::HiddenColumns => "hidden_columns",
            FindingCode::SpreadsheetComments => "spreadsheet_comments",
            FindingCode::PersonalMetadata => "personal_metadata",
            FindingCode::TrackedChanges => "tracked_changes",
            FindingCode::DocumentComments => "document_comments",
            FindingCode::PdfMetadata => "pdf_metadata",
            FindingCode::PdfAnnotations => "pdf_annotations",
            FindingCode::PdfAttachments => "pdf_attachments",
            FindingCode::TextUnderBox => "text_under_box",
            FindingCode::Unreadable => "unreadable",
        }
    }
}

/// One thing found in a file: its code, and what it is in plain words for staff (quoting at
/// most a few words of the file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub code: FindingCode,
    pub words: String,
}

impl Finding {
    pub(crate) fn new(code: FindingCode, words: impl Into<String>) -> Finding {
        Finding {
            code,
            words: words.into(),
        }
    }

    pub(crate) fn unreadable(why: &str) -> Finding {
        Finding::new(
            FindingCode::Unreadable,
            format!("The file could not be checked ({why}): open it and look before releasing it"),
        )
    }
}

/// A finding's words as the audit log keeps them: what the checks quoted from the file (in
/// ‘curly quotes’) left out, since it may be the very text a redaction hid, and the log is
/// never purged.
pub fn without_quotes(words: &str) -> String {
    let mut out = String::with_capacity(words.len());
    let mut quoted = false;
    for c in words.chars() {
        match c {
            '\u{2018}' if !quoted => {
                quoted = true;
                out.push_str("‘…’");
            }
            '\u{2019}' if quoted => quoted = false,
            _ if quoted => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audit_keeps_a_finding_without_what_it_quoted() {
        assert_eq!(
            without_quotes("Text under a black box on page 1: ‘SSN 123-45-6789 of the…’"),
            "Text under a black box on page 1: ‘…’"
        );
        assert_eq!(
            without_quotes("author ‘Jane Smith’, company ‘Acme’"),
            "author ‘…’, company ‘…’"
        );
        assert_eq!(
            without_quotes("Sheet \"Salaries\" is hidden"),
            "Sheet \"Salaries\" is hidden"
        );
        // A quote the file itself opened and never closed hides the rest.
        assert_eq!(without_quotes("a ‘b c"), "a ‘…’");
        // Within a quote, another opening mark is part of it; outside, a lone closing mark
        // (an apostrophe) is kept.
        assert_eq!(without_quotes("a ‘b ‘c’ d"), "a ‘…’ d");
        assert_eq!(without_quotes("Jane’s file ‘x’"), "Jane’s file ‘…’");
    }
}
