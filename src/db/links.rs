//! Private links' tokens (docs/PRODUCT.md, "Private links"): one row per link given, kept only
//! as the token's SHA-256, so each can be revoked alone.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::link_tokens;
use super::Conn;
use crate::domain::ids::{OutboxId, RequestId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = link_tokens)]
pub struct LinkRow {
    pub id: i64,
    pub request_id: RequestId,
    pub token_hash: String,
    pub outbox_id: Option<OutboxId>,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

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

/// A request's links, oldest first.
pub fn for_request(conn: &mut Conn, request_id: RequestId) -> QueryResult<Vec<LinkRow>> {
    link_tokens::table
        .filter(link_tokens::request_id.eq(request_id))
        .order(link_tokens::id)
        .select(LinkRow::as_select())
        .load(conn)
}

/// Revokes one of the request's links, answering its row as it was when it was still open;
/// None when there is no such open link.
pub fn revoke(
    conn: &mut Conn,
    request_id: RequestId,
    id: i64,
    now: NaiveDateTime,
) -> QueryResult<Option<LinkRow>> {
    let open = link_tokens::table
        .filter(link_tokens::id.eq(id))
        .filter(link_tokens::request_id.eq(request_id))
        .filter(link_tokens::revoked_at.is_null());
    let row = open.select(LinkRow::as_select()).first(conn).optional()?;
    if row.is_some() {
        diesel::update(open)
            .set(link_tokens::revoked_at.eq(now))
            .execute(conn)?;
    }
    Ok(row)
}
