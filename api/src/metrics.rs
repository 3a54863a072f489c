//! Prometheus metrics in the text exposition format: request counts by method and status, and a
//! latency histogram. Kept dependency-free; labels are bounded (no paths, which carry ids).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0];

/// Process-wide counters.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    bucket_counts: [AtomicU64; BUCKETS.len()],
    latency_count: AtomicU64,
    latency_sum_micros: AtomicU64,
    password_hashes: AtomicU64,
}

impl Metrics {
    /// Records one finished request.
    pub fn observe(&self, method: &str, status: u16, seconds: f64) {
        *self
            .requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry((method.to_owned(), status))
            .or_default() += 1;
        for (bound, count) in BUCKETS.iter().zip(&self.bucket_counts) {
            if seconds <= *bound {
                count.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        self.latency_sum_micros.fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
    }

    /// Counts one argon2 computation (a hash or a verification).
    pub fn password_hashed(&self) {
        self.password_hashes.fetch_add(1, Ordering::Relaxed);
    }

    /// The exposition text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP gongzhu_password_hashes_total argon2id hashes and verifications computed.\n");
        out.push_str("# TYPE gongzhu_password_hashes_total counter\n");
        let _ =
            writeln!(out, "gongzhu_password_hashes_total {}", self.password_hashes.load(Ordering::Relaxed));
        out.push_str("# HELP gongzhu_http_requests_total HTTP requests by method and status.\n");
        out.push_str("# TYPE gongzhu_http_requests_total counter\n");
        for ((method, status), count) in self.requests.lock().unwrap_or_else(|p| p.into_inner()).iter() {
            let _ = writeln!(
                out,
                "gongzhu_http_requests_total{{method=\"{method}\",status=\"{status}\"}} {count}"
            );
        }
        out.push_str("# HELP gongzhu_http_request_duration_seconds HTTP request latency.\n");
        out.push_str("# TYPE gongzhu_http_request_duration_seconds histogram\n");
        for (bound, count) in BUCKETS.iter().zip(&self.bucket_counts) {
            let _ = writeln!(
                out,
                "gongzhu_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {}",
                count.load(Ordering::Relaxed)
            );
        }
        let total = self.latency_count.load(Ordering::Relaxed);
        let _ = writeln!(out, "gongzhu_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {total}");
        let sum = self.latency_sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "gongzhu_http_request_duration_seconds_sum {sum}");
        let _ = writeln!(out, "gongzhu_http_request_duration_seconds_count {total}");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative() {
        let metrics = Metrics::default();
        metrics.observe("GET", 200, 0.003);
        metrics.observe("POST", 401, 0.2);
        let text = metrics.render();
        assert!(text.contains("gongzhu_http_requests_total{method=\"GET\",status=\"200\"} 1"));
        assert!(text.contains("le=\"0.005\"} 1"));
        assert!(text.contains("le=\"0.25\"} 2"));
        assert!(text.contains("_count 2"));
    }
}
