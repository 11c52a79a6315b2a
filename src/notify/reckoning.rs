//! How a due date was reckoned, explained to the reader in their language: the domain
//! computes the reckoning (`domain::deadlines::Reckoning`); this says it.

use chrono::Datelike;

use super::render::long_date_in;
use crate::domain::deadlines::{Closed, DueBasis, Reckoning};
use crate::wording::{say, word, Arg, Language};

/// The reckoning in plain words, in `language`: one whole sentence from the wording
/// (`letter-counted-…`), with the dates, the count and the closed days placed. Staff and
/// the API read it in English, as the requester was told it.
pub fn explain(reckoning: &Reckoning, language: Language) -> String {
    let count = count_words(language, reckoning.days);
    let (plain, with_closed, count) = match reckoning.basis {
        DueBasis::Receipt => (
            "letter-counted-receipt",
            "letter-counted-receipt-closed",
            capitalised(&count),
        ),
        // The count is mid-sentence here, after the extension's circumstance.
        DueBasis::Extension { .. } => (
            "letter-counted-extension",
            "letter-counted-extension-closed",
            count,
        ),
        DueBasis::Appeal => (
            "letter-counted-appeal",
            "letter-counted-appeal-closed",
            capitalised(&count),
        ),
        DueBasis::ServiceTarget => (
            "letter-counted-target",
            "letter-counted-target-closed",
            capitalised(&count),
        ),
    };
    let (extension, circumstance) = match reckoning.basis {
        DueBasis::Extension { days, circumstance } => (
            day_count_words(language, days),
            say(
                language,
                "letter-counted-circumstance",
                &[("circumstance", Arg::Text(circumstance.as_str()))],
            ),
        ),
        DueBasis::Receipt | DueBasis::Appeal | DueBasis::ServiceTarget => {
            (String::new(), String::new())
        }
    };
    // The first closed day is `counted_to` itself; a weekend day needs no reason given,
    // as its date already names it.
    let closed: Vec<String> = reckoning
        .skipped
        .iter()
        .enumerate()
        .map(|(i, closed)| {
            let date = if i == 0 {
                word(language, "letter-counted-that-day")
            } else {
                long_date_in(language, closed.date)
            };
            if closed.why == Closed::Weekend(closed.date.weekday()).to_string() {
                date
            } else {
                format!("{date} ({})", closed.why)
            }
        })
        .collect();
    let (from, counted, due) = (
        long_date_in(language, reckoning.from),
        long_date_in(language, reckoning.counted_to),
        long_date_in(language, reckoning.due),
    );
    let closed = listed(language, &closed);
    say(
        language,
        if reckoning.skipped.is_empty() {
            plain
        } else {
            with_closed
        },
        &[
            ("from", Arg::Text(&from)),
            ("count", Arg::Text(&count)),
            ("counted", Arg::Text(&counted)),
            ("extension", Arg::Text(&extension)),
            ("circumstance", Arg::Text(&circumstance)),
            ("closed", Arg::Text(&closed)),
            ("due", Arg::Text(&due)),
        ],
    )
}

/// Words up to twenty, digits beyond: as the wording writes a count.
fn count_words(language: Language, n: u32) -> String {
    say(
        language,
        "letter-counted-number",
        &[("n", Arg::Number(i64::from(n)))],
    )
}

/// "one day", "five days".
fn day_count_words(language: Language, n: u32) -> String {
    let words = count_words(language, n);
    say(
        language,
        "letter-counted-days",
        &[
            ("n", Arg::Number(i64::from(n))),
            ("words", Arg::Text(&words)),
        ],
    )
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// "a", "a and b", "a, b and c".
fn listed(language: Language, items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [rest @ .., last] => say(
            language,
            "letter-counted-and",
            &[
                ("rest", Arg::Text(&rest.join(", "))),
                ("last", Arg::Text(last)),
            ],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::deadlines::{Calendar, Circumstance, DeadlinePolicy};
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// The city's calendar as `Settings::deadline_policy` builds it from the defaults.
    fn concord() -> DeadlinePolicy {
        DeadlinePolicy {
            calendar: Calendar::by_rule([], []),
            ..DeadlinePolicy::default()
        }
    }

    /// As staff and the API read it.
    fn in_english(reckoning: &Reckoning) -> String {
        explain(reckoning, Language::English)
    }

    #[test]
    fn a_determination_on_a_weekday_is_explained() {
        assert_eq!(
            in_english(&concord().determination_reckoning(d("2026-03-02"))),
            "Received Monday, March 2, 2026. Ten calendar days later is Thursday, March 12, 2026, \
             when the determination is due."
        );
    }

    #[test]
    fn a_determination_moved_past_a_weekend_is_explained() {
        assert_eq!(
            in_english(&concord().determination_reckoning(d("2026-03-04"))),
            "Received Wednesday, March 4, 2026. Ten calendar days later is Saturday, March 14, 2026; \
             the office is closed that day and Sunday, March 15, 2026, so the determination is due \
             Monday, March 16, 2026."
        );
    }

    #[test]
    fn a_determination_moved_past_holidays_names_them() {
        assert_eq!(
            in_english(&concord().determination_reckoning(d("2026-11-16"))),
            "Received Monday, November 16, 2026. Ten calendar days later is Thursday, November 26, \
             2026; the office is closed that day (Thanksgiving Day), Friday, November 27, 2026 \
             (Day after Thanksgiving), Saturday, November 28, 2026 and Sunday, November 29, 2026, \
             so the determination is due Monday, November 30, 2026."
        );
    }

    #[test]
    fn an_extension_is_explained_with_its_circumstance() {
        let reckoning = concord()
            .extension(
                d("2026-03-02"),
                d("2026-03-12"),
                5,
                Circumstance::VoluminousRecords,
                false,
                true,
            )
            .unwrap();
        assert_eq!(
            in_english(&reckoning),
            "Extended by five days (voluminous records): fifteen calendar days after receipt on \
             Monday, March 2, 2026 is Tuesday, March 17, 2026, when the determination is due."
        );
        let over_a_weekend = concord()
            .extension(
                d("2026-03-02"),
                d("2026-03-12"),
                12,
                Circumstance::StateOfEmergency,
                false,
                true,
            )
            .unwrap();
        assert_eq!(
            in_english(&over_a_weekend),
            "Extended by twelve days (a state of emergency): 22 calendar days after receipt on \
             Monday, March 2, 2026 is Tuesday, March 24, 2026, when the determination is due."
        );
    }

    #[test]
    fn a_review_is_explained_with_the_holiday_it_passed() {
        assert_eq!(
            in_english(&concord().review_reckoning(d("2027-12-14"))),
            "Appeal received Tuesday, December 14, 2027. Ten calendar days later is Friday, \
             December 24, 2027; the office is closed that day (Christmas Eve and Christmas Day, \
             observed), Saturday, December 25, 2027 and Sunday, December 26, 2027, so the review \
             is due Monday, December 27, 2027."
        );
        assert_eq!(
            in_english(&concord().review_reckoning(d("2026-12-01"))),
            "Appeal received Tuesday, December 1, 2026. Ten calendar days later is Friday, \
             December 11, 2026, when the review is due."
        );
    }

    /// The letters name each circumstance by its API name in the wording; in English, as
    /// staff read it.
    #[test]
    fn the_wording_names_every_circumstance_as_staff_read_it() {
        for circumstance in Circumstance::ALL {
            let words = say(
                Language::English,
                "letter-counted-circumstance",
                &[("circumstance", Arg::Text(circumstance.as_str()))],
            );
            assert_eq!(words, circumstance.label());
        }
    }

    #[test]
    fn counts_up_to_twenty_are_written_as_words() {
        let english = Language::English;
        assert_eq!(count_words(english, 0), "zero");
        assert_eq!(count_words(english, 1), "one");
        assert_eq!(count_words(english, 20), "twenty");
        assert_eq!(count_words(english, 24), "24");
        assert_eq!(day_count_words(english, 1), "one day");
        assert_eq!(day_count_words(english, 14), "fourteen days");
    }
}
