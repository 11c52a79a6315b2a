//! Charts of the reports pages, drawn here as SVG with plotters and embedded inline. Each one
//! sits beside a table of the same numbers, so the SVG is an image with a label (`role="img"`)
//! and its text is for sighted readers only. plotters escapes the text it writes (queue names
//! and citations come from staff input); without a font feature it lays text out with its own
//! estimate and leaves the drawing of the glyphs to the browser.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

const WIDTH: u32 = 560;
const ROW: u32 = 26;
/// Labels longer than this are cut short in the chart (the table has them whole).
const LABEL_CHARS: usize = 30;
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
/// element labelled `title`; an empty string if it could not be drawn.
pub fn bars(title: &str, bars: &[(String, usize)]) -> String {
    match draw(bars) {
        Ok(svg) => svg.replacen(
            "<svg ",
            &format!(
                "<svg role=\"img\" aria-label=\"{}\" focusable=\"false\" ",
                attribute(&format!(
                    "Bar chart: {title}. The table beside it has the same numbers."
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
    let n = bars.len().max(1);
    let labels: Vec<String> = bars.iter().map(|(l, _)| short(l)).collect();
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(1);
    let label_width = (longest as u32 * 7 + 12).clamp(40, 230);
    let max = bars.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1) as u32;
    let top = max + (max / 10).max(1);
    let height = 40 + ROW * n as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(24)
            .y_label_area_size(label_width)
            .build_cartesian_2d(0u32..top, (0..n).into_segmented())
            .map_err(|e| e.to_string())?;
        // Bar i is drawn in segment n-1-i, so the list reads from the top down.
        let label_of = |v: &SegmentValue<usize>| match v {
            SegmentValue::CenterOf(i) | SegmentValue::Exact(i) if *i < n => {
                labels.get(n - 1 - i).cloned().unwrap_or_default()
            }
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&label_of)
            .x_labels(6)
            .x_label_formatter(&|v| v.to_string())
            .label_style(("sans-serif", 13).into_font().color(&BLACK))
            .axis_style(BLACK)
            .light_line_style(RGBColor(0xdd, 0xdd, 0xdd))
            .draw()
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(bars.iter().enumerate().map(|(i, (_, value))| {
                let segment = n - 1 - i;
                let mut bar = Rectangle::new(
                    [
                        (0, SegmentValue::Exact(segment)),
                        (*value as u32, SegmentValue::Exact(segment + 1)),
                    ],
                    BAR.filled(),
                );
                bar.set_margin(4, 4, 0, 0);
                bar
            }))
            .map_err(|e| e.to_string())?;
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
    fn an_empty_chart_still_draws() {
        assert!(bars("Nothing", &[]).contains("<svg"));
        assert!(bars("Zeros", &[("a".into(), 0)]).contains("<svg"));
    }
}
