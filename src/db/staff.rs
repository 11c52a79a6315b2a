//! Staff accounts and their API tokens.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::models::{NewStaff, StaffRow};
use super::schema::{staff, staff_tokens};
use super::Conn;
use crate::domain::ids::StaffId;

pub fn insert(conn: &mut Conn, new: &NewStaff<'_>) -> QueryResult<StaffId> {
    diesel::insert_into(staff::table)
        .values(new)
        .returning(staff::id)
        .get_result(conn)
}

pub fn by_email(conn: &mut Conn, email: &str) -> QueryResult<Option<StaffRow>> {
    staff::table
        .filter(staff::email.eq(email))
        .select(StaffRow::as_select())
        .first(conn)
        .optional()
}

pub fn by_id(conn: &mut Conn, id: StaffId) -> QueryResult<Option<StaffRow>> {
    staff::table
        .find(id)
        .select(StaffRow::as_select())
        .first(conn)
        .optional()
}

pub fn by_ids(conn: &mut Conn, ids: &[StaffId]) -> QueryResult<Vec<StaffRow>> {
    staff::table
        .filter(staff::id.eq_any(ids))
        .select(StaffRow::as_select())
        .load(conn)
}

pub fn active(conn: &mut Conn) -> QueryResult<Vec<StaffRow>> {
    staff::table
        .filter(staff::active.eq(1))
        .order(staff::id)
        .select(StaffRow::as_select())
        .load(conn)
}

pub fn insert_token(
    conn: &mut Conn,
    token_hash: &str,
    staff_id: StaffId,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(staff_tokens::table)
        .values((
            staff_tokens::token_hash.eq(token_hash),
            staff_tokens::staff_id.eq(staff_id),
            staff_tokens::created_at.eq(now),
            staff_tokens::expires_at.eq(expires_at),
            staff_tokens::last_used_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// Ends a sign-in.
pub fn delete_token(conn: &mut Conn, token_hash: &str) -> QueryResult<()> {
    diesel::delete(staff_tokens::table.find(token_hash))
        .execute(conn)
        .map(drop)
}

/// Ends every sign-in of a staff member; how many there were.
pub fn delete_tokens_of(conn: &mut Conn, staff_id: StaffId) -> QueryResult<usize> {
    diesel::delete(staff_tokens::table.filter(staff_tokens::staff_id.eq(staff_id))).execute(conn)
}

/// Forgets sign-ins that have ended by time (expired, or unused since `idle_before`).
pub fn delete_dead_tokens(
    conn: &mut Conn,
    now: NaiveDateTime,
    idle_before: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(
        staff_tokens::table.filter(
            staff_tokens::expires_at
                .le(now)
                .or(staff_tokens::last_used_at.le(idle_before)),
        ),
    )
    .execute(conn)
}

/// Notes that a token was used just now.
pub fn touch_token(conn: &mut Conn, token_hash: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(staff_tokens::table.find(token_hash))
        .set(staff_tokens::last_used_at.eq(now))
        .execute(conn)
        .map(drop)
}

/// The active staff member a live token belongs to (neither expired nor unused since
/// `idle_before`), and when the token was last used.
pub fn by_token(
    conn: &mut Conn,
    token_hash: &str,
    now: NaiveDateTime,
    idle_before: NaiveDateTime,
) -> QueryResult<Option<(StaffRow, NaiveDateTime)>> {
    staff_tokens::table
        .inner_join(staff::table)
        .filter(staff_tokens::token_hash.eq(token_hash))
        .filter(staff_tokens::expires_at.gt(now))
        .filter(staff_tokens::last_used_at.gt(idle_before))
        .filter(staff::active.eq(1))
        .select((StaffRow::as_select(), staff_tokens::last_used_at))
        .first(conn)
        .optional()
}

/// Every account, active or not, by name.
pub fn all(conn: &mut Conn) -> QueryResult<Vec<StaffRow>> {
    staff::table
        .order((staff::name, staff::id))
        .select(StaffRow::as_select())
        .load(conn)
}

/// How many admins who can sign in (active, a password chosen) there are other than `except`.
pub fn other_active_admins(conn: &mut Conn, except: StaffId) -> QueryResult<i64> {
    staff::table
        .filter(staff::active.eq(1))
        .filter(staff::password_hash.ne(""))
        .filter(staff::role.eq(crate::domain::Role::Admin))
        .filter(staff::id.ne(except))
        .count()
        .get_result(conn)
}

/// Name, role, department and title as an admin set them.
pub fn update_details(
    conn: &mut Conn,
    id: StaffId,
    name: &str,
    role: crate::domain::Role,
    department: Option<&str>,
    title: Option<&str>,
) -> QueryResult<()> {
    diesel::update(staff::table.find(id))
        .set((
            staff::name.eq(name),
            staff::role.eq(role),
            staff::department.eq(department),
            staff::title.eq(title),
        ))
        .execute(conn)
        .map(drop)
}

pub fn set_active(conn: &mut Conn, id: StaffId, active: bool) -> QueryResult<()> {
    diesel::update(staff::table.find(id))
        .set(staff::active.eq(i32::from(active)))
        .execute(conn)
        .map(drop)
}

pub fn set_password_hash(conn: &mut Conn, id: StaffId, hash: &str) -> QueryResult<()> {
    diesel::update(staff::table.find(id))
        .set(staff::password_hash.eq(hash))
        .execute(conn)
        .map(drop)
}
