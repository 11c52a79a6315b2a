//! The schemas in `fields.rs` take exactly what the parsers take.

use super::*;
use crate::domain::input::{parse_phone, Text};

/// Strings at the edges of what the parsers take: spaces of every kind around and inside,
/// control characters, line breaks, characters beyond ASCII, telephone numbers.
#[rustfmt::skip]
const EDGES: &[&str] = &[
    "", " ", "\u{a0}", "\t\n", "a", " a ", "\u{3000}a\u{2029}", "a\nb", "a\rb", "a\tb",
    "a\u{0}b", "\u{0}", "a\u{7f}", "a\u{85}", "\u{85}a", "\u{1c}a", "a\u{1c}", "\u{200b}", "é",
    "日本", "🦀", "a b", "\u{feff}a", "\na\n", "\u{9f}", "\u{a0}\u{a0}x\u{a0}", "(925) 671-3000",
    " +1 925 671 3000 x12 ", "12345", "1234567", "abc1234567", "\u{a0}1234567\u{a0}",
    "1 2 3 4 5 6 7", "1\u{a0}234567",
];

/// The edges; every white space and control character alone, inside text and around text
/// of the longest length allowed; and lengths around the limit.
fn tricky(max: usize) -> Vec<String> {
    let mut out: Vec<String> = EDGES.iter().map(|s| s.to_string()).collect();
    let special = ('\0'..='\u{3000}').filter(|c| c.is_whitespace() || c.is_control());
    for c in special {
        out.push(c.to_string());
        out.push(format!("a{c}b"));
        out.push(format!("{c}{}{c}", "x".repeat(max)));
        out.push(format!("{c}{}", "x".repeat(max + 1)));
    }
    for n in [max - 1, max, max + 1] {
        out.push("x".repeat(n));
        out.push(format!("  {}  ", "y".repeat(n)));
        out.push(format!("\n{}\t", "é".repeat(n)));
        out.push(format!("a{}b", " ".repeat(n.saturating_sub(2))));
        out.push(format!("1{}", "2".repeat(n - 1)));
    }
    out
}

fn regex(pattern: &str) -> regex::Regex {
    regex::Regex::new(pattern).expect("a valid pattern")
}

#[test]
fn the_text_patterns_take_exactly_what_the_text_parser_takes() {
    for (max, multiline) in [(5, false), (5, true), (limits::NAME, false), (30, true)] {
        let required = regex(&text_pattern(max, multiline, false));
        let optional = regex(&text_pattern(max, multiline, true));
        for value in tricky(max) {
            let parsed = if multiline {
                Text::multiline(&value, max)
            } else {
                Text::line(&value, max)
            };
            let blank = value.trim().is_empty();
            assert_eq!(
                required.is_match(&value),
                parsed.is_ok(),
                "required, max {max}, multiline {multiline}: {value:?}"
            );
            assert_eq!(
                optional.is_match(&value),
                blank || parsed.is_ok(),
                "optional, max {max}, multiline {multiline}: {value:?}"
            );
        }
    }
}

#[test]
fn the_phone_schema_takes_exactly_what_the_phone_parser_takes() {
    let json = serde_json::to_value(phone()).unwrap();
    let branches = json["anyOf"].as_array().unwrap();
    let number = regex(branches[0]["pattern"].as_str().unwrap());
    let max = branches[0]["maxLength"].as_u64().unwrap() as usize;
    let blank = regex(branches[1]["pattern"].as_str().unwrap());
    for value in tricky(limits::PHONE) {
        let by_schema =
            blank.is_match(&value) || (number.is_match(&value) && value.chars().count() <= max);
        // Blank is read as no phone at all (`optional` in the submission parser).
        let by_parser = value.trim().is_empty() || parse_phone(&value).is_ok();
        assert_eq!(by_schema, by_parser, "{value:?}");
    }
}

#[test]
fn the_status_list_takes_what_the_queue_filter_takes() {
    let pattern = regex(&status_list().pattern.unwrap());
    for (value, ok) in [
        ("", true),
        ("  ", true),
        ("denied", true),
        (" denied , under_review ", true),
        ("denied,", false),
        ("denied,,granted", false),
        ("Denied", false),
        ("lost", false),
    ] {
        assert_eq!(pattern.is_match(value), ok, "{value:?}");
    }
}

#[test]
fn the_host_name_schema_takes_exactly_what_the_directory_takes() {
    use crate::domain::directory::{check_department, Directory, RawDepartment, MAX_HOST_CHARS};
    let json = serde_json::to_value(host_names()).unwrap();
    let item = &json["items"];
    let pattern = regex(item["pattern"].as_str().unwrap());
    let max = item["maxLength"].as_u64().unwrap() as usize;
    assert_eq!(max, MAX_HOST_CHARS);
    let long_label = "a".repeat(60);
    let long = [long_label.as_str(); 4].join(".");
    let mut values = tricky(20);
    values.extend(
        [
            "information.stpaul.gov",
            " information.stpaul.gov\u{2029}",
            "localhost",
            ".example.gov",
            "example..gov",
            "example.gov.",
            "ex_ample.gov",
            "xn--bcher-kva.example",
            "a.b",
            &long,
            &format!("{long}.x"),
            &format!(" {long} "),
        ]
        .map(str::to_string),
    );
    for value in values {
        let by_schema = pattern.is_match(&value) && value.chars().count() <= max;
        let raw = RawDepartment {
            name: "Somewhere".into(),
            hosts: vec![value.clone()],
            ..Default::default()
        };
        let by_parser = check_department(&raw, &Directory::default(), None).is_ok();
        assert_eq!(by_schema, by_parser, "{value:?}");
    }
}

#[test]
fn the_complaint_day_schema_takes_the_shape_the_complaint_parser_takes() {
    let json = serde_json::to_value(occurred_on()).unwrap();
    let pattern = regex(json["pattern"].as_str().unwrap());
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
    for value in [
        "",
        "  ",
        "2026-03-04",
        "\u{a0}2026-03-04\u{3000}",
        "2026-3-04",
        "2026-03-4",
        "20260304",
        "+2026-03-04",
        "2026/03/04",
        "２０２６-03-04",
        "2026-03-04T10:00",
        "x2026-03-04",
        "02026-3-04",
        "2026-03- 4",
    ] {
        // Blank is no day at all; a day of the right shape within the window parses.
        let by_parser =
            value.trim().is_empty() || crate::app::complaints::occurred_on(value, today).is_ok();
        assert_eq!(pattern.is_match(value), by_parser, "{value:?}");
    }
}
