//! Private links' tokens (docs/PRODUCT.md, "Private links"): one row per link given, kept only
//! as the token's SHA-256, so each can be revoked alone.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::link_tokens;
use super::Conn;
use crate::domain::ids::{OutboxId, RequestId};

#[derive(Debug, Insertable)]
#[diesel(table_name = link_tokens)]
pub struct NewLink<'a> {
    pub request_id: RequestId,
    pub token_hash: &'a str,
    pub outbox_id: Option<OutboxId>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut Conn, new: &NewLink<'_>) -> QueryResult<()> {
    diesel::insert_into(link_tokens::table)
        .values(new)
        .execute(conn)
        .map(drop)
}

/// Several links at once: a statement per thousand on PostgreSQL (the dispatcher's claim mints
/// one per letter; PostgreSQL takes at most 65,535 bound parameters, four a link), one each in
/// the SQLite writer.
pub fn insert_all(conn: &mut Conn, new: &[NewLink<'_>]) -> QueryResult<()> {
    match conn {
        Conn::Postgres(pg) => new.chunks(1_000).try_for_each(|slice| {
            diesel::insert_into(link_tokens::table)
                .values(slice)
                .execute(pg)
                .map(drop)
        }),
        Conn::Sqlite(_) => new.iter().try_for_each(|link| insert(conn, link)),
    }
}

/// Whether a link with this token's hash opens this request: given for it and not revoked.
pub fn opens(conn: &mut Conn, request_id: RequestId, token_hash: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        link_tokens::table
            .filter(link_tokens::token_hash.eq(token_hash))
            .filter(link_tokens::request_id.eq(request_id))
            .filter(link_tokens::revoked_at.is_null()),
    ))
    .get_result(conn)
}

/// Revokes every open link of the request in one statement; answers their hashes.
pub fn revoke_all(
    conn: &mut Conn,
    request_id: RequestId,
    now: NaiveDateTime,
) -> QueryResult<Vec<String>> {
    super::per_backend!(conn, |c| diesel::update(
        link_tokens::table
            .filter(link_tokens::request_id.eq(request_id))
            .filter(link_tokens::revoked_at.is_null()),
    )
    .set(link_tokens::revoked_at.eq(now))
    .returning(link_tokens::token_hash)
    .get_results(c))
}
