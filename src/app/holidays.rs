//! The city's calendar as admins adjust it (docs/PRODUCT.md, "Holidays"): the days the rules
//! and the configuration close, and an admin's changes over them, stored in the database. A
//! change never moves a due date already set: due dates are computed when they are set.

use chrono::{Datelike, NaiveDate};

use super::{AppError, Ctx};
use crate::audit::admin_chain::{self, AdminEvent};
use crate::audit::Actor;
use crate::db::{self, admin as admin_db, Conn};
use crate::domain::deadlines::CalendarDay;
use crate::domain::input::{limits, Text};
use crate::domain::{FieldErrors, StaffId};

/// A year of the calendar as the page shows it.
#[derive(Debug, Clone)]
pub struct CalendarYear {
    pub year: i32,
    pub days: Vec<YearDay>,
}

/// A day of it, and whether an admin changed it.
#[derive(Debug, Clone)]
pub struct YearDay {
    pub day: CalendarDay,
    pub changed: bool,
}

/// This year and next, as the calendar stands.
pub fn calendar(conn: &mut Conn, ctx: &Ctx) -> Result<Vec<CalendarYear>, AppError> {
    let changed: Vec<NaiveDate> = admin_db::holiday_changes(conn)?
        .into_iter()
        .map(|c| c.day)
        .collect();
    let policy = ctx.policy();
    let this_year = ctx.clock.today().year();
    Ok([this_year, this_year + 1]
        .into_iter()
        .map(|year| CalendarYear {
            year,
            days: policy
                .calendar
                .year(year)
                .into_iter()
                .map(|day| YearDay {
                    changed: changed.contains(&day.day),
                    day,
                })
                .collect(),
        })
        .collect())
}

/// A change to one day as a form or JSON body carries it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RawDayChange {
    pub date: Option<String>,
    /// "closed", "open" or "as_calculated" (the change taken back).
    pub change: Option<String>,
    /// The name requesters see for a closed day.
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayChange {
    Closed { day: NaiveDate, name: String },
    Open { day: NaiveDate },
    AsCalculated { day: NaiveDate },
}

impl DayChange {
    /// Checks a change; `today` bounds the years it may touch (this one to two ahead).
    pub fn check(raw: &RawDayChange, today: NaiveDate) -> Result<DayChange, FieldErrors> {
        let mut errors = FieldErrors::default();
        let day = match raw
            .date
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        {
            Some(d) if d.year() >= today.year() - 1 && d.year() <= today.year() + 2 => Some(d),
            Some(_) => {
                errors.add("date", "must be in last year, this year or the next two");
                None
            }
            None => {
                errors.add("date", "must be a date like 2026-12-28");
                None
            }
        };
        // A name given is checked whatever the change; a closure needs one.
        let name = match raw.name.as_deref().filter(|n| !n.trim().is_empty()) {
            Some(n) => errors.check("name", Text::line(n, limits::NAME)),
            None => None,
        };
        let change = match raw.change.as_deref() {
            Some("closed") => {
                if name.is_none() && !errors.0.contains_key("name") {
                    errors.add(
                        "name",
                        "say what requesters are told the office is closed for, such as Winter closure",
                    );
                }
                Some("closed")
            }
            Some(c @ ("open" | "as_calculated")) => Some(c),
            _ => {
                errors.add("change", "must be closed, open or as_calculated");
                None
            }
        };
        match (day, change, name) {
            (Some(day), Some("closed"), Some(name)) if errors.is_empty() => Ok(DayChange::Closed {
                day,
                name: name.into_string(),
            }),
            (Some(day), Some("open"), _) if errors.is_empty() => Ok(DayChange::Open { day }),
            (Some(day), Some("as_calculated"), _) if errors.is_empty() => {
                Ok(DayChange::AsCalculated { day })
            }
            _ => Err(errors),
        }
    }
}

/// Records the change and its event; the caller reloads the calendar after the commit.
pub fn change(
    conn: &mut Conn,
    by: &Actor,
    by_id: Option<StaffId>,
    change: &DayChange,
) -> Result<(), AppError> {
    let now = db::now();
    let event = match change {
        DayChange::Closed { day, name } => {
            admin_db::set_holiday(conn, *day, true, Some(name), now, by_id)?;
            AdminEvent::HolidaySet {
                day: *day,
                closed: true,
                name: Some(name.clone()),
            }
        }
        DayChange::Open { day } => {
            admin_db::set_holiday(conn, *day, false, None, now, by_id)?;
            AdminEvent::HolidaySet {
                day: *day,
                closed: false,
                name: None,
            }
        }
        DayChange::AsCalculated { day } => {
            if !admin_db::clear_holiday(conn, *day)? {
                return Ok(());
            }
            AdminEvent::HolidayCleared { day: *day }
        }
    };
    admin_chain::append(conn, now, by, &event)?;
    Ok(())
}
