//! The same limits as in memory, kept in PostgreSQL so every instance on the database counts
//! against one budget (`db::limits`, migration 29): a filing takes a token from its address's
//! bucket in one statement; a sign-in try locks its account's and its pair's streaks, decides
//! as [`super::signin`] does, and writes them back in the same transaction.

use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::address::limit_key;
use super::signin::{account_key, Backoff, Rules, KNOWN_FOR};
use crate::db::limits::{self, Streak};
use crate::db::{Conn, Db, DbError};

/// How often rows nobody needs any more are deleted (at most; only as limits are asked).
const SWEEP_EVERY: Duration = Duration::from_secs(10 * 60);

pub struct Shared {
    db: Db,
    rules: Rules,
    last_sweep: Mutex<Option<Instant>>,
}

/// Runs `f` in one transaction on the PostgreSQL connection.
fn in_postgres<T>(
    db: &Db,
    f: impl FnOnce(&mut diesel::pg::PgConnection) -> diesel::QueryResult<T>,
) -> Result<T, DbError> {
    db.write(|conn| match conn {
        Conn::Postgres(c) => f(c).map_err(DbError::from),
        Conn::Sqlite(_) => Err(DbError::BadUrl(
            "shared limits are kept in PostgreSQL only".into(),
        )),
    })
}

fn pair_key(address: IpAddr, account: &str) -> String {
    // The address first: it holds no space, so no account name can make two pairs one key.
    format!("pair {} {account}", limit_key(address))
}

fn account_streak_key(account: &str) -> String {
    format!("account {account}")
}

/// A streak as it counts now: one nobody added to for `memory` is forgotten.
fn current(streak: Streak, now: f64, memory: Duration) -> Streak {
    if streak.tries > 0 && now - streak.last_at <= memory.as_secs_f64() {
        streak
    } else {
        Streak {
            tries: 0,
            last_at: now,
            not_before: now,
        }
    }
}

fn counted(streak: Streak, now: f64, backoff: Backoff) -> Streak {
    let tries = streak.tries.saturating_add(1);
    Streak {
        tries,
        last_at: now,
        not_before: now + backoff.delay(tries as u32).as_secs_f64(),
    }
}

fn wait(streak: Streak, now: f64) -> f64 {
    (streak.not_before - now).max(0.0)
}

impl Shared {
    pub fn new(db: Db, rules: Rules) -> Shared {
        Shared {
            db,
            rules,
            last_sweep: Mutex::new(None),
        }
    }

    /// Takes a filing token for `address`: `Ok(Err(wait))` when there is none.
    pub fn submission(
        &self,
        address: IpAddr,
        per_minute: u32,
    ) -> Result<Result<(), Duration>, DbError> {
        self.sweep_now_and_then();
        let capacity = f64::from(per_minute);
        let per_second = capacity / 60.0;
        let key = limit_key(address).to_string();
        let left = in_postgres(&self.db, |c| {
            limits::take_token(c, &key, capacity, per_second)
        })?;
        Ok(match left {
            None => Ok(()),
            Some(tokens) => Err(Duration::from_secs_f64(
                ((1.0 - tokens) / per_second).max(0.001),
            )),
        })
    }

    /// As `SignIns::attempt`: lets the try through and counts it, or says how long to wait.
    pub fn sign_in_attempt(
        &self,
        email: &str,
        address: IpAddr,
    ) -> Result<Result<(), Duration>, DbError> {
        let account = account_key(email);
        let (account_key, pair_key) = (account_streak_key(&account), pair_key(address, &account));
        let rules = self.rules;
        in_postgres(&self.db, |c| {
            let now = limits::now(c)?;
            // Always the account's row first, then the pair's: one order for every try.
            let for_account = current(limits::lock_streak(c, &account_key)?, now, rules.memory);
            let for_pair = current(limits::lock_streak(c, &pair_key)?, now, rules.memory);
            let known = limits::known_since(c, &pair_key)?
                .is_some_and(|seen| now - seen <= KNOWN_FOR.as_secs_f64());
            let mut held = wait(for_pair, now);
            if !known {
                held = held.max(wait(for_account, now));
            }
            if held > 0.0 {
                return Ok(Err(Duration::from_secs_f64(held)));
            }
            limits::save_streak(c, &account_key, counted(for_account, now, rules.account))?;
            limits::save_streak(c, &pair_key, counted(for_pair, now, rules.pair))?;
            Ok(Ok(()))
        })
    }

    /// As `SignIns::succeeded`: the pair's streak ends, the account's forgets this try, and
    /// the address is known for the account from now on.
    pub fn sign_in_succeeded(&self, email: &str, address: IpAddr) -> Result<(), DbError> {
        let account = account_key(email);
        let (account_key, pair_key) = (account_streak_key(&account), pair_key(address, &account));
        let rules = self.rules;
        in_postgres(&self.db, |c| {
            let now = limits::now(c)?;
            let streak = current(limits::lock_streak(c, &account_key)?, now, rules.memory);
            let tries = (streak.tries - 1).max(0);
            let forgiven = Streak {
                tries,
                last_at: streak.last_at,
                not_before: streak.last_at + rules.account.delay(tries as u32).as_secs_f64(),
            };
            limits::save_streak(c, &account_key, forgiven)?;
            limits::forget_streak(c, &pair_key)?;
            limits::mark_known(c, &pair_key, now)
        })
    }

    /// Deletes rows past every limit's memory, at most every `SWEEP_EVERY`, from whichever
    /// instance asks first. A failure is logged; the limits work without it.
    fn sweep_now_and_then(&self) {
        {
            let mut last = self.last_sweep.lock().unwrap_or_else(|p| p.into_inner());
            if last.is_some_and(|at| at.elapsed() < SWEEP_EVERY) {
                return;
            }
            *last = Some(Instant::now());
        }
        let memory = self.rules.memory.as_secs_f64();
        match in_postgres(&self.db, |c| {
            limits::forget_old(c, 120.0, memory, KNOWN_FOR.as_secs_f64())
        }) {
            Ok(0) => {}
            Ok(n) => log::info!("forgot {n} limit rows nobody needs any more"),
            Err(e) => log::error!("forgetting old limit rows: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEMORY: Duration = Duration::from_secs(900);

    fn backoff() -> Backoff {
        Backoff {
            free: 2,
            initial: Duration::from_secs(1),
            max: Duration::from_secs(4),
        }
    }

    #[test]
    fn a_streak_counts_its_free_tries_then_waits_doubling_to_the_cap() {
        let mut streak = current(
            limits::Streak {
                tries: 0,
                last_at: 0.0,
                not_before: 0.0,
            },
            100.0,
            MEMORY,
        );
        let mut waits = Vec::new();
        for _ in 0..5 {
            streak = counted(current(streak, 100.0, MEMORY), 100.0, backoff());
            waits.push(wait(streak, 100.0));
        }
        assert_eq!(waits, [0.0, 1.0, 2.0, 4.0, 4.0]);
        assert_eq!(streak.tries, 5);
    }

    #[test]
    fn a_streak_nobody_added_to_for_its_memory_is_forgotten_and_not_before() {
        let streak = limits::Streak {
            tries: 7,
            last_at: 100.0,
            not_before: 104.0,
        };
        assert_eq!(
            current(streak, 100.0 + 900.0, MEMORY),
            streak,
            "at the edge: kept"
        );
        let forgotten = current(streak, 100.0 + 900.5, MEMORY);
        assert_eq!(forgotten.tries, 0);
        assert_eq!(wait(forgotten, 1000.5), 0.0);
    }

    #[test]
    fn keys_keep_an_address_and_an_account_apart_whatever_the_account_says() {
        let a = pair_key(IpAddr::from([10, 0, 0, 1]), "x y");
        let b = pair_key(IpAddr::from([10, 0, 0, 1]), "x");
        assert_ne!(a, b);
        assert_eq!(a, "pair 10.0.0.1 x y");
        assert_ne!(account_streak_key("pair 10.0.0.1 x"), a);
        // An IPv6 address's /64 is one key, as in memory.
        assert_eq!(
            pair_key("2001:db8::1".parse().unwrap(), "c"),
            pair_key("2001:db8::2".parse().unwrap(), "c")
        );
    }
}
