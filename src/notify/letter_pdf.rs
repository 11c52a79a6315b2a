//! A letter as a PDF (docs/PRODUCT.md, "Letters"): US Letter pages with one-inch margins, the
//! office's letterhead (and its seal, a JPEG, when config names one), the date, the tracking
//! number, the requester, the subject, the paragraphs wrapped by Helvetica's own glyph widths,
//! the signature, and "Page 1 of 2" at the foot of each page. A pure function: the letter in,
//! the bytes out. The fonts are the standard Helvetica and Helvetica-Bold in WinAnsiEncoding,
//! never embedded; a character they lack is folded to its plain letter, or written as '?'.

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream, StringFormat};
use unicode_normalization::UnicodeNormalization;

/// US Letter, in points.
const PAGE_WIDTH: f32 = 612.0;
const PAGE_HEIGHT: f32 = 792.0;
/// One inch.
const MARGIN: f32 = 72.0;
const RIGHT: f32 = PAGE_WIDTH - MARGIN;
/// The foot of the page holds its number, below the bottom margin's line.
const FOOTER_Y: f32 = 40.0;
const BODY_SIZE: f32 = 11.0;
const BODY_LEADING: f32 = 14.5;
const SEAL_SIZE: f32 = 60.0;

/// A seal or logo for the letterhead: a JPEG, drawn as it is (DCTDecode).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seal {
    bytes: Vec<u8>,
    width: u16,
    height: u16,
    components: u8,
}

impl Seal {
    /// Reads a JPEG's size from its frame header; anything else is refused with the reason.
    pub fn from_jpeg(bytes: Vec<u8>) -> Result<Seal, String> {
        if !bytes.starts_with(&[0xFF, 0xD8]) {
            return Err("it is not a JPEG file (only JPEG seals are supported)".into());
        }
        let mut i = 2;
        while i + 4 <= bytes.len() {
            if bytes[i] != 0xFF {
                i += 1;
                continue;
            }
            let marker = bytes[i + 1];
            // Markers without a length.
            if marker == 0xD8 || marker == 0x01 || (0xD0..=0xD7).contains(&marker) || marker == 0xFF
            {
                i += if marker == 0xFF { 1 } else { 2 };
                continue;
            }
            let length = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
            // SOF0..SOF15, less DHT (C4), JPG (C8) and DAC (CC).
            let is_frame = (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker);
            if is_frame && i + 9 < bytes.len() {
                let height = u16::from_be_bytes([bytes[i + 5], bytes[i + 6]]);
                let width = u16::from_be_bytes([bytes[i + 7], bytes[i + 8]]);
                let components = bytes[i + 9];
                if width == 0 || height == 0 || ![1, 3, 4].contains(&components) {
                    return Err("its JPEG frame header is not one a PDF can show".into());
                }
                return Ok(Seal {
                    bytes,
                    width,
                    height,
                    components,
                });
            }
            i += 2 + length;
        }
        Err("it is not a complete JPEG file (no frame header)".into())
    }

    /// The JPEG as it was read.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// Who the letter is from: the letterhead.
#[derive(Debug, Clone, Copy)]
pub struct Letterhead<'a> {
    pub name: &'a str,
    pub address: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub seal: Option<&'a Seal>,
}

/// Everything the PDF says.
#[derive(Debug, Clone, Copy)]
pub struct LetterPdf<'a> {
    pub letterhead: Letterhead<'a>,
    /// "Monday, March 2, 2026".
    pub date: &'a str,
    pub tracking_number: &'a str,
    pub requester_name: Option<&'a str>,
    pub subject: &'a str,
    /// Paragraphs; a line break inside one is kept.
    pub paragraphs: &'a [String],
    pub signer_name: &'a str,
    pub signer_title: &'a str,
    /// The few words the page itself says, in the requester's language.
    pub words: &'a PdfWords,
}

/// The PDF's own words: labels and the page count.
#[derive(Debug, Clone)]
pub struct PdfWords {
    pub tracking_number: String,
    pub to: String,
    pub closing: String,
    /// "Page {page} of {pages}".
    pub page_of: String,
}

impl Default for PdfWords {
    fn default() -> Self {
        PdfWords {
            tracking_number: "Tracking number".into(),
            to: "To".into(),
            closing: "Sincerely,".into(),
            page_of: "Page {page} of {pages}".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Font {
    Regular,
    Bold,
}

impl Font {
    fn resource(self) -> &'static str {
        match self {
            Font::Regular => "F1",
            Font::Bold => "F2",
        }
    }
}

/// Helvetica's advance widths (AFM, thousandths of the size), space to tilde.
#[rustfmt::skip]
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// Helvetica-Bold's.
#[rustfmt::skip]
const HELVETICA_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

/// The WinAnsi characters beyond ASCII the letters use, other than accented letters:
/// (char, byte, regular, bold width), the widths as Helvetica's metrics give them.
const EXTRA: [(char, u8, u16, u16); 17] = [
    ('¿', 0xBF, 611, 611),
    ('¡', 0xA1, 333, 333),
    ('º', 0xBA, 365, 365),
    ('ª', 0xAA, 370, 370),
    ('«', 0xAB, 556, 556),
    ('»', 0xBB, 556, 556),
    ('§', 0xA7, 556, 556),
    ('·', 0xB7, 278, 278),
    ('—', 0x97, 1000, 1000),
    ('–', 0x96, 556, 556),
    ('‘', 0x91, 222, 278),
    ('’', 0x92, 222, 278),
    ('“', 0x93, 333, 500),
    ('”', 0x94, 333, 500),
    ('…', 0x85, 1000, 1000),
    ('•', 0x95, 350, 350),
    ('©', 0xA9, 737, 737),
];

/// A character as one WinAnsi byte: itself, a character of `EXTRA`, an accented Latin-1
/// letter, else its letter without its accents, or '?'.
fn encode_char(c: char, out: &mut Vec<u8>) {
    if c == '\t' || c == '\u{a0}' {
        out.push(b' ');
    } else if (' '..='~').contains(&c) {
        out.push(c as u8);
    } else if let Some(&(_, byte, _, _)) = EXTRA.iter().find(|e| e.0 == c) {
        out.push(byte);
    } else if let Some(byte) = accented_byte(c) {
        out.push(byte);
    } else {
        let folded: Vec<char> = c.nfkd().filter(|d| (' '..='~').contains(d)).collect();
        if let Some(plain) = fold_letter(c) {
            out.extend_from_slice(plain.as_bytes());
        } else if folded.is_empty() {
            out.push(b'?');
        } else {
            out.extend(folded.into_iter().map(|d| d as u8));
        }
    }
}

/// A Latin-1 letter with an accent (á, é, ñ, ü, Ç…) is WinAnsi's byte of the same number,
/// so Spanish and the other Western languages print as written (docs/PRODUCT.md,
/// "Languages"). Helvetica draws each as wide as its letter without the accent.
fn accented_byte(c: char) -> Option<u8> {
    let byte = u8::try_from(u32::from(c)).ok().filter(|b| *b >= 0xC0)?;
    plain_letter(c).map(|_| byte)
}

/// The ASCII letter an accented letter is made on.
fn plain_letter(c: char) -> Option<char> {
    c.nfkd()
        .next()
        .filter(|d| *d != c && d.is_ascii_alphabetic())
}

/// Letters whose plain form no decomposition gives.
fn fold_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'Ł' => "L",
        'ł' => "l",
        'Ø' => "O",
        'ø' => "o",
        'Đ' | 'Ð' => "D",
        'đ' | 'ð' => "d",
        'ß' => "ss",
        'Æ' => "AE",
        'æ' => "ae",
        'Œ' => "OE",
        'œ' => "oe",
        'Þ' => "Th",
        'þ' => "th",
        'ı' => "i",
        _ => return None,
    })
}

/// Text in WinAnsi bytes, as the PDF shows it.
fn encode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        encode_char(c, &mut out);
    }
    out
}

fn byte_width(byte: u8, font: Font) -> u16 {
    let table = match font {
        Font::Regular => &HELVETICA,
        Font::Bold => &HELVETICA_BOLD,
    };
    match byte {
        32..=126 => table[usize::from(byte - 32)],
        // Helvetica's ì í î ï are wider than its i (the accent needs the room).
        0xEC..=0xEF => 278,
        0xC0..=0xFF if plain_letter(char::from(byte)).is_some() => {
            plain_letter(char::from(byte)).map_or(556, |plain| table[usize::from(plain as u8 - 32)])
        }
        _ => EXTRA
            .iter()
            .find(|e| e.1 == byte)
            .map_or(556, |e| match font {
                Font::Regular => e.2,
                Font::Bold => e.3,
            }),
    }
}

/// The width of some text in points, as it will be drawn.
fn width(text: &str, font: Font, size: f32) -> f32 {
    let units: u32 = encode(text)
        .into_iter()
        .map(|b| u32::from(byte_width(b, font)))
        .sum();
    units as f32 * size / 1000.0
}

/// Breaks one line of text into lines no wider than `max`: at spaces, or inside a word too
/// long for a line of its own. A line's leading spaces (and a list item's "- ") become the
/// indent of the lines it wraps to.
fn wrap(line: &str, font: Font, size: f32, max: f32) -> Vec<(f32, String)> {
    let trimmed = line.trim_start();
    let lead = &line[..line.len() - trimmed.len()];
    // An indent never takes more than half the line: a text may begin a line with any
    // number of spaces, and the words must still have room.
    let first_indent = width(lead, font, size).min(max / 2.0);
    let hanging = if trimmed.starts_with("- ") {
        (first_indent + width("- ", font, size)).min(max / 2.0)
    } else {
        first_indent
    };
    let mut out: Vec<(f32, String)> = Vec::new();
    let mut current = String::new();
    let mut indent = first_indent;
    for word in trimmed.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if indent + width(&candidate, font, size) <= max {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            out.push((indent, std::mem::take(&mut current)));
            indent = hanging;
        }
        // A word longer than a line: cut it where it fills one.
        let mut rest = word.to_string();
        while indent + width(&rest, font, size) > max {
            // Each cut takes at least one character, so the word always gets shorter.
            let mut cut = String::new();
            let mut cut_width = 0.0;
            for c in rest.chars() {
                let w = width(c.encode_utf8(&mut [0; 4]), font, size);
                if indent + cut_width + w > max && !cut.is_empty() {
                    break;
                }
                cut.push(c);
                cut_width += w;
            }
            rest = rest[cut.len()..].to_string();
            out.push((indent, cut));
            indent = hanging;
        }
        current = rest;
    }
    if !current.is_empty() || out.is_empty() {
        out.push((indent, current));
    }
    out
}

/// One line drawn on a page.
#[derive(Debug, Clone, PartialEq)]
struct Placed {
    x: f32,
    y: f32,
    font: Font,
    size: f32,
    text: String,
}

/// The pages' lines as laid out, and where the rule under the letterhead goes.
struct Layout {
    pages: Vec<Vec<Placed>>,
    rule_y: f32,
}

/// Puts one line on the last page.
fn place(pages: &mut [Vec<Placed>], y: f32, x: f32, font: Font, size: f32, text: String) {
    if let Some(page) = pages.last_mut() {
        page.push(Placed {
            x,
            y,
            font,
            size,
            text,
        });
    }
}

/// Lays the letter out on as many pages as it needs.
fn lay_out(letter: &LetterPdf<'_>) -> Layout {
    let mut pages = vec![Vec::new()];
    let bottom = MARGIN;
    let head = &letter.letterhead;
    let text_x = if head.seal.is_some() {
        MARGIN + SEAL_SIZE + 12.0
    } else {
        MARGIN
    };
    let mut y = PAGE_HEIGHT - MARGIN - 14.0;
    // The letterhead.
    for (i, (indent, line)) in wrap(head.name, Font::Bold, 14.0, RIGHT - text_x)
        .into_iter()
        .enumerate()
    {
        if i > 0 {
            y -= 17.0;
        }
        place(&mut pages, y, text_x + indent, Font::Bold, 14.0, line);
    }
    let contact = format!("{} · {}", head.email, head.phone);
    for line in head.address.lines().chain([contact.as_str()]) {
        for (indent, part) in wrap(line, Font::Regular, 9.5, RIGHT - text_x) {
            y -= 12.0;
            place(&mut pages, y, text_x + indent, Font::Regular, 9.5, part);
        }
    }
    if head.seal.is_some() {
        y = y.min(PAGE_HEIGHT - MARGIN - SEAL_SIZE);
    }
    let rule_y = y - 12.0;
    y -= 40.0;
    // The date, the request, the requester.
    let mut facts = vec![
        (Font::Regular, letter.date.to_string()),
        (
            Font::Regular,
            format!(
                "{}: {}",
                letter.words.tracking_number, letter.tracking_number
            ),
        ),
    ];
    if let Some(name) = letter.requester_name.filter(|n| !n.trim().is_empty()) {
        facts.push((Font::Regular, format!("{}: {name}", letter.words.to)));
    }
    for (font, text) in facts {
        for (indent, part) in wrap(&text, font, BODY_SIZE, RIGHT - MARGIN) {
            place(&mut pages, y, MARGIN + indent, font, BODY_SIZE, part);
            y -= BODY_LEADING;
        }
    }
    y -= 10.0;
    for (indent, part) in wrap(letter.subject, Font::Bold, 12.0, RIGHT - MARGIN) {
        place(&mut pages, y, MARGIN + indent, Font::Bold, 12.0, part);
        y -= 16.0;
    }
    y -= 6.0;
    // The body, a new page whenever the next line would cross the bottom margin.
    let line_at = |pages: &mut Vec<Vec<Placed>>, y: &mut f32, x: f32, font, size, text| {
        if *y < bottom {
            pages.push(Vec::new());
            *y = PAGE_HEIGHT - MARGIN - BODY_SIZE;
        }
        place(pages, *y, x, font, size, text);
        *y -= BODY_LEADING;
    };
    let closing = [
        letter.words.closing.as_str(),
        "",
        letter.signer_name,
        letter.signer_title,
        head.name,
    ];
    for paragraph in letter.paragraphs {
        for line in paragraph.lines() {
            for (indent, part) in wrap(line, Font::Regular, BODY_SIZE, RIGHT - MARGIN) {
                line_at(
                    &mut pages,
                    &mut y,
                    MARGIN + indent,
                    Font::Regular,
                    BODY_SIZE,
                    part,
                );
            }
        }
        y -= 7.0;
    }
    // The signature stays together on one page.
    let needed = BODY_LEADING * closing.len() as f32;
    if y - needed < bottom {
        pages.push(Vec::new());
        y = PAGE_HEIGHT - MARGIN - BODY_SIZE;
    }
    for (i, line) in closing.iter().enumerate() {
        let font = if i == 2 { Font::Bold } else { Font::Regular };
        for (indent, part) in wrap(line, font, BODY_SIZE, RIGHT - MARGIN) {
            line_at(&mut pages, &mut y, MARGIN + indent, font, BODY_SIZE, part);
        }
    }
    // Each page's foot: the request, and which page of how many.
    let count = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        let numbered = letter
            .words
            .page_of
            .replace("{page}", &(i + 1).to_string())
            .replace("{pages}", &count.to_string());
        page.push(Placed {
            x: MARGIN,
            y: FOOTER_Y,
            font: Font::Regular,
            size: 9.0,
            text: letter.tracking_number.to_string(),
        });
        page.push(Placed {
            x: RIGHT - width(&numbered, Font::Regular, 9.0),
            y: FOOTER_Y,
            font: Font::Regular,
            size: 9.0,
            text: numbered,
        });
    }
    Layout { pages, rule_y }
}

fn real(value: f32) -> Object {
    Object::Real(value)
}

/// The letter as a PDF.
pub fn write(letter: &LetterPdf<'_>) -> Vec<u8> {
    let layout = lay_out(letter);
    let mut doc = Document::with_version("1.4");
    let pages_id = doc.new_object_id();
    let font = |doc: &mut Document, name: &str| {
        doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => name.to_string(),
            "Encoding" => "WinAnsiEncoding",
        })
    };
    let regular = font(&mut doc, "Helvetica");
    let bold = font(&mut doc, "Helvetica-Bold");
    let mut xobjects = lopdf::Dictionary::new();
    if let Some(seal) = letter.letterhead.seal {
        let colors = match seal.components {
            1 => "DeviceGray",
            4 => "DeviceCMYK",
            _ => "DeviceRGB",
        };
        let mut dict = dictionary! {
            "Type" => "XObject",
            "Subtype" => "Image",
            "Width" => i64::from(seal.width),
            "Height" => i64::from(seal.height),
            "ColorSpace" => colors,
            "BitsPerComponent" => 8,
            "Filter" => "DCTDecode",
        };
        if seal.components == 4 {
            // Adobe's CMYK JPEGs are stored inverted.
            dict.set(
                "Decode",
                vec![
                    1.into(),
                    0.into(),
                    1.into(),
                    0.into(),
                    1.into(),
                    0.into(),
                    1.into(),
                    0.into(),
                ],
            );
        }
        let image = doc.add_object(Stream::new(dict, seal.bytes.clone()).with_compression(false));
        xobjects.set("Seal", image);
    }
    let resources = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => regular, "F2" => bold },
        "XObject" => xobjects,
    });
    let mut kids = Vec::new();
    for (number, lines) in layout.pages.iter().enumerate() {
        let mut ops = Vec::new();
        if let (0, Some(seal)) = (number, letter.letterhead.seal) {
            // The seal keeps its proportions inside a square at the top left.
            let scale = SEAL_SIZE / f32::from(seal.width.max(seal.height));
            let (w, h) = (
                f32::from(seal.width) * scale,
                f32::from(seal.height) * scale,
            );
            ops.push(Operation::new("q", vec![]));
            ops.push(Operation::new(
                "cm",
                vec![
                    real(w),
                    0.into(),
                    0.into(),
                    real(h),
                    real(MARGIN),
                    real(PAGE_HEIGHT - MARGIN - h + 4.0),
                ],
            ));
            ops.push(Operation::new("Do", vec!["Seal".into()]));
            ops.push(Operation::new("Q", vec![]));
        }
        if number == 0 {
            // A rule under the letterhead.
            let rule_y = layout.rule_y;
            ops.push(Operation::new("w", vec![real(0.75)]));
            ops.push(Operation::new("m", vec![real(MARGIN), real(rule_y)]));
            ops.push(Operation::new("l", vec![real(RIGHT), real(rule_y)]));
            ops.push(Operation::new("S", vec![]));
        }
        for line in lines {
            ops.push(Operation::new("BT", vec![]));
            ops.push(Operation::new(
                "Tf",
                vec![line.font.resource().into(), real(line.size)],
            ));
            ops.push(Operation::new("Td", vec![real(line.x), real(line.y)]));
            ops.push(Operation::new(
                "Tj",
                vec![Object::String(encode(&line.text), StringFormat::Literal)],
            ));
            ops.push(Operation::new("ET", vec![]));
        }
        let content = Content { operations: ops }
            .encode()
            .expect("a content stream of plain operations encodes");
        let content_id = doc.add_object(Stream::new(dictionary! {}, content));
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), real(PAGE_WIDTH), real(PAGE_HEIGHT)],
        });
        kids.push(Object::from(page));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
        }),
    );
    let catalog = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
    });
    let info = doc.add_object(dictionary! {
        "Title" => Object::String(encode(letter.subject), StringFormat::Literal),
        "Author" => Object::String(encode(letter.letterhead.name), StringFormat::Literal),
        "Producer" => Object::string_literal("recordsdesk"),
    });
    doc.trailer.set("Root", catalog);
    doc.trailer.set("Info", info);
    doc.compress();
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes)
        .expect("writing a PDF into memory does not fail");
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letterhead(seal: Option<&Seal>) -> Letterhead<'_> {
        Letterhead {
            name: "Office of the City Clerk, City of Concord",
            address: "1950 Parkside Drive\nConcord, CA 94519",
            email: "cityclerk@cityofconcord.org",
            phone: "(925) 671-3000",
            seal,
        }
    }

    fn letter<'a>(paragraphs: &'a [String], words: &'a PdfWords) -> LetterPdf<'a> {
        LetterPdf {
            letterhead: letterhead(None),
            date: "Monday, March 2, 2026",
            tracking_number: "RR-2026-00042",
            requester_name: Some("José Müller"),
            subject: "Your request is denied in part: your options",
            paragraphs,
            signer_name: "Pat Records",
            signer_title: "Deputy City Clerk",
            words,
        }
    }

    /// Every line drawn, page by page: (x, y, font, size, bytes).
    /// A line as drawn: x, y, font resource, size, its bytes.
    type Drawn = (f32, f32, String, f32, Vec<u8>);

    fn drawn(bytes: &[u8]) -> Vec<Vec<Drawn>> {
        let doc = Document::load_mem(bytes).expect("the PDF reads back");
        let mut pages = Vec::new();
        for (_, page_id) in doc.get_pages() {
            let content = Content::decode(&doc.get_page_content(page_id)).unwrap();
            let (mut font, mut size, mut at) = (String::new(), 0.0, (0.0, 0.0));
            let mut lines = Vec::new();
            for op in content.operations {
                match op.operator.as_str() {
                    "Tf" => {
                        font =
                            String::from_utf8(op.operands[0].as_name().unwrap().to_vec()).unwrap();
                        size = op.operands[1].as_float().unwrap();
                    }
                    "Td" => {
                        at = (
                            op.operands[0].as_float().unwrap(),
                            op.operands[1].as_float().unwrap(),
                        )
                    }
                    "Tj" => lines.push((
                        at.0,
                        at.1,
                        font.clone(),
                        size,
                        op.operands[0].as_str().unwrap().to_vec(),
                    )),
                    _ => {}
                }
            }
            pages.push(lines);
        }
        pages
    }

    fn text_of(bytes: &[u8]) -> Vec<String> {
        let doc = Document::load_mem(bytes).unwrap();
        let count = doc.get_pages().len() as u32;
        (1..=count)
            .map(|p| doc.extract_text(&[p]).unwrap())
            .collect()
    }

    #[test]
    fn the_letter_reads_back_with_its_letterhead_facts_body_and_signature() {
        let words = PdfWords::default();
        let paragraphs = vec![
            "Dear José Müller,".to_string(),
            "Responsible for this decision (Government Code section 7922.540):\n- Pat Records, Deputy City Clerk".to_string(),
            "Exemption: Gov. Code §7923.600 — Law enforcement records 漢".to_string(),
        ];
        let bytes = write(&letter(&paragraphs, &words));
        assert!(bytes.starts_with(b"%PDF-1."), "{:?}", &bytes[..8]);
        let pages = text_of(&bytes);
        assert_eq!(pages.len(), 1);
        let text = &pages[0];
        for expected in [
            "Office of the City Clerk, City of Concord",
            "1950 Parkside Drive",
            "cityclerk@cityofconcord.org · (925) 671-3000",
            "Monday, March 2, 2026",
            "Tracking number: RR-2026-00042",
            "To: José Müller",
            "Your request is denied in part: your options",
            "Dear José Müller,",
            "(Government Code section 7922.540):",
            "- Pat Records, Deputy City Clerk",
            "Exemption: Gov. Code §7923.600 — Law enforcement records ?",
            "Sincerely,",
            "Pat Records",
            "Deputy City Clerk",
            "Page 1 of 1",
        ] {
            assert!(text.contains(expected), "{expected:?} not in {text}");
        }
    }

    #[test]
    fn a_line_of_spaces_wider_than_the_page_still_wraps_and_ends() {
        let max = 468.0;
        for lead in [" ".repeat(150), " ".repeat(400), "\t".repeat(1000)] {
            for body in ["word ".repeat(300), "x".repeat(3000), "- item".to_string()] {
                let lines = wrap(&format!("{lead}{body}"), Font::Regular, 11.0, max);
                assert!(!lines.is_empty());
                assert!(lines.len() < 1000, "{} lines", lines.len());
                for (indent, text) in &lines {
                    assert!(*indent <= max / 2.0);
                    assert!(
                        indent + width(text, Font::Regular, 11.0) <= max
                            || text.chars().count() == 1,
                        "{indent} + {text:?} is past the margin"
                    );
                }
            }
        }
    }

    #[test]
    fn long_paragraphs_wrap_inside_the_margins_by_helvetica_widths() {
        let words = PdfWords::default();
        let long = "The records are part of an open investigation, and releasing any part of \
                    them now would endanger the witnesses, the officers and the outcome; "
            .repeat(6)
            + "Averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongword.";
        let paragraphs = vec![long.clone(), "  Exemption: ".to_string() + &long];
        let bytes = write(&letter(&paragraphs, &words));
        let mut body_lines = 0;
        for page in drawn(&bytes) {
            for (x, y, font, size, text) in page {
                let font = if font == "F2" {
                    Font::Bold
                } else {
                    Font::Regular
                };
                let units: u32 = text.iter().map(|b| u32::from(byte_width(*b, font))).sum();
                let right = x + units as f32 * size / 1000.0;
                assert!(x >= MARGIN - 0.01, "{x} starts left of the margin");
                assert!(
                    right <= RIGHT + 0.01,
                    "a line ends at {right}, past {RIGHT}"
                );
                assert!(y >= FOOTER_Y - 0.01);
                if size == BODY_SIZE {
                    body_lines += 1;
                }
            }
        }
        // Several lines per paragraph, none of them crossing the right margin.
        assert!(body_lines > 12, "{body_lines}");
        // The indented paragraph's lines keep its indent.
        let indented = drawn(&bytes)
            .concat()
            .into_iter()
            .filter(|l| l.0 > MARGIN + 1.0 && l.3 == BODY_SIZE)
            .count();
        assert!(indented > 3, "{indented}");
    }

    #[test]
    fn a_long_letter_breaks_onto_numbered_pages_above_the_bottom_margin() {
        let words = PdfWords::default();
        let paragraphs: Vec<String> = (1..=60)
            .map(|i| format!("Paragraph {i}: what we searched, and where we looked for it."))
            .collect();
        let bytes = write(&letter(&paragraphs, &words));
        let pages = text_of(&bytes);
        assert!(pages.len() >= 2, "{}", pages.len());
        let n = pages.len();
        for (i, text) in pages.iter().enumerate() {
            assert!(text.contains(&format!("Page {} of {n}", i + 1)), "{text}");
            assert!(text.contains("RR-2026-00042"));
        }
        assert!(pages[0].contains("Paragraph 1:"));
        assert!(pages[n - 1].contains("Paragraph 60:"));
        assert!(pages[n - 1].contains("Pat Records"));
        for page in drawn(&bytes) {
            for (_, y, _, size, _) in page {
                if size != 9.0 {
                    assert!(
                        y >= MARGIN - 0.01,
                        "a body line at {y} is in the bottom margin"
                    );
                }
            }
        }
    }

    /// The smallest thing `from_jpeg` takes for a JPEG: its start and a frame header.
    fn jpeg(width: u16, height: u16) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x4A, 0x46];
        bytes.extend([0xFF, 0xC0, 0x00, 0x11, 0x08]);
        bytes.extend(height.to_be_bytes());
        bytes.extend(width.to_be_bytes());
        bytes.extend([0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        bytes.extend([0xFF, 0xD9]);
        bytes
    }

    #[test]
    fn a_seal_is_read_from_its_jpeg_header_and_drawn_on_the_first_page() {
        let seal = Seal::from_jpeg(jpeg(300, 200)).expect("a JPEG");
        assert_eq!((seal.width, seal.height, seal.components), (300, 200, 3));
        assert!(Seal::from_jpeg(b"\x89PNG\r\n\x1a\n".to_vec()).is_err());
        assert!(Seal::from_jpeg(vec![0xFF, 0xD8, 0xFF, 0xD9]).is_err());
        let words = PdfWords::default();
        let paragraphs = vec!["Dear requester,".to_string()];
        let mut with_seal = letter(&paragraphs, &words);
        with_seal.letterhead = letterhead(Some(&seal));
        let bytes = write(&with_seal);
        let doc = Document::load_mem(&bytes).unwrap();
        let image = doc
            .objects
            .values()
            .filter_map(|o| o.as_stream().ok())
            .find(|s| s.dict.get(b"Subtype").and_then(|v| v.as_name()).ok() == Some(b"Image"))
            .expect("the seal is in the PDF");
        assert_eq!(
            image.dict.get(b"Filter").unwrap().as_name().unwrap(),
            b"DCTDecode"
        );
        assert_eq!(image.content, jpeg(300, 200));
        let text = doc.extract_text(&[1]).unwrap();
        assert!(text.contains("Office of the City Clerk"));
    }

    #[test]
    fn characters_outside_winansi_fold_or_become_question_marks() {
        // Spanish prints as written: its letters are WinAnsi's.
        assert_eq!(
            encode("Ñandú café ¿sí? ¡Güera!"),
            b"\xD1and\xFA caf\xE9 \xBFs\xED? \xA1G\xFCera!"
        );
        assert_eq!(encode("Çà ô"), b"\xC7\xE0 \xF4");
        assert!((width("é", Font::Bold, 1000.0) - width("e", Font::Bold, 1000.0)).abs() < 0.01);
        assert!((width("í", Font::Regular, 1000.0) - 278.0).abs() < 0.01);
        assert_eq!(encode("Łukasz Søren Straße"), b"Lukasz Soren Strasse");
        assert_eq!(encode("×"), b"?");
        assert_eq!(encode("§ — ·"), vec![0xA7, b' ', 0x97, b' ', 0xB7]);
        assert_eq!(encode("漢字"), b"??");
        assert!((width("Hi", Font::Regular, 1000.0) - 944.0).abs() < 0.01);
    }
}
