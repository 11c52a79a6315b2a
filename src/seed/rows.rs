//! The rows of cloned requests, and how a batch of them is written on the backend's own
//! connection (the multi-connection enum cannot take a batch): multi-row INSERTs on SQLite,
//! COPY on PostgreSQL.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{audit_events, determinations, outbox, reminders, requesters, requests};
use crate::db::Conn;

#[derive(Debug, Insertable)]
#[diesel(table_name = requesters, treat_none_as_default_value = false)]
pub struct Requester {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub organization: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = requests, treat_none_as_default_value = false)]
pub struct Request {
    pub id: i64,
    pub tracking_number: String,
    pub access_token_hash: String,
    pub kind: String,
    pub status: String,
    pub version: i32,
    pub requester_id: i64,
    pub description: String,
    pub dataset_id: Option<String>,
    pub fields_needed: Option<String>,
    pub intended_use: Option<String>,
    pub preferred_format: Option<String>,
    pub queue: String,
    pub assignee_id: Option<i64>,
    pub received_at: NaiveDateTime,
    pub determination_due: NaiveDate,
    pub extension_days: Option<i32>,
    pub extension_circumstance: Option<String>,
    pub extension_reason: Option<String>,
    pub due_on: NaiveDate,
    pub denied_by: Option<i64>,
    pub denial_final: i32,
    pub appeal_deadline: Option<NaiveDate>,
    pub appeal_grounds: Option<String>,
    pub appealed_at: Option<NaiveDateTime>,
    pub reviewer_id: Option<i64>,
    pub withdraw_reason: Option<String>,
    pub closed_at: Option<NaiveDateTime>,
    pub audit_seq: i64,
    pub audit_head: String,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = audit_events, treat_none_as_default_value = false)]
pub struct Event {
    pub request_id: i64,
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor: String,
    pub action: String,
    pub content: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = outbox, treat_none_as_default_value = false)]
pub struct Notice {
    pub id: i64,
    pub request_id: Option<i64>,
    pub notice: String,
    pub recipient: String,
    pub audience: String,
    pub payload: String,
    pub message_id: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = determinations, treat_none_as_default_value = false)]
pub struct Determination {
    pub request_id: i64,
    pub stage: String,
    pub outcome: String,
    pub decision: Option<String>,
    pub reason: Option<String>,
    pub partial: i32,
    pub withheld: Option<String>,
    pub legal_basis: String,
    pub responsible: String,
    pub decided_by: i64,
    pub decided_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = reminders, treat_none_as_default_value = false)]
pub struct Reminder {
    pub request_id: i64,
    pub kind: String,
    pub due_on: NaiveDate,
    pub created_at: NaiveDateTime,
}

/// The rows of a run of cloned requests, written in one transaction.
#[derive(Debug, Default)]
pub struct Batch {
    pub requesters: Vec<Requester>,
    pub requests: Vec<Request>,
    pub events: Vec<Event>,
    pub notices: Vec<Notice>,
    pub determinations: Vec<Determination>,
    pub reminders: Vec<Reminder>,
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
pub fn insert(conn: &mut Conn, batch: &Batch) -> QueryResult<()> {
    insert_rows!(conn, requesters::table, batch.requesters, 6);
    insert_rows!(conn, requests::table, batch.requests, 31);
    insert_rows!(conn, audit_events::table, batch.events, 8);
    insert_rows!(conn, outbox::table, batch.notices, 13);
    insert_rows!(conn, determinations::table, batch.determinations, 11);
    insert_rows!(conn, reminders::table, batch.reminders, 4);
    Ok(())
}
