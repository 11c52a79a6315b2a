//! Limits on what one client may do: file requests (per address, 429 with Retry-After), and
//! guess staff passwords (per account and per address, counting failures only).

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::HttpRequest;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::LimitSettings;

/// The client's address: the peer, or the first X-Forwarded-For hop when configured to trust it.
pub fn client_address(req: &HttpRequest, trust_forwarded_for: bool) -> IpAddr {
    let forwarded = trust_forwarded_for
        .then(|| {
            req.headers()
                .get("x-forwarded-for")?
                .to_str()
                .ok()?
                .split(',')
                .next()?
                .trim()
                .parse()
                .ok()
        })
        .flatten();
    forwarded
        .or_else(|| req.peer_addr().map(|a| a.ip()))
        .unwrap_or(IpAddr::from([0, 0, 0, 0]))
}

/// Failures counted in a window; past the limit, the key waits until the window ends.
#[derive(Debug, Default)]
struct FailureCounter {
    failures: HashMap<String, (u32, Instant)>,
}

impl FailureCounter {
    fn wait(&mut self, key: &str, limit: u32, window: Duration) -> Option<Duration> {
        let (count, since) = *self.failures.get(key)?;
        let elapsed = since.elapsed();
        if elapsed >= window {
            self.failures.remove(key);
            return None;
        }
        (count >= limit).then(|| window - elapsed)
    }

    fn fail(&mut self, key: &str, window: Duration) {
        let entry = self
            .failures
            .entry(key.to_string())
            .or_insert((0, Instant::now()));
        if entry.1.elapsed() >= window {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }

    fn clear(&mut self, key: &str) {
        self.failures.remove(key);
    }
}

pub struct Throttle {
    submissions: DefaultKeyedRateLimiter<IpAddr>,
    logins: Mutex<FailureCounter>,
    settings: LimitSettings,
}

impl Throttle {
    pub fn new(settings: &LimitSettings) -> Throttle {
        let per_minute =
            NonZeroU32::new(settings.submissions_per_minute.max(1)).expect("at least one");
        Throttle {
            submissions: RateLimiter::keyed(Quota::per_minute(per_minute)),
            logins: Mutex::new(FailureCounter::default()),
            settings: settings.clone(),
        }
    }

    pub fn address(&self, req: &HttpRequest) -> IpAddr {
        client_address(req, self.settings.trust_forwarded_for)
    }

    /// `Err(wait)` when this address has filed too many requests just now.
    pub fn submission(&self, address: IpAddr) -> Result<(), Duration> {
        self.submissions
            .check_key(&address)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    fn window(&self) -> Duration {
        Duration::from_secs(self.settings.login_lockout_seconds.max(1))
    }

    /// `Err(wait)` when the account or the address has failed too often to try again yet.
    pub fn login_allowed(&self, email: &str, address: IpAddr) -> Result<(), Duration> {
        let window = self.window();
        let mut counter = self.logins.lock().unwrap_or_else(|p| p.into_inner());
        let account = counter.wait(
            &format!("account:{}", email.trim().to_lowercase()),
            self.settings.login_failures_per_account,
            window,
        );
        let from = counter.wait(
            &format!("address:{address}"),
            self.settings.login_failures_per_address,
            window,
        );
        match account.into_iter().chain(from).max() {
            Some(wait) => Err(wait),
            None => Ok(()),
        }
    }

    pub fn login_failed(&self, email: &str, address: IpAddr) {
        let window = self.window();
        let mut counter = self.logins.lock().unwrap_or_else(|p| p.into_inner());
        counter.fail(&format!("account:{}", email.trim().to_lowercase()), window);
        counter.fail(&format!("address:{address}"), window);
    }

    pub fn login_succeeded(&self, email: &str) {
        let mut counter = self.logins.lock().unwrap_or_else(|p| p.into_inner());
        counter.clear(&format!("account:{}", email.trim().to_lowercase()));
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
        LimitSettings {
            submissions_per_minute: 2,
            login_failures_per_account: 3,
            login_failures_per_address: 10,
            login_lockout_seconds: 60,
            trust_forwarded_for: false,
        }
    }

    #[test]
    fn an_address_files_its_quota_then_waits() {
        let throttle = Throttle::new(&settings());
        let here = IpAddr::from([10, 0, 0, 1]);
        assert!(throttle.submission(here).is_ok());
        assert!(throttle.submission(here).is_ok());
        let wait = throttle.submission(here).unwrap_err();
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(60));
        assert!(
            throttle.submission(IpAddr::from([10, 0, 0, 2])).is_ok(),
            "other addresses are not held up"
        );
    }

    #[test]
    fn an_account_locks_after_its_failures_and_a_success_clears_it() {
        let throttle = Throttle::new(&settings());
        let here = IpAddr::from([10, 0, 0, 1]);
        for _ in 0..2 {
            throttle.login_failed("Clerk@city.test", here);
        }
        assert!(throttle.login_allowed("clerk@city.test", here).is_ok());
        throttle.login_succeeded("clerk@city.test");
        for _ in 0..3 {
            throttle.login_failed("clerk@city.test", here);
        }
        assert!(throttle.login_allowed("clerk@city.test", here).is_err());
        assert!(throttle.login_allowed("other@city.test", here).is_ok());
    }

    #[test]
    fn an_address_guessing_many_accounts_is_held_up() {
        let throttle = Throttle::new(&settings());
        let here = IpAddr::from([10, 0, 0, 9]);
        for i in 0..10 {
            throttle.login_failed(&format!("user{i}@city.test"), here);
        }
        assert!(throttle.login_allowed("new@city.test", here).is_err());
        assert!(throttle
            .login_allowed("new@city.test", IpAddr::from([10, 0, 0, 8]))
            .is_ok());
    }

    #[test]
    fn retry_after_is_whole_seconds_and_never_zero() {
        assert_eq!(retry_after(Duration::from_millis(10)), 1);
        assert_eq!(retry_after(Duration::from_secs(3)), 3);
        assert_eq!(retry_after(Duration::from_millis(3100)), 4);
    }
}
