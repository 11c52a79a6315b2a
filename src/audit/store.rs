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
/// transaction commits: an unclosed chain writes none of its events (and says so in the log
/// when it is dropped holding some).
///
/// On PostgreSQL `close` is one statement (`db::combined`): a transition's events and its
/// head's move cost one round trip, not one per event and another for the head
/// (docs/PERFORMANCE.md, "Transitions in fewer round trips").
#[must_use = "a chain must be closed, or the events appended to it are never written"]
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

    /// The sequence number the next event appended or linked will have: a row that names its
    /// event (a queued notice's outbox row) is written before the event is.
    pub fn next_seq(&self) -> i64 {
        self.seq + 1
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
    pub fn into_new_head(mut self) -> (i64, String) {
        debug_assert_eq!(
            self.opened_at_seq, 0,
            "only a new request's chain is closed by its insert"
        );
        debug_assert!(
            self.pending.is_empty(),
            "the caller writes the events it linked"
        );
        (self.seq, std::mem::take(&mut self.hash))
    }

    /// Writes the events appended and moves the head on the request row to the last of them.
    pub fn close(mut self, conn: &mut Conn) -> QueryResult<()> {
        if self.seq == self.opened_at_seq {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        let advance = AdvanceHead {
            request_id: self.request_id,
            from_seq: self.opened_at_seq,
            to_seq: self.seq,
            hash: std::mem::take(&mut self.hash),
        };
        let moved = match conn {
            Conn::Postgres(pg) => {
                let mut all = Combined::new();
                for event in &pending {
                    all.push(diesel::insert_into(audit_events::table).values(event));
                }
                all.push(advance);
                all.execute(pg)?
            }
            // In-process: one fixed statement per event, each prepared once per connection.
            Conn::Sqlite(sqlite) => {
                for event in &pending {
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

impl Drop for OpenChain {
    /// A chain dropped holding events: its step failed, and its transaction is undone with it,
    /// or (a fault) a step forgot to close it and its events are lost. Either is worth a line.
    fn drop(&mut self) {
        if !self.pending.is_empty() && !std::thread::panicking() {
            log::warn!(
                "{}: a chain dropped with {} events unwritten (its transaction must not commit)",
                self.tracking_number,
                self.pending.len()
            );
        }
    }
}

/// The chains of several requests held by one transaction: the dispatcher records a round's
/// notices, each in its own request's chain. Their heads are read in one statement, in id
/// order (so two such transactions lock rows in the same order), and `close` writes every event
/// and moves every head. On PostgreSQL that is three round trips for the whole round's events,
/// where a chain per notice took three each (docs/PERFORMANCE.md, "Notices on PostgreSQL").
#[must_use = "chains must be closed, or the events appended to them are never written"]
pub struct OpenChains {
    chains: std::collections::BTreeMap<RequestId, OpenChain>,
}

impl OpenChains {
    pub fn open(conn: &mut Conn, request_ids: &[RequestId]) -> QueryResult<OpenChains> {
        let mut ids = request_ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let mut chains = std::collections::BTreeMap::new();
        // In slices, so that no batch size meets a backend's limit on bound parameters; in id
        // order across them too.
        for slice in ids.chunks(HEADS_AT_ONCE) {
            let heads = requests::table
                .filter(requests::id.eq_any(slice))
                .order(requests::id)
                .select((
                    requests::id,
                    requests::tracking_number,
                    requests::audit_seq,
                    requests::audit_head,
                ));
            let rows: Vec<(RequestId, String, i64, String)> = match conn {
                Conn::Postgres(pg) => heads.for_no_key_update().load(pg)?,
                Conn::Sqlite(sqlite) => heads.load(sqlite)?,
            };
            if rows.len() != slice.len() {
                return Err(diesel::result::Error::NotFound);
            }
            for (id, tracking_number, seq, hash) in rows {
                chains.insert(id, OpenChain::at_head(id, tracking_number, seq, hash));
            }
        }
        Ok(OpenChains { chains })
    }

    /// Adds one event to the chain of `request_id`, which must be one of those opened.
    pub fn append(
        &mut self,
        request_id: RequestId,
        at: NaiveDateTime,
        actor: &Actor,
        step: &Step,
    ) -> QueryResult<()> {
        let chain = self
            .chains
            .get_mut(&request_id)
            .ok_or(diesel::result::Error::NotFound)?;
        chain.append(at, actor, step);
        Ok(())
    }

    /// Writes every event appended and moves every head that moved.
    pub fn close(self, conn: &mut Conn) -> QueryResult<()> {
        let mut moved: Vec<OpenChain> = self
            .chains
            .into_values()
            .filter(|chain| chain.seq != chain.opened_at_seq)
            .collect();
        let Conn::Postgres(pg) = conn else {
            // In-process: each chain as it closes alone. If one fails, the caller's transaction
            // is undone, so the chains after it are let go of unwritten, without the warning
            // of a chain forgotten.
            let mut chains = moved.into_iter();
            let closed = chains.by_ref().try_for_each(|chain| chain.close(conn));
            if closed.is_err() {
                chains.for_each(|mut chain| chain.pending.clear());
            }
            return closed;
        };
        if moved.is_empty() {
            return Ok(());
        }
        // Taken out first, as `OpenChain::close` does: a failure here is the caller's error,
        // not a chain forgotten.
        let events = moved
            .iter_mut()
            .flat_map(|chain| std::mem::take(&mut chain.pending));
        EventColumns::of(events).insert(pg)?;
        let heads = HeadColumns::of(&moved);
        if heads.update(pg)? != moved.len() {
            // Someone appended between our read and our write: give up the whole transaction.
            return Err(diesel::result::Error::RollbackTransaction);
        }
        Ok(())
    }
}

/// Request heads read per statement by `OpenChains::open` (SQLite allows 32,766 bound
/// parameters, PostgreSQL 65,535; `[mail] batch_size` has no upper bound).
const HEADS_AT_ONCE: usize = 1_000;

/// Events as columns, for one fixed `INSERT … SELECT FROM UNNEST` however many there are: one
/// statement text, prepared once per connection.
#[derive(Default)]
struct EventColumns {
    request_id: Vec<i64>,
    seq: Vec<i64>,
    at: Vec<NaiveDateTime>,
    actor: Vec<String>,
    action: Vec<String>,
    content: Vec<String>,
    prev_hash: Vec<String>,
    hash: Vec<String>,
}

impl EventColumns {
    fn of(events: impl Iterator<Item = AuditEvent>) -> EventColumns {
        let mut columns = EventColumns::default();
        for e in events {
            columns.request_id.push(e.request_id.0);
            columns.seq.push(e.seq);
            columns.at.push(e.at);
            columns.actor.push(e.actor);
            columns.action.push(e.action);
            columns.content.push(e.content);
            columns.prev_hash.push(e.prev_hash);
            columns.hash.push(e.hash);
        }
        columns
    }

    fn insert(self, pg: &mut diesel::PgConnection) -> QueryResult<usize> {
        use diesel::sql_types::{Array, Timestamp};
        diesel::sql_query(
            "INSERT INTO audit_events (request_id, seq, at, actor, action, content, prev_hash, hash) \
             SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::timestamp[], $4::text[], \
             $5::text[], $6::text[], $7::text[], $8::text[])",
        )
        .bind::<Array<BigInt>, _>(self.request_id)
        .bind::<Array<BigInt>, _>(self.seq)
        .bind::<Array<Timestamp>, _>(self.at)
        .bind::<Array<Text>, _>(self.actor)
        .bind::<Array<Text>, _>(self.action)
        .bind::<Array<Text>, _>(self.content)
        .bind::<Array<Text>, _>(self.prev_hash)
        .bind::<Array<Text>, _>(self.hash)
        .execute(pg)
    }
}

/// Heads to move, as columns (see `EventColumns`); each moves only from the seq it was read at.
struct HeadColumns {
    id: Vec<i64>,
    from_seq: Vec<i64>,
    to_seq: Vec<i64>,
    hash: Vec<String>,
}

impl HeadColumns {
    fn of(chains: &[OpenChain]) -> HeadColumns {
        HeadColumns {
            id: chains.iter().map(|c| c.request_id.0).collect(),
            from_seq: chains.iter().map(|c| c.opened_at_seq).collect(),
            to_seq: chains.iter().map(|c| c.seq).collect(),
            hash: chains.iter().map(|c| c.hash.clone()).collect(),
        }
    }

    fn update(self, pg: &mut diesel::PgConnection) -> QueryResult<usize> {
        use diesel::sql_types::Array;
        diesel::sql_query(
            "UPDATE requests AS r SET audit_seq = h.to_seq, audit_head = h.hash \
             FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[], $4::text[]) \
             AS h (id, from_seq, to_seq, hash) \
             WHERE r.id = h.id AND r.audit_seq = h.from_seq",
        )
        .bind::<Array<BigInt>, _>(self.id)
        .bind::<Array<BigInt>, _>(self.from_seq)
        .bind::<Array<BigInt>, _>(self.to_seq)
        .bind::<Array<Text>, _>(self.hash)
        .execute(pg)
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

/// A request's events of one action, in chain order.
pub fn events_of(
    conn: &mut Conn,
    request_id: RequestId,
    action: &str,
) -> QueryResult<Vec<AuditRow>> {
    audit_events::table
        .filter(audit_events::request_id.eq(request_id))
        .filter(audit_events::action.eq(action))
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
