//! Requests, their requesters, determinations, messages and idempotency keys.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::backend::Backend;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, Date, Integer, Nullable, Text, Timestamp};

use super::models::*;
use super::schema::{
    audit_events, determinations, idempotency_keys, messages, outbox, reminders, requesters,
    requests,
};
use super::{per_backend, Conn};
use crate::domain::ids::{MessageId, OutboxId, RequestId, RequesterId, StaffId};
use crate::domain::notices::{NoticeKind, OutboxStatus};
use crate::domain::step::Author;
use crate::domain::{Circumstance, Status};

/// The next number in a named sequence (one per year of tracking numbers), in one statement.
/// On PostgreSQL the row lock orders concurrent callers; on SQLite writes are already serial.
pub fn next_sequence(conn: &mut Conn, name: &str) -> QueryResult<i64> {
    let next = NextInSequence {
        name: name.to_string(),
    };
    per_backend!(conn, |c| next.get_result(c))
}

/// `INSERT … ON CONFLICT DO UPDATE … RETURNING`, written out once for both backends (the SQL
/// is the same on each): diesel's own upsert is not in the common subset of the two, and it
/// is compiled anew on every use, where this fixed statement is prepared once a connection.
#[derive(QueryId)]
struct NextInSequence {
    name: String,
}

impl<DB> QueryFragment<DB> for NextInSequence
where
    DB: Backend,
    String: ToSql<Text, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("INSERT INTO counters (name, value) VALUES (");
        out.push_bind_param::<Text, _>(&self.name)?;
        out.push_sql(
            ", 1) ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value",
        );
        Ok(())
    }
}

impl Query for NextInSequence {
    type SqlType = BigInt;
}

impl<C> RunQueryDsl<C> for NextInSequence {}

/// What a filing on PostgreSQL takes before it writes, in one round trip: the year's next
/// tracking number and the ids of its requester, its request and its `notices` outbox rows,
/// so that every hash (a `notice_queued` event names its outbox row) is computed before the
/// one statement that writes them all (`insert_filing`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reserved {
    pub number: i64,
    pub requester_id: RequesterId,
    pub request_id: RequestId,
    pub outbox_ids: Vec<OutboxId>,
}

/// Takes what a filing reserves, committing the counter on its own and without waiting for
/// the flush (`SET LOCAL synchronous_commit = off` in the statement's own transaction): taken
/// in the filing's transaction, the counter row stayed locked until that commit was on disk,
/// and filings went one at a time. PostgreSQL writes its log in order, so the filing, whose
/// commit is waited for, makes its number durable too; a crash before then loses only unused
/// numbers. A filing that fails after this leaves a gap in the year's numbering.
pub fn reserve_filing(
    conn: &mut PgConnection,
    counter: &str,
    notices: usize,
) -> QueryResult<Reserved> {
    let reserve = ReserveFiling {
        counter: counter.to_string(),
        notices: notices as i64,
    };
    let (number, requester_id, request_id, outbox_ids): (i64, i64, i64, Vec<i64>) =
        reserve.get_result(conn)?;
    Ok(Reserved {
        number,
        requester_id: RequesterId(requester_id),
        request_id: RequestId(request_id),
        outbox_ids: outbox_ids.into_iter().map(OutboxId).collect(),
    })
}

#[derive(QueryId)]
struct ReserveFiling {
    counter: String,
    notices: i64,
}

impl QueryFragment<diesel::pg::Pg> for ReserveFiling {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        out.push_sql(
            "WITH unflushed AS (SELECT set_config('synchronous_commit', 'off', true)), \
             number AS (INSERT INTO counters (name, value) VALUES (",
        );
        out.push_bind_param::<Text, _>(&self.counter)?;
        out.push_sql(
            ", 1) ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value) \
             SELECT number.value, nextval('requesters_id_seq'), nextval('requests_id_seq'), \
             ARRAY(SELECT nextval('outbox_id_seq') FROM generate_series(1, ",
        );
        out.push_bind_param::<BigInt, _>(&self.notices)?;
        out.push_sql(")) FROM number, unflushed");
        Ok(())
    }
}

impl Query for ReserveFiling {
    type SqlType = (BigInt, BigInt, BigInt, diesel::sql_types::Array<BigInt>);
}

impl<C> RunQueryDsl<C> for ReserveFiling {}

/// Every row of a filing on PostgreSQL, ids and hashes included (`reserve_filing`).
pub struct FilingRows<'a> {
    pub requester_id: RequesterId,
    pub requester: &'a NewRequester<'a>,
    pub request: &'a RequestRow,
    pub events: &'a [AuditEvent],
    /// The private link the filing's answer gives.
    pub link: &'a super::links::NewLink<'a>,
    /// Each notice's row under the id taken for it.
    pub outbox: &'a [(OutboxId, NewOutboxRow<'a>)],
    /// An Idempotency-Key and its body's fingerprint.
    pub idempotency: Option<(&'a str, &'a str)>,
    /// The request's folded words, for the search index.
    pub words: &'a str,
}

/// Writes a filing in one statement, committed when it returns (`db::combined`). An
/// Idempotency-Key already stored answers Ok(false) and writes nothing.
pub fn insert_filing(conn: &mut PgConnection, rows: &FilingRows<'_>) -> QueryResult<bool> {
    let key_row = rows.idempotency.map(|(key, fingerprint)| {
        (
            idempotency_keys::key.eq(key),
            idempotency_keys::fingerprint.eq(fingerprint),
            idempotency_keys::request_id.eq(rows.request.id),
            idempotency_keys::created_at.eq(rows.request.received_at),
        )
    });
    let mut all = super::combined::Combined::new();
    all.push(
        diesel::insert_into(requesters::table)
            .values((requesters::id.eq(rows.requester_id), rows.requester)),
    );
    all.push(diesel::insert_into(requests::table).values(rows.request));
    all.push(super::search::PutWords {
        request_id: rows.request.id,
        words: rows.words,
    });
    for event in rows.events {
        all.push(diesel::insert_into(audit_events::table).values(event));
    }
    all.push(diesel::insert_into(super::schema::link_tokens::table).values(rows.link));
    for (id, queued) in rows.outbox {
        all.push(diesel::insert_into(outbox::table).values((outbox::id.eq(*id), queued)));
    }
    if let Some(key_row) = &key_row {
        all.push(diesel::insert_into(idempotency_keys::table).values(key_row));
    }
    match all.execute(conn) {
        Ok(_) => Ok(true),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            info,
        )) if info.constraint_name() == Some("idempotency_keys_pkey") => Ok(false),
        Err(e) => Err(e),
    }
}

pub fn insert_requester(conn: &mut Conn, new: &NewRequester<'_>) -> QueryResult<RequesterId> {
    per_backend!(conn, |c| diesel::insert_into(requesters::table)
        .values(new)
        .returning(requesters::id)
        .get_result(c))
}

/// Inserts the request and answers its row as stored (defaults included), so the filing does
/// not read it back.
pub fn insert(conn: &mut Conn, new: &NewRequest<'_>) -> QueryResult<RequestRow> {
    per_backend!(conn, |c| diesel::insert_into(requests::table)
        .values(new)
        .returning(RequestRow::as_returning())
        .get_result(c))
}

pub fn by_tracking_number(
    conn: &mut Conn,
    tracking_number: &str,
) -> QueryResult<Option<RequestRow>> {
    per_backend!(conn, |c| requests::table
        .filter(requests::tracking_number.eq(tracking_number))
        .select(RequestRow::as_select())
        .first(c)
        .optional())
}

pub fn by_id(conn: &mut Conn, id: RequestId) -> QueryResult<RequestRow> {
    per_backend!(conn, |c| requests::table
        .find(id)
        .select(RequestRow::as_select())
        .first(c))
}

/// The requests closed as repeats of this one, oldest first, by tracking number.
pub fn repeats_of(conn: &mut Conn, tracking_number: &str) -> QueryResult<Vec<String>> {
    per_backend!(conn, |c| requests::table
        .filter(requests::duplicate_of.eq(tracking_number))
        .order(requests::id)
        .select(requests::tracking_number)
        .load(c))
}

/// The requests recorded from clarifications of this one, oldest first, by tracking number.
pub fn followers_of(conn: &mut Conn, tracking_number: &str) -> QueryResult<Vec<String>> {
    per_backend!(conn, |c| requests::table
        .filter(requests::follows.eq(tracking_number))
        .order(requests::id)
        .select(requests::tracking_number)
        .load(c))
}

/// Marks the request as waiting on its requester since `since`, or clears the mark.
pub fn set_awaiting_requester(
    conn: &mut Conn,
    id: RequestId,
    since: Option<NaiveDateTime>,
) -> QueryResult<()> {
    diesel::update(requests::table.find(id))
        .set(requests::awaiting_requester_since.eq(since))
        .execute(conn)
        .map(drop)
}

/// Reads the request row as it now stands, locked until the transaction ends, so a step that
/// does not bump the version still sees any change committed before it (PostgreSQL runs at
/// READ COMMITTED: the lock waits for a concurrent writer and reads its result, in one
/// statement, as the audit chain's head is read; SQLite writers take turns anyway).
pub fn lock(conn: &mut Conn, id: RequestId) -> QueryResult<RequestRow> {
    match conn {
        // FOR NO KEY UPDATE, the lock an UPDATE of the row takes: FOR UPDATE would also block
        // the key-share locks that inserts referencing the request take (an audit event, a
        // link), and a transaction that inserted one and then updates the request's head
        // (the dispatcher) deadlocks against it.
        Conn::Postgres(c) => requests::table
            .find(id)
            .select(RequestRow::as_select())
            .for_no_key_update()
            .first(c),
        Conn::Sqlite(_) => by_id(conn, id),
    }
}

/// Flags a requester's email address as not working, from `since` (docs/PRODUCT.md,
/// "Bounces"); a flag already set keeps its time.
pub fn flag_email_bounced(
    conn: &mut Conn,
    id: RequesterId,
    since: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        requesters::table
            .find(id)
            .filter(requesters::email_bounced_at.is_null()),
    )
    .set(requesters::email_bounced_at.eq(Some(since)))
    .execute(conn)
    .map(drop)
}

pub fn requester(conn: &mut Conn, id: RequesterId) -> QueryResult<RequesterRow> {
    per_backend!(conn, |c| requesters::table
        .find(id)
        .select(RequesterRow::as_select())
        .first(c))
}

/// The requesters whose letters go by post: a postal address and no working email (none, or
/// one that bounced). Read by `requesters_by_post` (migration 32), which holds only them.
#[diesel::dsl::auto_type(no_type_alias)]
pub fn writing_by_post() -> _ {
    requesters::table
        .filter(
            requesters::email
                .is_null()
                .or(requesters::email_bounced_at.is_not_null()),
        )
        .filter(requesters::postal_address.is_not_null())
}

/// The requests of `ids`' requesters, in no order: by `requests_by_requester`.
#[diesel::dsl::auto_type(no_type_alias)]
pub fn of_requesters(ids: Vec<RequesterId>) -> _ {
    requests::table.filter(requests::requester_id.eq_any(ids))
}

/// Applies `changes` and bumps the version, only if the request is still at
/// `expected_version`, and answers the row as it now is (None when someone else changed it
/// first). On PostgreSQL the row stays locked until the caller's transaction ends.
pub fn update_if_version(
    conn: &mut Conn,
    id: RequestId,
    expected_version: i32,
    changes: &RequestChanges,
    now: NaiveDateTime,
) -> QueryResult<Option<RequestRow>> {
    let update = UpdateIfVersion {
        id,
        expected_version,
        next_version: expected_version + 1,
        changes,
        now,
        produced_set: i32::from(changes.produced_at.is_some()),
        produced_at: changes.produced_at.flatten(),
        unassign: i32::from(changes.unassign),
    };
    per_backend!(conn, |c| update.get_result(c).optional())
}

/// `UPDATE … SET column = COALESCE(new value, column) … RETURNING` the row, written out with
/// every column of `RequestChanges` so its text is always the same: diesel writes an UPDATE
/// with only the columns that change and compiles it anew on every use (two round trips on
/// PostgreSQL, a compile in the SQLite writer), where this one is prepared once per
/// connection. Every change there is a value to set, so COALESCE keeps the rest as they are.
struct UpdateIfVersion<'a> {
    id: RequestId,
    expected_version: i32,
    next_version: i32,
    changes: &'a RequestChanges,
    now: NaiveDateTime,
    /// 1 when the step sets or clears `produced_at` (to `produced_at`).
    produced_set: i32,
    produced_at: Option<NaiveDateTime>,
    /// 1 when the step clears the assignee.
    unassign: i32,
}

impl QueryId for UpdateIfVersion<'_> {
    type QueryId = UpdateIfVersion<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<DB> QueryFragment<DB> for UpdateIfVersion<'_>
where
    DB: Backend,
    RequestId: ToSql<BigInt, DB>,
    i32: ToSql<Integer, DB>,
    NaiveDateTime: ToSql<Timestamp, DB>,
    Option<String>: ToSql<Nullable<Text>, DB>,
    Option<Status>: ToSql<Nullable<Text>, DB>,
    Option<Circumstance>: ToSql<Nullable<Text>, DB>,
    Option<StaffId>: ToSql<Nullable<BigInt>, DB>,
    Option<i32>: ToSql<Nullable<Integer>, DB>,
    Option<NaiveDate>: ToSql<Nullable<Date>, DB>,
    Option<NaiveDateTime>: ToSql<Nullable<Timestamp>, DB>,
    Option<StaffIds>: ToSql<Nullable<Text>, DB>,
    Option<Reckonings>: ToSql<Nullable<Text>, DB>,
    <requests::table as Table>::AllColumns: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        // Every field named, so a field added to RequestChanges does not compile until it is
        // written here too.
        let RequestChanges {
            status,
            queue,
            assignee_id,
            determination_due,
            extension_days,
            extension_circumstance,
            extension_reason,
            due_on,
            determined_by,
            decision_final,
            appeal_deadline,
            appeal_grounds,
            appealed_at,
            reviewer_id,
            withdraw_reason,
            closed_at,
            partial,
            responsible_ids,
            records_due_at,
            produced_at: _,
            reopened,
            due_reckoning,
            duplicate_of,
            referred_to,
            closing_note,
            unassign: _,
        } = self.changes;
        out.push_sql("UPDATE requests SET ");
        macro_rules! keep_unless {
            ($column:ident, $sql_type:ty) => {
                out.push_sql(concat!(stringify!($column), " = COALESCE("));
                out.push_bind_param::<Nullable<$sql_type>, _>($column)?;
                out.push_sql(concat!(", ", stringify!($column), "), "));
            };
        }
        keep_unless!(status, Text);
        keep_unless!(queue, Text);
        // The other column a step may clear: a complaint sent to another department.
        out.push_sql("assignee_id = CASE WHEN ");
        out.push_bind_param::<Integer, _>(&self.unassign)?;
        out.push_sql(" = 1 THEN NULL ELSE COALESCE(");
        out.push_bind_param::<Nullable<BigInt>, _>(assignee_id)?;
        out.push_sql(", assignee_id) END, ");
        keep_unless!(determination_due, Date);
        keep_unless!(extension_days, Integer);
        keep_unless!(extension_circumstance, Text);
        keep_unless!(extension_reason, Text);
        keep_unless!(due_on, Date);
        keep_unless!(determined_by, BigInt);
        keep_unless!(decision_final, Integer);
        keep_unless!(appeal_deadline, Date);
        keep_unless!(appeal_grounds, Text);
        keep_unless!(appealed_at, Timestamp);
        keep_unless!(reviewer_id, BigInt);
        keep_unless!(withdraw_reason, Text);
        keep_unless!(closed_at, Timestamp);
        keep_unless!(partial, Integer);
        keep_unless!(responsible_ids, Text);
        keep_unless!(records_due_at, Timestamp);
        keep_unless!(reopened, Integer);
        keep_unless!(due_reckoning, Text);
        keep_unless!(duplicate_of, Text);
        keep_unless!(referred_to, Text);
        keep_unless!(closing_note, Text);
        // The one column a step may clear: a reopened production is no longer produced.
        out.push_sql("produced_at = CASE WHEN ");
        out.push_bind_param::<Integer, _>(&self.produced_set)?;
        out.push_sql(" = 1 THEN ");
        out.push_bind_param::<Nullable<Timestamp>, _>(&self.produced_at)?;
        out.push_sql(" ELSE produced_at END, ");
        out.push_sql("version = ");
        out.push_bind_param::<Integer, _>(&self.next_version)?;
        out.push_sql(", updated_at = ");
        out.push_bind_param::<Timestamp, _>(&self.now)?;
        out.push_sql(" WHERE id = ");
        out.push_bind_param::<BigInt, _>(&self.id)?;
        out.push_sql(" AND version = ");
        out.push_bind_param::<Integer, _>(&self.expected_version)?;
        out.push_sql(" RETURNING ");
        // The columns in table order, which is `RequestRow`'s field order.
        requests::all_columns.walk_ast(out.reborrow())
    }
}

impl Query for UpdateIfVersion<'_> {
    type SqlType = diesel::dsl::SqlTypeOf<<requests::table as Table>::AllColumns>;
}

impl<C> RunQueryDsl<C> for UpdateIfVersion<'_> {}

pub fn insert_determination(conn: &mut Conn, new: &NewDetermination<'_>) -> QueryResult<()> {
    per_backend!(conn, |c| diesel::insert_into(determinations::table)
        .values(new)
        .execute(c))
    .map(drop)
}

pub fn determinations_for(
    conn: &mut Conn,
    request_id: RequestId,
) -> QueryResult<Vec<DeterminationRow>> {
    per_backend!(conn, |c| determinations::table
        .filter(determinations::request_id.eq(request_id))
        .order(determinations::id)
        .select(DeterminationRow::as_select())
        .load(c))
}

pub fn insert_message(conn: &mut Conn, new: &NewMessage<'_>) -> QueryResult<MessageId> {
    per_backend!(conn, |c| diesel::insert_into(messages::table)
        .values(new)
        .returning(messages::id)
        .get_result(c))
}

pub fn messages_for(conn: &mut Conn, request_id: RequestId) -> QueryResult<Vec<MessageRow>> {
    per_backend!(conn, |c| messages::table
        .filter(messages::request_id.eq(request_id))
        .order(messages::id)
        .select(MessageRow::as_select())
        .load(c))
}

/// The fingerprint and request an idempotency key was first used for.
pub fn idempotency_key(conn: &mut Conn, key: &str) -> QueryResult<Option<(String, RequestId)>> {
    let query = idempotency_keys::table
        .find(key)
        .select((idempotency_keys::fingerprint, idempotency_keys::request_id));
    per_backend!(conn, |c| query.first(c).optional())
}

pub fn insert_idempotency_key(
    conn: &mut Conn,
    key: &str,
    fingerprint: &str,
    request_id: RequestId,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let row = (
        idempotency_keys::key.eq(key),
        idempotency_keys::fingerprint.eq(fingerprint),
        idempotency_keys::request_id.eq(request_id),
        idempotency_keys::created_at.eq(now),
    );
    per_backend!(conn, |c| diesel::insert_into(idempotency_keys::table)
        .values(row)
        .execute(c))
    .map(drop)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssigneeFilter {
    Anyone,
    Nobody,
    Staff(StaffId),
}

/// One page of the queue: filtered, sorted by due date then id, continuing after a cursor.
#[derive(Debug, Clone)]
pub struct QueueQuery {
    pub queue: Option<String>,
    pub statuses: Vec<Status>,
    pub assignee: AssigneeFilter,
    /// Only requests due before this day (overdue ones, when it is today).
    pub due_before: Option<NaiveDate>,
    /// A steward sees their own assignments and their department's queue only.
    pub steward_scope: Option<(StaffId, Option<String>)>,
    pub after: Option<(NaiveDate, RequestId)>,
    pub limit: i64,
}

pub fn queue_page(
    conn: &mut Conn,
    q: &QueueQuery,
) -> QueryResult<Vec<(RequestRow, Option<String>)>> {
    // One ordered index range per status, merged here: asked for several statuses at once
    // (the default view: every open one), the database cannot walk one index in due order and
    // would sort every open request of the queue for each page of 50.
    let statuses: std::collections::BTreeSet<&str> =
        q.statuses.iter().map(|s| s.as_str()).collect();
    let mut rows = Vec::new();
    for status in statuses {
        rows.extend(queue_page_of(conn, q, status)?);
    }
    rows.sort_by_key(|(row, _)| (row.due_on, row.id));
    rows.truncate(usize::try_from(q.limit).unwrap_or(0));
    Ok(rows)
}

/// The queue's grants: those awaiting production. Written out, not bound, so both databases
/// see it is the condition of the `requests_in_production` indexes and walk those (the
/// produced grants, most of them, are not in the indexes at all). On SQLite those indexes lead
/// with the columns it fixes, or its planner, without statistics, prefers `requests_status_due`
/// (migration 31; docs/PERFORMANCE.md, "The queue page's grants").
const IN_PRODUCTION: &str = "status = 'granted' AND produced_at IS NULL";

/// One page of the queue's requests in one status (of a grant: awaiting production).
fn queue_page_of(
    conn: &mut Conn,
    q: &QueueQuery,
    status: &str,
) -> QueryResult<Vec<(RequestRow, Option<String>)>> {
    let mut query = requests::table
        .inner_join(requesters::table)
        .select((RequestRow::as_select(), requesters::name))
        .into_boxed();
    query = if status == Status::Granted.as_str() {
        query.filter(diesel::dsl::sql::<diesel::sql_types::Bool>(IN_PRODUCTION))
    } else {
        query.filter(requests::status.eq(status.to_string()))
    };
    if let Some(queue) = &q.queue {
        query = query.filter(requests::queue.eq(queue.clone()));
    }
    match q.assignee {
        AssigneeFilter::Anyone => {}
        AssigneeFilter::Nobody => query = query.filter(requests::assignee_id.is_null()),
        AssigneeFilter::Staff(id) => query = query.filter(requests::assignee_id.eq(id)),
    }
    if let Some(day) = q.due_before {
        query = query.filter(requests::due_on.lt(day));
    }
    if let Some((steward, queue)) = &q.steward_scope {
        let own_queue = queue.clone().unwrap_or_default();
        query = query.filter(
            requests::assignee_id
                .eq(*steward)
                .or(requests::queue.eq(own_queue)),
        );
    }
    if let Some((due, id)) = q.after {
        // The rows after (due, id), said as a range plus a filter: written as
        // `due_on > d OR (due_on = d AND id > i)` alone, PostgreSQL gathered and sorted every
        // request after the cursor for each page; this way both databases walk the index.
        query = query
            .filter(requests::due_on.ge(due))
            .filter(requests::due_on.gt(due).or(requests::id.gt(id)));
    }
    query
        .order((requests::due_on.asc(), requests::id.asc()))
        .limit(q.limit)
        .load(conn)
}

/// Requests in one of `statuses` (or, asked for `[Granted]` alone, the grants awaiting
/// production) due between `from` (if given) and `to` that have had no reminder of `kind`
/// for their present due date: id, tracking number and due date, soonest first. Only these
/// columns, and only the unreminded: the whole overdue backlog is a candidate every round.
pub fn unreminded_due(
    conn: &mut Conn,
    statuses: &[Status],
    from: Option<NaiveDate>,
    to: NaiveDate,
    kind: NoticeKind,
) -> QueryResult<Vec<(RequestId, String, NaiveDate)>> {
    use diesel::dsl::{exists, not};
    let mut query = requests::table.into_boxed();
    query = if statuses == [Status::Granted] {
        query.filter(diesel::dsl::sql::<diesel::sql_types::Bool>(IN_PRODUCTION))
    } else {
        query.filter(requests::status.eq_any(statuses))
    };
    let mut query = query
        .filter(requests::due_on.le(to))
        .filter(not(exists(
            reminders::table
                .filter(reminders::request_id.eq(requests::id))
                .filter(reminders::kind.eq(kind))
                .filter(reminders::due_on.eq(requests::due_on)),
        )))
        .order((requests::due_on, requests::id))
        .select((requests::id, requests::tracking_number, requests::due_on));
    if let Some(from) = from {
        query = query.filter(requests::due_on.ge(from));
    }
    query.load(conn)
}

/// Records a reminder; false when it was already sent for this due date.
pub fn record_reminder(
    conn: &mut Conn,
    request_id: RequestId,
    kind: NoticeKind,
    due_on: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let sent: i64 = reminders::table
        .filter(reminders::request_id.eq(request_id))
        .filter(reminders::kind.eq(kind))
        .filter(reminders::due_on.eq(due_on))
        .count()
        .get_result(conn)?;
    if sent > 0 {
        return Ok(false);
    }
    diesel::insert_into(reminders::table)
        .values((
            reminders::request_id.eq(request_id),
            reminders::kind.eq(kind),
            reminders::due_on.eq(due_on),
            reminders::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(true)
}

/// How many requests have each of `statuses`, each counted up to `cap` + 1 and no further:
/// the count stops costing more once there are more than anyone reads at a glance. One
/// statement answers every status with one number (loading the ids to count them sent up to
/// `cap` + 1 rows per status, and took a round trip each on PostgreSQL).
pub fn status_counts_up_to(
    conn: &mut Conn,
    statuses: &[Status],
    steward_scope: Option<(StaffId, Option<String>)>,
    cap: i64,
) -> QueryResult<Vec<(Status, i64)>> {
    if statuses.is_empty() {
        return Ok(Vec::new());
    }
    let counts = CappedCounts {
        statuses: statuses.iter().map(|s| s.as_str()).collect(),
        steward_scope: steward_scope.map(|(id, queue)| (id, queue.unwrap_or_default())),
        limit: cap + 1,
    };
    let mut answered: Vec<(i64, i32)> = per_backend!(conn, |c| counts.load(c))?;
    answered.sort_by_key(|(_, nth)| *nth);
    Ok(answered
        .into_iter()
        .map(|(n, nth)| (statuses[nth as usize], n))
        .collect())
}

/// `SELECT COUNT(*), 0 FROM (SELECT 1 FROM requests WHERE status = ? … LIMIT ?) UNION ALL …`,
/// one capped count per status, numbered so the answers can be put back in order.
struct CappedCounts {
    statuses: Vec<&'static str>,
    /// A steward's own id and department queue: they count what they may see.
    steward_scope: Option<(StaffId, String)>,
    limit: i64,
}

/// The text depends on how many statuses and on the scope: cached by its text.
impl QueryId for CappedCounts {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<DB> QueryFragment<DB> for CappedCounts
where
    DB: Backend,
    i64: ToSql<BigInt, DB>,
    StaffId: ToSql<BigInt, DB>,
    str: ToSql<Text, DB>,
    String: ToSql<Text, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        for (nth, status) in self.statuses.iter().enumerate() {
            if nth > 0 {
                out.push_sql(" UNION ALL ");
            }
            out.push_sql(&format!(
                "SELECT COUNT(*), {nth} FROM (SELECT 1 FROM requests WHERE "
            ));
            if *status == Status::Granted.as_str() {
                out.push_sql(IN_PRODUCTION);
            } else {
                out.push_sql("status = ");
                out.push_bind_param::<Text, _>(*status)?;
            }
            if let Some((steward, queue)) = &self.steward_scope {
                out.push_sql(" AND (assignee_id = ");
                out.push_bind_param::<BigInt, _>(steward)?;
                out.push_sql(" OR queue = ");
                out.push_bind_param::<Text, _>(queue)?;
                out.push_sql(")");
            }
            out.push_sql(" LIMIT ");
            out.push_bind_param::<BigInt, _>(&self.limit)?;
            out.push_sql(&format!(") AS capped{nth}"));
        }
        Ok(())
    }
}

impl Query for CappedCounts {
    type SqlType = (BigInt, Integer);
}

impl<C> RunQueryDsl<C> for CappedCounts {}

/// Whether a notice of this kind to this recipient about the request is still waiting to be
/// sent (queued, not yet claimed).
pub fn notice_waiting(
    conn: &mut Conn,
    request_id: RequestId,
    kind: NoticeKind,
    recipient: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        outbox::table
            .filter(outbox::request_id.eq(request_id))
            .filter(outbox::notice.eq(kind))
            .filter(outbox::recipient.eq(recipient))
            .filter(outbox::status.eq(OutboxStatus::Queued)),
    ))
    .get_result(conn)
}

/// The times of the requester's messages on the request since `since`, oldest first, and how
/// many they have written in all.
pub fn requester_messages(
    conn: &mut Conn,
    request_id: RequestId,
    since: NaiveDateTime,
) -> QueryResult<(Vec<NaiveDateTime>, i64)> {
    let theirs = messages::table
        .filter(messages::request_id.eq(request_id))
        .filter(messages::author.eq(Author::Requester));
    let recent = theirs
        .filter(messages::created_at.gt(since))
        .order(messages::created_at)
        .select(messages::created_at)
        .load(conn)?;
    let total = theirs.count().get_result(conn)?;
    Ok((recent, total))
}
