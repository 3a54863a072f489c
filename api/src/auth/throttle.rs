//! Login throttling: a sliding window of failures per key (`account:<login>`, `ip:<address>`).
//! In memory, per server process: with several instances behind a balancer each throttles on
//! its own (documented in README as a known limit).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failure windows keyed by account or address.
pub struct Throttle {
    window: Duration,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl Throttle {
    /// A throttle with a window length.
    pub fn new(window: Duration) -> Self {
        Self { window, failures: Mutex::new(HashMap::new()) }
    }

    /// `Some(seconds to wait)` when `key` has `limit` or more failures in the window.
    pub fn blocked(&self, key: &str, limit: u32, now: Instant) -> Option<u64> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let entries = map.get_mut(key)?;
        while entries.front().is_some_and(|t| now.duration_since(*t) >= self.window) {
            entries.pop_front();
        }
        if entries.len() < limit as usize {
            return None;
        }
        let oldest = *entries.front()?;
        let wait = self.window.saturating_sub(now.duration_since(oldest));
        Some(wait.as_secs().max(1))
    }

    /// Records one failure for `key`.
    pub fn record_failure(&self, key: &str, now: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            // Bound memory under a spray of distinct keys: forget windows that have fully passed.
            let window = self.window;
            map.retain(|_, v| v.back().is_some_and(|t| now.duration_since(*t) < window));
        }
        map.entry(key.to_owned()).or_default().push_back(now);
    }

    /// Forgets `key`'s failures (after a successful login).
    pub fn clear(&self, key: &str) {
        self.failures.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_th_failure_blocks_until_the_window_passes() {
        let throttle = Throttle::new(Duration::from_secs(60));
        let start = Instant::now();
        for _ in 0..4 {
            throttle.record_failure("account:a", start);
        }
        assert_eq!(throttle.blocked("account:a", 5, start), None);
        throttle.record_failure("account:a", start);
        assert_eq!(throttle.blocked("account:a", 5, start), Some(60));
        assert_eq!(throttle.blocked("account:a", 5, start + Duration::from_secs(61)), None);
    }

    #[test]
    fn success_clears_the_account() {
        let throttle = Throttle::new(Duration::from_secs(60));
        let now = Instant::now();
        for _ in 0..5 {
            throttle.record_failure("account:a", now);
        }
        throttle.clear("account:a");
        assert_eq!(throttle.blocked("account:a", 5, now), None);
    }
}
