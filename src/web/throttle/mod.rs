//! Limits on what one client may do: file requests (per address, 429 with Retry-After), and
//! guess staff passwords (a capped slow-down per account and address, [`signin`]). Who the
//! client is comes from [`address`]; what the limits remember is bounded ([`bounded`]). On
//! SQLite (one process) they live in memory; on PostgreSQL in the database ([`shared`]), so
//! several instances behind one proxy hold the limits of one.

pub mod address;
pub mod bounded;
pub mod shared;
pub mod signin;

use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use actix_web::HttpRequest;

use address::{client_address, limit_key, TrustedProxies};
use bounded::{BoundedMap, Touched};
use shared::Shared;
use signin::{Rules, SignIns};

use crate::app::limits::SharedLimits;
use crate::config::LimitSettings;

/// A token bucket: `per_minute` requests at once, refilled evenly over a minute.
#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Touched for Bucket {
    fn touched(&self) -> Instant {
        self.at
    }
}

pub struct Throttle {
    proxies: TrustedProxies,
    per_minute: u32,
    /// A bucket untouched for a minute is full again, so forgetting it changes nothing.
    submissions: Mutex<BoundedMap<IpAddr, Bucket>>,
    sign_ins: Mutex<SignIns>,
    /// On PostgreSQL: the limits every instance shares, used instead of the maps above.
    shared: Option<Arc<Shared>>,
}

fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

impl Throttle {
    /// Refuses a `limits.trusted_proxies` entry that is no address or network.
    pub fn new(settings: &LimitSettings) -> Result<Throttle, String> {
        Ok(Throttle {
            proxies: TrustedProxies::from_settings(settings)?,
            per_minute: settings.submissions_per_minute.max(1),
            submissions: Mutex::new(BoundedMap::new(
                settings.max_tracked,
                Duration::from_secs(60),
            )),
            sign_ins: Mutex::new(SignIns::new(settings)),
            shared: None,
        })
    }

    /// Keeps the limits in the database's tables when it has them (PostgreSQL, which other
    /// instances may share); otherwise in this process's memory.
    pub fn kept_in(mut self, shared: Option<SharedLimits>, settings: &LimitSettings) -> Throttle {
        self.shared =
            shared.map(|limits| Arc::new(Shared::new(limits, Rules::from_settings(settings))));
        self
    }

    /// The client's address, as far as the limits are concerned.
    pub fn address(&self, req: &HttpRequest) -> IpAddr {
        client_address(req, &self.proxies)
    }

    /// `Err(wait)` when this address has filed too many requests just now.
    pub async fn submission(&self, address: IpAddr) -> Result<(), Duration> {
        match &self.shared {
            None => self.submission_at(address, Instant::now()),
            Some(shared) => {
                let (shared, per_minute) = (shared.clone(), self.per_minute);
                let decided = actix_web::web::block(move || shared.submission(address, per_minute));
                settled(decided.await, "filing", Unread::LetThrough)
            }
        }
    }

    fn submission_at(&self, address: IpAddr, now: Instant) -> Result<(), Duration> {
        let capacity = f64::from(self.per_minute);
        let per_second = capacity / 60.0;
        let mut buckets = locked(&self.submissions);
        let bucket = buckets.entry(limit_key(address), now, || Bucket {
            tokens: capacity,
            at: now,
        });
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * per_second).min(capacity);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / per_second))
        }
    }

    /// Lets a sign-in try through (counting it as a failure until it succeeds), or says how
    /// long this account must wait at this address.
    pub async fn sign_in_attempt(&self, email: &str, address: IpAddr) -> Result<(), Duration> {
        match &self.shared {
            None => locked(&self.sign_ins).attempt(email, address, Instant::now()),
            Some(shared) => {
                let (shared, email) = (shared.clone(), email.to_string());
                let decided =
                    actix_web::web::block(move || shared.sign_in_attempt(&email, address));
                settled(decided.await, "sign-in", SIGN_IN_UNREAD)
            }
        }
    }

    pub async fn sign_in_succeeded(&self, email: &str, address: IpAddr) {
        match &self.shared {
            None => locked(&self.sign_ins).succeeded(email, address, Instant::now()),
            Some(shared) => {
                let (shared, email) = (shared.clone(), email.to_string());
                let done = actix_web::web::block(move || shared.sign_in_succeeded(&email, address));
                // Nothing to refuse here: a failure only leaves the streak counted.
                let _ = settled(done.await.map(|r| r.map(Ok)), "sign-in", Unread::LetThrough);
            }
        }
    }
}

/// What a shared limit the database could not answer means: a filing goes through (the limits
/// slow abuse down, and a database that cannot answer them cannot take the filing either); a
/// sign-in try waits `SIGN_IN_UNREAD` and tries again, so guessing is never unlimited when the
/// database is slow (which an attacker could cause).
#[derive(Debug, Clone, Copy)]
enum Unread {
    LetThrough,
    Wait(Duration),
}

const SIGN_IN_UNREAD: Unread = Unread::Wait(Duration::from_secs(5));

fn settled(
    decided: Result<
        Result<Result<(), Duration>, crate::app::AppError>,
        actix_web::error::BlockingError,
    >,
    what: &str,
    unread: Unread,
) -> Result<(), Duration> {
    let failure = match decided {
        Ok(Ok(verdict)) => return verdict,
        Ok(Err(e)) => e.to_string(),
        Err(e) => e.to_string(),
    };
    log::error!("the shared {what} limit could not be read: {failure}");
    match unread {
        Unread::LetThrough => Ok(()),
        Unread::Wait(wait) => Err(wait),
    }
}

/// Retry-After in whole seconds, never zero.
pub fn retry_after(wait: Duration) -> u32 {
    (wait.as_secs_f64().ceil() as u32).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> LimitSettings {
        let mut s = crate::config::Settings::defaults().limits;
        s.submissions_per_minute = 2;
        s.max_tracked = 64;
        s
    }

    #[test]
    fn an_address_files_its_quota_then_waits() {
        let throttle = Throttle::new(&settings()).unwrap();
        let here = IpAddr::from([10, 0, 0, 1]);
        let now = Instant::now();
        assert!(throttle.submission_at(here, now).is_ok());
        assert!(throttle.submission_at(here, now).is_ok());
        let wait = throttle.submission_at(here, now).unwrap_err();
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        assert!(
            throttle
                .submission_at(IpAddr::from([10, 0, 0, 2]), now)
                .is_ok(),
            "other addresses are not held up"
        );
        assert!(
            throttle.submission_at(here, now + wait).is_ok(),
            "refilled in time"
        );
    }

    #[test]
    fn the_addresses_remembered_stay_bounded() {
        let throttle = Throttle::new(&settings()).unwrap();
        let now = Instant::now();
        for i in 0..10_000u32 {
            let _ = throttle.submission_at(IpAddr::from(i.to_be_bytes()), now);
        }
        assert!(locked(&throttle.submissions).len() <= 64);
        let mut sign_ins = SignIns::new(&settings());
        for i in 0..10_000u32 {
            let _ = sign_ins.attempt(&format!("u{i}@x.test"), IpAddr::from(i.to_be_bytes()), now);
        }
        let (pairs, accounts, known) = sign_ins.sizes();
        assert!(pairs <= 64 && accounts <= 64, "{pairs} {accounts}");
        // Full, not empty: the bound is reached and held, which an empty map would not show.
        assert!(pairs > 32 && accounts > 32, "{pairs} {accounts}");
        assert!(known <= 64, "{known}");
    }

    #[test]
    fn retry_after_is_whole_seconds_and_never_zero() {
        assert_eq!(retry_after(Duration::from_millis(10)), 1);
        assert_eq!(retry_after(Duration::from_secs(3)), 3);
        assert_eq!(retry_after(Duration::from_millis(3100)), 4);
    }
}
