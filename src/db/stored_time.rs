//! Times and dates read from SQLite without chrono's format parser. diesel reads a SQLite
//! `TIMESTAMP` or `DATE` (stored as text) with chrono's parser of format strings, which was a
//! large part of reading many rows (`audit verify`, the reports; docs/PERFORMANCE.md). These
//! read diesel's own form by hand and leave any other form to diesel; on PostgreSQL (binary
//! values) they are diesel's reading. They have no impl for `Conn`'s backend: rows that use
//! them are loaded on the backend's own connection (`per_backend!`).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow, Queryable};
use diesel::pg::Pg;
use diesel::sql_types::{Date, Nullable, Timestamp};
use diesel::sqlite::Sqlite;

/// A value read by hand on SQLite (`$parse`, diesel's reading for any other form) and by
/// diesel on PostgreSQL, converted into `$value` where it is used.
macro_rules! read_by_hand {
    ($(#[$doc:meta])* $name:ident($value:ty): $sql:ty, $parse:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, FromSqlRow)]
        pub struct $name(pub $value);

        impl FromSql<$sql, Sqlite> for $name {
            fn from_sql(mut value: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                match $parse(value.read_text()) {
                    Some(read) => Ok($name(read)),
                    // Any other form diesel reads is left to it.
                    None => <$value as FromSql<$sql, Sqlite>>::from_sql(value).map($name),
                }
            }
        }

        impl FromSql<$sql, Pg> for $name {
            fn from_sql(value: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                <$value as FromSql<$sql, Pg>>::from_sql(value).map($name)
            }
        }

        impl From<$name> for $value {
            fn from(read: $name) -> $value {
                read.0
            }
        }
    };
}

read_by_hand!(
    /// A time, as `NaiveDateTime` reads it.
    Time(NaiveDateTime): Timestamp, parse_stored_time
);

read_by_hand!(
    /// A calendar date, as `NaiveDate` reads it.
    Day(NaiveDate): Date, parse_stored_date
);

/// A time that may be absent (`Nullable<Timestamp>`), read as `Time` is.
#[derive(Debug, Clone, Copy)]
pub struct MaybeTime(pub Option<NaiveDateTime>);

impl<DB: Backend> Queryable<Nullable<Timestamp>, DB> for MaybeTime
where
    Option<Time>: Queryable<Nullable<Timestamp>, DB>,
{
    type Row = <Option<Time> as Queryable<Nullable<Timestamp>, DB>>::Row;

    fn build(row: Self::Row) -> deserialize::Result<Self> {
        let time = <Option<Time> as Queryable<Nullable<Timestamp>, DB>>::build(row)?;
        Ok(MaybeTime(time.map(|t| t.0)))
    }
}

impl From<MaybeTime> for Option<NaiveDateTime> {
    fn from(time: MaybeTime) -> Option<NaiveDateTime> {
        time.0
    }
}

/// The digits of `bytes` as a number; None if any is not a digit.
fn number(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0_u32, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

/// `YYYY-MM-DD`, the form diesel writes a date in on SQLite, read as diesel's format (`%F`)
/// reads it; None for anything else.
fn parse_stored_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = i32::try_from(number(&bytes[0..4])?).ok()?;
    NaiveDate::from_ymd_opt(year, number(&bytes[5..7])?, number(&bytes[8..10])?)
}

/// `YYYY-MM-DD HH:MM:SS[.fraction]`, the form diesel writes a time in on SQLite, read as
/// diesel's first format (`%F %T%.f`) reads it; None for anything else.
fn parse_stored_time(text: &str) -> Option<NaiveDateTime> {
    let bytes = text.as_bytes();
    if bytes.len() < 19 || bytes.len() == 20 || bytes.len() > 29 {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| number(&bytes[range]);
    let marks = [(4, b'-'), (7, b'-'), (10, b' '), (13, b':'), (16, b':')];
    if marks.iter().any(|&(at, mark)| bytes[at] != mark) {
        return None;
    }
    let nanos = match bytes.get(19) {
        None => 0,
        Some(b'.') => {
            let places = bytes.len() - 20;
            digits(20..bytes.len())? * 10_u32.pow(9 - places as u32)
        }
        Some(_) => return None,
    };
    let year = i32::try_from(digits(0..4)?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, digits(5..7)?, digits(8..10)?)?;
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    // A leap second (60) is left to chrono.
    if second > 59 {
        return None;
    }
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    Some(date.and_time(time))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every time the fast reading takes is the time chrono's reading gives.
    #[test]
    fn a_stored_time_is_read_as_chrono_reads_it() {
        let chrono = |text: &str| NaiveDateTime::parse_from_str(text, "%F %T%.f").ok();
        let texts = [
            "2026-03-02 09:30:00",
            "2026-03-02 09:30:00.123456",
            "2026-03-02 09:30:00.1",
            "2026-03-02 09:30:00.123456789",
            "0001-01-01 00:00:00.000001",
            "9999-12-31 23:59:59.999999",
            "2024-02-29 12:00:00.5",
        ];
        for text in texts {
            assert_eq!(parse_stored_time(text), chrono(text), "{text}");
            assert!(parse_stored_time(text).is_some(), "{text}");
        }
        // Not this form, or not a time: left to diesel's own reading.
        for text in [
            "2026-03-02T09:30:00",
            "2026-03-02 09:30:00.",
            "2026-03-02 09:30:00.1234567890",
            "2026-02-30 09:30:00",
            "2026-03-02 24:00:00",
            "2016-12-31 23:59:60",
            "2026-03-02 09:30",
            "2026-03-02 09:30:00Z",
            "+2026-03-02 09:30:00",
            "2026-3-02 09:30:00.5",
        ] {
            assert_eq!(parse_stored_time(text), None, "{text}");
        }
        let at = NaiveDate::from_ymd_opt(2026, 3, 2)
            .unwrap()
            .and_hms_micro_opt(9, 30, 0, 120)
            .unwrap();
        for step in 0..5_000_i64 {
            let time = at + chrono::Duration::microseconds(step * 7_919_993_311);
            let text = time.format("%F %T%.f").to_string();
            assert_eq!(parse_stored_time(&text), Some(time), "{text}");
        }
    }

    /// Every date the fast reading takes is the date chrono's reading gives.
    #[test]
    fn a_stored_date_is_read_as_chrono_reads_it() {
        let chrono = |text: &str| NaiveDate::parse_from_str(text, "%F").ok();
        for text in ["2026-03-02", "2024-02-29", "0001-01-01", "9999-12-31"] {
            assert_eq!(parse_stored_date(text), chrono(text), "{text}");
            assert!(parse_stored_date(text).is_some(), "{text}");
        }
        for text in [
            "2026-02-30",
            "2026-13-01",
            "2026-3-02",
            "2026-03-2",
            "2026/03/02",
            "2026-03-02 ",
            "+2026-03-02",
            "20260302",
            "",
        ] {
            assert_eq!(parse_stored_date(text), None, "{text}");
        }
        let first = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
        for step in 0..5_000_i64 {
            let day = first + chrono::Duration::days(step * 17);
            let text = day.format("%F").to_string();
            assert_eq!(parse_stored_date(&text), Some(day), "{text}");
        }
    }

    /// Read through SQLite as the report rows read them: diesel's own forms by hand, any
    /// other form by diesel (as `NaiveDateTime` and `NaiveDate` read it), NULL as absent.
    #[test]
    fn values_read_from_sqlite_are_what_diesel_reads() {
        use diesel::dsl::sql;
        use diesel::prelude::*;
        let mut conn = diesel::SqliteConnection::establish(":memory:").expect("in memory");
        let time = |conn: &mut diesel::SqliteConnection, text: &str| {
            let ours = diesel::select(sql::<Timestamp>(text)).get_result::<Time>(conn);
            let theirs = diesel::select(sql::<Timestamp>(text)).get_result::<NaiveDateTime>(conn);
            (ours.map(|t| t.0).ok(), theirs.ok())
        };
        for text in [
            "'2026-03-02 09:30:00.123456'",
            "'2026-03-02 09:30:00'",
            // Left to diesel: another separator, a leap second, too many places, a number.
            "'2026-03-02T09:30:00'",
            "'2016-12-31 23:59:60'",
            "'2026-03-02 09:30:00.1234567891'",
            "2461101.5",
        ] {
            let (ours, theirs) = time(&mut conn, text);
            assert_eq!(ours, theirs, "{text}");
            assert!(ours.is_some(), "{text}");
        }
        assert_eq!(time(&mut conn, "'not a time'"), (None, None));
        let maybe = |conn: &mut diesel::SqliteConnection, text: &str| {
            diesel::select(sql::<Nullable<Timestamp>>(text))
                .get_result::<MaybeTime>(conn)
                .expect("a time or none")
                .0
        };
        assert_eq!(maybe(&mut conn, "NULL"), None);
        assert_eq!(
            maybe(&mut conn, "'2026-03-02 09:30:00'"),
            NaiveDateTime::parse_from_str("2026-03-02 09:30:00", "%F %T").ok()
        );
        for text in ["'2026-03-02'", "'2024-02-29'"] {
            let ours = diesel::select(sql::<Date>(text)).get_result::<Day>(&mut conn);
            let theirs = diesel::select(sql::<Date>(text)).get_result::<NaiveDate>(&mut conn);
            assert_eq!(ours.map(|d| d.0).ok(), theirs.ok(), "{text}");
        }
    }
}
