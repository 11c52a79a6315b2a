//! CPRA deadlines (docs/PRODUCT.md, "Deadlines"): calendar days, rolled forward to the next business day.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// Business days: Monday to Friday, less the city's configured holidays.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    holidays: BTreeSet<NaiveDate>,
}

impl Calendar {
    pub fn new(holidays: impl IntoIterator<Item = NaiveDate>) -> Self {
        Calendar {
            holidays: holidays.into_iter().collect(),
        }
    }

    pub fn is_business_day(&self, day: NaiveDate) -> bool {
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays.contains(&day)
    }

    /// The day itself when it is a business day, else the next one.
    pub fn roll_forward(&self, mut day: NaiveDate) -> NaiveDate {
        while !self.is_business_day(day) {
            day = day + Days::new(1);
        }
        day
    }

    /// `days` calendar days after `from`, rolled to a business day.
    pub fn due_after(&self, from: NaiveDate, days: u32) -> NaiveDate {
        self.roll_forward(from + Days::new(u64::from(days)))
    }

    /// Business days strictly after `from` up to and including `to` (0 when `to <= from`).
    pub fn business_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut count = 0;
        let mut day = from;
        while day < to {
            day = day + Days::new(1);
            if self.is_business_day(day) {
                count += 1;
            }
        }
        count
    }
}

/// The statutory "unusual circumstances" that justify an extension (Gov. Code §7922.535(c)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Circumstance {
    FieldFacilities,
    VoluminousRecords,
    Consultation,
    DataCompilation,
}

impl Circumstance {
    pub const ALL: [Circumstance; 4] = [
        Circumstance::FieldFacilities,
        Circumstance::VoluminousRecords,
        Circumstance::Consultation,
        Circumstance::DataCompilation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Circumstance::FieldFacilities => "field_facilities",
            Circumstance::VoluminousRecords => "voluminous_records",
            Circumstance::Consultation => "consultation",
            Circumstance::DataCompilation => "data_compilation",
        }
    }

    pub fn parse(s: &str) -> Option<Circumstance> {
        Circumstance::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The statute's words, for notices and pages.
    pub fn description(self) -> &'static str {
        match self {
            Circumstance::FieldFacilities => "The records must be searched for and collected from field facilities or other establishments separate from the office processing the request.",
            Circumstance::VoluminousRecords => "A voluminous amount of separate and distinct records must be searched for, collected and examined.",
            Circumstance::Consultation => "Another agency with a substantial interest in the request, or two or more parts of the City, must be consulted.",
            Circumstance::DataCompilation => "Data must be compiled, or a computer report written or programmed, to extract the records.",
        }
    }
}

/// The longest single extension the statute allows.
pub const MAX_EXTENSION_DAYS: u32 = 14;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtensionError {
    #[error("an extension must be between 1 and {MAX_EXTENSION_DAYS} days")]
    DaysOutOfRange,
    #[error("this request has already been extended once")]
    AlreadyExtended,
    #[error("only a request awaiting its determination can be extended")]
    NotAwaitingDetermination,
    #[error("the extension notice must be given before the original ten days run out")]
    TooLate,
}

/// The deadlines the city has set, with its calendar.
#[derive(Debug, Clone)]
pub struct DeadlinePolicy {
    pub determination_days: u32,
    pub appeal_window_days: u32,
    pub review_days: u32,
    pub due_soon_business_days: u32,
    pub calendar: Calendar,
}

impl Default for DeadlinePolicy {
    fn default() -> Self {
        DeadlinePolicy {
            determination_days: 10,
            appeal_window_days: 30,
            review_days: 10,
            due_soon_business_days: 2,
            calendar: Calendar::default(),
        }
    }
}

impl DeadlinePolicy {
    /// 10 calendar days after receipt (§7922.535), rolled to a business day.
    pub fn determination_due(&self, received: NaiveDate) -> NaiveDate {
        self.calendar.due_after(received, self.determination_days)
    }

    /// One extension of 1–14 days past the original ten, while the determination is pending.
    pub fn extended_due(
        &self,
        received: NaiveDate,
        days: u32,
        already_extended: bool,
        awaiting_determination: bool,
    ) -> Result<NaiveDate, ExtensionError> {
        if !awaiting_determination {
            return Err(ExtensionError::NotAwaitingDetermination);
        }
        if already_extended {
            return Err(ExtensionError::AlreadyExtended);
        }
        if !(1..=MAX_EXTENSION_DAYS).contains(&days) {
            return Err(ExtensionError::DaysOutOfRange);
        }
        Ok(self
            .calendar
            .due_after(received, self.determination_days + days))
    }

    /// The extension notice is due within the original period (§7922.535(b)): not after it.
    pub fn extension_in_time(
        &self,
        received: NaiveDate,
        today: NaiveDate,
    ) -> Result<(), ExtensionError> {
        if today > self.determination_due(received) {
            Err(ExtensionError::TooLate)
        } else {
            Ok(())
        }
    }

    /// The last day on which a denial may be appealed.
    pub fn appeal_deadline(&self, denied_on: NaiveDate) -> NaiveDate {
        self.calendar.due_after(denied_on, self.appeal_window_days)
    }

    /// When an administrative review decision is due.
    pub fn review_due(&self, appealed_on: NaiveDate) -> NaiveDate {
        self.calendar.due_after(appealed_on, self.review_days)
    }

    pub fn is_overdue(&self, due: NaiveDate, today: NaiveDate) -> bool {
        today > due
    }

    /// Due today or within the next `due_soon_business_days` business days, and not yet late.
    pub fn is_due_soon(&self, due: NaiveDate, today: NaiveDate) -> bool {
        today <= due
            && self.calendar.business_days_between(today, due) <= self.due_soon_business_days
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn concord_2026() -> DeadlinePolicy {
        DeadlinePolicy {
            calendar: Calendar::new(
                [
                    "2026-01-01",
                    "2026-01-19",
                    "2026-05-25",
                    "2026-07-03",
                    "2026-09-07",
                    "2026-11-11",
                    "2026-11-26",
                    "2026-11-27",
                    "2026-12-25",
                    "2027-01-01",
                ]
                .into_iter()
                .map(d),
            ),
            ..DeadlinePolicy::default()
        }
    }

    #[test]
    fn ten_calendar_days_landing_on_a_weekday_stand() {
        // Mon 2 Mar 2026 + 10 = Thu 12 Mar.
        assert_eq!(
            concord_2026().determination_due(d("2026-03-02")),
            d("2026-03-12")
        );
    }

    #[test]
    fn a_due_date_on_saturday_moves_to_monday() {
        // Wed 4 Mar + 10 = Sat 14 Mar → Mon 16 Mar.
        assert_eq!(
            concord_2026().determination_due(d("2026-03-04")),
            d("2026-03-16")
        );
    }

    #[test]
    fn a_due_date_on_sunday_moves_to_monday() {
        assert_eq!(
            concord_2026().determination_due(d("2026-03-05")),
            d("2026-03-16")
        );
    }

    #[test]
    fn deadlines_cross_month_and_year_ends() {
        let policy = concord_2026();
        // 25 Feb + 10 = 7 Mar (Sat) → 9 Mar.
        assert_eq!(policy.determination_due(d("2026-02-25")), d("2026-03-09"));
        // 21 Jan + 10 = 31 Jan (Sat) → Mon 2 Feb.
        assert_eq!(policy.determination_due(d("2026-01-21")), d("2026-02-02"));
        // 22 Dec + 10 = 1 Jan 2027 (holiday, Fri) → Mon 4 Jan 2027.
        assert_eq!(policy.determination_due(d("2026-12-22")), d("2027-01-04"));
        // Leap-year February: 20 Feb 2028 + 10 = 1 Mar 2028 (Wed).
        assert_eq!(policy.determination_due(d("2028-02-20")), d("2028-03-01"));
    }

    #[test]
    fn a_due_date_on_a_holiday_moves_past_the_holiday_and_the_weekend() {
        // 16 Nov + 10 = Thu 26 Nov (Thanksgiving) → Fri 27 (holiday) → Mon 30 Nov.
        assert_eq!(
            concord_2026().determination_due(d("2026-11-16")),
            d("2026-11-30")
        );
        // 23 Jun + 10 = Fri 3 Jul (observed Independence Day) → Mon 6 Jul.
        assert_eq!(
            concord_2026().determination_due(d("2026-06-23")),
            d("2026-07-06")
        );
    }

    #[test]
    fn receipt_on_a_weekend_still_counts_calendar_days() {
        // Sat 7 Mar + 10 = Tue 17 Mar.
        assert_eq!(
            concord_2026().determination_due(d("2026-03-07")),
            d("2026-03-17")
        );
    }

    #[test]
    fn an_extension_adds_its_days_to_the_original_ten_then_rolls() {
        let policy = concord_2026();
        // 2 Mar + 10 + 14 = 26 Mar (Thu).
        assert_eq!(
            policy.extended_due(d("2026-03-02"), 14, false, true),
            Ok(d("2026-03-26"))
        );
        // 2 Mar + 10 + 5 = 17 Mar (Tue).
        assert_eq!(
            policy.extended_due(d("2026-03-02"), 5, false, true),
            Ok(d("2026-03-17"))
        );
        // 4 Mar + 10 + 1 = 15 Mar (Sun) → 16 Mar.
        assert_eq!(
            policy.extended_due(d("2026-03-04"), 1, false, true),
            Ok(d("2026-03-16"))
        );
        // 12 Nov + 10 + 4 = 26 Nov (Thanksgiving) → 30 Nov.
        assert_eq!(
            policy.extended_due(d("2026-11-12"), 4, false, true),
            Ok(d("2026-11-30"))
        );
    }

    #[test]
    fn an_extension_is_one_to_fourteen_days_once_while_pending() {
        let policy = concord_2026();
        let received = d("2026-03-02");
        assert_eq!(
            policy.extended_due(received, 0, false, true),
            Err(ExtensionError::DaysOutOfRange)
        );
        assert_eq!(
            policy.extended_due(received, 15, false, true),
            Err(ExtensionError::DaysOutOfRange)
        );
        assert_eq!(
            policy.extended_due(received, 3, true, true),
            Err(ExtensionError::AlreadyExtended)
        );
        assert_eq!(
            policy.extended_due(received, 3, false, false),
            Err(ExtensionError::NotAwaitingDetermination)
        );
    }

    #[test]
    fn an_extension_is_given_within_the_original_period_not_after() {
        let policy = concord_2026();
        // Received 2 Mar, due 12 Mar: in time up to and on the 12th.
        assert_eq!(
            policy.extension_in_time(d("2026-03-02"), d("2026-03-12")),
            Ok(())
        );
        assert_eq!(
            policy.extension_in_time(d("2026-03-02"), d("2026-03-13")),
            Err(ExtensionError::TooLate)
        );
    }

    #[test]
    fn appeal_window_and_review_period_follow_the_policy() {
        let policy = concord_2026();
        // 12 Oct + 30 = Wed 11 Nov (Veterans Day) → Thu 12 Nov.
        assert_eq!(policy.appeal_deadline(d("2026-10-12")), d("2026-11-12"));
        // 1 Dec + 10 = Fri 11 Dec.
        assert_eq!(policy.review_due(d("2026-12-01")), d("2026-12-11"));
        let short = DeadlinePolicy {
            appeal_window_days: 5,
            review_days: 3,
            ..concord_2026()
        };
        assert_eq!(short.appeal_deadline(d("2026-12-01")), d("2026-12-07"));
        assert_eq!(short.review_due(d("2026-12-01")), d("2026-12-04"));
    }

    #[test]
    fn overdue_starts_the_day_after_the_due_date() {
        let policy = concord_2026();
        assert!(!policy.is_overdue(d("2026-03-12"), d("2026-03-12")));
        assert!(policy.is_overdue(d("2026-03-12"), d("2026-03-13")));
    }

    #[test]
    fn due_soon_counts_business_days_not_calendar_days() {
        let policy = concord_2026();
        // Friday, due the next Tuesday: Mon and Tue are two business days away.
        assert!(policy.is_due_soon(d("2026-03-17"), d("2026-03-13")));
        // Friday, due Wednesday: three business days away.
        assert!(!policy.is_due_soon(d("2026-03-18"), d("2026-03-13")));
        // Due today is due soon; past due is overdue, not due soon.
        assert!(policy.is_due_soon(d("2026-03-13"), d("2026-03-13")));
        assert!(!policy.is_due_soon(d("2026-03-12"), d("2026-03-13")));
        // Over Thanksgiving: Wed 25 Nov, due Tue 1 Dec: Mon 30 and Tue 1 → due soon.
        assert!(policy.is_due_soon(d("2026-12-01"), d("2026-11-25")));
    }

    #[test]
    fn every_holiday_and_weekend_day_is_skipped_by_roll_forward() {
        let policy = concord_2026();
        let mut day = d("2026-01-01");
        while day < d("2027-01-10") {
            let rolled = policy.calendar.roll_forward(day);
            assert!(rolled >= day);
            assert!(policy.calendar.is_business_day(rolled));
            let mut between = day;
            while between < rolled {
                assert!(!policy.calendar.is_business_day(between));
                between = between + Days::new(1);
            }
            day = day + Days::new(1);
        }
    }
}
