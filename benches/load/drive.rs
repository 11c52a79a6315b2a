//! Runs one kind of call from many clients at once and keeps every latency, so the figures are
//! percentiles of all calls, not of samples.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What one measured phase did.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub name: String,
    pub ok: u64,
    pub errors: u64,
    /// The first few errors, verbatim, to print.
    pub error_samples: Vec<String>,
    pub seconds: f64,
    /// Microseconds of every successful call, sorted.
    pub latencies: Vec<u32>,
    /// What a rate counts, when it is not calls (e.g. "events").
    pub unit: &'static str,
    /// Units done (equals `ok` for calls).
    pub units: u64,
    /// Clients at once.
    pub clients: usize,
}

impl Stats {
    pub fn rate(&self) -> f64 {
        if self.seconds > 0.0 {
            self.units as f64 / self.seconds
        } else {
            0.0
        }
    }

    /// The latency at quantile `q` (0–1), in milliseconds; None without latencies.
    pub fn quantile_ms(&self, q: f64) -> Option<f64> {
        let n = self.latencies.len();
        if n == 0 {
            return None;
        }
        let index = ((n as f64 * q).ceil() as usize).clamp(1, n) - 1;
        Some(f64::from(self.latencies[index]) / 1000.0)
    }

    /// A measurement taken once, without per-call latencies (a command's run time).
    pub fn once(name: &str, unit: &'static str, units: u64, seconds: f64) -> Stats {
        Stats {
            name: name.into(),
            ok: 1,
            seconds,
            unit,
            units,
            clients: 1,
            ..Stats::default()
        }
    }
}

/// When a phase ends: after a time, after a number of calls, or at whichever comes first.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub seconds: Option<f64>,
    pub calls: Option<u64>,
}

impl Limit {
    pub fn seconds(seconds: f64) -> Limit {
        Limit {
            seconds: Some(seconds),
            calls: None,
        }
    }
}

const KEPT_ERRORS: usize = 5;

/// Runs `call(worker, n)` from `concurrency` clients until `limit`; `n` numbers the calls
/// 0, 1, 2… across all clients. A call answers Err with a description of what was wrong.
pub async fn drive<F, Fut>(name: &str, concurrency: usize, limit: Limit, call: F) -> Stats
where
    F: Fn(usize, u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let call = Arc::new(call);
    let next = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(Mutex::new((0_u64, Vec::<String>::new())));
    let started = Instant::now();
    let deadline = limit.seconds.map(|s| started + Duration::from_secs_f64(s));
    let mut workers = Vec::new();
    for worker in 0..concurrency.max(1) {
        let (call, next, errors) = (call.clone(), next.clone(), errors.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                if deadline.is_some_and(|d| Instant::now() >= d) {
                    break;
                }
                let n = next.fetch_add(1, Ordering::Relaxed);
                if limit.calls.is_some_and(|max| n >= max) {
                    break;
                }
                let began = Instant::now();
                match call(worker, n).await {
                    Ok(()) => {
                        latencies.push(began.elapsed().as_micros().min(u32::MAX as u128) as u32)
                    }
                    Err(e) => {
                        let mut errors = errors.lock().unwrap();
                        errors.0 += 1;
                        if errors.1.len() < KEPT_ERRORS {
                            errors.1.push(e);
                        }
                    }
                }
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for worker in workers {
        latencies.extend(worker.await.expect("a load client does not panic"));
    }
    let seconds = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let (errors, error_samples) = Arc::try_unwrap(errors)
        .expect("every client has finished")
        .into_inner()
        .unwrap();
    Stats {
        name: name.into(),
        ok: latencies.len() as u64,
        units: latencies.len() as u64,
        errors,
        error_samples,
        seconds,
        latencies,
        unit: "calls",
        clients: concurrency.max(1),
    }
}

/// The same for blocking calls (diesel), one OS thread per client.
pub fn drive_blocking<F>(name: &str, concurrency: usize, seconds: f64, call: F) -> Stats
where
    F: Fn(u64) -> Result<(), String> + Send + Sync,
{
    let next = AtomicU64::new(0);
    let errors = Mutex::new((0_u64, Vec::<String>::new()));
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(seconds);
    let mut latencies: Vec<u32> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..concurrency.max(1))
            .map(|_| {
                scope.spawn(|| {
                    let mut latencies = Vec::new();
                    while Instant::now() < deadline {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        let began = Instant::now();
                        match call(n) {
                            Ok(()) => latencies
                                .push(began.elapsed().as_micros().min(u32::MAX as u128) as u32),
                            Err(e) => {
                                let mut errors = errors.lock().unwrap();
                                errors.0 += 1;
                                if errors.1.len() < KEPT_ERRORS {
                                    errors.1.push(e);
                                }
                            }
                        }
                    }
                    latencies
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a storage client does not panic"))
            .collect()
    });
    let seconds = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let (errors, error_samples) = errors.into_inner().unwrap();
    Stats {
        name: name.into(),
        ok: latencies.len() as u64,
        units: latencies.len() as u64,
        errors,
        error_samples,
        seconds,
        latencies,
        unit: "calls",
        clients: concurrency.max(1),
    }
}
