//! How the typed values of `domain` and `notify` are stored: enums as their names in TEXT
//! columns, ids as BIGINT, on both backends (and through `Conn`). A stored value that is not
//! a variant fails the row's load with an error naming it; it is never replaced by a default.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::pg::Pg;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::{BigInt, Text};
use diesel::sqlite::Sqlite;
use diesel::{AsExpression, FromSqlRow};

use super::{MultiBackend, MultiRawValue};

use crate::domain::deadlines::Reckoning;
use crate::domain::documents::DocumentKind;
use crate::domain::ids::{
    ApiKeyId, DocumentId, MessageId, OutboxId, RequestId, RequesterFileId, RequesterId, StaffId,
};
use crate::domain::notices::{Audience, NoticeKind, OutboxStatus};
use crate::domain::publication::{Outcome, PublicationStatus};
use crate::domain::step::Author;
use crate::domain::transitions::{ReviewOutcome, Stage};
use crate::domain::{Circumstance, RequestKind, Role, Status};

/// Each enum's `as_str` is what is stored, and its `parse` reads it back. The impls are
/// written per backend: generic over every backend, they sent the compiler's trait search
/// through diesel's impls for the multi-connection backend without end.
macro_rules! stored_as_text {
    ($($ty:ty => $proxy:ident, $what:literal;)*) => {$(
        #[derive(AsExpression, FromSqlRow)]
        #[diesel(foreign_derive)]
        #[diesel(sql_type = Text)]
        #[allow(dead_code)]
        struct $proxy($ty);

        impl ToSql<Text, Sqlite> for $ty {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
                <str as ToSql<Text, Sqlite>>::to_sql(self.as_str(), out)
            }
        }

        impl ToSql<Text, Pg> for $ty {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                <str as ToSql<Text, Pg>>::to_sql(self.as_str(), out)
            }
        }

        impl ToSql<Text, MultiBackend> for $ty {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
                out.set_value((Text, self));
                Ok(serialize::IsNull::No)
            }
        }

        impl FromSql<Text, Sqlite> for $ty {
            fn from_sql(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                parse_stored(<String as FromSql<Text, Sqlite>>::from_sql(bytes)?, <$ty>::parse, $what)
            }
        }

        impl FromSql<Text, Pg> for $ty {
            fn from_sql(bytes: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                parse_stored(<String as FromSql<Text, Pg>>::from_sql(bytes)?, <$ty>::parse, $what)
            }
        }

        impl FromSql<Text, MultiBackend> for $ty {
            fn from_sql(bytes: MultiRawValue<'_>) -> deserialize::Result<Self> {
                bytes.from_sql::<Self, Text>()
            }
        }
    )*};
}

fn parse_stored<T>(
    stored: String,
    parse: fn(&str) -> Option<T>,
    what: &str,
) -> deserialize::Result<T> {
    parse(&stored).ok_or_else(|| format!("{stored:?} is not a stored {what}").into())
}

stored_as_text! {
    Status => StatusColumn, "request status";
    RequestKind => RequestKindColumn, "request kind";
    Role => RoleColumn, "staff role";
    Circumstance => CircumstanceColumn, "extension circumstance";
    Stage => StageColumn, "determination stage";
    DocumentKind => DocumentKindColumn, "document kind";
    Author => AuthorColumn, "message author";
    NoticeKind => NoticeKindColumn, "notice kind";
    Audience => AudienceColumn, "notice audience";
    OutboxStatus => OutboxStatusColumn, "outbox status";
    ReviewOutcome => ReviewOutcomeColumn, "review outcome";
    PublicationStatus => PublicationStatusColumn, "publication status";
    Outcome => PublishedOutcomeColumn, "published outcome";
}

macro_rules! stored_as_bigint {
    ($($ty:ident => $proxy:ident;)*) => {$(
        #[derive(AsExpression, FromSqlRow)]
        #[diesel(foreign_derive)]
        #[diesel(sql_type = BigInt)]
        #[allow(dead_code)]
        struct $proxy($ty);

        impl ToSql<BigInt, Sqlite> for $ty {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
                <i64 as ToSql<BigInt, Sqlite>>::to_sql(&self.0, out)
            }
        }

        impl ToSql<BigInt, Pg> for $ty {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                <i64 as ToSql<BigInt, Pg>>::to_sql(&self.0, out)
            }
        }

        impl ToSql<BigInt, MultiBackend> for $ty {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
                out.set_value((BigInt, self));
                Ok(serialize::IsNull::No)
            }
        }

        impl FromSql<BigInt, Sqlite> for $ty {
            fn from_sql(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                <i64 as FromSql<BigInt, Sqlite>>::from_sql(bytes).map($ty)
            }
        }

        impl FromSql<BigInt, Pg> for $ty {
            fn from_sql(bytes: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                <i64 as FromSql<BigInt, Pg>>::from_sql(bytes).map($ty)
            }
        }

        impl FromSql<BigInt, MultiBackend> for $ty {
            fn from_sql(bytes: MultiRawValue<'_>) -> deserialize::Result<Self> {
                bytes.from_sql::<Self, BigInt>()
            }
        }
    )*};
}

stored_as_bigint! {
    RequestId => RequestIdColumn;
    RequesterId => RequesterIdColumn;
    StaffId => StaffIdColumn;
    DocumentId => DocumentIdColumn;
    MessageId => MessageIdColumn;
    RequesterFileId => RequesterFileIdColumn;
    OutboxId => OutboxIdColumn;
    ApiKeyId => ApiKeyIdColumn;
}

/// Values stored as text they write and read themselves (a list in one column). Like the
/// enums above, one impl per backend.
macro_rules! stored_as_own_text {
    ($($ty:ty => $proxy:ident, $what:literal;)*) => {$(
        #[derive(AsExpression, FromSqlRow)]
        #[diesel(foreign_derive)]
        #[diesel(sql_type = Text)]
        #[allow(dead_code)]
        struct $proxy($ty);

        impl ToSql<Text, Sqlite> for $ty {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
                out.set_value(self.to_stored());
                Ok(serialize::IsNull::No)
            }
        }

        impl ToSql<Text, Pg> for $ty {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                use std::io::Write;
                out.write_all(self.to_stored().as_bytes())?;
                Ok(serialize::IsNull::No)
            }
        }

        impl ToSql<Text, MultiBackend> for $ty {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
                out.set_value((Text, self));
                Ok(serialize::IsNull::No)
            }
        }

        impl FromSql<Text, Sqlite> for $ty {
            fn from_sql(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                let stored = <String as FromSql<Text, Sqlite>>::from_sql(bytes)?;
                parse_stored(stored, |s| <$ty>::from_stored(s), $what)
            }
        }

        impl FromSql<Text, Pg> for $ty {
            fn from_sql(bytes: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                let stored = <String as FromSql<Text, Pg>>::from_sql(bytes)?;
                parse_stored(stored, |s| <$ty>::from_stored(s), $what)
            }
        }

        impl FromSql<Text, MultiBackend> for $ty {
            fn from_sql(bytes: MultiRawValue<'_>) -> deserialize::Result<Self> {
                bytes.from_sql::<Self, Text>()
            }
        }
    )*};
}

/// Staff ids in one column, comma-separated (the persons responsible who have accounts).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaffIds(pub Vec<StaffId>);

impl StaffIds {
    fn to_stored(&self) -> String {
        let ids: Vec<String> = self.0.iter().map(|id| id.0.to_string()).collect();
        ids.join(",")
    }

    fn from_stored(stored: &str) -> Option<StaffIds> {
        if stored.is_empty() {
            return Some(StaffIds::default());
        }
        stored
            .split(',')
            .map(|id| id.parse().ok().map(StaffId))
            .collect::<Option<Vec<_>>>()
            .map(StaffIds)
    }
}

/// How each of a request's due dates was counted, oldest first, as JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reckonings(pub Vec<Reckoning>);

impl Reckonings {
    fn to_stored(&self) -> String {
        serde_json::to_string(&self.0).expect("a reckoning always serialises")
    }

    fn from_stored(stored: &str) -> Option<Reckonings> {
        serde_json::from_str(stored).ok().map(Reckonings)
    }

    /// These, and then one more.
    pub fn with(&self, next: Reckoning) -> Reckonings {
        let mut all = self.0.clone();
        all.push(next);
        Reckonings(all)
    }
}

stored_as_own_text! {
    StaffIds => StaffIdsColumn, "list of staff ids";
    Reckonings => ReckoningsColumn, "due date reckoning";
}
