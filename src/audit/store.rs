//! Appending to a request's chain, and reading it back.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::chain::{self, Actor};
use crate::db::models::{AuditRow, NewAuditEvent};
use crate::db::schema::{audit_events, requests};
use crate::db::Conn;

/// Appends one event to the request's chain, inside the caller's transaction. The request
/// row keeps the chain's head (last seq and hash), so a truncated chain is detectable and
/// two appends cannot both take the same place.
pub fn append(
    conn: &mut Conn,
    request_id: i64,
    at: NaiveDateTime,
    actor: &Actor,
    action: &str,
    content: &serde_json::Value,
) -> QueryResult<AuditRow> {
    // Take the request row's lock first (a no-op write), so appends to one chain queue up
    // behind each other on PostgreSQL instead of colliding. SQLite writes one transaction at
    // a time already, and there the no-op rewrote the row for nothing.
    if let Conn::Postgres(_) = conn {
        diesel::update(requests::table.find(request_id))
            .set(requests::audit_seq.eq(requests::audit_seq))
            .execute(conn)?;
    }
    let (tracking_number, last_seq, prev_hash): (String, i64, String) = requests::table
        .find(request_id)
        .select((
            requests::tracking_number,
            requests::audit_seq,
            requests::audit_head,
        ))
        .first(conn)?;
    let seq = last_seq + 1;
    let actor = actor.label();
    let content = serde_json::to_string(content).expect("JSON values always serialise");
    let event = chain::canonical(&tracking_number, seq, at, &actor, action, &content);
    let hash = chain::hash(&prev_hash, &event);
    let id = diesel::insert_into(audit_events::table)
        .values(NewAuditEvent {
            request_id,
            seq,
            at,
            actor: &actor,
            action,
            content: &content,
            prev_hash: &prev_hash,
            hash: &hash,
        })
        .returning(audit_events::id)
        .get_result(conn)?;
    let moved = diesel::update(
        requests::table
            .filter(requests::id.eq(request_id))
            .filter(requests::audit_seq.eq(last_seq)),
    )
    .set((requests::audit_seq.eq(seq), requests::audit_head.eq(&hash)))
    .execute(conn)?;
    if moved != 1 {
        // Someone appended between our read and our write: give up the whole transaction.
        return Err(diesel::result::Error::RollbackTransaction);
    }
    Ok(AuditRow {
        id,
        request_id,
        seq,
        at,
        actor,
        action: action.to_string(),
        content,
        prev_hash,
        hash,
    })
}

/// A request's events in chain order.
pub fn events_for(conn: &mut Conn, request_id: i64) -> QueryResult<Vec<AuditRow>> {
    audit_events::table
        .filter(audit_events::request_id.eq(request_id))
        .order(audit_events::seq)
        .select(AuditRow::as_select())
        .load(conn)
}
