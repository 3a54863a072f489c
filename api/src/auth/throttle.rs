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

    /// Reserves one attempt for `key`: `Err(seconds to wait)` when `limit` attempts are in the
    /// window already, otherwise the attempt is counted at once — before the slow work it
    /// guards — so parallel requests cannot all slip through. A success hands it back with
    /// [`Throttle::forgive`] or [`Throttle::clear`].
    pub fn attempt(&self, key: &str, limit: u32, now: Instant) -> Result<(), u64> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            // Bound memory under a spray of distinct keys: forget windows that have fully passed.
            let window = self.window;
            map.retain(|_, v| v.back().is_some_and(|t| now.duration_since(*t) < window));
        }
        let entries = map.entry(key.to_owned()).or_default();
        while entries.front().is_some_and(|t| now.duration_since(*t) >= self.window) {
            entries.pop_front();
        }
        if entries.len() >= limit as usize {
            let oldest = entries.front().copied().unwrap_or(now);
            let wait = self.window.saturating_sub(now.duration_since(oldest));
            return Err(wait.as_secs().max(1));
        }
        entries.push_back(now);
        Ok(())
    }

    /// Hands back the most recent attempt of `key` (it succeeded).
    pub fn forgive(&self, key: &str) {
        if let Some(entries) = self.failures.lock().unwrap_or_else(|p| p.into_inner()).get_mut(key) {
            entries.pop_back();
        }
    }

    /// Forgets `key`'s attempts (after a successful login).
    pub fn clear(&self, key: &str) {
        self.failures.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_attempt_past_the_limit_waits_until_the_window_passes() {
        let throttle = Throttle::new(Duration::from_secs(60));
        let start = Instant::now();
        for _ in 0..5 {
            assert_eq!(throttle.attempt("account:a", 5, start), Ok(()));
        }
        assert_eq!(throttle.attempt("account:a", 5, start), Err(60));
        assert_eq!(throttle.attempt("account:a", 5, start + Duration::from_secs(61)), Ok(()));
    }

    #[test]
    fn success_hands_attempts_back() {
        let throttle = Throttle::new(Duration::from_secs(60));
        let now = Instant::now();
        for _ in 0..5 {
            throttle.attempt("ip:1", 5, now).expect("allowed");
            throttle.forgive("ip:1");
        }
        assert_eq!(throttle.attempt("ip:1", 5, now), Ok(()));
        for _ in 0..4 {
            throttle.attempt("account:a", 5, now).expect("allowed");
        }
        throttle.clear("account:a");
        assert_eq!(throttle.attempt("account:a", 5, now), Ok(()));
    }

    #[test]
    fn parallel_attempts_never_exceed_the_limit() {
        let throttle = std::sync::Arc::new(Throttle::new(Duration::from_secs(60)));
        let now = Instant::now();
        let allowed: usize = (0..16)
            .map(|_| {
                let t = throttle.clone();
                std::thread::spawn(move || (0..10).filter(|_| t.attempt("totp:u", 5, now).is_ok()).count())
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .sum();
        assert_eq!(allowed, 5);
    }
}
