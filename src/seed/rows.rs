//! The rows of cloned requests (the model rows of `db::models` where they carry every
//! column), and how a batch of them is written on the backend's own
//! connection (the multi-connection enum cannot take a batch): multi-row INSERTs on SQLite,
//! COPY on PostgreSQL.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

pub use crate::db::models::AuditEvent as Event;
use crate::db::models::{OutboxRow, RequestRow, RequesterRow};
use crate::db::schema::{
    audit_events, determinations, link_tokens, outbox, reminders, requesters, requests,
};
use crate::db::Conn;
use crate::domain::ids::{RequestId, StaffId};
use crate::domain::notices::NoticeKind;
use crate::domain::transitions::Stage;
use crate::domain::Status;

#[derive(Debug, Insertable)]
#[diesel(table_name = determinations, treat_none_as_default_value = false)]
pub struct Determination {
    pub request_id: RequestId,
    pub stage: Stage,
    pub outcome: Status,
    pub decision: Option<String>,
    pub reason: Option<String>,
    pub partial: i32,
    pub withheld: Option<String>,
    pub legal_basis: String,
    pub responsible: String,
    pub decided_by: StaffId,
    pub decided_at: NaiveDateTime,
    pub withheld_items: String,
    pub segregability: Option<String>,
    pub search: Option<String>,
    pub records_due_at: Option<NaiveDateTime>,
    pub review: Option<crate::domain::transitions::ReviewOutcome>,
}

/// The private link its filing gave; the links its emails carried are the model's, not cloned.
#[derive(Debug, Insertable)]
#[diesel(table_name = link_tokens, treat_none_as_default_value = false)]
pub struct Link {
    pub request_id: RequestId,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = reminders, treat_none_as_default_value = false)]
pub struct Reminder {
    pub request_id: RequestId,
    pub kind: NoticeKind,
    pub due_on: NaiveDate,
    pub created_at: NaiveDateTime,
}

/// The rows of a run of cloned requests, written in one transaction.
#[derive(Debug, Default)]
pub struct Batch {
    pub requesters: Vec<RequesterRow>,
    pub requests: Vec<RequestRow>,
    pub events: Vec<Event>,
    pub notices: Vec<OutboxRow>,
    pub determinations: Vec<Determination>,
    pub reminders: Vec<Reminder>,
    pub links: Vec<Link>,
}

/// Rows per statement: under SQLite's 32,766 bound values and PostgreSQL's 65,535.
fn per_statement(columns: usize) -> usize {
    (30_000 / columns).max(1)
}

macro_rules! insert_rows {
    ($conn:expr, $table:expr, $rows:expr, $columns:expr) => {
        match &mut *$conn {
            Conn::Sqlite(c) => {
                for chunk in $rows.chunks(per_statement($columns)) {
                    diesel::insert_into($table).values(chunk).execute(c)?;
                }
            }
            // COPY … FROM STDIN (BINARY): several times faster than INSERTs of many rows.
            Conn::Postgres(c) => {
                diesel::copy_from($table)
                    .from_insertable(&$rows)
                    .execute(c)?;
            }
        }
    };
}

/// Writes the batch, parents first, in the caller's transaction.
/// The column counts are the tables' whole width (tests/api/schema.rs holds them to the
/// database): a row never binds more values than its table has columns.
pub fn insert(conn: &mut Conn, batch: &Batch) -> QueryResult<()> {
    insert_rows!(conn, requesters::table, batch.requesters, 8);
    insert_rows!(conn, requests::table, batch.requests, 45);
    insert_rows!(conn, audit_events::table, batch.events, 9);
    insert_rows!(conn, outbox::table, batch.notices, 14);
    insert_rows!(conn, determinations::table, batch.determinations, 17);
    insert_rows!(conn, reminders::table, batch.reminders, 4);
    insert_rows!(conn, link_tokens::table, batch.links, 3);
    Ok(())
}
