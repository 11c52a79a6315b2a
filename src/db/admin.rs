//! The administration chain's rows (`admin_events`), staff members' one-time links
//! (`staff_links`) and the days changed over the computed calendar (`holiday_changes`).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::mail::ChainEventRow;
use super::schema::{admin_events, holiday_changes, staff_links};
use super::Conn;
use crate::domain::ids::StaffId;

/// The chain's last event's number and hash, locked against other appenders until the
/// transaction ends (SQLite writes one transaction at a time already).
pub fn lock_head(conn: &mut Conn) -> QueryResult<Option<(i64, String)>> {
    if let Conn::Postgres(pg) = conn {
        // One key for the administration chain: appenders queue here.
        diesel::sql_query("SELECT pg_advisory_xact_lock(7301948)").execute(pg)?;
    }
    admin_events::table
        .order(admin_events::seq.desc())
        .select((admin_events::seq, admin_events::hash))
        .first(conn)
        .optional()
}

pub fn insert_event(conn: &mut Conn, event: &ChainEventRow) -> QueryResult<()> {
    diesel::insert_into(admin_events::table)
        .values((
            admin_events::seq.eq(event.seq),
            admin_events::at.eq(event.at),
            admin_events::actor.eq(&event.actor),
            admin_events::action.eq(&event.action),
            admin_events::content.eq(&event.content),
            admin_events::prev_hash.eq(&event.prev_hash),
            admin_events::hash.eq(&event.hash),
        ))
        .execute(conn)
        .map(drop)
}

const EVENT_COLUMNS: (
    admin_events::seq,
    admin_events::at,
    admin_events::actor,
    admin_events::action,
    admin_events::content,
    admin_events::prev_hash,
    admin_events::hash,
) = (
    admin_events::seq,
    admin_events::at,
    admin_events::actor,
    admin_events::action,
    admin_events::content,
    admin_events::prev_hash,
    admin_events::hash,
);

/// The whole chain in order, for `audit verify`.
pub fn events(conn: &mut Conn) -> QueryResult<Vec<ChainEventRow>> {
    admin_events::table
        .order(admin_events::seq)
        .select(EVENT_COLUMNS)
        .load(conn)
}

/// The newest events first, for the administration pages.
pub fn latest_events(conn: &mut Conn, limit: i64) -> QueryResult<Vec<ChainEventRow>> {
    admin_events::table
        .order(admin_events::seq.desc())
        .limit(limit)
        .select(EVENT_COLUMNS)
        .load(conn)
}

pub fn has_events(conn: &mut Conn) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        admin_events::table.select(admin_events::seq),
    ))
    .get_result(conn)
}

/// A one-time link as stored.
#[derive(Debug, Clone, Queryable)]
pub struct StaffLinkRow {
    pub token_hash: String,
    pub staff_id: StaffId,
    pub purpose: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

pub fn insert_link(
    conn: &mut Conn,
    token_hash: &str,
    staff_id: StaffId,
    purpose: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(staff_links::table)
        .values((
            staff_links::token_hash.eq(token_hash),
            staff_links::staff_id.eq(staff_id),
            staff_links::purpose.eq(purpose),
            staff_links::created_at.eq(now),
            staff_links::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(drop)
}

pub fn link(conn: &mut Conn, token_hash: &str) -> QueryResult<Option<StaffLinkRow>> {
    staff_links::table
        .find(token_hash)
        .select((
            staff_links::token_hash,
            staff_links::staff_id,
            staff_links::purpose,
            staff_links::created_at,
            staff_links::expires_at,
            staff_links::used_at,
        ))
        .first(conn)
        .optional()
}

/// Spends a link; false when another use spent it first.
pub fn spend_link(conn: &mut Conn, token_hash: &str, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        staff_links::table
            .filter(staff_links::token_hash.eq(token_hash))
            .filter(staff_links::used_at.is_null()),
    )
    .set(staff_links::used_at.eq(now))
    .execute(conn)
    .map(|n| n == 1)
}

/// Ends every unused link of a staff member (a new one was sent, or the account disabled).
pub fn end_links_of(conn: &mut Conn, staff_id: StaffId, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        staff_links::table
            .filter(staff_links::staff_id.eq(staff_id))
            .filter(staff_links::used_at.is_null())
            .filter(staff_links::expires_at.gt(now)),
    )
    .set(staff_links::expires_at.eq(now))
    .execute(conn)
}

/// A day changed over the computed calendar.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct HolidayChangeRow {
    pub day: NaiveDate,
    pub closed: i32,
    pub name: Option<String>,
}

pub fn holiday_changes(conn: &mut Conn) -> QueryResult<Vec<HolidayChangeRow>> {
    holiday_changes::table
        .order(holiday_changes::day)
        .select((
            holiday_changes::day,
            holiday_changes::closed,
            holiday_changes::name,
        ))
        .load(conn)
}

pub fn set_holiday(
    conn: &mut Conn,
    day: NaiveDate,
    closed: bool,
    name: Option<&str>,
    now: NaiveDateTime,
    by: Option<StaffId>,
) -> QueryResult<()> {
    diesel::delete(holiday_changes::table.find(day)).execute(conn)?;
    diesel::insert_into(holiday_changes::table)
        .values((
            holiday_changes::day.eq(day),
            holiday_changes::closed.eq(i32::from(closed)),
            holiday_changes::name.eq(name),
            holiday_changes::changed_at.eq(now),
            holiday_changes::changed_by.eq(by),
        ))
        .execute(conn)
        .map(drop)
}

/// Gives a day back to the computed calendar; whether it had been changed.
pub fn clear_holiday(conn: &mut Conn, day: NaiveDate) -> QueryResult<bool> {
    diesel::delete(holiday_changes::table.find(day))
        .execute(conn)
        .map(|n| n > 0)
}
