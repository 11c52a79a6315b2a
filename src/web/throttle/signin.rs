//! Slowing down password guessing without letting anyone lock a staff member out.
//!
//! Every try counts as a failure when it is let through (so a burst of concurrent tries is
//! counted before any answer), and a success takes it back. Two streaks are kept:
//! - per (account, address): after `free` tries, the next waits `initial`, doubling per try
//!   up to `max`. An attacker slows down only themselves (and whoever shares their address,
//!   for that one account);
//! - per account, from any address: the same with its own free tries and cap, so many
//!   addresses together still guess slowly. An address the account has signed in from is not
//!   held up by it: a stream of failures from elsewhere never keeps the staff member out.
//!
//! A streak nobody added to for `memory` is forgotten; the maps are bounded ([`BoundedMap`]).

use std::net::IpAddr;
use std::time::{Duration, Instant};

use super::address::limit_key;
use super::bounded::{BoundedMap, Touched};
use crate::config::LimitSettings;

/// How long an address stays known for an account after a sign-in from it.
pub(super) const KNOWN_FOR: Duration = Duration::from_secs(30 * 24 * 3600);
/// The longest account name kept (an email is at most 254 characters); longer ones are cut,
/// so a key costs little memory whatever is sent.
const MAX_ACCOUNT_KEY: usize = 254;

/// When the next try waits, by how many tries were counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub free: u32,
    pub initial: Duration,
    pub max: Duration,
}

impl Backoff {
    /// The wait after `tries` counted tries: none for the free ones, then `initial` doubling.
    pub fn delay(&self, tries: u32) -> Duration {
        if tries < self.free.max(1) {
            return Duration::ZERO;
        }
        let doublings = (tries - self.free.max(1)).min(30);
        self.initial.saturating_mul(1u32 << doublings).min(self.max)
    }
}

#[derive(Debug)]
struct Streak {
    tries: u32,
    last: Instant,
    not_before: Instant,
}

impl Touched for Streak {
    fn touched(&self) -> Instant {
        self.last
    }
}

impl Streak {
    fn fresh(now: Instant) -> Streak {
        Streak {
            tries: 0,
            last: now,
            not_before: now,
        }
    }

    fn wait(&self, now: Instant) -> Duration {
        self.not_before.saturating_duration_since(now)
    }

    fn count(&mut self, now: Instant, backoff: Backoff) {
        self.tries = self.tries.saturating_add(1);
        self.last = now;
        self.not_before = now + backoff.delay(self.tries);
    }
}

#[derive(Debug)]
struct Seen(Instant);

impl Touched for Seen {
    fn touched(&self) -> Instant {
        self.0
    }
}

type Pair = (String, IpAddr);

#[derive(Debug)]
pub struct SignIns {
    pair: Backoff,
    account: Backoff,
    pairs: BoundedMap<Pair, Streak>,
    accounts: BoundedMap<String, Streak>,
    known: BoundedMap<Pair, Seen>,
}

pub(super) fn account_key(email: &str) -> String {
    let mut key = email.trim().to_lowercase();
    if key.len() > MAX_ACCOUNT_KEY {
        let mut cut = MAX_ACCOUNT_KEY;
        while !key.is_char_boundary(cut) {
            cut -= 1;
        }
        key.truncate(cut);
    }
    key
}

/// The two backoffs and how long a streak is remembered, from the settings.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    pub pair: Backoff,
    pub account: Backoff,
    pub memory: Duration,
}

impl Rules {
    pub fn from_settings(settings: &LimitSettings) -> Rules {
        let pair = Backoff {
            free: settings.login_free_tries,
            initial: Duration::from_millis(settings.login_delay_initial_milliseconds.max(1)),
            max: Duration::from_millis(settings.login_delay_max_milliseconds.max(1)),
        };
        let account = Backoff {
            free: settings.login_account_free_tries,
            initial: pair.initial,
            max: Duration::from_millis(settings.login_account_delay_max_milliseconds.max(1)),
        };
        // A streak outlives its longest wait, or forgetting it would cut the wait short.
        let memory = Duration::from_secs(settings.login_memory_seconds)
            .max(pair.max)
            .max(account.max);
        Rules {
            pair,
            account,
            memory,
        }
    }
}

impl SignIns {
    pub fn new(settings: &LimitSettings) -> SignIns {
        let Rules {
            pair,
            account,
            memory,
        } = Rules::from_settings(settings);
        let max = settings.max_tracked;
        SignIns {
            pair,
            account,
            pairs: BoundedMap::new(max, memory),
            accounts: BoundedMap::new(max, memory),
            known: BoundedMap::new(max, KNOWN_FOR),
        }
    }

    /// Lets a try through and counts it, or says how long to wait (nothing counted).
    pub fn attempt(&mut self, email: &str, address: IpAddr, now: Instant) -> Result<(), Duration> {
        let account = account_key(email);
        let pair = (account.clone(), limit_key(address));
        let mut wait = self
            .pairs
            .get(&pair, now)
            .map_or(Duration::ZERO, |s| s.wait(now));
        if self.known.get(&pair, now).is_none() {
            let held = self
                .accounts
                .get(&account, now)
                .map_or(Duration::ZERO, |s| s.wait(now));
            wait = wait.max(held);
        }
        if !wait.is_zero() {
            return Err(wait);
        }
        let (pair_backoff, account_backoff) = (self.pair, self.account);
        self.pairs
            .entry(pair, now, || Streak::fresh(now))
            .count(now, pair_backoff);
        self.accounts
            .entry(account, now, || Streak::fresh(now))
            .count(now, account_backoff);
        Ok(())
    }

    /// The try was right: the pair's streak ends, the account's forgets this try, and the
    /// address is known for the account from now on.
    pub fn succeeded(&mut self, email: &str, address: IpAddr, now: Instant) {
        let account = account_key(email);
        let pair = (account.clone(), limit_key(address));
        self.pairs.remove(&pair);
        if let Some(streak) = self.accounts.get_mut(&account, now) {
            streak.tries = streak.tries.saturating_sub(1);
            streak.not_before = streak.last + self.account.delay(streak.tries);
        }
        self.known.entry(pair, now, || Seen(now)).0 = now;
    }

    /// How many keys each map holds (pairs, accounts, known addresses).
    pub fn sizes(&self) -> (usize, usize, usize) {
        (self.pairs.len(), self.accounts.len(), self.known.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> LimitSettings {
        let mut s = crate::config::Settings::defaults().limits;
        s.login_free_tries = 3;
        s.login_delay_initial_milliseconds = 1000;
        s.login_delay_max_milliseconds = 30_000;
        s.login_account_free_tries = 10;
        s.login_account_delay_max_milliseconds = 5_000;
        s.login_memory_seconds = 900;
        s
    }

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([198, 51, 100, last])
    }

    #[test]
    fn the_backoff_doubles_after_the_free_tries_up_to_its_cap() {
        let b = Backoff {
            free: 3,
            initial: Duration::from_secs(1),
            max: Duration::from_secs(30),
        };
        let waits: Vec<u64> = (1..=10).map(|n| b.delay(n).as_secs()).collect();
        assert_eq!(waits, [0, 0, 1, 2, 4, 8, 16, 30, 30, 30]);
        assert_eq!(b.delay(u32::MAX), Duration::from_secs(30));
    }

    #[test]
    fn tries_from_one_address_wait_longer_and_longer_but_never_past_the_cap() {
        let mut s = SignIns::new(&settings());
        let mut now = Instant::now();
        for _ in 0..3 {
            assert!(s.attempt("clerk@city.test", ip(1), now).is_ok());
        }
        assert_eq!(
            s.attempt("clerk@city.test", ip(1), now),
            Err(Duration::from_secs(1))
        );
        for expected in [1, 2, 4, 8, 16, 30, 30] {
            let wait = s.attempt("Clerk@City.test", ip(1), now).unwrap_err();
            assert_eq!(wait.as_secs(), expected);
            now += wait;
            assert!(s.attempt("clerk@city.test", ip(1), now).is_ok());
        }
    }

    #[test]
    fn failures_elsewhere_never_hold_up_an_address_the_account_signed_in_from() {
        let mut s = SignIns::new(&settings());
        let mut now = Instant::now();
        assert!(s.attempt("clerk@city.test", ip(7), now).is_ok());
        s.succeeded("clerk@city.test", ip(7), now);
        // Attackers on many addresses, each trying as soon as allowed.
        for round in 0..200u32 {
            let _ = s.attempt("clerk@city.test", ip((round % 50) as u8 + 100), now);
            now += Duration::from_millis(100);
        }
        assert!(
            s.attempt("clerk@city.test", ip(7), now).is_ok(),
            "the clerk's address"
        );
        // A new address is held up by the account's streak, at most its cap.
        if let Err(wait) = s.attempt("clerk@city.test", ip(8), now) {
            assert!(wait <= Duration::from_secs(5), "{wait:?}");
        }
    }

    #[test]
    fn many_addresses_together_guess_no_faster_than_the_account_allows() {
        let mut s = SignIns::new(&settings());
        let start = Instant::now();
        let mut now = start;
        let mut let_through = 0;
        // 1000 addresses, one try each, every 10 ms: ten seconds of tries.
        for i in 0..1000u32 {
            let address = IpAddr::from([203, 0, (i / 256) as u8, (i % 256) as u8]);
            if s.attempt("clerk@city.test", address, now).is_ok() {
                let_through += 1;
            }
            now += Duration::from_millis(10);
        }
        // The free tries, then about one per cap (5 s) once the backoff reaches it.
        assert_eq!(let_through, 13);
    }

    #[test]
    fn one_address_failing_on_many_accounts_does_not_hold_up_another_account() {
        let mut s = SignIns::new(&settings());
        let now = Instant::now();
        for i in 0..100 {
            let _ = s.attempt(&format!("user{i}@city.test"), ip(9), now);
        }
        assert!(s.attempt("clerk@city.test", ip(9), now).is_ok());
    }

    #[test]
    fn a_success_ends_the_pairs_streak_and_streaks_are_forgotten_in_time() {
        let mut s = SignIns::new(&settings());
        let now = Instant::now();
        for _ in 0..3 {
            s.attempt("clerk@city.test", ip(1), now).unwrap();
        }
        s.succeeded("clerk@city.test", ip(1), now);
        assert!(s.attempt("clerk@city.test", ip(1), now).is_ok());
        for _ in 0..5 {
            let _ = s.attempt("other@city.test", ip(2), now);
        }
        assert!(s.attempt("other@city.test", ip(2), now).is_err());
        let later = now + Duration::from_secs(901);
        assert!(s.attempt("other@city.test", ip(2), later).is_ok());
    }

    #[test]
    fn account_keys_are_cut_to_the_longest_email() {
        assert_eq!(account_key(" A@B.c "), "a@b.c");
        assert_eq!(account_key(&"é".repeat(1000)).len(), 254);
    }
}
