//! PDFs: document information and XMP metadata, annotations, embedded files, and text that a
//! filled rectangle covers (a "redaction" drawn over text that is still there to copy).

use lopdf::content::Content;
use lopdf::{decode_text_string, Dictionary, Document, LoadOptions, Object};

use super::{count, drawing, listed, quote, short, Finding, FindingCode, MAX_UNPACKED};

/// What PDF software writes as Creator or Producer: not a person.
const SOFTWARE: [&str; 28] = [
    "word",
    "excel",
    "powerpoint",
    "office",
    "acrobat",
    "adobe",
    "libreoffice",
    "openoffice",
    "pdf",
    "writer",
    "distiller",
    "quartz",
    "ghostscript",
    "tex",
    "chrome",
    "skia",
    "microsoft",
    "google",
    "mac os",
    "windows",
    "print",
    "scan",
    "itext",
    "reportlab",
    "cairo",
    "calc",
    "recordsdesk",
    "version",
];

/// The most pages whose drawing is read, and operations per page.
const MAX_PAGES: usize = 2_000;
const MAX_OPERATIONS: usize = 500_000;

pub fn check(bytes: &[u8]) -> Vec<Finding> {
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_UNPACKED as usize),
        ..LoadOptions::default()
    };
    let doc = match Document::load_mem_with_options(bytes, options) {
        Ok(doc) => doc,
        Err(_) => return vec![Finding::unreadable("it is not a readable PDF")],
    };
    if doc.is_encrypted() || doc.was_encrypted() {
        return vec![Finding::unreadable("it is encrypted")];
    }
    let mut findings = Vec::new();
    findings.extend(information(&doc));
    findings.extend(xmp(&doc));
    let pages = doc.get_pages();
    if pages.len() > MAX_PAGES {
        findings.push(Finding::unreadable("it has too many pages"));
        return findings;
    }
    let mut attachments = embedded_files(&doc);
    let mut annotations: Vec<String> = Vec::new();
    let mut budget = MAX_UNPACKED as usize;
    for (&number, &page_id) in &pages {
        for annotation in doc.get_page_annotations(page_id).unwrap_or_default() {
            let subtype = annotation
                .get(b"Subtype")
                .and_then(Object::as_name)
                .map(|n| String::from_utf8_lossy(n).into_owned())
                .unwrap_or_default();
            match subtype.as_str() {
                "Link" | "Popup" | "Widget" => {}
                "FileAttachment" => attachments.push(attachment_name(&doc, annotation)),
                _ => {
                    let said = text_of(&doc, annotation, b"Contents")
                        .map(|c| format!(" {}", quote(&c)))
                        .unwrap_or_default();
                    annotations.push(format!("{subtype} on page {number}{said}"));
                }
            }
        }
        let content = match doc.get_page_content_with_limit(page_id, budget) {
            Ok(content) => content,
            Err(_) => {
                findings.push(Finding::unreadable("its pages unpack to more than 64 MiB"));
                break;
            }
        };
        budget = budget.saturating_sub(content.len());
        match Content::decode(&content) {
            Ok(content) if content.operations.len() <= MAX_OPERATIONS => {
                findings.extend(drawing::covered_text(number, &content.operations));
            }
            _ => findings.push(Finding::unreadable(&format!(
                "the drawing of page {number} cannot be read"
            ))),
        }
    }
    if !annotations.is_empty() {
        findings.push(Finding::new(
            FindingCode::PdfAnnotations,
            format!(
                "{}: {}",
                count(annotations.len(), "annotation", "annotations"),
                listed(&annotations)
            ),
        ));
    }
    if !attachments.is_empty() {
        findings.push(Finding::new(
            FindingCode::PdfAttachments,
            format!(
                "{} inside the PDF: {}",
                count(attachments.len(), "file is attached", "files are attached"),
                listed(&attachments)
            ),
        ));
    }
    findings
}

/// A text string of a dictionary, when it holds one that is not blank.
fn text_of(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<String> {
    dict.get_deref(key, doc)
        .ok()
        .and_then(|o| decode_text_string(o).ok())
        .filter(|s| !s.trim().is_empty())
}

/// Author always names a person; Creator and Producer do when they are not software.
fn information(doc: &Document) -> Option<Finding> {
    let info = doc
        .trailer
        .get_deref(b"Info", doc)
        .and_then(Object::as_dict)
        .ok()?;
    let mut said = Vec::new();
    if let Some(author) = text_of(doc, info, b"Author") {
        said.push(format!("author {}", quote(&author)));
    }
    for (key, what) in [(&b"Creator"[..], "creator"), (&b"Producer"[..], "producer")] {
        if let Some(value) = text_of(doc, info, key) {
            let lower = value.to_lowercase();
            let software = lower.chars().any(|c| c.is_ascii_digit())
                || SOFTWARE.iter().any(|s| lower.contains(s));
            if !software {
                said.push(format!("{what} {}", quote(&value)));
            }
        }
    }
    (!said.is_empty()).then(|| {
        Finding::new(
            FindingCode::PdfMetadata,
            format!("The PDF's properties name people: {}", said.join(", ")),
        )
    })
}

/// XMP metadata (the catalog's /Metadata stream) can carry authors and the editing history.
fn xmp(doc: &Document) -> Option<Finding> {
    let stream = doc
        .catalog()
        .ok()?
        .get_deref(b"Metadata", doc)
        .and_then(Object::as_stream)
        .ok()?;
    let bytes = stream
        .decompressed_content_with_limit(MAX_UNPACKED as usize)
        .unwrap_or_else(|_| stream.content.clone());
    let xml = String::from_utf8_lossy(&bytes);
    let creator = xml.find("<dc:creator").and_then(|at| {
        let rest = &xml[at..];
        let start = rest.find("<rdf:li")? + rest[rest.find("<rdf:li")?..].find('>')? + 1;
        let end = start + rest[start..].find('<')?;
        Some(rest[start..end].trim().to_string()).filter(|s| !s.is_empty())
    });
    // Nearly every exported PDF carries XMP (its producer, its dates): only an author or an
    // editing history is worth a look, or confirming would become a habit.
    let history = xml.contains("xmpMM:History");
    let words = match (creator, history) {
        (Some(name), _) => format!(
            "The PDF carries XMP metadata naming its author {}",
            quote(&name)
        ),
        (None, true) => {
            "The PDF's XMP metadata keeps a history of who edited it and when".to_string()
        }
        (None, false) => return None,
    };
    Some(Finding::new(FindingCode::PdfMetadata, words))
}

/// The names of the files in the document's /EmbeddedFiles name tree.
fn embedded_files(doc: &Document) -> Vec<String> {
    let Some(tree) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get_deref(b"Names", doc).and_then(Object::as_dict).ok())
        .and_then(|n| {
            n.get_deref(b"EmbeddedFiles", doc)
                .and_then(Object::as_dict)
                .ok()
        })
    else {
        return Vec::new();
    };
    let mut names = Vec::new();
    let mut todo = vec![(tree, 0)];
    while let Some((node, depth)) = todo.pop() {
        if depth > 16 || names.len() > 1_000 {
            break;
        }
        if let Ok(pairs) = node.get_deref(b"Names", doc).and_then(Object::as_array) {
            for pair in pairs.chunks(2) {
                let spec = pair
                    .get(1)
                    .and_then(|o| doc.dereference(o).ok())
                    .and_then(|(_, o)| o.as_dict().ok());
                let name = spec
                    .map(|s| attachment_name(doc, s))
                    .or_else(|| decode_text_string(&pair[0]).ok().map(|n| short(&n)))
                    .unwrap_or_else(|| "a file".to_string());
                names.push(name);
            }
        }
        if let Ok(kids) = node.get_deref(b"Kids", doc).and_then(Object::as_array) {
            for kid in kids {
                if let Ok((_, Object::Dictionary(kid))) = doc.dereference(kid) {
                    todo.push((kid, depth + 1));
                }
            }
        }
    }
    names
}

/// A file specification's (or file attachment annotation's) file name.
fn attachment_name(doc: &Document, dict: &Dictionary) -> String {
    let spec = dict
        .get_deref(b"FS", doc)
        .and_then(Object::as_dict)
        .unwrap_or(dict);
    text_of(doc, spec, b"UF")
        .or_else(|| text_of(doc, spec, b"F"))
        .map(|n| quote(&n))
        .unwrap_or_else(|| "a file".to_string())
}
