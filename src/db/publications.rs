//! The reading room's table (docs/PRODUCT.md, "Reading room"): one row a request, once staff
//! decided whether its released records are published.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{documents, publications, requests};
use super::Conn;
use crate::domain::ids::{DocumentId, RequestId, StaffId};
use crate::domain::publication::{Outcome, PublicationStatus};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = publications)]
pub struct PublicationRow {
    pub id: i64,
    pub request_id: RequestId,
    pub status: PublicationStatus,
    pub summary: Option<String>,
    pub outcome: Option<Outcome>,
    pub reason: Option<String>,
    pub published_at: Option<NaiveDateTime>,
    pub changed_at: NaiveDateTime,
    pub staff_id: StaffId,
}

/// A request's place in the reading room as staff now leave it.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = publications, treat_none_as_null = true)]
pub struct PublicationChange<'a> {
    pub request_id: RequestId,
    pub status: PublicationStatus,
    pub summary: Option<&'a str>,
    pub outcome: Option<Outcome>,
    pub reason: Option<&'a str>,
    pub published_at: Option<NaiveDateTime>,
    pub changed_at: NaiveDateTime,
    pub staff_id: StaffId,
}

pub fn for_request(conn: &mut Conn, request_id: RequestId) -> QueryResult<Option<PublicationRow>> {
    publications::table
        .filter(publications::request_id.eq(request_id))
        .select(PublicationRow::as_select())
        .first(conn)
        .optional()
}

/// Writes the request's row, new or changed.
pub fn save(conn: &mut Conn, change: &PublicationChange<'_>) -> QueryResult<()> {
    let updated =
        diesel::update(publications::table.filter(publications::request_id.eq(change.request_id)))
            .set(change)
            .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(publications::table)
            .values(change)
            .execute(conn)?;
    }
    Ok(())
}

/// A published item with what the reading room lists of its request.
#[derive(Debug, Clone)]
pub struct PublishedRow {
    pub publication: PublicationRow,
    pub tracking_number: String,
    pub queue: String,
    pub description: String,
    pub received_at: NaiveDateTime,
    pub produced_at: Option<NaiveDateTime>,
}

/// Every published item, newest first.
pub fn published(conn: &mut Conn) -> QueryResult<Vec<PublishedRow>> {
    let rows: Vec<(
        PublicationRow,
        String,
        String,
        String,
        NaiveDateTime,
        Option<NaiveDateTime>,
    )> = publications::table
        .inner_join(requests::table.on(requests::id.eq(publications::request_id)))
        .filter(publications::status.eq(PublicationStatus::Published))
        .order((publications::published_at.desc(), publications::id.desc()))
        .select((
            PublicationRow::as_select(),
            requests::tracking_number,
            requests::queue,
            requests::description,
            requests::received_at,
            requests::produced_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(publication, tracking_number, queue, description, received_at, produced_at)| {
                PublishedRow {
                    publication,
                    tracking_number,
                    queue,
                    description,
                    received_at,
                    produced_at,
                }
            },
        )
        .collect())
}

/// Whose requests: those assigned to `staff`, and, if `unassigned`, every unassigned one.
#[derive(Debug, Clone, Copy)]
pub struct AssignedTo {
    pub staff: StaffId,
    pub unassigned: bool,
}

/// Requests with documents released before `before`, or produced before it, on which staff
/// have not yet decided, of `whose` if given: (tracking number, when first released), in that
/// order, oldest first. Only the two short columns are read: the caller reads the rows of the
/// page it shows, not of every request a city has left undecided.
pub fn awaiting_decision(
    conn: &mut Conn,
    before: NaiveDateTime,
    whose: Option<AssignedTo>,
) -> QueryResult<Vec<(String, NaiveDateTime)>> {
    let undecided = publications::table.select(publications::request_id);
    let mut produced = requests::table
        .filter(requests::produced_at.lt(before))
        .filter(requests::id.ne_all(undecided))
        .select((requests::tracking_number, requests::produced_at))
        .into_boxed();
    let mut released = documents::table
        .inner_join(requests::table.on(requests::id.eq(documents::request_id)))
        .filter(documents::released_at.lt(before))
        .filter(requests::id.ne_all(publications::table.select(publications::request_id)))
        .select((requests::tracking_number, documents::released_at))
        .into_boxed();
    // The produced requests are read from `requests_produced` (migration 33), which holds only
    // them, by assignee; the files' branch walks the assignee index for a clerk, and every
    // released file for an admin. (With the queues served too, SQLite walked a queue's every
    // request for the unassigned ones.)
    match whose {
        None => {}
        Some(AssignedTo {
            staff,
            unassigned: true,
        }) => {
            let theirs = || {
                requests::assignee_id
                    .eq(staff)
                    .or(requests::assignee_id.is_null())
            };
            produced = produced.filter(theirs());
            released = released.filter(theirs());
        }
        Some(AssignedTo {
            staff,
            unassigned: false,
        }) => {
            produced = produced.filter(requests::assignee_id.eq(staff));
            released = released.filter(requests::assignee_id.eq(staff));
        }
    }
    let produced: Vec<(String, Option<NaiveDateTime>)> = produced.load(conn)?;
    let released: Vec<(String, Option<NaiveDateTime>)> = released.load(conn)?;
    let mut found: std::collections::HashMap<String, NaiveDateTime> = Default::default();
    for (tn, at) in produced.into_iter().chain(released) {
        let Some(at) = at else { continue };
        let first = found.entry(tn).or_insert(at);
        *first = (*first).min(at);
    }
    let mut list: Vec<(String, NaiveDateTime)> = found.into_iter().collect();
    list.sort_unstable_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    Ok(list)
}

/// A file released to the public, of a published request, by the request's tracking number.
pub fn published_document(
    conn: &mut Conn,
    tracking_number: &str,
    id: DocumentId,
) -> QueryResult<Option<super::models::DocumentRow>> {
    documents::table
        .inner_join(requests::table.on(requests::id.eq(documents::request_id)))
        .inner_join(publications::table.on(publications::request_id.eq(documents::request_id)))
        .filter(requests::tracking_number.eq(tracking_number))
        .filter(publications::status.eq(PublicationStatus::Published))
        .filter(documents::id.eq(id))
        .filter(documents::released_at.is_not_null())
        .filter(documents::public.eq(1))
        .select(super::models::DocumentRow::as_select())
        .first(conn)
        .optional()
}

/// Everything the bulk export shows of every published item, in four queries whatever the
/// number of items: the public released documents, the grants, and the requesters (whose
/// contact details a published decision must not hold).
pub struct Archive {
    pub documents: Vec<super::models::DocumentRow>,
    pub grants: Vec<super::models::DeterminationRow>,
    pub requesters: Vec<(RequestId, super::models::RequesterRow)>,
}

pub fn archive(conn: &mut Conn) -> QueryResult<Archive> {
    use super::models::{DeterminationRow, DocumentRow, RequesterRow};
    use super::schema::{determinations, requesters};
    let documents = documents::table
        .inner_join(publications::table.on(publications::request_id.eq(documents::request_id)))
        .filter(publications::status.eq(PublicationStatus::Published))
        .filter(documents::released_at.is_not_null())
        .filter(documents::public.eq(1))
        .order(documents::id)
        .select(DocumentRow::as_select())
        .load(conn)?;
    let grants = determinations::table
        .inner_join(publications::table.on(publications::request_id.eq(determinations::request_id)))
        .filter(publications::status.eq(PublicationStatus::Published))
        .filter(determinations::outcome.eq(crate::domain::Status::Granted))
        .order(determinations::id)
        .select(DeterminationRow::as_select())
        .load(conn)?;
    let requesters = publications::table
        .inner_join(requests::table.on(requests::id.eq(publications::request_id)))
        .inner_join(requesters::table.on(requesters::id.eq(requests::requester_id)))
        .filter(publications::status.eq(PublicationStatus::Published))
        .select((requests::id, RequesterRow::as_select()))
        .load(conn)?;
    Ok(Archive {
        documents,
        grants,
        requesters,
    })
}
