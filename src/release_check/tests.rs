//! Real small files, built here: XLSX and DOCX with the zip writer, PDFs with lopdf.

use std::io::{Cursor, Write};

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream, StringFormat};

use super::{check, listed, quote, FindingCode};
use crate::domain::documents::FileKind;

fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, text) in parts {
        writer
            .start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(text.as_bytes()).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>
</Relationships>"#;

fn workbook(second_state: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Summary" sheetId="1" r:id="rId1"/><sheet name="Salaries" sheetId="2" {second_state} r:id="rId2"/></sheets>
</workbook>"#
    )
}

fn sheet(rows: &str, cols: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{cols}<sheetData>{rows}</sheetData></worksheet>"#
    )
}

const CLEAN_ROWS: &str = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Total</t></is></c></row>"#;

fn xlsx(second_state: &str, first_sheet: &str, extra: &[(&str, &str)]) -> Vec<u8> {
    let book = workbook(second_state);
    let plain = sheet(CLEAN_ROWS, "");
    let mut parts = vec![
        ("xl/workbook.xml", book.as_str()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ("xl/worksheets/sheet1.xml", first_sheet),
        ("xl/worksheets/sheet2.xml", plain.as_str()),
    ];
    parts.extend_from_slice(extra);
    zip_of(&parts)
}

fn codes(findings: &[super::Finding]) -> Vec<FindingCode> {
    findings.iter().map(|f| f.code).collect()
}

#[test]
fn a_clean_spreadsheet_gives_nothing() {
    let clean = sheet(CLEAN_ROWS, "");
    assert_eq!(check(FileKind::Xlsx, &xlsx("", &clean, &[])), vec![]);
}

#[test]
fn a_hidden_sheet_is_named() {
    let clean = sheet(CLEAN_ROWS, "");
    let found = check(FileKind::Xlsx, &xlsx(r#"state="hidden""#, &clean, &[]));
    assert_eq!(codes(&found), vec![FindingCode::HiddenSheet]);
    assert_eq!(found[0].words, "Sheet \"Salaries\" is hidden");
    let found = check(FileKind::Xlsx, &xlsx(r#"state="veryHidden""#, &clean, &[]));
    assert_eq!(codes(&found), vec![FindingCode::HiddenSheet]);
}

#[test]
fn hidden_rows_and_columns_are_counted() {
    let rows = format!(r#"{CLEAN_ROWS}<row r="2" hidden="1"/><row r="3" hidden="true"/>"#);
    let cols = r#"<cols><col min="2" max="4" hidden="1"/><col min="5" max="5"/></cols>"#;
    let found = check(FileKind::Xlsx, &xlsx("", &sheet(&rows, cols), &[]));
    assert_eq!(
        codes(&found),
        vec![FindingCode::HiddenRows, FindingCode::HiddenColumns]
    );
    assert_eq!(found[0].words, "2 hidden rows on sheet \"Summary\"");
    assert_eq!(found[1].words, "3 hidden columns on sheet \"Summary\"");
}

#[test]
fn spreadsheet_comments_and_properties_are_found() {
    let comments = r#"<?xml version="1.0"?><comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>J. Smith</author></authors><commentList><comment ref="A1" authorId="0"><text><t>check this</t></text></comment></commentList></comments>"#;
    let core = r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Jane Smith</dc:creator><cp:lastModifiedBy>Kim Lee</cp:lastModifiedBy></cp:coreProperties>"#;
    let app = r#"<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Company>Acme &amp; Sons</Company></Properties>"#;
    let clean = sheet(CLEAN_ROWS, "");
    let found = check(
        FileKind::Xlsx,
        &xlsx(
            "",
            &clean,
            &[
                ("xl/comments1.xml", comments),
                ("docProps/core.xml", core),
                ("docProps/app.xml", app),
            ],
        ),
    );
    assert_eq!(
        codes(&found),
        vec![
            FindingCode::SpreadsheetComments,
            FindingCode::PersonalMetadata
        ]
    );
    assert_eq!(found[0].words, "1 comment by J. Smith");
    assert_eq!(
        found[1].words,
        "The file's properties name people: author ‘Jane Smith’, last saved by ‘Kim Lee’, \
         company ‘Acme & Sons’"
    );
}

fn docx(body: &str, extra: &[(&str, &str)]) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let mut parts = vec![("word/document.xml", document.as_str())];
    parts.extend_from_slice(extra);
    zip_of(&parts)
}

#[test]
fn a_clean_word_file_gives_nothing() {
    let body = "<w:p><w:r><w:t>The budget was approved.</w:t></w:r></w:p>";
    assert_eq!(check(FileKind::Docx, &docx(body, &[])), vec![]);
}

#[test]
fn tracked_changes_name_their_authors_and_deleted_words() {
    let body = r#"<w:p><w:ins w:id="1" w:author="J. Smith"><w:r><w:t>new</w:t></w:r></w:ins><w:del w:id="2" w:author="J. Smith"><w:r><w:delText>SSN 123-45-6789 of the applicant</w:delText></w:r></w:del><w:ins w:id="3" w:author="J. Smith"/></w:p>"#;
    let found = check(FileKind::Docx, &docx(body, &[]));
    assert_eq!(codes(&found), vec![FindingCode::TrackedChanges]);
    assert_eq!(
        found[0].words,
        "3 tracked changes by J. Smith, with deleted text ‘SSN 123-45-6789 of the…’"
    );
}

#[test]
fn word_comments_and_authors_are_found() {
    let comments = r#"<?xml version="1.0"?><w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:comment w:id="0" w:author="Kim Lee"><w:p><w:r><w:t>remove?</w:t></w:r></w:p></w:comment><w:comment w:id="1" w:author="Ann Roe"/></w:comments>"#;
    let core = r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Jane Smith</dc:creator></cp:coreProperties>"#;
    let body = "<w:p><w:r><w:t>Text</w:t></w:r></w:p>";
    let found = check(
        FileKind::Docx,
        &docx(
            body,
            &[("word/comments.xml", comments), ("docProps/core.xml", core)],
        ),
    );
    assert_eq!(
        codes(&found),
        vec![FindingCode::DocumentComments, FindingCode::PersonalMetadata]
    );
    assert_eq!(found[0].words, "2 comments by Ann Roe and Kim Lee");
}

#[test]
fn a_broken_file_is_unreadable_never_a_panic() {
    for kind in [FileKind::Xlsx, FileKind::Docx, FileKind::Pdf] {
        for bytes in [&b""[..], b"PK\x03\x04garbage", b"%PDF-1.7\n%%EOF"] {
            assert_eq!(codes(&check(kind, bytes)), vec![FindingCode::Unreadable]);
        }
    }
    let not_xml = docx("<w:p>", &[]);
    assert_eq!(
        codes(&check(FileKind::Docx, &not_xml)),
        vec![FindingCode::Unreadable]
    );
}

#[test]
fn a_zip_bomb_is_unreadable() {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    writer
        .start_file("xl/workbook.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    let zeros = vec![b' '; 1024 * 1024];
    for _ in 0..65 {
        writer.write_all(&zeros).unwrap();
    }
    let bytes = writer.finish().unwrap().into_inner();
    assert!(bytes.len() < 1024 * 1024, "the bomb is small packed");
    let found = check(FileKind::Xlsx, &bytes);
    assert_eq!(codes(&found), vec![FindingCode::Unreadable]);
    assert!(found[0].words.contains("64 MiB"), "{}", found[0].words);
}

/// A PDF of pages, each drawn by its operations, with whatever the catalog and Info add.
fn pdf(
    pages: Vec<Vec<Operation>>,
    with: impl FnOnce(&mut Document, &mut lopdf::Dictionary, &[lopdf::ObjectId]),
) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let resources = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font },
    });
    let mut kids = Vec::new();
    for operations in pages {
        let content = Content { operations }.encode().unwrap();
        let contents = doc.add_object(Stream::new(dictionary! {}, content));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => contents,
            "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        });
        kids.push(page);
    }
    let count = kids.len() as i64;
    let refs: Vec<Object> = kids.iter().map(|id| Object::Reference(*id)).collect();
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => refs, "Count" => count }),
    );
    let mut catalog = dictionary! { "Type" => "Catalog", "Pages" => pages_id };
    with(&mut doc, &mut catalog, &kids);
    let catalog_id = doc.add_object(catalog);
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn text_at(x: i64, y: i64, text: &str) -> Vec<Operation> {
    vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F1".into(), 12.into()]),
        Operation::new("Td", vec![x.into(), y.into()]),
        Operation::new("Tj", vec![Object::string_literal(text)]),
        Operation::new("ET", vec![]),
    ]
}

fn filled_box(gray: f32, x: i64, y: i64, w: i64, h: i64) -> Vec<Operation> {
    vec![
        Operation::new("q", vec![]),
        Operation::new("g", vec![Object::Real(gray)]),
        Operation::new("re", vec![x.into(), y.into(), w.into(), h.into()]),
        Operation::new("f", vec![]),
        Operation::new("Q", vec![]),
    ]
}

#[test]
fn a_clean_pdf_gives_nothing() {
    let mut page = filled_box(0.9, 60, 600, 300, 40);
    page.extend(text_at(72, 700, "Public works budget"));
    let bytes = pdf(vec![page], |doc, _, _| {
        let info = doc.add_object(dictionary! {
            "Producer" => Object::string_literal("LibreOffice 7.6"),
        });
        doc.trailer.set("Info", info);
    });
    assert_eq!(check(FileKind::Pdf, &bytes), vec![]);
}

#[test]
fn text_under_a_box_drawn_over_it_is_quoted() {
    let first = text_at(72, 700, "Nothing hidden here");
    let mut second = text_at(72, 700, "SSN 123-45-6789 of the applicant");
    second.extend(filled_box(0.0, 70, 690, 400, 30));
    let found = check(FileKind::Pdf, &pdf(vec![first, second], |_, _, _| {}));
    assert_eq!(codes(&found), vec![FindingCode::TextUnderBox]);
    assert_eq!(
        found[0].words,
        "Text under a black box on page 2: ‘SSN 123-45-6789 of the…’"
    );
    // A white box drawn later hides text too.
    let mut white = text_at(72, 700, "Secret");
    white.extend(filled_box(1.0, 70, 690, 400, 30));
    let found = check(FileKind::Pdf, &pdf(vec![white], |_, _, _| {}));
    assert_eq!(
        found[0].words,
        "Text under a filled box on page 1: ‘Secret’"
    );
}

#[test]
fn white_text_on_a_black_band_is_seen_and_black_text_on_it_is_not() {
    // A heading in white on a dark band: what a reader sees, nothing hidden.
    let mut band = filled_box(0.0, 60, 690, 400, 30);
    band.push(Operation::new("g", vec![Object::Real(1.0)]));
    band.extend(text_at(72, 700, "Annual report"));
    assert_eq!(check(FileKind::Pdf, &pdf(vec![band], |_, _, _| {})), vec![]);
    // Black text on a black box drawn first: hidden, though the box came first.
    let mut hidden = filled_box(0.0, 60, 690, 400, 30);
    hidden.extend(text_at(72, 700, "Informant name"));
    let found = check(FileKind::Pdf, &pdf(vec![hidden], |_, _, _| {}));
    assert_eq!(codes(&found), vec![FindingCode::TextUnderBox]);
}

#[test]
fn a_pdf_whose_xmp_names_no_one_gives_nothing() {
    let bytes = pdf(vec![text_at(72, 700, "Hello")], |doc, catalog, _| {
        let xmp = br#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description pdf:Producer="LibreOffice"/></rdf:RDF></x:xmpmeta>"#;
        let id = doc.add_object(Stream::new(
            dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
            xmp.to_vec(),
        ));
        catalog.set("Metadata", id);
    });
    assert_eq!(check(FileKind::Pdf, &bytes), vec![]);
}

#[test]
fn info_author_annotations_and_attachments_are_found() {
    let bytes = pdf(vec![text_at(72, 700, "Hello")], |doc, catalog, pages| {
        let info = doc.add_object(dictionary! {
            "Author" => Object::String(b"Jane Smith".to_vec(), StringFormat::Literal),
            "Producer" => Object::string_literal("Microsoft Word"),
        });
        doc.trailer.set("Info", info);
        let note = doc.add_object(dictionary! {
            "Type" => "Annot", "Subtype" => "Text",
            "Rect" => vec![10.into(), 10.into(), 30.into(), 30.into()],
            "Contents" => Object::string_literal("Ask legal before release"),
        });
        let link = doc.add_object(dictionary! {
            "Type" => "Annot", "Subtype" => "Link",
            "Rect" => vec![10.into(), 10.into(), 30.into(), 30.into()],
        });
        let page_id = pages[0];
        doc.get_dictionary_mut(page_id).unwrap().set(
            "Annots",
            vec![Object::Reference(note), Object::Reference(link)],
        );
        let file = doc.add_object(Stream::new(
            dictionary! { "Type" => "EmbeddedFile" },
            b"a,b".to_vec(),
        ));
        let spec = doc.add_object(dictionary! {
            "Type" => "Filespec",
            "F" => Object::string_literal("salaries.csv"),
            "EF" => dictionary! { "F" => file },
        });
        catalog.set(
            "Names",
            dictionary! {
                "EmbeddedFiles" => dictionary! {
                    "Names" => vec![Object::string_literal("salaries.csv"), Object::Reference(spec)],
                },
            },
        );
    });
    let found = check(FileKind::Pdf, &bytes);
    assert_eq!(
        codes(&found),
        vec![
            FindingCode::PdfMetadata,
            FindingCode::PdfAnnotations,
            FindingCode::PdfAttachments
        ]
    );
    assert_eq!(
        found[0].words,
        "The PDF's properties name people: author ‘Jane Smith’"
    );
    assert_eq!(
        found[1].words,
        "1 annotation: Text on page 1 ‘Ask legal before release’"
    );
    assert_eq!(
        found[2].words,
        "1 file is attached inside the PDF: ‘salaries.csv’"
    );
}

#[test]
fn xmp_metadata_is_found() {
    let bytes = pdf(vec![text_at(72, 700, "Hello")], |doc, catalog, _| {
        let xmp = br#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description><dc:creator><rdf:Seq><rdf:li>Jane Smith</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"#;
        let stream = doc.add_object(Stream::new(
            dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
            xmp.to_vec(),
        ));
        catalog.set("Metadata", stream);
    });
    let found = check(FileKind::Pdf, &bytes);
    assert_eq!(codes(&found), vec![FindingCode::PdfMetadata]);
    assert_eq!(
        found[0].words,
        "The PDF carries XMP metadata naming its author ‘Jane Smith’"
    );
}

#[test]
fn a_quote_keeps_a_few_words() {
    assert_eq!(quote("SSN 123-45-6789"), "‘SSN 123-45-6789’");
    assert_eq!(
        quote("one two three four five six"),
        "‘one two three four…’"
    );
    assert_eq!(quote("a\u{0}b"), "‘a b’");
    assert_eq!(quote("Jane’s ‘file’"), "‘Jane's 'file'’");
}

#[test]
fn names_are_listed_the_first_few() {
    let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(listed(&names(&["A"])), "A");
    assert_eq!(listed(&names(&["A", "B"])), "A and B");
    assert_eq!(
        listed(&names(&["A", "B", "C", "D", "E"])),
        "A, B, C and 2 more"
    );
}

#[test]
fn kinds_without_hiding_places_give_nothing() {
    assert!(check(FileKind::Csv, b"a,b\n1,2\n").is_empty());
    assert!(check(FileKind::Png, b"\x89PNG").is_empty());
}

#[test]
fn codes_are_named_once() {
    for code in FindingCode::ALL {
        let json = serde_json::to_string(&code).unwrap();
        assert_eq!(json, format!("\"{}\"", code.as_str()));
    }
}
