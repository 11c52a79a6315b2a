//! Response documents attached to requests (the files themselves live in `crate::blobs`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::models::{DocumentRow, NewDocument};
use super::schema::documents;
use super::Conn;
use crate::domain::ids::{DocumentId, RequestId, StaffId};

pub fn insert(conn: &mut Conn, new: &NewDocument<'_>) -> QueryResult<DocumentId> {
    diesel::insert_into(documents::table)
        .values(new)
        .returning(documents::id)
        .get_result(conn)
}

/// A request's documents in the order they were added.
pub fn for_request(conn: &mut Conn, request_id: RequestId) -> QueryResult<Vec<DocumentRow>> {
    documents::table
        .filter(documents::request_id.eq(request_id))
        .order(documents::id)
        .select(DocumentRow::as_select())
        .load(conn)
}

pub fn by_id(
    conn: &mut Conn,
    request_id: RequestId,
    id: DocumentId,
) -> QueryResult<Option<DocumentRow>> {
    documents::table
        .filter(documents::request_id.eq(request_id))
        .filter(documents::id.eq(id))
        .select(DocumentRow::as_select())
        .first(conn)
        .optional()
}

/// Marks these documents released, once, those in `public` to the public too; answers how
/// many were not released before.
pub fn release(
    conn: &mut Conn,
    request_id: RequestId,
    ids: &[DocumentId],
    public: &[DocumentId],
    staff_id: StaffId,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let (to_public, to_requester): (Vec<DocumentId>, Vec<DocumentId>) =
        ids.iter().copied().partition(|id| public.contains(id));
    let mut released = 0;
    for (ids, public) in [(to_public, 1), (to_requester, 0)] {
        if ids.is_empty() {
            continue;
        }
        let target = documents::table
            .filter(documents::request_id.eq(request_id))
            .filter(documents::id.eq_any(ids))
            .filter(documents::released_at.is_null());
        released += diesel::update(target)
            .set((
                documents::released_by.eq(staff_id),
                documents::released_at.eq(now),
                documents::public.eq(public),
            ))
            .execute(conn)?;
    }
    Ok(released)
}

/// Every stored file the documents name, once each.
pub fn stored_hashes(conn: &mut Conn) -> QueryResult<Vec<String>> {
    documents::table
        .filter(documents::sha256.is_not_null())
        .select(documents::sha256.assume_not_null())
        .distinct()
        .order(documents::sha256.assume_not_null())
        .load(conn)
}
