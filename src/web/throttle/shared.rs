//! The same limits as in memory, kept in PostgreSQL so every instance on the database counts
//! against one budget (`app::limits`, migration 29): a filing takes a token from its address's
//! bucket in one statement; a sign-in try locks its account's and its pair's streaks, is
//! decided here as [`super::signin`] decides in memory, and writes them back in the same
//! transaction.

use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::address::limit_key;
use super::signin::{account_key, Backoff, Rules, KNOWN_FOR};
use crate::app::limits::{Found, Outcome, SharedLimits, Streak};
use crate::app::AppError;

/// How often rows nobody needs any more are deleted (at most; only as limits are asked).
const SWEEP_EVERY: Duration = Duration::from_secs(10 * 60);

pub struct Shared {
    limits: SharedLimits,
    rules: Rules,
    last_sweep: Mutex<Option<Instant>>,
}

fn pair_key(address: IpAddr, account: &str) -> String {
    // The address first: it holds no space, so no account name can make two pairs one key.
    format!("pair {} {}", limit_key(address), storable(account))
}

fn account_streak_key(account: &str) -> String {
    format!("account {}", storable(account))
}

/// PostgreSQL's text holds every character but NUL, which a sign-in may still carry: it is
/// kept as the sign that pictures it, so such a try is counted like any other.
fn storable(account: &str) -> std::borrow::Cow<'_, str> {
    if account.contains('\0') {
        account.replace('\0', "\u{2400}").into()
    } else {
        account.into()
    }
}

/// A streak as it counts now: one nobody added to for `memory` is forgotten.
fn current(streak: Streak, now: f64, memory: Duration) -> Streak {
    // As the in-memory map: forgotten once `memory` has passed since the last try.
    if streak.tries > 0 && now - streak.last_at < memory.as_secs_f64() {
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

/// As `SignIns::attempt`: refused (nothing counted) while the pair's streak, or the account's
/// from an address it never signed in from, says wait; otherwise both count the try.
fn attempt(found: Found, rules: Rules) -> (Outcome, Result<(), Duration>) {
    let now = found.now;
    let account = current(found.account, now, rules.memory);
    let pair = current(found.pair, now, rules.memory);
    let known = found
        .known_since
        .is_some_and(|seen| now - seen <= KNOWN_FOR.as_secs_f64());
    let mut held = wait(pair, now);
    if !known {
        held = held.max(wait(account, now));
    }
    if held > 0.0 {
        return (Outcome::Unchanged, Err(Duration::from_secs_f64(held)));
    }
    let outcome = Outcome::Counted {
        account: counted(account, now, rules.account),
        pair: counted(pair, now, rules.pair),
    };
    (outcome, Ok(()))
}

/// As `SignIns::succeeded`: the account's streak forgets this try (its wait measured from
/// its last try again); the pair's ends and the address is known, which `Succeeded` writes.
fn succeeded(found: Found, rules: Rules) -> Outcome {
    let streak = current(found.account, found.now, rules.memory);
    let tries = (streak.tries - 1).max(0);
    Outcome::Succeeded {
        account: Streak {
            tries,
            last_at: streak.last_at,
            not_before: streak.last_at + rules.account.delay(tries as u32).as_secs_f64(),
        },
    }
}

impl Shared {
    pub fn new(limits: SharedLimits, rules: Rules) -> Shared {
        Shared {
            limits,
            rules,
            last_sweep: Mutex::new(None),
        }
    }

    /// Takes a filing token for `address`: `Ok(Err(wait))` when there is none.
    pub fn submission(
        &self,
        address: IpAddr,
        per_minute: u32,
    ) -> Result<Result<(), Duration>, AppError> {
        self.sweep_now_and_then();
        let capacity = f64::from(per_minute);
        let per_second = capacity / 60.0;
        let key = limit_key(address).to_string();
        Ok(match self.limits.take_token(&key, capacity, per_second)? {
            None => Ok(()),
            Some(tokens) => Err(Duration::from_secs_f64(
                ((1.0 - tokens) / per_second).max(0.001),
            )),
        })
    }

    /// Lets the try through and counts it, or says how long to wait.
    pub fn sign_in_attempt(
        &self,
        email: &str,
        address: IpAddr,
    ) -> Result<Result<(), Duration>, AppError> {
        self.sweep_now_and_then();
        let account = account_key(email);
        let rules = self.rules;
        self.limits.sign_in(
            &account_streak_key(&account),
            &pair_key(address, &account),
            |found| attempt(found, rules),
        )
    }

    pub fn sign_in_succeeded(&self, email: &str, address: IpAddr) -> Result<(), AppError> {
        let account = account_key(email);
        let rules = self.rules;
        self.limits.sign_in(
            &account_streak_key(&account),
            &pair_key(address, &account),
            |found| (succeeded(found, rules), ()),
        )
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
        // A bucket untouched for a minute is full again; two leave room for clock steps.
        let memory = self.rules.memory.as_secs_f64();
        match self
            .limits
            .forget_old(120.0, memory, KNOWN_FOR.as_secs_f64())
        {
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
            Streak {
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
        let streak = Streak {
            tries: 7,
            last_at: 100.0,
            not_before: 104.0,
        };
        assert_eq!(
            current(streak, 100.0 + 899.5, MEMORY),
            streak,
            "just inside its memory: kept"
        );
        let forgotten = current(streak, 100.0 + 900.0, MEMORY);
        assert_eq!(
            forgotten.tries, 0,
            "as the in-memory map: gone at its memory"
        );
        assert_eq!(wait(forgotten, 1000.0), 0.0);
    }

    fn rules() -> Rules {
        Rules {
            pair: backoff(),
            account: Backoff {
                free: 3,
                initial: Duration::from_secs(1),
                max: Duration::from_secs(8),
            },
            memory: MEMORY,
        }
    }

    const NONE: Streak = Streak {
        tries: 0,
        last_at: 0.0,
        not_before: 0.0,
    };

    fn found(account: Streak, pair: Streak, known_since: Option<f64>) -> Found {
        Found {
            now: 1000.0,
            account,
            pair,
            known_since,
        }
    }

    #[test]
    fn a_try_counts_on_both_streaks_and_a_held_one_counts_nothing() {
        let (outcome, verdict) = attempt(found(NONE, NONE, None), rules());
        assert_eq!(verdict, Ok(()));
        let Outcome::Counted { account, pair } = outcome else {
            panic!("{outcome:?}")
        };
        assert_eq!((account.tries, pair.tries), (1, 1));
        let held = Streak {
            tries: 4,
            last_at: 999.0,
            not_before: 1003.0,
        };
        let (outcome, verdict) = attempt(found(NONE, held, None), rules());
        assert_eq!(verdict, Err(Duration::from_secs(3)));
        assert!(matches!(outcome, Outcome::Unchanged));
    }

    #[test]
    fn an_address_the_account_signed_in_from_is_not_held_by_the_accounts_streak() {
        let account = Streak {
            tries: 20,
            last_at: 999.0,
            not_before: 1008.0,
        };
        let (_, stranger) = attempt(found(account, NONE, None), rules());
        assert_eq!(stranger, Err(Duration::from_secs(8)));
        let (_, known) = attempt(found(account, NONE, Some(990.0)), rules());
        assert_eq!(known, Ok(()));
        let long_ago = 1000.0 - KNOWN_FOR.as_secs_f64() - 1.0;
        let (_, forgotten) = attempt(found(account, NONE, Some(long_ago)), rules());
        assert_eq!(
            forgotten,
            Err(Duration::from_secs(8)),
            "known 30 days at most"
        );
    }

    #[test]
    fn a_success_forgives_one_try_of_the_accounts_streak_measured_from_its_last() {
        let account = Streak {
            tries: 5,
            last_at: 998.0,
            not_before: 1006.0,
        };
        let Outcome::Succeeded { account } = succeeded(found(account, NONE, None), rules()) else {
            panic!("a success")
        };
        // Four tries: the account's backoff gives 2 s after its last try.
        assert_eq!(account.tries, 4);
        assert_eq!(account.not_before, 1000.0);
    }

    #[test]
    fn a_nul_in_a_sign_in_name_is_kept_as_a_character_postgresql_can_store() {
        let key = account_streak_key("clerk\0@city.test");
        assert!(!key.contains('\0'));
        assert_ne!(key, account_streak_key("clerk@city.test"));
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
