//! The text read from released files (docs/PRODUCT.md, "Reading room"): one row a document,
//! written once when the file is released (or, for a file released before the text was read,
//! by the next sweep).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{document_texts, documents};
use super::Conn;
use crate::domain::documents::DocumentKind;
use crate::domain::ids::{DocumentId, RequestId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = document_texts)]
pub struct DocumentTextRow {
    pub document_id: DocumentId,
    /// 'extracted', 'empty', 'unreadable' or 'not_text' (`file_text::FileText::status`).
    pub status: String,
    pub body: Option<String>,
    pub note: Option<String>,
    pub characters: i64,
    pub extracted_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = document_texts)]
pub struct NewDocumentText<'a> {
    pub document_id: DocumentId,
    pub status: &'a str,
    pub body: Option<&'a str>,
    pub note: Option<&'a str>,
    pub characters: i64,
    pub extracted_at: NaiveDateTime,
}

/// Keeps a document's text; a second reading of the same document (two servers reading at
/// once) keeps the first. No error either way, so a PostgreSQL transaction goes on.
pub fn insert(conn: &mut Conn, new: &NewDocumentText<'_>) -> QueryResult<()> {
    super::per_backend!(conn, |c| diesel::insert_into(document_texts::table)
        .values(new)
        .on_conflict_do_nothing()
        .execute(c)
        .map(drop))
}

/// The texts of a request's documents that were read.
pub fn for_request(conn: &mut Conn, request_id: RequestId) -> QueryResult<Vec<DocumentTextRow>> {
    document_texts::table
        .inner_join(documents::table.on(documents::id.eq(document_texts::document_id)))
        .filter(documents::request_id.eq(request_id))
        .order(document_texts::document_id)
        .select(DocumentTextRow::as_select())
        .load(conn)
}

/// Released files whose text has not been read, after the document `after`: (document,
/// request, stored file's hash, media type), in the order of their ids, at most `limit`.
pub fn unread(
    conn: &mut Conn,
    after: DocumentId,
    limit: i64,
) -> QueryResult<Vec<(DocumentId, RequestId, String, String)>> {
    let rows: Vec<(DocumentId, RequestId, Option<String>, Option<String>)> = documents::table
        .filter(documents::id.gt(after))
        .filter(documents::kind.eq(DocumentKind::File))
        .filter(documents::released_at.is_not_null())
        .filter(documents::sha256.is_not_null())
        .filter(documents::content_type.is_not_null())
        .filter(documents::id.ne_all(document_texts::table.select(document_texts::document_id)))
        .order(documents::id)
        .limit(limit)
        .select((
            documents::id,
            documents::request_id,
            documents::sha256,
            documents::content_type,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, request, sha, ct)| Some((id, request, sha?, ct?)))
        .collect())
}
