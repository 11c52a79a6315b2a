//! The limits several instances share on PostgreSQL (migration 29): token buckets for filings
//! per address and streaks of sign-in tries. Only storage lives here; what the numbers mean
//! is decided in `web::throttle::shared`. Times are seconds since 1970 by the database's own
//! clock, so instances whose clocks disagree still count alike.

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{Double, Integer, Text};

#[derive(QueryableByName)]
struct Seconds {
    #[diesel(sql_type = Double)]
    t: f64,
}

/// The database's time now.
pub fn now(conn: &mut PgConnection) -> QueryResult<f64> {
    diesel::sql_query("SELECT EXTRACT(EPOCH FROM clock_timestamp())::float8 AS t")
        .get_result::<Seconds>(conn)
        .map(|s| s.t)
}

/// Takes one token from `key`'s bucket (created full), refilled at `per_second` up to
/// `capacity`, in one statement, so two instances never take the same token. `Ok(None)`:
/// taken. `Ok(Some(tokens))`: the bucket holds less than one (`tokens`, as of now).
pub fn take_token(
    conn: &mut PgConnection,
    key: &str,
    capacity: f64,
    per_second: f64,
) -> QueryResult<Option<f64>> {
    let taken = diesel::sql_query(
        "INSERT INTO limit_buckets AS b (key, tokens, at) \
         VALUES ($1, $2 - 1, EXTRACT(EPOCH FROM clock_timestamp())::float8) \
         ON CONFLICT (key) DO UPDATE \
         SET tokens = LEAST($2, b.tokens + GREATEST(0, EXCLUDED.at - b.at) * $3) - 1, \
             at = EXCLUDED.at \
         WHERE LEAST($2, b.tokens + GREATEST(0, EXCLUDED.at - b.at) * $3) >= 1 \
         RETURNING tokens AS t",
    )
    .bind::<Text, _>(key)
    .bind::<Double, _>(capacity)
    .bind::<Double, _>(per_second)
    .load::<Seconds>(conn)?;
    if !taken.is_empty() {
        return Ok(None);
    }
    let left = diesel::sql_query(
        "SELECT LEAST($2, tokens + GREATEST(0, EXTRACT(EPOCH FROM clock_timestamp())::float8 - at) * $3) AS t \
         FROM limit_buckets WHERE key = $1",
    )
    .bind::<Text, _>(key)
    .bind::<Double, _>(capacity)
    .bind::<Double, _>(per_second)
    .get_result::<Seconds>(conn)?;
    Ok(Some(left.t))
}

/// A streak of tries as stored.
#[derive(Debug, Clone, Copy, PartialEq, QueryableByName)]
pub struct Streak {
    #[diesel(sql_type = Integer)]
    pub tries: i32,
    #[diesel(sql_type = Double)]
    pub last_at: f64,
    #[diesel(sql_type = Double)]
    pub not_before: f64,
}

/// Locks the streak under `key` until the transaction ends (creating an empty one), so
/// two instances counting the same account take turns; one statement, so a row deleted
/// meanwhile (a success, the sweep) is simply made again. Call it for a transaction's keys in
/// one order, so two transactions never deadlock.
pub fn lock_streak(conn: &mut PgConnection, key: &str) -> QueryResult<Streak> {
    diesel::sql_query(
        "INSERT INTO sign_in_streaks AS s (key, tries, last_at, not_before) VALUES ($1, 0, 0, 0) \
         ON CONFLICT (key) DO UPDATE SET tries = s.tries \
         RETURNING tries, last_at, not_before",
    )
    .bind::<Text, _>(key)
    .get_result(conn)
}

pub fn save_streak(conn: &mut PgConnection, key: &str, streak: Streak) -> QueryResult<()> {
    diesel::sql_query(
        "UPDATE sign_in_streaks SET tries = $2, last_at = $3, not_before = $4 WHERE key = $1",
    )
    .bind::<Text, _>(key)
    .bind::<Integer, _>(streak.tries)
    .bind::<Double, _>(streak.last_at)
    .bind::<Double, _>(streak.not_before)
    .execute(conn)
    .map(drop)
}

pub fn forget_streak(conn: &mut PgConnection, key: &str) -> QueryResult<()> {
    diesel::sql_query("DELETE FROM sign_in_streaks WHERE key = $1")
        .bind::<Text, _>(key)
        .execute(conn)
        .map(drop)
}

/// When `key` (an account and address) last signed in, if it ever did and is still kept.
pub fn known_since(conn: &mut PgConnection, key: &str) -> QueryResult<Option<f64>> {
    diesel::sql_query("SELECT seen_at AS t FROM sign_in_known WHERE key = $1")
        .bind::<Text, _>(key)
        .get_result::<Seconds>(conn)
        .optional()
        .map(|s| s.map(|s| s.t))
}

pub fn mark_known(conn: &mut PgConnection, key: &str, at: f64) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO sign_in_known (key, seen_at) VALUES ($1, $2) \
         ON CONFLICT (key) DO UPDATE SET seen_at = EXCLUDED.seen_at",
    )
    .bind::<Text, _>(key)
    .bind::<Double, _>(at)
    .execute(conn)
    .map(drop)
}

/// Deletes what no limit needs any more: buckets untouched for `bucket_full` seconds (full
/// again by then), streaks for `streak_memory`, known addresses for `known_for`. Answers how
/// many rows went.
pub fn forget_old(
    conn: &mut PgConnection,
    bucket_full: f64,
    streak_memory: f64,
    known_for: f64,
) -> QueryResult<usize> {
    let now = now(conn)?;
    let mut gone = 0;
    // Rows a sign-in or a filing holds right now are skipped (they are in use, so not old),
    // so the sweep never waits on them or deadlocks with them.
    for (sql, age) in [
        (
            "DELETE FROM limit_buckets WHERE key IN \
             (SELECT key FROM limit_buckets WHERE at < $1 FOR UPDATE SKIP LOCKED)",
            bucket_full,
        ),
        (
            "DELETE FROM sign_in_streaks WHERE key IN \
             (SELECT key FROM sign_in_streaks WHERE last_at < $1 FOR UPDATE SKIP LOCKED)",
            streak_memory,
        ),
        (
            "DELETE FROM sign_in_known WHERE key IN \
             (SELECT key FROM sign_in_known WHERE seen_at < $1 FOR UPDATE SKIP LOCKED)",
            known_for,
        ),
    ] {
        gone += diesel::sql_query(sql)
            .bind::<Double, _>(now - age)
            .execute(conn)?;
    }
    Ok(gone)
}
