//! The fields of a body that take one word from a list (`cash`, `check` or `card`) take it
//! exactly as the OpenAPI document lists it, or null. Pages send a blank for a choice not made
//! and the rules read a blank as absent; on the wire a blank or a padded word is not one of
//! the words, so it is refused (422) rather than read as absent or as the word.

use serde::de::{Deserializer, Error, Unexpected};
use serde::Deserialize;

pub fn exact_opt<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    let Some(word) = Option::<String>::deserialize(deserializer)? else {
        return Ok(None);
    };
    if word.is_empty() || word.trim() != word {
        return Err(D::Error::invalid_value(
            Unexpected::Str(&word),
            &"one of the field's words, with nothing around it",
        ));
    }
    Ok(Some(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Body {
        #[serde(default, deserialize_with = "exact_opt")]
        method: Option<String>,
    }

    fn read(json: &str) -> Result<Option<String>, serde_json::Error> {
        serde_json::from_str::<Body>(json).map(|b| b.method)
    }

    #[test]
    fn a_word_null_or_nothing_is_taken() {
        assert_eq!(
            read(r#"{"method":"cash"}"#).unwrap().as_deref(),
            Some("cash")
        );
        assert_eq!(read(r#"{"method":null}"#).unwrap(), None);
        assert_eq!(read("{}").unwrap(), None);
    }

    #[test]
    fn a_blank_or_padded_word_is_refused_as_data() {
        for json in [
            r#"{"method":""}"#,
            r#"{"method":" "}"#,
            r#"{"method":" cash"}"#,
            r#"{"method":"cash\n"}"#,
        ] {
            let e = read(json).unwrap_err();
            assert!(e.is_data(), "{json}: {e}");
        }
    }
}
