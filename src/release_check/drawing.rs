//! A PDF page's drawing, followed far enough to tell where text is shown and where filled
//! boxes are drawn: text that a box drawn after it covers, or black text on a black box, is still in
//! the file to copy ("redacted" by drawing over it).

use lopdf::content::Operation;
use lopdf::Object;

use super::{count, quote, Finding, FindingCode};

/// The most filled boxes and pieces of text of one page compared with each other.
const MAX_BOXES: usize = 5_000;
const MAX_TEXTS: usize = 20_000;

/// A 2D affine matrix [a b c d e f], as PDF writes them.
type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` then `n`: a point moved by `m` and then by `n`.
fn times(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn apply(m: &Matrix, x: f32, y: f32) -> (f32, f32) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

fn numbers(operands: &[Object]) -> Vec<f32> {
    operands.iter().filter_map(|o| o.as_float().ok()).collect()
}

/// Whether a fill colour's components (gray, RGB or CMYK) make black or nearly.
fn is_black(components: &[f32]) -> bool {
    match components {
        [gray] => *gray <= 0.1,
        [r, g, b] => *r <= 0.1 && *g <= 0.1 && *b <= 0.1,
        [c, m, y, k] => *k >= 0.9 || (*c >= 0.9 && *m >= 0.9 && *y >= 0.9),
        _ => false,
    }
}

/// A box on the page in page space: its corners, when it was drawn, and whether black.
struct Box {
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
    at: usize,
    black: bool,
}

/// A piece of text shown: where it runs along its baseline, its height, when it was drawn.
struct Shown {
    x0: f32,
    x1: f32,
    y: f32,
    at: usize,
    text: String,
    /// Drawn in black (or nearly): a black box drawn before it still hides it.
    black: bool,
}

/// The text a string shows, as far as a check can tell without the font: single bytes as
/// Latin letters, two-byte codes whose high byte is zero as their low byte.
fn letters(bytes: &[u8]) -> String {
    let wide = bytes.len() >= 2 && bytes.len() % 2 == 0 && bytes.iter().step_by(2).all(|b| *b == 0);
    let chars: Vec<u8> = if wide {
        bytes.iter().skip(1).step_by(2).copied().collect()
    } else {
        bytes.to_vec()
    };
    chars
        .into_iter()
        .map(|b| if b.is_ascii_graphic() { b as char } else { ' ' })
        .collect()
}

fn shown_bytes(operands: &[Object]) -> Vec<u8> {
    let mut out = Vec::new();
    for operand in operands {
        match operand {
            Object::String(s, _) => out.extend_from_slice(s),
            Object::Array(parts) => {
                for part in parts {
                    match part {
                        Object::String(s, _) => out.extend_from_slice(s),
                        // A large negative kerning is a space between words.
                        other if other.as_float().is_ok_and(|n| n < -200.0) => out.push(b' '),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// A piece of text shown with this text matrix, graphics matrix and font size.
fn shown(tm: &Matrix, ctm: &Matrix, size: f32, operands: &[Object], at: usize) -> Option<Shown> {
    let bytes = shown_bytes(operands);
    let text = letters(&bytes);
    if text.trim().is_empty() {
        return None;
    }
    let m = times(tm, ctm);
    let width = bytes.len() as f32 * size * 0.5;
    let (x0, y) = apply(&m, 0.0, size * 0.3);
    let (x1, _) = apply(&m, width, size * 0.3);
    Some(Shown {
        x0: x0.min(x1),
        x1: x0.max(x1),
        y,
        at,
        text,
        black: false,
    })
}

/// Text on this page that a filled box covers: one drawn after the text, or a black one under
/// black text.
pub(super) fn covered_text(page: u32, operations: &[Operation]) -> Option<Finding> {
    let mut ctm = IDENTITY;
    let mut black = true; // the initial fill colour
    let mut saved: Vec<(Matrix, bool)> = Vec::new();
    let mut path: Vec<(f32, f32, f32, f32)> = Vec::new();
    let (mut tm, mut lm) = (IDENTITY, IDENTITY);
    let (mut size, mut leading) = (0.0_f32, 0.0_f32);
    let mut boxes: Vec<Box> = Vec::new();
    let mut texts: Vec<Shown> = Vec::new();
    for (at, op) in operations.iter().enumerate() {
        let n = numbers(&op.operands);
        match (op.operator.as_str(), n.as_slice()) {
            ("q", _) if saved.len() < 64 => saved.push((ctm, black)),
            ("Q", _) => {
                if let Some((m, b)) = saved.pop() {
                    (ctm, black) = (m, b);
                }
            }
            ("cm", [a, b, c, d, e, f]) => ctm = times(&[*a, *b, *c, *d, *e, *f], &ctm),
            ("g" | "rg" | "k" | "sc" | "scn", components) => black = is_black(components),
            ("cs", _) => black = true,
            ("re", [x, y, w, h]) => path.push((*x, *y, *w, *h)),
            ("f" | "F" | "f*" | "B" | "B*" | "b" | "b*", _) => {
                for (x, y, w, h) in path.drain(..) {
                    let (ax, ay) = apply(&ctm, x, y);
                    let (bx, by) = apply(&ctm, x + w, y + h);
                    if (ax - bx).abs() >= 2.0 && (ay - by).abs() >= 2.0 && boxes.len() < MAX_BOXES {
                        boxes.push(Box {
                            x0: ax.min(bx),
                            y0: ay.min(by),
                            x1: ax.max(bx),
                            y1: ay.max(by),
                            at,
                            black,
                        });
                    }
                }
            }
            ("n" | "S" | "s", _) => path.clear(),
            ("BT", _) => (tm, lm) = (IDENTITY, IDENTITY),
            ("Tf", [.., s]) => size = *s,
            ("TL", [l]) => leading = *l,
            ("Tm", [a, b, c, d, e, f]) => {
                tm = [*a, *b, *c, *d, *e, *f];
                lm = tm;
            }
            ("Td" | "TD", [x, y]) => {
                if op.operator == "TD" {
                    leading = -*y;
                }
                lm = times(&[1.0, 0.0, 0.0, 1.0, *x, *y], &lm);
                tm = lm;
            }
            ("T*", _) => {
                lm = times(&[1.0, 0.0, 0.0, 1.0, 0.0, -leading], &lm);
                tm = lm;
            }
            ("Tj" | "TJ", _) if texts.len() < MAX_TEXTS => {
                texts.extend(shown(&tm, &ctm, size, &op.operands, at).map(|t| Shown { black, ..t }))
            }
            ("'" | "\"", _) => {
                lm = times(&[1.0, 0.0, 0.0, 1.0, 0.0, -leading], &lm);
                tm = lm;
                if texts.len() < MAX_TEXTS {
                    texts.extend(
                        shown(&tm, &ctm, size, &op.operands, at).map(|t| Shown { black, ..t }),
                    );
                }
            }
            _ => {}
        }
    }
    let mut covered: Vec<(&Shown, bool)> = Vec::new();
    for text in &texts {
        let over = boxes.iter().find(|b| {
            // Covered: a box drawn over the text, or black text on a black box drawn first
            // (white text on a dark band is what it looks like: visible).
            (b.at > text.at || (b.black && text.black))
                && text.y >= b.y0
                && text.y <= b.y1
                && text.x1 > b.x0
                && text.x0 < b.x1
        });
        if let Some(over) = over {
            covered.push((text, over.black));
        }
    }
    let (first, black) = covered.first()?;
    let colour = if *black {
        "a black box"
    } else {
        "a filled box"
    };
    let more = match covered.len() - 1 {
        0 => String::new(),
        n => format!(
            " and {}",
            count(n, "more piece of text", "more pieces of text")
        ),
    };
    Some(Finding::new(
        FindingCode::TextUnderBox,
        format!(
            "Text under {colour} on page {page}: {}{more}",
            quote(&first.text)
        ),
    ))
}
