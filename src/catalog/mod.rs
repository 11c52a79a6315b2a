//! The dataset catalog: reading a portal's DCAT-US `data.json`, and keeping the datasets that
//! requests can name, and publishing them again as `data.json`.

pub mod completeness;
pub mod data_json;
pub mod dcat;
pub mod import;
pub mod placement;
pub mod view;

/// Whether a catalog's URL may become a link on our pages: http or https only, so that a
/// `javascript:` or `data:` URL in an imported catalog is never something a resident can click.
pub fn is_web_link(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && lower.len() > "https://".len()
        && !url.chars().any(|c| c.is_control() || c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::is_web_link;

    #[test]
    fn only_http_and_https_urls_are_links() {
        assert!(is_web_link("https://data.example.gov/d.csv"));
        assert!(is_web_link("HTTP://data.example.gov/"));
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "//evil.example/x",
            "https://",
            "https://x.org/a b",
            "https://x.org/\u{0}",
        ] {
            assert!(!is_web_link(bad), "{bad:?}");
        }
    }
}
