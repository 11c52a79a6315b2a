//! JSON Schema counts `40.0` as an integer, so the integer fields of a body take whole
//! numbers written either way; fractions and numbers out of range are refused (422).

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

/// A list of whole numbers, each written either way.
pub fn i64_list_opt<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<i64>>, D::Error> {
    #[derive(Deserialize)]
    struct Whole(#[serde(deserialize_with = "whole")] Option<i64>);
    let Some(items) = Option::<Vec<Whole>>::deserialize(deserializer)? else {
        return Ok(None);
    };
    items
        .into_iter()
        .map(|Whole(n)| n.ok_or_else(|| D::Error::custom("a whole number, not null")))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

pub fn i32_opt<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i32>, D::Error> {
    match whole(deserializer)? {
        None => Ok(None),
        Some(n) => i32::try_from(n)
            .map(Some)
            .map_err(|_| D::Error::invalid_value(Unexpected::Signed(n), &"a 32-bit number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Numbers {
        #[serde(default, deserialize_with = "i32_opt")]
        small: Option<i32>,
        #[serde(default, deserialize_with = "i64_opt")]
        large: Option<i64>,
    }

    fn numbers(json: &str) -> Result<(Option<i32>, Option<i64>), serde_json::Error> {
        serde_json::from_str::<Numbers>(json).map(|n| (n.small, n.large))
    }

    #[derive(serde::Deserialize)]
    struct List {
        #[serde(default, deserialize_with = "i64_list_opt")]
        ids: Option<Vec<i64>>,
    }

    #[test]
    fn lists_of_whole_numbers_are_taken_however_they_are_written() {
        let ids = |json: &str| serde_json::from_str::<List>(json).map(|l| l.ids);
        assert_eq!(
            ids(r#"{"ids": [1, 2.0, 3e1]}"#).unwrap(),
            Some(vec![1, 2, 30])
        );
        assert_eq!(ids(r#"{}"#).unwrap(), None);
        for bad in [
            r#"{"ids": [1.5]}"#,
            r#"{"ids": [null]}"#,
            r#"{"ids": ["1"]}"#,
        ] {
            assert!(ids(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn whole_numbers_are_taken_however_they_are_written() {
        assert_eq!(
            numbers(r#"{"small": 40.0, "large": 7}"#).unwrap(),
            (Some(40), Some(7))
        );
        assert_eq!(numbers(r#"{"small": null}"#).unwrap(), (None, None));
        assert_eq!(numbers(r#"{"large": -3e2}"#).unwrap(), (None, Some(-300)));
        // Without serde_json's float_roundtrip this parsed as ...393.5 and was refused.
        assert_eq!(
            numbers(r#"{"large": 3633797300531394.0}"#).unwrap(),
            (None, Some(3633797300531394))
        );
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
}
