//! Properties over many generated inputs (proptest), for the parsers that take input from
//! outside and for the workflow against a real database.
//!
//! `PROPTEST_CASES` sets how many cases each property runs (256 for the pure parsers and 64
//! sequences for the workflow when unset). The workflow property runs on the backend named by
//! `RECORDSDESK_TEST_BACKEND`, like tests/api. Run with `--nocapture` to see the counts.

mod body;
mod database;
mod dcat;
mod model;
mod text;
mod transitions;

/// `PROPTEST_CASES` when set, else `default`.
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
