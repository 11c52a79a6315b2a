//! The database side of the limits several instances share (PostgreSQL only; the rules are
//! `web::throttle::shared`'s): each method is one transaction over `db::limits`, handed to
//! the throttle so the pages and the API never reach the database themselves.

use crate::app::AppError;
use crate::db::limits;
use crate::db::{Backend, Conn, Db, DbError};

pub use crate::db::limits::Streak;

/// What a sign-in try finds, locked until it is decided: the database's time, the account's
/// streak, the pair's, and when the pair last signed in.
#[derive(Debug, Clone, Copy)]
pub struct Found {
    pub now: f64,
    pub account: Streak,
    pub pair: Streak,
    pub known_since: Option<f64>,
}

/// What to write back after a sign-in try was decided.
#[derive(Debug, Clone, Copy)]
pub enum Outcome {
    /// Refused: nothing changes.
    Unchanged,
    /// Counted: both streaks as given.
    Counted { account: Streak, pair: Streak },
    /// Succeeded: the account's streak as given, the pair's ended, the pair known from now.
    Succeeded { account: Streak },
}

pub struct SharedLimits {
    db: Db,
}

/// Runs `f` on the PostgreSQL connection; the limits' tables exist nowhere else.
fn on_postgres<T>(
    conn: &mut Conn,
    f: impl FnOnce(&mut diesel::pg::PgConnection) -> diesel::QueryResult<T>,
) -> Result<T, DbError> {
    match conn {
        Conn::Postgres(c) => f(c).map_err(DbError::from),
        Conn::Sqlite(_) => Err(DbError::BadUrl(
            "shared limits are kept in PostgreSQL only".into(),
        )),
    }
}

/// Runs `f` in one transaction on the PostgreSQL connection.
fn in_postgres<T>(
    db: &Db,
    f: impl FnOnce(&mut diesel::pg::PgConnection) -> diesel::QueryResult<T>,
) -> Result<T, AppError> {
    db.write(|conn| on_postgres(conn, f))
        .map_err(AppError::from)
}

impl SharedLimits {
    /// The limits' tables when `db` is PostgreSQL, which other instances may share; none on
    /// SQLite, which belongs to one process.
    pub fn on(db: &Db) -> Option<SharedLimits> {
        (db.backend() == Backend::Postgres).then(|| SharedLimits { db: db.clone() })
    }

    /// Takes a token from `key`'s bucket, in one statement and no transaction of its own:
    /// `None` taken, `Some(tokens)` refused with what is left.
    pub fn take_token(
        &self,
        key: &str,
        capacity: f64,
        per_second: f64,
    ) -> Result<Option<f64>, AppError> {
        self.db
            .read(|conn| on_postgres(conn, |c| limits::take_token(c, key, capacity, per_second)))
            .map_err(AppError::from)
    }

    /// Locks the account's streak, then the pair's (one order for every try, so two tries
    /// never wait on each other), hands them to `decide` and writes back what it says, all in
    /// one transaction.
    pub fn sign_in<T>(
        &self,
        account_key: &str,
        pair_key: &str,
        decide: impl FnOnce(Found) -> (Outcome, T),
    ) -> Result<T, AppError> {
        in_postgres(&self.db, |c| {
            let found = Found {
                now: limits::now(c)?,
                account: limits::lock_streak(c, account_key)?,
                pair: limits::lock_streak(c, pair_key)?,
                known_since: limits::known_since(c, pair_key)?,
            };
            let (outcome, answer) = decide(found);
            match outcome {
                Outcome::Unchanged => {}
                Outcome::Counted { account, pair } => {
                    limits::save_streak(c, account_key, account)?;
                    limits::save_streak(c, pair_key, pair)?;
                }
                Outcome::Succeeded { account } => {
                    limits::save_streak(c, account_key, account)?;
                    limits::forget_streak(c, pair_key)?;
                    limits::mark_known(c, pair_key, found.now)?;
                }
            }
            Ok(answer)
        })
    }

    /// Deletes rows past their limit's memory (seconds each); answers how many went.
    pub fn forget_old(
        &self,
        bucket_full: f64,
        streak_memory: f64,
        known_for: f64,
    ) -> Result<usize, AppError> {
        in_postgres(&self.db, |c| {
            limits::forget_old(c, bucket_full, streak_memory, known_for)
        })
    }
}
