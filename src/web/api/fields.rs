//! What each input field accepts, written as JSON Schema for the OpenAPI document, exactly as
//! the parsers in `domain/input.rs` read it. Text is trimmed (Unicode white space) before it
//! is measured, so the length is counted inside the pattern rather than with `maxLength`,
//! which would count the spaces around it too.

use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, SchemaType, Type};
use utoipa::openapi::{Object, RefOr, Schema};

use crate::domain::input::limits;
use crate::domain::Status;
use crate::workflow::submit::RawSubmission;

/// What `str::trim` removes: the Unicode White_Space property.
const SPACE: &str =
    r"\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";
/// `char::is_control`: C0, DEL and C1.
const CONTROL: &str = r"\u0000-\u001f\u007f-\u009f";
/// Control characters other than tab, line feed and carriage return, which multi-line text keeps.
const CONTROL_BUT_LINES: &str = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f";

/// A regular expression (ECMA 262 and Python alike) for text that trims to 1..=`max`
/// characters without control characters; `blank_ok` also admits blank text (read as absent).
pub fn text_pattern(max: usize, multiline: bool, blank_ok: bool) -> String {
    assert!(max >= 2, "a text limit below 2 needs no middle part");
    let inner = if multiline {
        CONTROL_BUT_LINES
    } else {
        CONTROL
    };
    let edge = format!("[^{CONTROL}{SPACE}]");
    let body = format!("{edge}(?:[^{inner}]{{0,{}}}{edge})?", max - 2);
    if blank_ok {
        format!("^[{SPACE}]*(?:{body}[{SPACE}]*)?$")
    } else {
        format!("^[{SPACE}]*{body}[{SPACE}]*$")
    }
}

fn string(nullable: bool) -> ObjectBuilder {
    let ty = if nullable {
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::new(Type::String)
    };
    ObjectBuilder::new().schema_type(ty)
}

fn text(max: usize, multiline: bool, required: bool, description: &str) -> Object {
    let lines = if multiline { "" } else { ", one line" };
    let blank = if required {
        ""
    } else {
        "; blank or null means absent"
    };
    string(!required)
        .pattern(Some(text_pattern(max, multiline, !required)))
        .description(Some(format!(
            "{description} (trimmed: 1 to {max} characters{lines}, no control characters{blank})"
        )))
        .build()
}

macro_rules! text_field {
    ($name:ident, $max:expr, multiline = $multi:literal, required = $req:literal, $desc:literal) => {
        pub fn $name() -> Object {
            text($max, $multi, $req, $desc)
        }
    };
}

text_field!(
    name,
    limits::NAME,
    multiline = false,
    required = true,
    "A person's name"
);
text_field!(
    title,
    limits::NAME,
    multiline = false,
    required = true,
    "Their title"
);
text_field!(
    organization,
    limits::ORGANIZATION,
    multiline = false,
    required = false,
    "Organization"
);
text_field!(
    description,
    limits::DESCRIPTION,
    multiline = true,
    required = true,
    "What records or data are wanted, in the requester's words"
);
text_field!(
    dataset_id,
    limits::DATASET_ID,
    multiline = false,
    required = false,
    "The catalog identifier; required for dataset_access and api_access"
);
text_field!(
    dataset_id_required,
    limits::DATASET_ID,
    multiline = false,
    required = true,
    "The catalog identifier of the dataset asked for"
);
text_field!(
    fields_needed,
    limits::FIELD_TEXT,
    multiline = true,
    required = false,
    "The fields or columns needed"
);
text_field!(
    intended_use,
    limits::FIELD_TEXT,
    multiline = true,
    required = false,
    "How the data will be used; required for dataset_access and api_access"
);
text_field!(
    intended_use_required,
    limits::FIELD_TEXT,
    multiline = true,
    required = true,
    "How the data will be used"
);
text_field!(
    preferred_format,
    limits::FORMAT,
    multiline = false,
    required = false,
    "Preferred format, e.g. CSV"
);
text_field!(
    decision,
    limits::DECISION,
    multiline = true,
    required = false,
    "The decision text (grants, and decisions on review)"
);
text_field!(
    reason,
    limits::DECISION,
    multiline = true,
    required = false,
    "Reasons: for a denial, a withdrawal or an extension"
);
text_field!(
    withheld,
    limits::DECISION,
    multiline = true,
    required = false,
    "For a partial grant: what is withheld and why"
);
text_field!(
    grounds,
    limits::DECISION,
    multiline = true,
    required = false,
    "Grounds for appeal (moving to appealed)"
);
text_field!(
    grounds_required,
    limits::DECISION,
    multiline = true,
    required = true,
    "Why the denial should be reconsidered"
);
text_field!(
    message_body,
    limits::MESSAGE,
    multiline = true,
    required = true,
    "The message"
);
text_field!(
    citation,
    limits::CITATION,
    multiline = false,
    required = true,
    "A legal citation, e.g. Gov. Code §7927.705"
);
text_field!(
    search_words,
    200,
    multiline = false,
    required = false,
    "Words to look for in title, description, keywords and publisher"
);
text_field!(
    queue_name,
    200,
    multiline = false,
    required = false,
    "A queue name such as city_clerk"
);

/// An address `Email::parse` takes: at most 254 characters.
pub fn email() -> Object {
    string(false)
        .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
            utoipa::openapi::KnownFormat::Email,
        )))
        .max_length(Some(limits::EMAIL))
        .description(Some("An email address, like name@example.com"))
        .build()
}

/// `parse_phone`: digits and ` +-().xX`, at least 7 digits, at most 40 characters as sent.
/// Blank or null means no phone. Counting the length on what is sent spares the pattern
/// from counting two things at once.
pub fn phone() -> RefOr<Schema> {
    let digits = format!("^[{SPACE}]*(?:[ +\\-().xX]*[0-9]){{7}}[0-9 +\\-().xX]*[{SPACE}]*$");
    let blank = format!("^[{SPACE}]*$");
    let number = string(false)
        .pattern(Some(digits))
        .max_length(Some(limits::PHONE));
    utoipa::openapi::schema::AnyOfBuilder::new()
        .item(number)
        .item(string(false).pattern(Some(blank)))
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .description(Some(
            "A telephone number, like (925) 671-3000: digits and + - ( ) . x, at least 7 digits, \
             at most 40 characters; blank or null means none",
        ))
        .into()
}

/// The seven state names, as `Status::parse` takes them.
pub fn status_names() -> Vec<&'static str> {
    Status::ALL.iter().map(|s| s.as_str()).collect()
}

/// A comma-separated list of states for the queue filter; blank means the open ones.
pub fn status_list() -> Object {
    let one = format!("[{SPACE}]*(?:{})[{SPACE}]*", status_names().join("|"));
    string(false)
        .pattern(Some(format!("^(?:[{SPACE}]*|{one}(?:,{one})*)$")))
        .description(Some(
            "Comma-separated states; blank: the open ones (submitted, under_review, appealed, \
             administrative_review)",
        ))
        .build()
}

/// A yes/no filter as a query string carries it; blank means no.
pub fn query_flag() -> Object {
    string(false)
        .pattern(Some(format!(
            "^[{SPACE}]*(?:(?:true|false|1|0)[{SPACE}]*)?$"
        )))
        .description(Some(
            "true or 1 for overdue requests only; false, 0 or blank: all",
        ))
        .build()
}

/// A positive whole number in a query string (`parse_count`); absent means the default.
fn query_number(max: i64, description: &str) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(1))
        .maximum(Some(max))
        .description(Some(description))
        .build()
}

pub fn page_number() -> Object {
    query_number(
        crate::catalog::view::MAX_PAGE,
        "The page, from 1 (20 datasets a page)",
    )
}

pub fn page_size() -> Object {
    query_number(
        crate::workflow::queue::MAX_PAGE,
        "Requests per page (default 50)",
    )
}

/// The catalog's access levels; blank means any.
pub fn access_level_filter() -> Object {
    string(false)
        .pattern(Some(format!(
            "^[{SPACE}]*(?:(?:public|restricted public|non-public)[{SPACE}]*)?$"
        )))
        .description(Some("public, restricted public or non-public; blank: any"))
        .build()
}

/// `me`, `none`, a staff member's email, or blank for anyone.
pub fn assignee_filter() -> RefOr<Schema> {
    utoipa::openapi::schema::AnyOfBuilder::new()
        .item(string(false).pattern(Some(format!("^[{SPACE}]*(?:(?:me|none)[{SPACE}]*)?$"))))
        .item(email())
        .description(Some(
            "me, none (unassigned), the email of a staff member, or blank for anyone",
        ))
        .into()
}

/// Opaque: only a `next_cursor` this service gave out is accepted.
pub fn cursor() -> Object {
    string(false)
        .description(Some("The next_cursor of the previous page"))
        .build()
}

/// Legal citations for a denial: each one a line of text.
pub fn citations() -> RefOr<Schema> {
    ArrayBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
        .items(citation())
        .description(Some(
            "Legal basis, one citation each (required to deny, and for a partial grant)",
        ))
        .into()
}

/// `POST /api/v1/requests`: a public records request, or an access request naming a dataset.
fn submission_variant(kinds: &[&str], access: bool) -> Object {
    let kind = ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(kinds.iter().copied()));
    let (dataset, intended): (Object, Object) = if access {
        (dataset_id_required(), intended_use_required())
    } else {
        (dataset_id(), intended_use())
    };
    let mut builder = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("kind", kind)
        .property("requester", requester())
        .property("description", description())
        .property("dataset_id", dataset)
        .property("fields_needed", fields_needed())
        .property("intended_use", intended)
        .property("preferred_format", preferred_format())
        .required("kind")
        .required("requester")
        .required("description");
    if access {
        builder = builder.required("dataset_id").required("intended_use");
    }
    builder.build()
}

fn requester() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("name", name())
        .property("email", email())
        .property("phone", phone())
        .property("organization", organization())
        .required("name")
        .required("email")
        .description(Some("Who is asking; the email receives every notice"))
        .build()
}

impl utoipa::PartialSchema for RawSubmission {
    fn schema() -> RefOr<Schema> {
        utoipa::openapi::schema::OneOfBuilder::new()
            .item(submission_variant(&["public_records"], false))
            .item(submission_variant(&["dataset_access", "api_access"], true))
            .description(Some(
                "A request: public_records, or dataset_access / api_access, which name a dataset \
                 of the catalog and say how the data will be used",
            ))
            .into()
    }
}

impl utoipa::ToSchema for RawSubmission {}

fn words(values: &[&'static str], description: &str) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.iter().copied()))
        .description(Some(description))
        .build()
}

/// A determination's stage, as stored.
pub fn stage() -> Object {
    words(
        &["initial", "review"],
        "initial, or review for an appeal's decision",
    )
}

/// Who wrote a message.
pub fn message_author() -> Object {
    words(&["requester", "staff"], "Who wrote it")
}

/// Where an API key stands (`api_keys::status`).
pub fn key_state() -> Object {
    words(
        &["offered", "active", "revoked", "expired"],
        "offered (waiting to be claimed), active, revoked or expired",
    )
}

/// `/healthz`: up, or up without its database.
pub fn health_status() -> Object {
    words(
        &["ok", "degraded"],
        "ok, or degraded when the database does not answer",
    )
}

pub fn database_health() -> Object {
    words(&["ok", "unreachable"], "Whether the database answers")
}

/// `fields` of a 422: each bad field with its messages.
pub fn field_errors() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(
            ArrayBuilder::new().items(ObjectBuilder::new().schema_type(Type::String)),
        ))
        .description(Some("For 422: each bad field with its messages"))
        .build()
}

/// JSON Schema counts `40.0` as an integer, so the integer fields of a body take whole
/// numbers written either way; fractions and numbers out of range are refused (422).
pub mod whole {
    use serde::de::{Deserializer, Error, Unexpected};
    use serde::Deserialize;

    fn whole<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
        let Some(number) = Option::<serde_json::Number>::deserialize(deserializer)? else {
            return Ok(None);
        };
        if let Some(n) = number.as_i64() {
            return Ok(Some(n));
        }
        // -2^63 ..= 2^63 - 1: i64::MAX as f64 rounds up to 2^63, so the bound is exclusive.
        let fits = -(2f64.powi(63))..2f64.powi(63);
        match number.as_f64() {
            Some(f) if f.fract() == 0.0 && fits.contains(&f) => Ok(Some(f as i64)),
            Some(f) => Err(D::Error::invalid_value(
                Unexpected::Float(f),
                &"a whole number",
            )),
            None => Err(D::Error::custom("a number too large")),
        }
    }

    pub fn i64_opt<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
        whole(deserializer)
    }

    pub fn i32_opt<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i32>, D::Error> {
        match whole(deserializer)? {
            None => Ok(None),
            Some(n) => i32::try_from(n)
                .map(Some)
                .map_err(|_| D::Error::invalid_value(Unexpected::Signed(n), &"a 32-bit number")),
        }
    }
}

/// A tracking number as `TrackingNumber::parse` takes it, e.g. RR-2026-00042.
pub const TRACKING_NUMBER: &str = "^RR-[0-9]{4}-[0-9]{5,12}$";

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Numbers {
        #[serde(default, deserialize_with = "whole::i32_opt")]
        small: Option<i32>,
        #[serde(default, deserialize_with = "whole::i64_opt")]
        large: Option<i64>,
    }

    fn numbers(json: &str) -> Result<(Option<i32>, Option<i64>), serde_json::Error> {
        serde_json::from_str::<Numbers>(json).map(|n| (n.small, n.large))
    }

    #[test]
    fn whole_numbers_are_taken_however_they_are_written() {
        assert_eq!(
            numbers(r#"{"small": 40.0, "large": 7}"#).unwrap(),
            (Some(40), Some(7))
        );
        assert_eq!(numbers(r#"{"small": null}"#).unwrap(), (None, None));
        assert_eq!(numbers(r#"{"large": -3e2}"#).unwrap(), (None, Some(-300)));
        for bad in [
            r#"{"small": 1.5}"#,
            r#"{"small": 2147483648}"#,
            r#"{"large": 1e19}"#,
            r#"{"large": 18446744073709551615}"#,
            r#"{"small": "1"}"#,
        ] {
            assert!(numbers(bad).is_err(), "{bad}");
        }
    }

    use crate::domain::input::{parse_phone, Text};

    /// Strings at the edges of what the parsers take: spaces of every kind around and inside,
    /// control characters, line breaks, lengths around the limit, characters beyond ASCII.
    fn tricky(max: usize) -> Vec<String> {
        let mut out: Vec<String> = [
            "",
            " ",
            "\u{a0}",
            "\t\n",
            "a",
            " a ",
            "\u{3000}a\u{2029}",
            "a\nb",
            "a\rb",
            "a\tb",
            "a\u{0}b",
            "\u{0}",
            "a\u{7f}",
            "a\u{85}",
            "\u{85}a",
            "\u{1c}a",
            "a\u{1c}",
            "\u{200b}",
            "é",
            "日本",
            "🦀",
            "a b",
            "\u{feff}a",
            "\na\n",
            "\u{9f}",
            "\u{a0}\u{a0}x\u{a0}",
            "(925) 671-3000",
            " +1 925 671 3000 x12 ",
            "12345",
            "1234567",
            "abc1234567",
            "\u{a0}1234567\u{a0}",
            "1 2 3 4 5 6 7",
            "1\u{a0}234567",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for n in [max - 1, max, max + 1] {
            out.push("x".repeat(n));
            out.push(format!("  {}  ", "y".repeat(n)));
            out.push(format!("\n{}\t", "é".repeat(n)));
            out.push(format!("a{}b", " ".repeat(n.saturating_sub(2))));
            out.push(format!("1{}", "2".repeat(n - 1)));
        }
        out
    }

    fn matches(pattern: &str, value: &str) -> bool {
        regex::Regex::new(pattern)
            .expect("a valid pattern")
            .is_match(value)
    }

    #[test]
    fn the_text_patterns_take_exactly_what_the_text_parser_takes() {
        for (max, multiline) in [(5, false), (5, true), (limits::NAME, false), (30, true)] {
            for value in tricky(max) {
                let parsed = if multiline {
                    Text::multiline(&value, max)
                } else {
                    Text::line(&value, max)
                };
                let blank = value.trim().is_empty();
                assert_eq!(
                    matches(&text_pattern(max, multiline, false), &value),
                    parsed.is_ok(),
                    "required, max {max}, multiline {multiline}: {value:?}"
                );
                assert_eq!(
                    matches(&text_pattern(max, multiline, true), &value),
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
        let number = &branches[0];
        let blank = branches[1]["pattern"].as_str().unwrap();
        for value in tricky(limits::PHONE) {
            let by_schema = matches(blank, &value)
                || (matches(number["pattern"].as_str().unwrap(), &value)
                    && value.chars().count() as u64 <= number["maxLength"].as_u64().unwrap());
            // Blank is read as no phone at all (`optional` in the submission parser).
            let by_parser = value.trim().is_empty() || parse_phone(&value).is_ok();
            assert_eq!(by_schema, by_parser, "{value:?}");
        }
    }

    #[test]
    fn the_status_list_takes_what_the_queue_filter_takes() {
        let pattern = status_list().pattern.unwrap();
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
            assert_eq!(matches(&pattern, value), ok, "{value:?}");
        }
    }
}
