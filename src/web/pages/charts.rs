//! Charts of the reports pages, drawn here as SVG with plotters and embedded inline. Each one
//! sits beside a table of the same numbers, so the SVG is an image with a label (`role="img"`)
//! and its text is for sighted readers only. plotters escapes the text it writes (queue names
//! and citations come from staff input); without a font feature it lays text out with its own
//! estimate and leaves the drawing of the glyphs to the browser. Each bar has its label on a
//! line above it and its value at its end, so a phone shows whole labels and no axis to read.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::wording::{say, Arg, Language};

/// The drawing's width in its own units. The page shows it at most this wide (site.css), so
/// on a desktop one unit is one pixel, and on a phone's 390 px it shrinks by no more than a
/// tenth: `FONT` stays at least 14 px on a desktop and 12 px on a phone.
const WIDTH: u32 = 400;
const FONT: u32 = 16;
/// Each bar: its label on a line above it, then the bar with its value at its end.
const ROW: u32 = 52;
const BAR_HEIGHT: i32 = 20;
/// Labels longer than this are cut short in the chart (the table has them whole).
const LABEL_CHARS: usize = 44;
const BAR: RGBColor = RGBColor(0x1d, 0x4f, 0x91);

fn short(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        label.to_string()
    } else {
        let mut out: String = label.chars().take(LABEL_CHARS - 1).collect();
        out.push('…');
        out
    }
}

/// Escapes text for an attribute value.
fn attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A horizontal bar chart of `bars` (label, count), first bar at the top, as an `<svg>`
/// element labelled with `title` in `language`; an empty string if it could not be drawn.
pub fn bars(language: Language, title: &str, bars: &[(String, usize)]) -> String {
    match draw(bars) {
        Ok(svg) => svg.replacen(
            "<svg ",
            &format!(
                "<svg role=\"img\" aria-label=\"{}\" focusable=\"false\" ",
                attribute(&say(
                    language,
                    "page-reports-chart",
                    &[("title", Arg::Text(title))]
                ))
            ),
            1,
        ),
        Err(e) => {
            log::error!(
                "[{}] chart failed to draw: {e}",
                crate::web::request_id::current()
            );
            String::new()
        }
    }
}

fn draw(bars: &[(String, usize)]) -> Result<String, String> {
    let n = bars.len().max(1) as u32;
    let max = bars.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let height = 8 + ROW * n;
    // Room at the end of the longest bar for its value.
    let value_room = 8 + 10 * max.to_string().len() as i32;
    let full = WIDTH as i32 - value_room;
    // plotters writes a font's size divided by 1.24 (points to pixels); this undoes it.
    let font = ("sans-serif", f64::from(FONT) * 1.24)
        .into_font()
        .color(&BLACK);
    let at_end = font.pos(Pos::new(HPos::Left, VPos::Center));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        for (i, (label, value)) in bars.iter().enumerate() {
            let top = 4 + (ROW * i as u32) as i32;
            root.draw(&Text::new(short(label), (0, top), font.clone()))
                .map_err(|e| e.to_string())?;
            let bar_top = top + FONT as i32 + 6;
            let length = (full as i64 * *value as i64 / max as i64) as i32;
            if length > 0 {
                root.draw(&Rectangle::new(
                    [(0, bar_top), (length, bar_top + BAR_HEIGHT)],
                    BAR.filled(),
                ))
                .map_err(|e| e.to_string())?;
            }
            root.draw(&Text::new(
                value.to_string(),
                (length + 6, bar_top + BAR_HEIGHT / 2),
                at_end.clone(),
            ))
            .map_err(|e| e.to_string())?;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_an_labelled_image_with_its_text_escaped() {
        let svg = bars(
            Language::English,
            "Denials <by> \"basis\"",
            &[
                ("Gov. Code §7922.000".into(), 3),
                ("<script>alert(1)</script> & more".into(), 1),
            ],
        );
        assert!(
            svg.starts_with(
                "<svg role=\"img\" aria-label=\"Bar chart: Denials &lt;by&gt; &quot;basis&quot;."
            ),
            "{svg}"
        );
        assert!(svg.contains("Gov. Code §7922.000"), "{svg}");
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;"), "{svg}");
        assert!(svg.contains("<rect"), "{svg}");
    }

    #[test]
    fn each_bar_carries_its_value_and_its_label_at_a_readable_size() {
        let svg = bars(
            Language::English,
            "Requests",
            &[("November 2026".into(), 12), ("December 2026".into(), 3)],
        );
        let texts: Vec<&str> = svg
            .split("<text")
            .skip(1)
            .map(|t| t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].trim())
            .collect();
        assert_eq!(
            texts,
            ["November 2026", "12", "December 2026", "3"],
            "{svg}"
        );
        for size in svg.split("font-size=\"").skip(1) {
            let size: f64 = size[..size.find('"').unwrap()].parse().unwrap();
            assert!(size >= f64::from(FONT) - 0.01, "{size} in {svg}");
        }
        assert!(svg.contains(&format!("viewBox=\"0 0 {WIDTH} ")), "{svg}");
    }

    #[test]
    fn an_empty_chart_still_draws() {
        assert!(bars(Language::English, "Nothing", &[]).contains("<svg"));
        assert!(bars(Language::English, "Zeros", &[("a".into(), 0)]).contains("<svg"));
    }
}
