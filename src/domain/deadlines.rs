//! CPRA deadlines (docs/PRODUCT.md, "Deadlines"): calendar days, rolled forward to the next business day.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::holidays;

/// What a holiday from a plain list of dates is called (`Calendar::new`, the old config key).
pub const LISTED_HOLIDAY_NAME: &str = "City holiday";

/// Business days: Monday to Friday, less the city's holidays.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    /// Whether the holidays of `holidays::city_holidays` close the office.
    by_rule: bool,
    added: BTreeMap<NaiveDate, String>,
    /// Rule holidays or added days the office stays open on after all.
    removed: BTreeSet<NaiveDate>,
}

/// A day of the year's calendar: what the rules say of it and whether it is closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarDay {
    pub day: NaiveDate,
    /// The holiday the rules observe on it, if any.
    pub by_rule: Option<String>,
    /// Closed, with the name requesters see; None: open.
    pub closed: Option<String>,
}

/// Why the office is closed on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Closed {
    Weekend(Weekday),
    Holiday(String),
}

impl fmt::Display for Closed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Closed::Weekend(day) => f.write_str(weekday_name(*day)),
            Closed::Holiday(name) => f.write_str(name),
        }
    }
}

impl Calendar {
    /// Only the days listed, no rule holidays: for tests and fixed calendars.
    pub fn new(holidays: impl IntoIterator<Item = NaiveDate>) -> Self {
        Calendar {
            by_rule: false,
            added: holidays
                .into_iter()
                .map(|day| (day, LISTED_HOLIDAY_NAME.to_string()))
                .collect(),
            removed: BTreeSet::new(),
        }
    }

    /// The city's calendar: its holidays by rule, every year, plus `added` less `removed`.
    pub fn by_rule(
        added: impl IntoIterator<Item = (NaiveDate, String)>,
        removed: impl IntoIterator<Item = NaiveDate>,
    ) -> Self {
        Calendar {
            by_rule: true,
            added: added.into_iter().collect(),
            removed: removed.into_iter().collect(),
        }
    }

    /// This calendar with an admin's changes over it (docs/PRODUCT.md, "Holidays"): each day
    /// closed with the name requesters see (`Some`) or open (`None`), whatever the rules or the
    /// configuration say of it.
    pub fn with_changes(
        &self,
        changes: impl IntoIterator<Item = (NaiveDate, Option<String>)>,
    ) -> Self {
        let mut calendar = self.clone();
        for (day, closed) in changes {
            match closed {
                Some(name) => {
                    calendar.removed.remove(&day);
                    calendar.added.insert(day, name);
                }
                None => {
                    calendar.added.remove(&day);
                    calendar.removed.insert(day);
                }
            }
        }
        calendar
    }

    /// The days of `year` the rules close, or that were added or opened, in date order.
    pub fn year(&self, year: i32) -> Vec<CalendarDay> {
        let mut days: BTreeMap<NaiveDate, CalendarDay> = BTreeMap::new();
        if self.by_rule {
            for holiday in holidays::city_holidays(year) {
                days.entry(holiday.date).or_insert(CalendarDay {
                    day: holiday.date,
                    by_rule: Some(holiday.name.clone()),
                    closed: None,
                });
            }
        }
        let in_year = |d: &NaiveDate| d.year() == year;
        for (day, name) in self.added.iter().filter(|(d, _)| in_year(d)) {
            days.entry(*day)
                .or_insert(CalendarDay {
                    day: *day,
                    by_rule: None,
                    closed: None,
                })
                .closed = Some(name.clone());
        }
        for day in self.removed.iter().filter(|d| in_year(d)) {
            days.entry(*day).or_insert(CalendarDay {
                day: *day,
                by_rule: None,
                closed: None,
            });
        }
        days.into_values()
            .map(|mut d| {
                d.closed = match self.closure(d.day) {
                    Some(Closed::Holiday(name)) => Some(name),
                    // A weekend day is closed anyway; a closure added on it keeps its name.
                    Some(weekend @ Closed::Weekend(_)) => Some(
                        self.added
                            .get(&d.day)
                            .cloned()
                            .unwrap_or_else(|| weekend.to_string()),
                    ),
                    None => None,
                };
                d
            })
            .collect()
    }

    /// Why `day` is not a business day; None when it is one. A day that is both a rule holiday
    /// and an added one goes by the rule's name.
    pub fn closure(&self, day: NaiveDate) -> Option<Closed> {
        let weekday = day.weekday();
        if matches!(weekday, Weekday::Sat | Weekday::Sun) {
            return Some(Closed::Weekend(weekday));
        }
        if self.removed.contains(&day) {
            return None;
        }
        self.by_rule
            .then(|| holidays::city_holiday_on(day))
            .flatten()
            .map(|holiday| holiday.name)
            .or_else(|| self.added.get(&day).cloned())
            .map(Closed::Holiday)
    }

    pub fn is_business_day(&self, day: NaiveDate) -> bool {
        self.closure(day).is_none()
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

    /// `due_after`, with the closed days it passed over.
    pub fn reckon(&self, basis: DueBasis, from: NaiveDate, days: u32) -> Reckoning {
        let counted_to = from + Days::new(u64::from(days));
        let mut skipped = Vec::new();
        let mut due = counted_to;
        while let Some(closed) = self.closure(due) {
            skipped.push(ClosedDay {
                date: due,
                why: closed.to_string(),
            });
            due = due + Days::new(1);
        }
        Reckoning {
            basis,
            from,
            days,
            counted_to,
            skipped,
            due,
        }
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

/// How a due date was worked out: kept with the request and in its audit events, and
/// shown to the requester through `notify::reckoning::explain`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reckoning {
    pub basis: DueBasis,
    /// The day counting starts from: the receipt, or the appeal.
    pub from: NaiveDate,
    /// Calendar days counted: the ten, the ten plus an extension, or the review days.
    pub days: u32,
    /// `from` plus `days`.
    pub counted_to: NaiveDate,
    /// The closed days passed over from `counted_to` on, in order.
    pub skipped: Vec<ClosedDay>,
    pub due: NaiveDate,
}

/// What a count of days is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DueBasis {
    Receipt,
    /// `days` are the extension's own, on top of the original ten.
    Extension {
        days: u32,
        circumstance: Circumstance,
    },
    Appeal,
    /// A complaint's service target: the city's own promise, not the statute's.
    ServiceTarget,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosedDay {
    pub date: NaiveDate,
    /// "Saturday", "Thanksgiving Day".
    pub why: String,
}

/// "Wednesday, March 4, 2026", for the error messages.
fn long_date(day: NaiveDate) -> String {
    day.format("%A, %B %-d, %Y").to_string()
}

fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
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
    StateOfEmergency,
}

struct CircumstanceRow {
    circumstance: Circumstance,
    /// Stored, and in the API; serde's snake_case name of the variant.
    api_name: &'static str,
    /// Of Gov. Code §7922.535.
    subdivision: &'static str,
    /// A few words, in the middle of a sentence.
    label: &'static str,
    /// The statute in plain words, for notices and pages.
    text: &'static str,
}

// The one place the circumstances are written down, but for the few words a letter to the
// requester names each by (`notify::reckoning`, in step with `label` in English). A pending
// bill (AB 370, 2025) may change (c)(5); change it here.
const CIRCUMSTANCES: [CircumstanceRow; 5] = [
    CircumstanceRow {
        circumstance: Circumstance::FieldFacilities,
        api_name: "field_facilities",
        subdivision: "(c)(1)",
        label: "records in field facilities",
        text: "The records must be searched for and collected from field facilities or other establishments separate from the office processing the request.",
    },
    CircumstanceRow {
        circumstance: Circumstance::VoluminousRecords,
        api_name: "voluminous_records",
        subdivision: "(c)(2)",
        label: "voluminous records",
        text: "A voluminous amount of separate and distinct records must be searched for, collected and examined.",
    },
    CircumstanceRow {
        circumstance: Circumstance::Consultation,
        api_name: "consultation",
        subdivision: "(c)(3)",
        label: "consultation with another agency or department",
        text: "Another agency with a substantial interest in the request, or two or more parts of the City, must be consulted.",
    },
    CircumstanceRow {
        circumstance: Circumstance::DataCompilation,
        api_name: "data_compilation",
        subdivision: "(c)(4)",
        label: "compiling data or writing a program",
        text: "Data must be compiled, or a computer report written or programmed, to extract the records.",
    },
    CircumstanceRow {
        circumstance: Circumstance::StateOfEmergency,
        api_name: "state_of_emergency",
        subdivision: "(c)(5)",
        label: "a state of emergency",
        text: "The records must be searched for, collected and examined during a state of emergency the Governor has proclaimed here, which is keeping the City from responding on time because of staff shortages or closed facilities.",
    },
];

impl Circumstance {
    pub const ALL: [Circumstance; CIRCUMSTANCES.len()] = {
        let mut all = [Circumstance::FieldFacilities; CIRCUMSTANCES.len()];
        let mut i = 0;
        while i < all.len() {
            all[i] = CIRCUMSTANCES[i].circumstance;
            i += 1;
        }
        all
    };

    fn row(self) -> &'static CircumstanceRow {
        CIRCUMSTANCES
            .iter()
            .find(|row| row.circumstance == self)
            .expect("every circumstance has a row in CIRCUMSTANCES")
    }

    pub fn as_str(self) -> &'static str {
        self.row().api_name
    }

    pub fn parse(s: &str) -> Option<Circumstance> {
        CIRCUMSTANCES
            .iter()
            .find(|row| row.api_name == s)
            .map(|row| row.circumstance)
    }

    /// The statute's words, for notices and pages.
    pub fn description(self) -> &'static str {
        self.row().text
    }

    /// Where in Gov. Code §7922.535 it is: "(c)(1)" to "(c)(5)".
    pub fn subdivision(self) -> &'static str {
        self.row().subdivision
    }

    /// A few words for the middle of a sentence, for staff: "voluminous records".
    pub fn label(self) -> &'static str {
        self.row().label
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
    /// `due` is the date the request stays due; `least_days` the shortest extension that would
    /// move it, if one of up to 14 days does.
    #[error("{}", moves_nothing_message(*.days, *.due, *.least_days))]
    MovesNothing {
        days: u32,
        due: NaiveDate,
        least_days: Option<u32>,
    },
}

fn moves_nothing_message(days: u32, due: NaiveDate, least_days: Option<u32>) -> String {
    let advice = match least_days {
        Some(least) => format!("extend by at least {least} days"),
        None => format!("no extension of up to {MAX_EXTENSION_DAYS} days moves it"),
    };
    format!(
        "an extension of {days} {} leaves the due date at {}, because the original due date \
         had already moved past days the office is closed; {advice}",
        if days == 1 { "day" } else { "days" },
        long_date(due),
    )
}

/// The deadlines the city has set, with its calendar.
#[derive(Debug, Clone)]
pub struct DeadlinePolicy {
    pub determination_days: u32,
    pub appeal_window_days: u32,
    pub review_days: u32,
    pub due_soon_business_days: u32,
    /// The days the city gives itself to close a complaint (docs/PRODUCT.md, "Complaints").
    pub complaint_days: u32,
    pub calendar: Calendar,
}

impl Default for DeadlinePolicy {
    fn default() -> Self {
        DeadlinePolicy {
            determination_days: 10,
            appeal_window_days: 30,
            review_days: 10,
            due_soon_business_days: 2,
            complaint_days: 30,
            calendar: Calendar::default(),
        }
    }
}

impl DeadlinePolicy {
    /// 10 calendar days after receipt (§7922.535), rolled to a business day.
    pub fn determination_due(&self, received: NaiveDate) -> NaiveDate {
        self.calendar.due_after(received, self.determination_days)
    }

    /// How `determination_due` is reached.
    pub fn determination_reckoning(&self, received: NaiveDate) -> Reckoning {
        self.calendar
            .reckon(DueBasis::Receipt, received, self.determination_days)
    }

    /// A complaint's target: `complaint_days` calendar days after receipt, rolled to a business
    /// day as a determination's due date is.
    pub fn complaint_reckoning(&self, received: NaiveDate) -> Reckoning {
        self.calendar
            .reckon(DueBasis::ServiceTarget, received, self.complaint_days)
    }

    /// One extension of 1–14 days past the original ten, while the determination is pending.
    /// `extension` also refuses one that would not move the due date.
    pub fn extended_due(
        &self,
        received: NaiveDate,
        days: u32,
        already_extended: bool,
        awaiting_determination: bool,
    ) -> Result<NaiveDate, ExtensionError> {
        extendable(days, already_extended, awaiting_determination)?;
        Ok(self
            .calendar
            .due_after(received, self.determination_days + days))
    }

    /// `extended_due` with its reckoning, refused when the new due date would be no later
    /// than `current_due` (a day 10 on a Saturday has already moved to Monday, so one or two
    /// more days change nothing).
    pub fn extension(
        &self,
        received: NaiveDate,
        current_due: NaiveDate,
        days: u32,
        circumstance: Circumstance,
        already_extended: bool,
        awaiting_determination: bool,
    ) -> Result<Reckoning, ExtensionError> {
        extendable(days, already_extended, awaiting_determination)?;
        let reckoning = self.calendar.reckon(
            DueBasis::Extension { days, circumstance },
            received,
            self.determination_days + days,
        );
        if reckoning.due > current_due {
            return Ok(reckoning);
        }
        let least_days = (1..=MAX_EXTENSION_DAYS).find(|&more| {
            self.calendar
                .due_after(received, self.determination_days + more)
                > current_due
        });
        Err(ExtensionError::MovesNothing {
            days,
            due: current_due,
            least_days,
        })
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

    /// How `review_due` is reached.
    pub fn review_reckoning(&self, appealed_on: NaiveDate) -> Reckoning {
        self.calendar
            .reckon(DueBasis::Appeal, appealed_on, self.review_days)
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

/// The checks `extended_due` and `extension` share.
fn extendable(
    days: u32,
    already_extended: bool,
    awaiting_determination: bool,
) -> Result<(), ExtensionError> {
    if !awaiting_determination {
        return Err(ExtensionError::NotAwaitingDetermination);
    }
    if already_extended {
        return Err(ExtensionError::AlreadyExtended);
    }
    if !(1..=MAX_EXTENSION_DAYS).contains(&days) {
        return Err(ExtensionError::DaysOutOfRange);
    }
    Ok(())
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

    /// The city's calendar as `Settings::deadline_policy` builds it from the defaults.
    fn concord() -> DeadlinePolicy {
        DeadlinePolicy {
            calendar: Calendar::by_rule([], []),
            ..DeadlinePolicy::default()
        }
    }

    #[test]
    fn the_rule_calendar_closes_on_the_city_holidays_of_any_year() {
        let calendar = concord().calendar;
        for (day, name) in [
            ("2026-11-26", "Thanksgiving Day"),
            ("2027-07-05", "Independence Day, observed"),
            ("2027-12-31", "New Year's Eve and New Year's Day, observed"),
            ("2030-11-28", "Thanksgiving Day"),
            ("2045-07-04", "Independence Day"),
        ] {
            assert_eq!(
                calendar.closure(d(day)),
                Some(Closed::Holiday(name.into())),
                "{day}"
            );
        }
        assert_eq!(calendar.closure(d("2030-11-27")), None);
        // The list given to `Calendar::new` stops where it was written; the rules do not.
        assert!(concord_2026().calendar.is_business_day(d("2027-02-15")));
        assert!(!calendar.is_business_day(d("2027-02-15")));
    }

    #[test]
    fn a_closure_names_the_weekday_or_the_holiday() {
        let calendar = concord().calendar;
        let saturday = calendar.closure(d("2026-03-14")).unwrap();
        assert_eq!(saturday, Closed::Weekend(Weekday::Sat));
        assert_eq!(saturday.to_string(), "Saturday");
        assert_eq!(
            calendar.closure(d("2026-03-15")).unwrap().to_string(),
            "Sunday"
        );
        assert_eq!(
            calendar.closure(d("2026-11-27")).unwrap().to_string(),
            "Day after Thanksgiving"
        );
        assert_eq!(calendar.closure(d("2026-03-16")), None);
        assert_eq!(
            concord_2026().calendar.closure(d("2026-11-26")),
            Some(Closed::Holiday(LISTED_HOLIDAY_NAME.into()))
        );
    }

    #[test]
    fn days_added_close_the_office_and_days_removed_open_it() {
        let calendar = Calendar::by_rule(
            [(d("2026-12-28"), "Winter closure".to_string())],
            [d("2026-12-24"), d("2026-12-26")],
        );
        assert_eq!(
            calendar.closure(d("2026-12-28")),
            Some(Closed::Holiday("Winter closure".into()))
        );
        assert!(calendar.is_business_day(d("2026-12-24")));
        // Removing a day cannot open the office on a weekend (Saturday 26 December).
        assert_eq!(
            calendar.closure(d("2026-12-26")),
            Some(Closed::Weekend(Weekday::Sat))
        );
        assert!(!calendar.is_business_day(d("2026-12-25")));
        // A rule holiday also added keeps the rule's name.
        let renamed = Calendar::by_rule([(d("2026-12-25"), "Closed".to_string())], []);
        assert_eq!(
            renamed.closure(d("2026-12-25")),
            Some(Closed::Holiday("Christmas Day".into()))
        );
    }

    #[test]
    fn the_default_calendar_closes_only_on_weekends() {
        let calendar = Calendar::default();
        assert!(calendar.is_business_day(d("2026-12-25")));
        assert!(!calendar.is_business_day(d("2026-12-26")));
    }

    #[test]
    fn a_reckoning_reaches_the_same_date_as_due_after_and_lists_what_it_skipped() {
        for calendar in [concord().calendar, concord_2026().calendar] {
            let mut from = d("2026-01-01");
            while from < d("2028-01-01") {
                for days in [1, 10, 24, 30] {
                    let reckoning = calendar.reckon(DueBasis::Receipt, from, days);
                    assert_eq!(
                        reckoning.due,
                        calendar.due_after(from, days),
                        "{from} {days}"
                    );
                    assert_eq!(reckoning.counted_to, from + Days::new(u64::from(days)));
                    let mut closed = reckoning.counted_to;
                    for skipped in &reckoning.skipped {
                        assert_eq!(skipped.date, closed);
                        assert_eq!(
                            Some(skipped.why.clone()),
                            calendar.closure(closed).map(|c| c.to_string())
                        );
                        closed = closed + Days::new(1);
                    }
                    assert_eq!(closed, reckoning.due);
                }
                from = from + Days::new(1);
            }
        }
    }

    #[test]
    fn the_policy_reckonings_agree_with_its_due_dates() {
        let policy = concord();
        let received = d("2026-11-16");
        let reckoning = policy.determination_reckoning(received);
        assert_eq!(reckoning.due, policy.determination_due(received));
        assert_eq!(reckoning.due, d("2026-11-30"));
        assert_eq!(reckoning.basis, DueBasis::Receipt);
        assert_eq!(reckoning.days, 10);
        let review = policy.review_reckoning(d("2027-12-14"));
        assert_eq!(review.due, policy.review_due(d("2027-12-14")));
        assert_eq!(review.due, d("2027-12-27"));
        assert_eq!(review.basis, DueBasis::Appeal);
    }

    #[test]
    fn a_reckoning_is_stored_as_plain_json() {
        let reckoning = concord()
            .extension(
                d("2026-03-04"),
                d("2026-03-16"),
                4,
                Circumstance::Consultation,
                false,
                true,
            )
            .unwrap();
        let json = serde_json::to_value(&reckoning).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "basis": {"kind": "extension", "days": 4, "circumstance": "consultation"},
                "from": "2026-03-04",
                "days": 14,
                "counted_to": "2026-03-18",
                "skipped": [],
                "due": "2026-03-18",
            })
        );
        assert_eq!(
            serde_json::from_value::<Reckoning>(json).unwrap(),
            reckoning
        );
        let receipt = concord().determination_reckoning(d("2026-03-04"));
        let json = serde_json::to_value(&receipt).unwrap();
        assert_eq!(json["basis"], serde_json::json!({"kind": "receipt"}));
        assert_eq!(
            json["skipped"],
            serde_json::json!([
                {"date": "2026-03-14", "why": "Saturday"},
                {"date": "2026-03-15", "why": "Sunday"},
            ])
        );
        assert_eq!(serde_json::from_value::<Reckoning>(json).unwrap(), receipt);
        assert_eq!(
            serde_json::to_value(DueBasis::Appeal).unwrap(),
            serde_json::json!({"kind": "appeal"})
        );
    }

    #[test]
    fn an_extension_that_ends_on_the_weekend_already_passed_moves_nothing() {
        let policy = concord();
        // Received Wed 4 Mar: day 10 is Sat 14 Mar, so the request is due Mon 16 Mar. One more
        // day is Sunday, two is that Monday; three is the first that moves it.
        let received = d("2026-03-04");
        let due = policy.determination_due(received);
        for days in [1, 2] {
            assert_eq!(
                policy.extension(
                    received,
                    due,
                    days,
                    Circumstance::VoluminousRecords,
                    false,
                    true
                ),
                Err(ExtensionError::MovesNothing {
                    days,
                    due: d("2026-03-16"),
                    least_days: Some(3)
                })
            );
        }
        assert_eq!(
            policy
                .extension(
                    received,
                    due,
                    3,
                    Circumstance::VoluminousRecords,
                    false,
                    true
                )
                .map(|r| r.due),
            Ok(d("2026-03-17"))
        );
        assert_eq!(
            policy
                .extension(
                    received,
                    due,
                    1,
                    Circumstance::VoluminousRecords,
                    false,
                    true
                )
                .unwrap_err()
                .to_string(),
            "an extension of 1 day leaves the due date at Monday, March 16, 2026, because the \
             original due date had already moved past days the office is closed; extend by at \
             least 3 days"
        );
    }

    #[test]
    fn an_extension_that_ends_on_the_thanksgiving_closure_moves_nothing() {
        let policy = concord();
        // Received Mon 16 Nov: day 10 is Thanksgiving, so the request is due Mon 30 Nov, and
        // four more days (to that Monday) change nothing.
        let received = d("2026-11-16");
        let due = d("2026-11-30");
        assert_eq!(
            policy.extension(received, due, 4, Circumstance::Consultation, false, true),
            Err(ExtensionError::MovesNothing {
                days: 4,
                due,
                least_days: Some(5)
            })
        );
        let five = policy
            .extension(received, due, 5, Circumstance::Consultation, false, true)
            .unwrap();
        assert_eq!(five.due, d("2026-12-01"));
        assert_eq!(
            five.basis,
            DueBasis::Extension {
                days: 5,
                circumstance: Circumstance::Consultation
            }
        );
        assert_eq!(five.days, 15);
    }

    #[test]
    fn an_extension_that_no_allowed_length_can_move_says_so() {
        // A due date already set further out, as one stored under an older calendar may be.
        let error = concord()
            .extension(
                d("2026-03-02"),
                d("2026-04-30"),
                14,
                Circumstance::DataCompilation,
                false,
                true,
            )
            .unwrap_err();
        assert_eq!(
            error,
            ExtensionError::MovesNothing {
                days: 14,
                due: d("2026-04-30"),
                least_days: None
            }
        );
        assert!(error
            .to_string()
            .ends_with("; no extension of up to 14 days moves it"));
    }

    #[test]
    fn an_extension_is_checked_for_eligibility_before_whether_it_moves_anything() {
        let policy = concord();
        let (received, due) = (d("2026-03-04"), d("2026-03-16"));
        let circumstance = Circumstance::FieldFacilities;
        assert_eq!(
            policy.extension(received, due, 1, circumstance, true, true),
            Err(ExtensionError::AlreadyExtended)
        );
        assert_eq!(
            policy.extension(received, due, 1, circumstance, false, false),
            Err(ExtensionError::NotAwaitingDetermination)
        );
        assert_eq!(
            policy.extension(received, due, 15, circumstance, false, true),
            Err(ExtensionError::DaysOutOfRange)
        );
    }

    #[test]
    fn the_five_circumstances_come_from_one_table() {
        let subdivisions: Vec<&str> = Circumstance::ALL.iter().map(|c| c.subdivision()).collect();
        assert_eq!(
            subdivisions,
            ["(c)(1)", "(c)(2)", "(c)(3)", "(c)(4)", "(c)(5)"]
        );
        for circumstance in Circumstance::ALL {
            // The stored name, the API's and serde's are one.
            assert_eq!(
                serde_json::to_value(circumstance).unwrap(),
                serde_json::json!(circumstance.as_str())
            );
            assert_eq!(
                Circumstance::parse(circumstance.as_str()),
                Some(circumstance)
            );
            assert_eq!(
                Circumstance::ALL
                    .iter()
                    .filter(|c| **c == circumstance)
                    .count(),
                1
            );
            assert!(!circumstance.description().is_empty());
        }
        assert_eq!(
            Circumstance::parse("state_of_emergency"),
            Some(Circumstance::StateOfEmergency)
        );
        assert_eq!(Circumstance::parse("emergency"), None);
    }

    #[test]
    fn an_admins_changes_close_and_open_days_over_the_rules() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let base = Calendar::by_rule([], []);
        let changed = base.with_changes([
            (d("2026-12-28"), Some("Winter closure".to_string())),
            (d("2026-12-24"), None),
        ]);
        assert!(!changed.is_business_day(d("2026-12-28")));
        assert!(
            changed.is_business_day(d("2026-12-24")),
            "Christmas Eve opened"
        );
        assert!(
            !base.is_business_day(d("2026-12-24")),
            "the base is unchanged"
        );
        let year = changed.year(2026);
        let eve = year.iter().find(|c| c.day == d("2026-12-24")).unwrap();
        assert_eq!(eve.closed, None);
        assert_eq!(eve.by_rule.as_deref(), Some("Christmas Eve"));
        let closure = year.iter().find(|c| c.day == d("2026-12-28")).unwrap();
        assert_eq!(closure.closed.as_deref(), Some("Winter closure"));
        assert_eq!(closure.by_rule, None);
        assert!(year
            .iter()
            .any(|c| c.by_rule.as_deref() == Some("Thanksgiving Day")));
        assert!(year.windows(2).all(|w| w[0].day < w[1].day));
    }
}
