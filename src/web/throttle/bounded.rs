//! A map of what the limits remember about addresses and accounts, kept small: an entry
//! nobody has touched for `keep` is dropped (swept at most once a `keep`, or a minute, as
//! entries arrive), and a map that is still full when a new key comes drops its oldest
//! eighth. Without both, anyone could grow it without end by trying new addresses or names.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::Hash;
use std::time::{Duration, Instant};

/// An entry that knows when it was last touched.
pub trait Touched {
    fn touched(&self) -> Instant;
}

#[derive(Debug)]
pub struct BoundedMap<K, V> {
    entries: HashMap<K, V>,
    max: usize,
    keep: Duration,
    next_sweep: Instant,
}

impl<K: Eq + Hash + Clone, V: Touched> BoundedMap<K, V> {
    pub fn new(max: usize, keep: Duration) -> BoundedMap<K, V> {
        BoundedMap {
            entries: HashMap::new(),
            max: max.max(8),
            keep,
            next_sweep: Instant::now() + Self::sweep_interval(keep),
        }
    }

    fn sweep_interval(keep: Duration) -> Duration {
        keep.clamp(Duration::from_secs(1), Duration::from_secs(60))
    }

    /// The entry, unless it has not been touched for `keep`.
    pub fn get(&self, key: &K, now: Instant) -> Option<&V> {
        self.entries.get(key).filter(|v| !self.stale(*v, now))
    }

    /// The entry to change, unless it has not been touched for `keep`.
    pub fn get_mut(&mut self, key: &K, now: Instant) -> Option<&mut V> {
        let keep = self.keep;
        self.entries
            .get_mut(key)
            .filter(|v| now.saturating_duration_since(v.touched()) < keep)
    }

    fn stale(&self, value: &V, now: Instant) -> bool {
        now.saturating_duration_since(value.touched()) >= self.keep
    }

    /// The entry for `key`, made fresh by `fresh` when there is none (or only a stale one).
    pub fn entry(&mut self, key: K, now: Instant, fresh: impl FnOnce() -> V) -> &mut V {
        if now >= self.next_sweep {
            self.sweep(now);
        }
        if !self.entries.contains_key(&key) && self.entries.len() >= self.max {
            self.sweep(now);
            if self.entries.len() >= self.max {
                self.drop_oldest();
            }
        }
        let keep = self.keep;
        match self.entries.entry(key) {
            Entry::Occupied(mut held) => {
                if now.saturating_duration_since(held.get().touched()) >= keep {
                    held.insert(fresh());
                }
                held.into_mut()
            }
            Entry::Vacant(empty) => empty.insert(fresh()),
        }
    }

    pub fn remove(&mut self, key: &K) -> Option<V> {
        self.entries.remove(key)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn sweep(&mut self, now: Instant) {
        let keep = self.keep;
        self.entries
            .retain(|_, v| now.saturating_duration_since(v.touched()) < keep);
        if self.entries.capacity() > 64 && self.entries.len() < self.entries.capacity() / 4 {
            self.entries.shrink_to_fit();
        }
        self.next_sweep = now + Self::sweep_interval(keep);
    }

    /// Drops the eighth of the entries touched longest ago.
    fn drop_oldest(&mut self) {
        let mut times: Vec<Instant> = self.entries.values().map(Touched::touched).collect();
        let cut = (times.len() / 8).max(1);
        let (_, oldest_kept, _) = times.select_nth_unstable(cut - 1);
        let oldest_kept = *oldest_kept;
        let mut dropped = 0;
        self.entries.retain(|_, v| {
            if dropped < cut && v.touched() <= oldest_kept {
                dropped += 1;
                false
            } else {
                true
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Seen(Instant);

    impl Touched for Seen {
        fn touched(&self) -> Instant {
            self.0
        }
    }

    #[test]
    fn entries_untouched_for_keep_are_gone_and_swept() {
        let start = Instant::now();
        let mut map = BoundedMap::new(1000, Duration::from_secs(10));
        for i in 0..100u32 {
            map.entry(i, start, || Seen(start));
        }
        assert_eq!(map.len(), 100);
        assert!(map.get(&1, start + Duration::from_secs(9)).is_some());
        let later = start + Duration::from_secs(11);
        assert!(
            map.get(&1, later).is_none(),
            "stale entries are not answered"
        );
        map.entry(1000, later, || Seen(later));
        assert_eq!(map.len(), 1, "a sweep drops what is stale");
    }

    #[test]
    fn a_full_map_drops_its_oldest_and_never_passes_its_cap() {
        let start = Instant::now();
        let mut map = BoundedMap::new(64, Duration::from_secs(3600));
        for i in 0..10_000u32 {
            let at = start + Duration::from_millis(u64::from(i));
            map.entry(i, at, || Seen(at));
            assert!(map.len() <= 64);
        }
        let end = start + Duration::from_millis(10_000);
        assert!(map.get(&9_999, end).is_some(), "the newest stay");
        assert!(map.get(&0, end).is_none(), "the oldest went");
    }

    #[test]
    fn a_full_map_drops_exactly_its_oldest_eighth() {
        let start = Instant::now();
        let mut map = BoundedMap::new(16, Duration::from_secs(3600));
        // Keys in the reverse order of their times, so no order of the keys can stand in
        // for the order of the times.
        for i in 0..16u32 {
            let at = start + Duration::from_millis(u64::from(15 - i));
            map.entry(i, at, || Seen(at));
        }
        let at = start + Duration::from_millis(16);
        map.entry(16, at, || Seen(at));
        // The two touched longest ago (keys 15 and 14) made room; every other entry stays.
        let kept: Vec<u32> = (0..17).filter(|i| map.get(i, at).is_some()).collect();
        assert_eq!(kept, (0..14).chain([16]).collect::<Vec<_>>());
    }

    #[test]
    fn entries_touched_at_the_same_instant_are_dropped_no_more_than_an_eighth() {
        let start = Instant::now();
        let mut map = BoundedMap::new(16, Duration::from_secs(3600));
        for i in 0..16u32 {
            map.entry(i, start, || Seen(start));
        }
        map.entry(16, start, || Seen(start));
        assert_eq!(map.len(), 15, "two of the sixteen went, not all that tie");
    }

    #[test]
    fn a_stale_entry_is_made_fresh_again() {
        let start = Instant::now();
        let mut map = BoundedMap::new(10, Duration::from_secs(5));
        map.entry("a", start, || Seen(start));
        let later = start + Duration::from_secs(6);
        let value = map.entry("a", later, || Seen(later));
        assert_eq!(value.0, later);
    }
}
