//! Received mail (`inbound_mail`) and the mail chain's rows (`mail_events`); docs/PRODUCT.md,
//! "Replies by email". The raw messages themselves live in `crate::blobs`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{inbound_mail, mail_events};
use super::Conn;
use crate::domain::ids::{MessageId, RequestId, StaffId};

/// What became of a received message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailState {
    /// Filed to its request as the requester's message.
    Filed,
    /// Waiting for staff.
    Unmatched,
    /// Staff attached it to a request.
    Attached,
    /// Staff discarded it.
    Discarded,
    /// A delivery status notification about one of our notices.
    Bounce,
}

impl MailState {
    pub const ALL: [MailState; 5] = [
        MailState::Filed,
        MailState::Unmatched,
        MailState::Attached,
        MailState::Discarded,
        MailState::Bounce,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MailState::Filed => "filed",
            MailState::Unmatched => "unmatched",
            MailState::Attached => "attached",
            MailState::Discarded => "discarded",
            MailState::Bounce => "bounce",
        }
    }

    pub fn parse(s: &str) -> Option<MailState> {
        MailState::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = inbound_mail)]
pub struct MailRow {
    pub id: i64,
    pub message_key: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub received_at: NaiveDateTime,
    pub from_address: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub state: String,
    pub reason: Option<String>,
    pub request_id: Option<RequestId>,
    pub message_id: Option<MessageId>,
    pub decided_by: Option<StaffId>,
    pub decided_at: Option<NaiveDateTime>,
}

impl MailRow {
    pub fn state(&self) -> MailState {
        MailState::parse(&self.state).unwrap_or(MailState::Unmatched)
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = inbound_mail, treat_none_as_default_value = false)]
pub struct NewMail<'a> {
    pub message_key: &'a str,
    pub sha256: &'a str,
    pub size_bytes: i64,
    pub received_at: NaiveDateTime,
    pub from_address: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub state: &'a str,
    pub reason: Option<&'a str>,
    pub request_id: Option<RequestId>,
    pub message_id: Option<MessageId>,
}

pub fn insert(conn: &mut Conn, new: &NewMail<'_>) -> QueryResult<i64> {
    diesel::insert_into(inbound_mail::table)
        .values(new)
        .returning(inbound_mail::id)
        .get_result(conn)
}

/// The message kept under this Message-ID (or hash), if one is.
pub fn by_key(conn: &mut Conn, message_key: &str) -> QueryResult<Option<MailRow>> {
    inbound_mail::table
        .filter(inbound_mail::message_key.eq(message_key))
        .select(MailRow::as_select())
        .first(conn)
        .optional()
}

pub fn by_id(conn: &mut Conn, id: i64) -> QueryResult<Option<MailRow>> {
    inbound_mail::table
        .find(id)
        .select(MailRow::as_select())
        .first(conn)
        .optional()
}

/// Messages in one state, oldest first (the unmatched queue is worked in the order it came).
pub fn in_state(conn: &mut Conn, state: MailState, limit: i64) -> QueryResult<Vec<MailRow>> {
    inbound_mail::table
        .filter(inbound_mail::state.eq(state.as_str()))
        .order(inbound_mail::id)
        .limit(limit)
        .select(MailRow::as_select())
        .load(conn)
}

pub fn count_in_state(conn: &mut Conn, state: MailState) -> QueryResult<i64> {
    inbound_mail::table
        .filter(inbound_mail::state.eq(state.as_str()))
        .count()
        .get_result(conn)
}

/// A request's received mail, in the order it came.
pub fn for_request(conn: &mut Conn, request_id: RequestId) -> QueryResult<Vec<MailRow>> {
    inbound_mail::table
        .filter(inbound_mail::request_id.eq(request_id))
        .order(inbound_mail::id)
        .select(MailRow::as_select())
        .load(conn)
}

/// Records staff's decision on an unmatched message; false when it is no longer unmatched
/// (a colleague decided first).
pub fn decide(
    conn: &mut Conn,
    id: i64,
    state: MailState,
    filed_as: Option<(RequestId, MessageId)>,
    reason: Option<&str>,
    staff: StaffId,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        inbound_mail::table
            .filter(inbound_mail::id.eq(id))
            .filter(inbound_mail::state.eq(MailState::Unmatched.as_str())),
    )
    .set((
        inbound_mail::state.eq(state.as_str()),
        inbound_mail::request_id.eq(filed_as.map(|(r, _)| r)),
        inbound_mail::message_id.eq(filed_as.map(|(_, m)| m)),
        inbound_mail::reason.eq(reason),
        inbound_mail::decided_by.eq(Some(staff)),
        inbound_mail::decided_at.eq(Some(at)),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Every raw message's hash, for the file store's sweep, backups and `audit verify`.
pub fn stored_hashes(conn: &mut Conn) -> QueryResult<Vec<String>> {
    inbound_mail::table
        .select(inbound_mail::sha256)
        .distinct()
        .order(inbound_mail::sha256)
        .load(conn)
}

/// One event of the mail chain, as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = mail_events)]
pub struct ChainEventRow {
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor: String,
    pub action: String,
    pub content: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The mail chain's last event's number and hash, locked against other appenders until the
/// transaction ends (SQLite writes one transaction at a time already).
pub fn lock_head(conn: &mut Conn) -> QueryResult<Option<(i64, String)>> {
    if let Conn::Postgres(pg) = conn {
        // One key for the mail chain: appenders queue here instead of colliding on seq.
        diesel::sql_query("SELECT pg_advisory_xact_lock(7301947)").execute(pg)?;
    }
    mail_events::table
        .order(mail_events::seq.desc())
        .select((mail_events::seq, mail_events::hash))
        .first(conn)
        .optional()
}

pub fn insert_event(conn: &mut Conn, event: &ChainEventRow) -> QueryResult<()> {
    diesel::insert_into(mail_events::table)
        .values(event)
        .execute(conn)
        .map(drop)
}

/// The whole chain in order, for `audit verify`.
pub fn events(conn: &mut Conn) -> QueryResult<Vec<ChainEventRow>> {
    mail_events::table
        .order(mail_events::seq)
        .select(ChainEventRow::as_select())
        .load(conn)
}
