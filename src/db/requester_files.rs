//! Files requesters sent with their messages (the files themselves live in `crate::blobs`).

use diesel::prelude::*;

use super::models::{NewRequesterFile, RequesterFileRow};
use super::schema::requester_files;
use super::Conn;
use crate::domain::ids::{RequestId, RequesterFileId};

pub fn insert(conn: &mut Conn, new: &NewRequesterFile<'_>) -> QueryResult<RequesterFileId> {
    diesel::insert_into(requester_files::table)
        .values(new)
        .returning(requester_files::id)
        .get_result(conn)
}

/// A request's files from its requester, in the order they came.
pub fn for_request(conn: &mut Conn, request_id: RequestId) -> QueryResult<Vec<RequesterFileRow>> {
    requester_files::table
        .filter(requester_files::request_id.eq(request_id))
        .order(requester_files::id)
        .select(RequesterFileRow::as_select())
        .load(conn)
}

pub fn by_id(
    conn: &mut Conn,
    request_id: RequestId,
    id: RequesterFileId,
) -> QueryResult<Option<RequesterFileRow>> {
    requester_files::table
        .filter(requester_files::request_id.eq(request_id))
        .filter(requester_files::id.eq(id))
        .select(RequesterFileRow::as_select())
        .first(conn)
        .optional()
}

/// Every file hash requesters' files name, for the sweep of the file store.
pub fn stored_hashes(conn: &mut Conn) -> QueryResult<Vec<String>> {
    requester_files::table
        .select(requester_files::sha256)
        .distinct()
        .order(requester_files::sha256)
        .load(conn)
}
