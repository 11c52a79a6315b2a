//! A request's events as `audit verify` reads them. It reads every event of every chain on
//! one thread, so what a row costs to read bounds the whole check: its hashes, action and
//! actor are kept inline rather than in a `String` each, and its time is parsed without
//! trying chrono's formats one by one (both were a large part of the reading thread's time,
//! docs/PERFORMANCE.md, "`audit verify` (issue 25)").

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::prelude::*;
use diesel::sql_types::Text;

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

/// An event's time (`crate::db::stored_time`).
pub use crate::db::stored_time::Time;

#[cfg(test)]
mod tests {
    use super::*;

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
