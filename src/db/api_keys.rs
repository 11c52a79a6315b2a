//! API keys granted through api_access requests.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::models::ApiKeyRow;
use super::schema::api_keys;
use super::Conn;
use crate::domain::ids::{ApiKeyId, RequestId};

/// The request's current key: the newest it was granted (a replaced key comes before its
/// replacement).
pub fn for_request(conn: &mut Conn, request_id: RequestId) -> QueryResult<Option<ApiKeyRow>> {
    api_keys::table
        .filter(api_keys::request_id.eq(request_id))
        .order(api_keys::id.desc())
        .select(ApiKeyRow::as_select())
        .first(conn)
        .optional()
}

pub fn by_id(conn: &mut Conn, id: ApiKeyId) -> QueryResult<ApiKeyRow> {
    api_keys::table
        .find(id)
        .select(ApiKeyRow::as_select())
        .first(conn)
}

pub fn by_hash(conn: &mut Conn, key_hash: &str) -> QueryResult<Option<ApiKeyRow>> {
    api_keys::table
        .filter(api_keys::key_hash.eq(key_hash))
        .select(ApiKeyRow::as_select())
        .first(conn)
        .optional()
}

/// Offers a key for the request (unclaimed: no key exists yet, only its terms), in place of
/// `replaces` when given.
pub fn offer(
    conn: &mut Conn,
    request_id: RequestId,
    scopes: &str,
    rate_limit: i32,
    expires_at: Option<NaiveDateTime>,
    replaces: Option<ApiKeyId>,
    now: NaiveDateTime,
) -> QueryResult<ApiKeyId> {
    diesel::insert_into(api_keys::table)
        .values((
            api_keys::request_id.eq(request_id),
            api_keys::scopes.eq(scopes),
            api_keys::rate_limit.eq(rate_limit),
            api_keys::expires_at.eq(expires_at),
            api_keys::replaces.eq(replaces),
            api_keys::created_at.eq(now),
        ))
        .returning(api_keys::id)
        .get_result(conn)
}

/// Marks a claimed, working key as lost, once: false when it was not claimed, is revoked, or
/// a new one was already asked for.
pub fn ask_replacement(conn: &mut Conn, id: ApiKeyId, now: NaiveDateTime) -> QueryResult<bool> {
    let target = api_keys::table
        .filter(api_keys::id.eq(id))
        .filter(api_keys::key_hash.is_not_null())
        .filter(api_keys::revoked_at.is_null())
        .filter(api_keys::replacement_asked_at.is_null());
    Ok(diesel::update(target)
        .set(api_keys::replacement_asked_at.eq(now))
        .execute(conn)?
        == 1)
}

/// Records the claimed key's hash, once: false when it was already claimed or revoked.
pub fn claim(
    conn: &mut Conn,
    id: ApiKeyId,
    key_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let target = api_keys::table
        .filter(api_keys::id.eq(id))
        .filter(api_keys::key_hash.is_null())
        .filter(api_keys::revoked_at.is_null());
    let updated = diesel::update(target)
        .set((
            api_keys::key_hash.eq(key_hash),
            api_keys::claimed_at.eq(now),
        ))
        .execute(conn)?;
    Ok(updated == 1)
}

/// Revokes every key of the request still open: the working one and any waiting to be
/// claimed. Answers how many.
pub fn revoke_all(
    conn: &mut Conn,
    request_id: RequestId,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let target = api_keys::table
        .filter(api_keys::request_id.eq(request_id))
        .filter(api_keys::revoked_at.is_null());
    diesel::update(target)
        .set(api_keys::revoked_at.eq(now))
        .execute(conn)
}

pub fn revoke(conn: &mut Conn, id: ApiKeyId, now: NaiveDateTime) -> QueryResult<bool> {
    let target = api_keys::table
        .filter(api_keys::id.eq(id))
        .filter(api_keys::revoked_at.is_null());
    Ok(diesel::update(target)
        .set(api_keys::revoked_at.eq(now))
        .execute(conn)?
        == 1)
}
