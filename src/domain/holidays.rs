//! The city's holidays, worked out by rule for any year (docs/PRODUCT.md, "Deadlines").
//!
//! A fixed-date holiday on a Saturday is observed the Friday before, on a Sunday the Monday
//! after. When an observed day lands on another holiday the office closes that day once: no
//! extra day is added (2027: Christmas Day is observed on Christmas Eve).

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// A day the office is closed for one or more holidays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    /// The observed day: the day the office is closed.
    pub date: NaiveDate,
    /// The holiday's name, or the names of the holidays that share the day, joined by "and";
    /// a holiday observed on another day than its own is marked ", observed".
    pub name: String,
}

/// Every closure whose observed day falls in `year`, in date order. New Year's Day of the next
/// year can be among them (observed on 31 December), and New Year's Eve of the year before.
pub fn city_holidays(year: i32) -> Vec<Holiday> {
    let mut observances: Vec<Observance> = [year - 1, year, year + 1]
        .into_iter()
        .flat_map(|y| RULES.iter().filter_map(move |rule| rule.observance(y)))
        .filter(|o| o.observed.year() == year)
        .collect();
    observances.sort_by_key(|o| (o.observed, o.held));
    observances
        .chunk_by(|a, b| a.observed == b.observed)
        .map(|shared| Holiday {
            date: shared[0].observed,
            name: joined_name(shared),
        })
        .collect()
}

/// The closure observed on `day`, if any.
pub fn city_holiday_on(day: NaiveDate) -> Option<Holiday> {
    // Observing a holiday moves it by a day at most, so only the rules of the months of the
    // days either side can land on `day`; this keeps the daily check to a rule or two.
    let around = [day.pred_opt(), day.succ_opt()].map(|d| {
        let d = d.unwrap_or(day);
        (d.year(), d.month())
    });
    let months = if around[0] == around[1] {
        &around[..1]
    } else {
        &around[..]
    };
    let mut observances: Vec<Observance> = months
        .iter()
        .flat_map(|&(year, month)| {
            RULES
                .iter()
                .filter(move |rule| rule.month() == month)
                .filter_map(move |rule| rule.observance(year))
        })
        .filter(|o| o.observed == day)
        .collect();
    if observances.is_empty() {
        return None;
    }
    observances.sort_by_key(|o| o.held);
    Some(Holiday {
        date: day,
        name: joined_name(&observances),
    })
}

/// One holiday in one year: the day it is held and the day the office closes for it.
#[derive(Debug, Clone, Copy)]
struct Observance {
    name: &'static str,
    held: NaiveDate,
    observed: NaiveDate,
}

fn joined_name(shared: &[Observance]) -> String {
    shared
        .iter()
        .map(|o| {
            if o.observed == o.held {
                o.name.to_string()
            } else {
                format!("{}, observed", o.name)
            }
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

struct Rule {
    name: &'static str,
    when: When,
}

enum When {
    /// The same date every year; moved off a weekend.
    Fixed { month: u32, day: u32 },
    /// The `n`th such weekday of the month (from 1).
    Nth { month: u32, weekday: Weekday, n: u8 },
    /// The last such weekday of the month.
    Last { month: u32, weekday: Weekday },
    /// The day after the `n`th such weekday of the month.
    DayAfterNth { month: u32, weekday: Weekday, n: u8 },
}

const RULES: [Rule; 12] = [
    Rule::fixed("New Year's Day", 1, 1),
    Rule::nth("Martin Luther King Jr. Day", 3, Weekday::Mon, 1),
    Rule::nth("Presidents' Day", 3, Weekday::Mon, 2),
    Rule::last("Memorial Day", Weekday::Mon, 5),
    Rule::fixed("Independence Day", 7, 4),
    Rule::nth("Labor Day", 1, Weekday::Mon, 9),
    Rule::fixed("Veterans Day", 11, 11),
    Rule::nth("Thanksgiving Day", 4, Weekday::Thu, 11),
    Rule::day_after_nth("Day after Thanksgiving", 4, Weekday::Thu, 11),
    Rule::fixed("Christmas Eve", 12, 24),
    Rule::fixed("Christmas Day", 12, 25),
    Rule::fixed("New Year's Eve", 12, 31),
];

impl Rule {
    const fn fixed(name: &'static str, month: u32, day: u32) -> Rule {
        Rule {
            name,
            when: When::Fixed { month, day },
        }
    }

    /// The `n`th `weekday` of `month`.
    const fn nth(name: &'static str, n: u8, weekday: Weekday, month: u32) -> Rule {
        Rule {
            name,
            when: When::Nth { month, weekday, n },
        }
    }

    /// The last `weekday` of `month`.
    const fn last(name: &'static str, weekday: Weekday, month: u32) -> Rule {
        Rule {
            name,
            when: When::Last { month, weekday },
        }
    }

    /// The day after the `n`th `weekday` of `month`.
    const fn day_after_nth(name: &'static str, n: u8, weekday: Weekday, month: u32) -> Rule {
        Rule {
            name,
            when: When::DayAfterNth { month, weekday, n },
        }
    }

    fn month(&self) -> u32 {
        match self.when {
            When::Fixed { month, .. }
            | When::Nth { month, .. }
            | When::Last { month, .. }
            | When::DayAfterNth { month, .. } => month,
        }
    }

    /// None only for years chrono cannot represent.
    fn observance(&self, year: i32) -> Option<Observance> {
        let (held, observed) = match self.when {
            When::Fixed { month, day } => {
                let held = NaiveDate::from_ymd_opt(year, month, day)?;
                let observed = match held.weekday() {
                    Weekday::Sat => held.pred_opt()?,
                    Weekday::Sun => held.succ_opt()?,
                    _ => held,
                };
                (held, observed)
            }
            When::Nth { month, weekday, n } => {
                let held = NaiveDate::from_weekday_of_month_opt(year, month, weekday, n)?;
                (held, held)
            }
            When::Last { month, weekday } => {
                let last_of_month = first_of_next_month(year, month)?.pred_opt()?;
                let back = (7 + last_of_month.weekday().num_days_from_monday()
                    - weekday.num_days_from_monday())
                    % 7;
                let held = last_of_month.checked_sub_days(Days::new(u64::from(back)))?;
                (held, held)
            }
            When::DayAfterNth { month, weekday, n } => {
                let held =
                    NaiveDate::from_weekday_of_month_opt(year, month, weekday, n)?.succ_opt()?;
                (held, held)
            }
        };
        Some(Observance {
            name: self.name,
            held,
            observed,
        })
    }
}

fn first_of_next_month(year: i32, month: u32) -> Option<NaiveDate> {
    if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn dates(year: i32) -> Vec<String> {
        city_holidays(year)
            .into_iter()
            .map(|h| h.date.to_string())
            .collect()
    }

    #[test]
    fn the_rules_reproduce_the_list_the_city_adopted_for_2026_and_2027() {
        // The `holidays` list config/default.toml carried before the rules replaced it.
        let adopted = "
            2026-01-01 2026-01-19 2026-02-16 2026-05-25 2026-07-03 2026-09-07
            2026-11-11 2026-11-26 2026-11-27 2026-12-24 2026-12-25 2026-12-31
            2027-01-01 2027-01-18 2027-02-15 2027-05-31 2027-07-05 2027-09-06
            2027-11-11 2027-11-25 2027-11-26 2027-12-24 2027-12-31";
        let computed: Vec<String> = [2026, 2027].into_iter().flat_map(dates).collect();
        assert_eq!(computed, adopted.split_whitespace().collect::<Vec<_>>());
    }

    // Expected dates read off a printed calendar (Python's `calendar.month`), not from this
    // module. 2028: New Year's Day was observed on 31 December 2027, and Christmas Eve (Sunday)
    // is observed on Christmas Day (Monday). 2029: New Year's Eve 2028 (Sunday) on New Year's
    // Day (Monday). 2033: the year-end days fall on weekends, so Fri 23, Mon 26 and Fri 30
    // December, and New Year's Day 2034 (Sunday) on Monday 2 January.
    #[test]
    fn observed_dates_2026_to_2035() {
        let expected = "
            2026: 01-01 01-19 02-16 05-25 07-03 09-07 11-11 11-26 11-27 12-24 12-25 12-31
            2027: 01-01 01-18 02-15 05-31 07-05 09-06 11-11 11-25 11-26 12-24 12-31
            2028: 01-17 02-21 05-29 07-04 09-04 11-10 11-23 11-24 12-25
            2029: 01-01 01-15 02-19 05-28 07-04 09-03 11-12 11-22 11-23 12-24 12-25 12-31
            2030: 01-01 01-21 02-18 05-27 07-04 09-02 11-11 11-28 11-29 12-24 12-25 12-31
            2031: 01-01 01-20 02-17 05-26 07-04 09-01 11-11 11-27 11-28 12-24 12-25 12-31
            2032: 01-01 01-19 02-16 05-31 07-05 09-06 11-11 11-25 11-26 12-24 12-31
            2033: 01-17 02-21 05-30 07-04 09-05 11-11 11-24 11-25 12-23 12-26 12-30
            2034: 01-02 01-16 02-20 05-29 07-04 09-04 11-10 11-23 11-24 12-25
            2035: 01-01 01-15 02-19 05-28 07-04 09-03 11-12 11-22 11-23 12-24 12-25 12-31";
        let years: Vec<(i32, &str)> = expected
            .trim()
            .lines()
            .map(|line| {
                let (year, month_days) = line.trim().split_once(": ").unwrap();
                (year.parse().unwrap(), month_days)
            })
            .collect();
        assert_eq!(years.len(), 10);
        for (year, month_days) in years {
            let expected: Vec<String> = month_days
                .split_whitespace()
                .map(|month_day| format!("{year}-{month_day}"))
                .collect();
            assert_eq!(dates(year), expected, "{year}");
        }
    }

    #[test]
    fn a_day_two_holidays_are_observed_on_closes_once_under_both_names() {
        let year = city_holidays(2027);
        let on = |date: &str| year.iter().find(|h| h.date == d(date)).unwrap();
        // Christmas Day 2027 is a Saturday; New Year's Day 2028 too.
        assert_eq!(
            on("2027-12-24").name,
            "Christmas Eve and Christmas Day, observed"
        );
        assert_eq!(
            on("2027-12-31").name,
            "New Year's Eve and New Year's Day, observed"
        );
        assert_eq!(year.iter().filter(|h| h.date.month() == 12).count(), 2);
        // 2028: Christmas Eve (Sunday) moves onto Christmas Day.
        assert_eq!(
            city_holidays(2028).last().unwrap().name,
            "Christmas Eve, observed and Christmas Day"
        );
    }

    #[test]
    fn a_sunday_holiday_is_observed_the_monday_after() {
        // Sunday 4 July 2027.
        assert_eq!(
            city_holiday_on(d("2027-07-05")),
            Some(Holiday {
                date: d("2027-07-05"),
                name: "Independence Day, observed".into()
            })
        );
        assert_eq!(city_holiday_on(d("2027-07-04")), None);
    }

    #[test]
    fn a_saturday_holiday_is_observed_the_friday_before() {
        // Saturday 4 July 2026; Saturday 11 November 2028.
        assert_eq!(
            city_holiday_on(d("2026-07-03")).unwrap().name,
            "Independence Day, observed"
        );
        assert_eq!(city_holiday_on(d("2026-07-04")), None);
        assert_eq!(
            city_holiday_on(d("2028-11-10")).unwrap().name,
            "Veterans Day, observed"
        );
    }

    #[test]
    fn new_years_day_can_be_observed_in_the_year_before() {
        assert_eq!(
            city_holiday_on(d("2027-12-31")).unwrap().name,
            "New Year's Eve and New Year's Day, observed"
        );
        assert!(!dates(2028).iter().any(|date| date.starts_with("2028-01-0")));
    }

    #[test]
    fn every_closure_is_a_weekday() {
        for year in 1990..=2100 {
            for holiday in city_holidays(year) {
                assert!(
                    !matches!(holiday.date.weekday(), Weekday::Sat | Weekday::Sun),
                    "{holiday:?}"
                );
            }
        }
    }

    #[test]
    fn the_day_by_day_check_agrees_with_the_yearly_list() {
        for year in 2024..=2040 {
            let listed = city_holidays(year);
            let mut day = d(&format!("{year}-01-01"));
            while day.year() == year {
                assert_eq!(
                    city_holiday_on(day),
                    listed.iter().find(|h| h.date == day).cloned(),
                    "{day}"
                );
                day = day.succ_opt().unwrap();
            }
        }
    }

    #[test]
    fn names_read_as_the_holidays_are_known() {
        let names: Vec<String> = city_holidays(2030).into_iter().map(|h| h.name).collect();
        assert_eq!(
            names,
            [
                "New Year's Day",
                "Martin Luther King Jr. Day",
                "Presidents' Day",
                "Memorial Day",
                "Independence Day",
                "Labor Day",
                "Veterans Day",
                "Thanksgiving Day",
                "Day after Thanksgiving",
                "Christmas Eve",
                "Christmas Day",
                "New Year's Eve",
            ]
        );
    }
}
