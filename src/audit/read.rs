//! A request's events as `audit verify` reads them. It reads every event of every chain on
//! one thread, so what a row costs to read bounds the whole check: its hashes, action and
//! actor are kept inline rather than in a `String` each, and its time is parsed without
//! trying chrono's formats one by one (both were a large part of the reading thread's time,
//! docs/PERFORMANCE.md, "`audit verify` (issue 25)").

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{Text, Timestamp};
use diesel::sqlite::Sqlite;

use crate::db::schema::audit_events;

/// An event of a request's chain, every column the check reads.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = audit_events)]
pub struct EventRow {
    pub id: i64,
    pub request_id: i64,
    pub seq: i64,
    pub at: Time,
    pub actor: Short,
    pub action: Short,
    pub content: String,
    pub prev_hash: Short,
    pub hash: Short,
}

/// How much text is kept inline: a hash's 64 hex digits, any action, most actors.
const INLINE: usize = 64;

/// Text kept inline when it fits, on the heap when it does not.
#[derive(Clone, FromSqlRow)]
pub enum Short {
    Inline(u8, [u8; INLINE]),
    Heap(String),
}

impl Short {
    pub fn new(text: &str) -> Short {
        match text.len() {
            len if len <= INLINE => {
                let mut bytes = [0; INLINE];
                bytes[..len].copy_from_slice(text.as_bytes());
                Short::Inline(len as u8, bytes)
            }
            _ => Short::Heap(text.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            // Copied whole from a `str` (`new`), so never cut inside a character.
            Short::Inline(len, bytes) => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            Short::Heap(text) => text,
        }
    }
}

impl std::fmt::Debug for Short {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

impl<DB: Backend> FromSql<Text, DB> for Short
where
    *const str: FromSql<Text, DB>,
{
    fn from_sql(value: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let text = <*const str as FromSql<Text, DB>>::from_sql(value)?;
        // SAFETY: diesel's pointer is valid until `value` is dropped, at the end of this call;
        // the text is copied before then.
        Ok(Short::new(unsafe { &*text }))
    }
}

/// An event's time, as `NaiveDateTime` reads it.
#[derive(Debug, Clone, Copy, FromSqlRow)]
pub struct Time(pub NaiveDateTime);

impl FromSql<Timestamp, Sqlite> for Time {
    fn from_sql(mut value: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        match parse_stored_time(value.read_text()) {
            Some(at) => Ok(Time(at)),
            // Any other form diesel reads is left to it.
            None => <NaiveDateTime as FromSql<Timestamp, Sqlite>>::from_sql(value).map(Time),
        }
    }
}

impl FromSql<Timestamp, Pg> for Time {
    fn from_sql(value: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        <NaiveDateTime as FromSql<Timestamp, Pg>>::from_sql(value).map(Time)
    }
}

/// `YYYY-MM-DD HH:MM:SS[.fraction]`, the form diesel writes a time in on SQLite, read as
/// diesel's first format (`%F %T%.f`) reads it; None for anything else.
fn parse_stored_time(text: &str) -> Option<NaiveDateTime> {
    let bytes = text.as_bytes();
    if bytes.len() < 19 || bytes.len() == 20 || bytes.len() > 29 {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        bytes[range].iter().try_fold(0_u32, |n, b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    let marks = [(4, b'-'), (7, b'-'), (10, b' '), (13, b':'), (16, b':')];
    if marks.iter().any(|&(at, mark)| bytes[at] != mark) {
        return None;
    }
    let nanos = match bytes.get(19) {
        None => 0,
        Some(b'.') => {
            let digits = bytes.len() - 20;
            number(20..bytes.len())? * 10_u32.pow(9 - digits as u32)
        }
        Some(_) => return None,
    };
    let year = i32::try_from(number(0..4)?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)?;
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
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

    #[test]
    fn short_text_is_kept_whole_inline_or_not() {
        let hash = "ab".repeat(32);
        assert!(matches!(Short::new(&hash), Short::Inline(64, _)));
        assert_eq!(Short::new(&hash).as_str(), hash);
        let long = format!("staff:{}", "é".repeat(40));
        assert!(matches!(Short::new(&long), Short::Heap(_)));
        assert_eq!(Short::new(&long).as_str(), long);
        assert_eq!(Short::new("").as_str(), "");
    }
}
