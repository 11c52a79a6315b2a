//! A step the requester took from their pages, refused, in the words of the page's language
//! (docs/PRODUCT.md, "Languages"). The engine says why in English for staff and the API; a
//! requester reads the reason as the page says it, and what they typed is told what to do
//! about it. A refusal staff alone meet stays as the engine says it.

use crate::app::{AppError, Conflict};
use crate::domain::transitions::TransitionError;
use crate::domain::FieldErrors;
use crate::notify::render::long_date_in;
use crate::wording::{say, word, Arg, Language};

/// The refusal in the page's words; one the requester cannot meet is returned as it came.
pub fn plainly(language: Language, error: AppError) -> AppError {
    use TransitionError as T;
    let gone = |id: &str| AppError::Gone(word(language, id));
    match error {
        AppError::Invalid(fields) => AppError::Invalid(fields_plainly(language, fields)),
        AppError::Transition(T::Missing(fields)) => {
            AppError::Transition(T::Missing(fields_plainly(language, fields)))
        }
        AppError::Transition(T::NotAllowed { .. }) => gone("refusal-not-now"),
        AppError::Transition(T::FinalDecision { .. }) => gone("refusal-final"),
        AppError::Transition(T::NothingWithheld { .. }) => gone("refusal-nothing-withheld"),
        AppError::Transition(T::AppealWindowClosed { deadline, .. }) => AppError::Gone(say(
            language,
            "refusal-appeal-closed",
            &[("date", Arg::Text(&long_date_in(language, deadline)))],
        )),
        AppError::Conflict(Conflict::WithdrawnNoMessages) => gone("refusal-withdrawn"),
        AppError::Conflict(Conflict::ClosedToMessages) => gone("refusal-closed"),
        AppError::Conflict(Conflict::ComplaintClosed) => gone("refusal-complaint-closed"),
        AppError::Conflict(Conflict::MessagesFull(limit)) => AppError::Gone(say(
            language,
            "refusal-messages-full",
            &[("limit", Arg::Number(i64::from(limit)))],
        )),
        AppError::Conflict(Conflict::FeeAnswered(_)) => gone("page-fee-answered-already"),
        AppError::Conflict(Conflict::NoFeeEstimate | Conflict::NoFeeHere(_)) => {
            gone("page-fee-no-estimate")
        }
        AppError::Conflict(Conflict::NoApiKey) => gone("refusal-no-key"),
        AppError::Conflict(Conflict::KeyNotReplaceable) => gone("refusal-key-not-replaceable"),
        AppError::TooMany { wait, .. } => AppError::TooMany {
            message: say(
                language,
                "refusal-too-many",
                &[("minutes", Arg::Number(minutes(wait)))],
            ),
            wait,
        },
        other => other,
    }
}

/// Whole minutes to wait, at least one.
fn minutes(wait: std::time::Duration) -> i64 {
    i64::try_from(wait.as_secs().div_ceil(60))
        .unwrap_or(i64::MAX)
        .max(1)
}

/// Each field's message in the page's words: what to do, where the engine said what is wrong.
pub fn fields_plainly(language: Language, fields: FieldErrors) -> FieldErrors {
    let mut plain = FieldErrors::default();
    for (key, messages) in fields.0 {
        for message in messages {
            plain.add(key.clone(), field_plainly(language, &key, &message));
        }
    }
    plain
}

/// The parser's message (`domain::input::Text` and the steps' own rules) in words; one it does
/// not know stays as it is.
fn field_plainly(language: Language, key: &str, message: &str) -> String {
    if message == "must not be empty" || message == "say why the decision should be reconsidered" {
        let id = match key {
            "grounds" => "refusal-empty-grounds",
            "lost_reason" => "refusal-empty-lost-reason",
            _ => "refusal-empty",
        };
        return word(language, id);
    }
    if let Some((max, has)) = too_long(message) {
        return say(
            language,
            "refusal-too-long",
            &[("max", Arg::Number(max)), ("has", Arg::Number(has))],
        );
    }
    if message.starts_with("must not contain control characters")
        || message.starts_with("must be a single line without control characters")
    {
        return word(language, "refusal-control-characters");
    }
    message.to_string()
}

/// "must be at most 2000 characters (it has 2107)": the limit and the count.
fn too_long(message: &str) -> Option<(i64, i64)> {
    let rest = message.strip_prefix("must be at most ")?;
    let (max, rest) = rest.split_once(" characters (it has ")?;
    let has = rest.strip_suffix(')')?;
    Some((max.parse().ok()?, has.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_refusal_is_said_in_the_page_language() {
        let spanish = |key, message| field_plainly(Language::Spanish, key, message);
        assert_eq!(
            spanish("body", "must be at most 20 characters (it has 27)"),
            "Escriba 20 caracteres como máximo (escribió 27)."
        );
        assert_eq!(spanish("body", "must not be empty"), "Escriba algo aquí.");
        assert_eq!(
            spanish("grounds", "say why the decision should be reconsidered"),
            "Diga por qué se debe reconsiderar la decisión."
        );
        assert_eq!(spanish("body", "something new"), "something new");
        assert_eq!(
            field_plainly(Language::English, "body", "must not be empty"),
            "Write something here."
        );
    }

    #[test]
    fn a_closed_appeal_window_names_its_day_in_the_language() {
        let refused = plainly(
            Language::Spanish,
            AppError::Transition(TransitionError::AppealWindowClosed {
                deadline: chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
                allowed: vec![],
            }),
        );
        assert_eq!(
            refused.to_string(),
            "El plazo para apelar terminó el lunes, 7 de diciembre de 2026."
        );
        let waited = plainly(
            Language::Spanish,
            AppError::TooMany {
                message: String::new(),
                wait: std::time::Duration::from_secs(61),
            },
        );
        assert!(waited.to_string().contains("2 minutos"), "{waited}");
    }
}
