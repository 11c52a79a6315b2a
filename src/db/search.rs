//! The search index and its queries, on each database's own full-text engine: an FTS5 table
//! on SQLite, a `tsvector` column with a GIN index on PostgreSQL (docs/PRODUCT.md, "Search").
//! Both keep the words `domain::search` folded, so both find the same requests; the index of
//! a request is written in the transaction that changes its text.
//!
//! The statements are assembled here as text with bound values (never the words themselves
//! in the text): which filters apply, and the two engines' syntax, vary per search.

use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Text, Timestamp};

use super::models::RequestRow;
use super::schema::{messages, requesters, requests, search_indexes};
use super::{per_backend, Conn};
use crate::domain::ids::RequestId;
use crate::domain::search::RequestText;
use crate::domain::{RequestKind, StaffId, Status};

/// The index of requests' words; the reading room's published records get one of their own.
pub const REQUESTS: &str = "requests";

/// What to look up.
#[derive(Debug, Clone)]
pub enum Lookup {
    TrackingNumber(String),
    /// An address, lower case.
    Email(String),
    /// Folded words, every one of which must be in the request's text; at least one.
    Words(Vec<String>),
}

/// One search, as the database runs it.
#[derive(Debug, Clone)]
pub struct SearchQuery {
    pub lookup: Lookup,
    /// Any of these; empty: any status.
    pub statuses: Vec<Status>,
    pub kind: Option<RequestKind>,
    pub queue: Option<String>,
    pub received_from: Option<NaiveDateTime>,
    pub received_before: Option<NaiveDateTime>,
    /// A steward sees what is assigned to them and what is in their own queue.
    pub steward_scope: Option<(StaffId, Option<String>)>,
    pub offset: i64,
    pub limit: i64,
}

#[derive(Debug, Clone)]
enum Value {
    Text(String),
    Int(i64),
    Time(NaiveDateTime),
}

/// A statement being written: its text, with each value's placeholder in the backend's own
/// syntax, and the values in order.
struct Statement {
    postgres: bool,
    sql: String,
    values: Vec<Value>,
}

impl Statement {
    fn new(postgres: bool) -> Statement {
        Statement {
            postgres,
            sql: String::new(),
            values: Vec::new(),
        }
    }

    fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    fn bind(&mut self, value: Value) -> &mut Self {
        self.values.push(value);
        if self.postgres {
            let n = self.values.len();
            self.sql.push_str(&format!("${n}"));
        } else {
            self.sql.push('?');
        }
        self
    }
}

macro_rules! run_statement {
    ($c:ident, $statement:expr) => {{
        let mut query = diesel::sql_query($statement.sql.clone()).into_boxed();
        for value in &$statement.values {
            query = match value {
                Value::Text(v) => query.bind::<Text, _>(v.clone()),
                Value::Int(v) => query.bind::<BigInt, _>(*v),
                Value::Time(v) => query.bind::<Timestamp, _>(*v),
            };
        }
        query
    }};
}

#[derive(QueryableByName)]
struct Hit {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The SELECT of a search's request ids, its filters and (ranked) order, without paging.
fn select_ids(q: &SearchQuery, postgres: bool) -> Statement {
    let mut s = Statement::new(postgres);
    match &q.lookup {
        Lookup::TrackingNumber(number) => {
            s.push("SELECT requests.id AS id FROM requests WHERE requests.tracking_number = ")
                .bind(Value::Text(number.clone()));
        }
        Lookup::Email(email) if postgres => {
            // The address's requesters first, then each one's requests by index: left to
            // itself, PostgreSQL at a million requests sometimes joined the other way round.
            s.push(
                "WITH who AS MATERIALIZED (SELECT id FROM requesters \
                 WHERE email IS NOT NULL AND lower(email) = ",
            )
            .bind(Value::Text(email.clone()))
            .push(
                ") SELECT requests.id AS id FROM who CROSS JOIN LATERAL \
                 (SELECT * FROM requests r WHERE r.requester_id = who.id OFFSET 0) AS requests \
                 WHERE TRUE",
            );
        }
        Lookup::Email(email) => {
            // `email IS NOT NULL` is the partial index's condition: said, the index is used.
            s.push(
                "SELECT requests.id AS id FROM requesters \
                 JOIN requests ON requests.requester_id = requesters.id \
                 WHERE requesters.email IS NOT NULL AND lower(requesters.email) = ",
            )
            .bind(Value::Text(email.clone()));
        }
        Lookup::Words(words) if postgres => {
            // The matches first (the GIN index), ranked once, then each one's request by its
            // key (`OFFSET 0` keeps the planner from merging the two): joined freely,
            // PostgreSQL walked the whole requests table in key order to meet 100 matches.
            s.push(
                "WITH matched AS MATERIALIZED (SELECT request_id, \
                 ts_rank(words, plainto_tsquery('simple', ",
            )
            .bind(Value::Text(words.join(" ")))
            .push(
                ")) AS rank FROM request_words WHERE words @@ plainto_tsquery('simple', $1)) \
                 SELECT requests.id AS id FROM matched CROSS JOIN LATERAL \
                 (SELECT * FROM requests r WHERE r.id = matched.request_id OFFSET 0) AS requests \
                 WHERE TRUE",
            );
        }
        Lookup::Words(words) => {
            // Each word quoted: FTS5 reads a quoted string as one plain token. The folded
            // words hold letters and digits only, so nothing in them can close the quotes.
            let phrase: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
            s.push(
                "SELECT requests.id AS id FROM request_words \
                 JOIN requests ON requests.id = request_words.rowid \
                 WHERE request_words MATCH ",
            )
            .bind(Value::Text(phrase.join(" ")));
        }
    }
    if !q.statuses.is_empty() {
        s.push(" AND requests.status IN (");
        for (i, status) in q.statuses.iter().enumerate() {
            if i > 0 {
                s.push(", ");
            }
            s.bind(Value::Text(status.as_str().to_string()));
        }
        s.push(")");
    }
    if let Some(kind) = q.kind {
        s.push(" AND requests.kind = ")
            .bind(Value::Text(kind.as_str().to_string()));
    }
    if let Some(queue) = &q.queue {
        s.push(" AND requests.queue = ")
            .bind(Value::Text(queue.clone()));
    }
    if let Some(from) = q.received_from {
        s.push(" AND requests.received_at >= ")
            .bind(Value::Time(from));
    }
    if let Some(before) = q.received_before {
        s.push(" AND requests.received_at < ")
            .bind(Value::Time(before));
    }
    if let Some((steward, queue)) = &q.steward_scope {
        s.push(" AND (requests.assignee_id = ")
            .bind(Value::Int(steward.0))
            .push(" OR requests.queue = ")
            .bind(Value::Text(queue.clone().unwrap_or_default()))
            .push(")");
    }
    s
}

/// One page of a search: the requests in order of relevance, then due date; each with its
/// requester's name.
pub fn find(conn: &mut Conn, q: &SearchQuery) -> QueryResult<Vec<(RequestRow, Option<String>)>> {
    if matches!(&q.lookup, Lookup::Words(w) if w.is_empty()) {
        return Ok(Vec::new());
    }
    let postgres = matches!(conn, Conn::Postgres(_));
    let mut s = select_ids(q, postgres);
    s.push(match (&q.lookup, postgres) {
        (Lookup::Words(_), false) => " ORDER BY request_words.rank, ",
        (Lookup::Words(_), true) => " ORDER BY matched.rank DESC, ",
        _ => " ORDER BY ",
    })
    .push("requests.due_on, requests.id LIMIT ")
    .bind(Value::Int(q.limit))
    .push(" OFFSET ")
    .bind(Value::Int(q.offset));
    let hits: Vec<Hit> = per_backend!(conn, |c| run_statement!(c, s).load(c))?;
    let ids: Vec<RequestId> = hits.iter().map(|h| RequestId(h.id)).collect();
    let mut rows: Vec<(RequestRow, Option<String>)> = per_backend!(conn, |c| requests::table
        .inner_join(requesters::table)
        .filter(requests::id.eq_any(&ids))
        .select((RequestRow::as_select(), requesters::name))
        .load(c))?;
    rows.sort_by_key(|(row, _)| ids.iter().position(|id| *id == row.id));
    Ok(rows)
}

/// How many requests a search finds, counted up to `cap` + 1 and no further.
pub fn count_up_to(conn: &mut Conn, q: &SearchQuery, cap: i64) -> QueryResult<i64> {
    if matches!(&q.lookup, Lookup::Words(w) if w.is_empty()) {
        return Ok(0);
    }
    let postgres = matches!(conn, Conn::Postgres(_));
    let inner = select_ids(q, postgres);
    let mut s = Statement::new(postgres);
    s.push("SELECT COUNT(*) AS n FROM (");
    s.sql.push_str(&inner.sql);
    s.values = inner.values;
    s.push(" LIMIT ")
        .bind(Value::Int(cap + 1))
        .push(") AS found");
    let count: Count = per_backend!(conn, |c| run_statement!(c, s).get_result(c))?;
    Ok(count.n)
}

/// A request's words on PostgreSQL, as one statement a filing can combine with its others
/// (`db::combined`): inserted, or replacing what was there.
pub struct PutWords<'a> {
    pub request_id: RequestId,
    pub words: &'a str,
}

impl QueryFragment<Pg> for PutWords<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql("INSERT INTO request_words (request_id, words) VALUES (");
        out.push_bind_param::<BigInt, _>(&self.request_id.0)?;
        out.push_sql(", to_tsvector('simple', ");
        out.push_bind_param::<Text, _>(&self.words)?;
        out.push_sql(")) ON CONFLICT (request_id) DO UPDATE SET words = excluded.words");
        Ok(())
    }
}

impl QueryId for PutWords<'_> {
    type QueryId = PutWords<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<C> RunQueryDsl<C> for PutWords<'_> {}

/// Keeps `words` (already folded) as the request's whole entry in the index.
pub fn put(conn: &mut Conn, request_id: RequestId, words: &str) -> QueryResult<()> {
    match conn {
        Conn::Postgres(c) => PutWords { request_id, words }.execute(c).map(drop),
        Conn::Sqlite(c) => {
            diesel::sql_query("DELETE FROM request_words WHERE rowid = ?")
                .bind::<BigInt, _>(request_id.0)
                .execute(c)?;
            diesel::sql_query("INSERT INTO request_words (rowid, words) VALUES (?, ?)")
                .bind::<BigInt, _>(request_id.0)
                .bind::<Text, _>(words)
                .execute(c)
                .map(drop)
        }
    }
}

/// What a request's entry is made of, read from what is stored.
type Stored = (
    RequestId,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Writes the index entries of the requests `ids` again from what is stored: after a message
/// is added, and when filling the index.
pub fn reindex(conn: &mut Conn, ids: &[RequestId]) -> QueryResult<()> {
    let stored: Vec<Stored> = per_backend!(conn, |c| requests::table
        .inner_join(requesters::table)
        .filter(requests::id.eq_any(ids))
        .select((
            requests::id,
            requests::tracking_number,
            requests::description,
            requests::intended_use,
            requesters::name,
            requesters::email,
            requesters::organization,
            requests::subject,
            requests::location,
        ))
        .load(c))?;
    let bodies: Vec<(RequestId, String)> = per_backend!(conn, |c| messages::table
        .filter(messages::request_id.eq_any(ids))
        .order(messages::id)
        .select((messages::request_id, messages::body))
        .load(c))?;
    let mut entries = Vec::with_capacity(stored.len());
    for (id, number, description, intended_use, name, email, organization, subject, location) in
        &stored
    {
        let text = RequestText {
            tracking_number: number,
            requester_name: name.as_deref(),
            requester_email: email.as_deref(),
            organization: organization.as_deref(),
            description,
            intended_use: intended_use.as_deref(),
            subject: subject.as_deref(),
            location: location.as_deref(),
            messages: bodies
                .iter()
                .filter(|(of, _)| of == id)
                .map(|(_, body)| body.as_str())
                .collect(),
        };
        entries.push((*id, text.folded()));
    }
    put_many(conn, entries)
}

/// Keeps each request's words as its whole entry: on PostgreSQL in one statement (a fill of
/// a million requests is then a few hundred statements, not a million round trips).
fn put_many(conn: &mut Conn, entries: Vec<(RequestId, String)>) -> QueryResult<()> {
    match conn {
        Conn::Postgres(c) if entries.len() > 1 => {
            let (ids, words): (Vec<i64>, Vec<String>) =
                entries.into_iter().map(|(id, w)| (id.0, w)).unzip();
            diesel::sql_query(
                "INSERT INTO request_words (request_id, words) \
                 SELECT id, to_tsvector('simple', w) FROM unnest($1::bigint[], $2::text[]) AS t(id, w) \
                 ON CONFLICT (request_id) DO UPDATE SET words = excluded.words",
            )
            .bind::<diesel::sql_types::Array<BigInt>, _>(ids)
            .bind::<diesel::sql_types::Array<Text>, _>(words)
            .execute(c)
            .map(drop)
        }
        _ => entries
            .iter()
            .try_for_each(|(id, words)| put(conn, *id, words)),
    }
}

/// Requests indexed per transaction when the index is filled.
const FILL_BATCH: i64 = 2_000;

/// Fills the requests' index from what is stored, once: on the first start after the index
/// was added (or after `forget`). Each batch is its own transaction, and writing an entry
/// again replaces it, so a fill cut short starts over harmlessly. Answers how many requests
/// were indexed (None: the index was already filled).
pub fn fill_missing(conn: &mut Conn) -> QueryResult<Option<u64>> {
    let filled: i64 = search_indexes::table
        .filter(search_indexes::name.eq(REQUESTS))
        .count()
        .get_result(conn)?;
    if filled > 0 {
        return Ok(None);
    }
    let mut after = RequestId(0);
    let mut done = 0u64;
    loop {
        let ids: Vec<RequestId> = requests::table
            .filter(requests::id.gt(after))
            .order(requests::id)
            .limit(FILL_BATCH)
            .select(requests::id)
            .load(conn)?;
        let Some(last) = ids.last().copied() else {
            break;
        };
        conn.transaction(|conn| reindex(conn, &ids))?;
        done += ids.len() as u64;
        after = last;
    }
    if let Conn::Postgres(c) = conn {
        // What the fill wrote is merged into the index and counted for the planner now, not
        // whenever autovacuum comes by: until then every search reads the pending entries.
        c.batch_execute(
            "SELECT gin_clean_pending_list('request_words_search'); ANALYZE request_words;",
        )?;
    }
    // Two servers started at once both fill (harmlessly); the second's mark is already there.
    super::unless_unique_violation(
        diesel::insert_into(search_indexes::table)
            .values((
                search_indexes::name.eq(REQUESTS),
                search_indexes::filled_at.eq(super::now()),
            ))
            .execute(conn),
    )?;
    Ok(Some(done))
}

/// Marks the requests' index as needing a fill at the next start (rows were written around
/// it: the seed, a restore).
pub fn forget(conn: &mut Conn) -> QueryResult<()> {
    diesel::delete(search_indexes::table.filter(search_indexes::name.eq(REQUESTS)))
        .execute(conn)
        .map(drop)
}
