//! Appending to a request's chain, and reading it back.

use chrono::NaiveDateTime;
use diesel::backend::Backend;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, Text};

use super::chain::{self, Actor};
use crate::db::combined::Combined;
use crate::db::models::{AuditEvent, AuditRow, RequestRow};
use crate::db::schema::{audit_events, requests};
use crate::db::Conn;
use crate::domain::ids::RequestId;
use crate::domain::step::Step;

/// Appends one event to the request's chain, inside the caller's transaction. The request
/// row keeps the chain's head (last seq and hash), so a truncated chain is detectable and
/// two appends cannot both take the same place.
pub fn append(
    conn: &mut Conn,
    request_id: RequestId,
    at: NaiveDateTime,
    actor: &Actor,
    step: &Step,
) -> QueryResult<()> {
    let mut chain = OpenChain::open(conn, request_id)?;
    chain.append(at, actor, step);
    chain.close(conn)
}

/// A request's chain held by one transaction that appends several events (a step and the
/// notices it queues): the head is read once, events are linked in memory, and at `close`
/// they are written and the head on the request row moves, once. Close it before the
/// transaction commits: an unclosed chain writes none of its events.
///
/// On PostgreSQL `close` is one statement (`db::combined`): a transition's events and its
/// head's move cost one round trip, not one per event and another for the head
/// (docs/PERFORMANCE.md, "Where a PostgreSQL filing's time goes").
#[must_use = "a chain must be closed, or the request's head stays behind its events"]
pub struct OpenChain {
    request_id: RequestId,
    tracking_number: String,
    opened_at_seq: i64,
    seq: i64,
    hash: String,
    /// Linked, not yet written.
    pending: Vec<AuditEvent>,
}

impl OpenChain {
    /// Reads the request's head. On PostgreSQL the row is locked as it is read, so appends to
    /// one chain queue up behind each other instead of colliding (a no-op UPDATE would also
    /// write a new version of the row and of its indexes). FOR NO KEY UPDATE, the lock the
    /// head's UPDATE takes anyway: FOR UPDATE would also wait on the key-share lock an insert
    /// referencing the request holds (a link minted before its event), and that transaction,
    /// opening the chain next, would wait on it in turn: a deadlock. SQLite writes one
    /// transaction at a time.
    pub fn open(conn: &mut Conn, request_id: RequestId) -> QueryResult<OpenChain> {
        let head = requests::table.find(request_id).select((
            requests::tracking_number,
            requests::audit_seq,
            requests::audit_head,
        ));
        let (tracking_number, seq, hash): (String, i64, String) = match conn {
            Conn::Postgres(pg) => head.for_no_key_update().first(pg)?,
            Conn::Sqlite(sqlite) => head.first(sqlite)?,
        };
        Ok(OpenChain::at_head(request_id, tracking_number, seq, hash))
    }

    /// The chain of a request this transaction has just updated (`requests::update_if_version`):
    /// the row's head is the chain's, read under the lock the UPDATE took (PostgreSQL) or
    /// inside the one writing transaction (SQLite), so nothing can append before this
    /// transaction ends. Saves `open`'s read.
    pub fn of_updated(row: &RequestRow) -> OpenChain {
        OpenChain::at_head(
            row.id,
            row.tracking_number.clone(),
            row.audit_seq,
            row.audit_head.clone(),
        )
    }

    fn at_head(request_id: RequestId, tracking_number: String, seq: i64, hash: String) -> Self {
        OpenChain {
            request_id,
            tracking_number,
            opened_at_seq: seq,
            seq,
            hash,
            pending: Vec::new(),
        }
    }

    /// The empty chain of a request inserted by this same transaction: nothing to read, and
    /// nobody else can append until it commits.
    pub fn of_new_request(request_id: RequestId, tracking_number: &str) -> OpenChain {
        OpenChain::at_head(
            request_id,
            tracking_number.to_string(),
            0,
            chain::GENESIS_HASH.to_string(),
        )
    }

    pub fn request_id(&self) -> RequestId {
        self.request_id
    }

    pub fn tracking_number(&self) -> &str {
        &self.tracking_number
    }

    /// Adds one event after the last one this chain holds, written at `close`.
    pub fn append(&mut self, at: NaiveDateTime, actor: &Actor, step: &Step) {
        let event = self.link(at, actor, step);
        self.pending.push(event);
    }

    /// The next event, hashed onto this chain but not yet written: for a caller that writes
    /// several rows in one statement (`submit`'s filing on PostgreSQL). The caller must insert
    /// every event it links, in the same transaction as the head it ends up with.
    pub fn link(&mut self, at: NaiveDateTime, actor: &Actor, step: &Step) -> AuditEvent {
        let seq = self.seq + 1;
        let actor = actor.label();
        let action = step.action();
        let content = serde_json::to_string(&step.content()).expect("JSON values always serialise");
        let event = chain::canonical(&self.tracking_number, seq, at, &actor, action, &content);
        let hash = chain::hash(&self.hash, &event);
        let prev_hash = std::mem::replace(&mut self.hash, hash.clone());
        self.seq = seq;
        AuditEvent {
            request_id: self.request_id,
            seq,
            at,
            actor,
            action: action.to_string(),
            content,
            prev_hash,
            hash,
        }
    }

    /// The head of a new request's chain (last seq and hash), for the request row that is
    /// inserted after its events were linked: that row is the chain's close.
    pub fn into_new_head(self) -> (i64, String) {
        debug_assert_eq!(
            self.opened_at_seq, 0,
            "only a new request's chain is closed by its insert"
        );
        debug_assert!(
            self.pending.is_empty(),
            "the caller writes the events it linked"
        );
        (self.seq, self.hash)
    }

    /// Writes the events appended and moves the head on the request row to the last of them.
    pub fn close(self, conn: &mut Conn) -> QueryResult<()> {
        if self.seq == self.opened_at_seq {
            return Ok(());
        }
        let advance = AdvanceHead {
            request_id: self.request_id,
            from_seq: self.opened_at_seq,
            to_seq: self.seq,
            hash: self.hash,
        };
        let moved = match conn {
            Conn::Postgres(pg) => {
                let mut all = Combined::new();
                for event in &self.pending {
                    all.push(diesel::insert_into(audit_events::table).values(event));
                }
                all.push(advance);
                all.execute(pg)?
            }
            // In-process: one fixed statement per event, each prepared once per connection.
            Conn::Sqlite(sqlite) => {
                for event in &self.pending {
                    diesel::insert_into(audit_events::table)
                        .values(event)
                        .execute(sqlite)?;
                }
                advance.execute(sqlite)?
            }
        };
        if moved != 1 {
            // Someone appended between our read and our write: give up the whole transaction.
            return Err(diesel::result::Error::RollbackTransaction);
        }
        Ok(())
    }
}

/// Moves a request's chain head from `from_seq` to `to_seq` and `hash`; 0 rows when another
/// append moved it first. Written out rather than with `diesel::update`, because diesel
/// compiles its UPDATE statements anew on every use and this one runs for every event; a
/// fixed statement like this is prepared once per connection.
#[derive(QueryId)]
struct AdvanceHead {
    request_id: RequestId,
    from_seq: i64,
    to_seq: i64,
    hash: String,
}

impl<DB> QueryFragment<DB> for AdvanceHead
where
    DB: Backend,
    i64: ToSql<BigInt, DB>,
    RequestId: ToSql<BigInt, DB>,
    String: ToSql<Text, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("UPDATE requests SET audit_seq = ");
        out.push_bind_param::<BigInt, _>(&self.to_seq)?;
        out.push_sql(", audit_head = ");
        out.push_bind_param::<Text, _>(&self.hash)?;
        out.push_sql(" WHERE id = ");
        out.push_bind_param::<BigInt, _>(&self.request_id)?;
        out.push_sql(" AND audit_seq = ");
        out.push_bind_param::<BigInt, _>(&self.from_seq)?;
        Ok(())
    }
}

impl<C> RunQueryDsl<C> for AdvanceHead {}

/// A request's events in chain order.
pub fn events_for(conn: &mut Conn, request_id: RequestId) -> QueryResult<Vec<AuditRow>> {
    audit_events::table
        .filter(audit_events::request_id.eq(request_id))
        .order(audit_events::seq)
        .select(AuditRow::as_select())
        .load(conn)
}

/// How many of a request's events of one action happened at or after `since`.
pub fn count_since(
    conn: &mut Conn,
    request_id: RequestId,
    action: &str,
    since: NaiveDateTime,
) -> QueryResult<i64> {
    audit_events::table
        .filter(audit_events::request_id.eq(request_id))
        .filter(audit_events::action.eq(action))
        .filter(audit_events::at.ge(since))
        .count()
        .get_result(conn)
}
