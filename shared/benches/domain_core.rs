//! Speed benchmarks of the domain core, printed as plain figures (run with `cargo bench -p
//! shared`): matching top-5 over 100,000 and 1,000,000 random candidates, single-threaded, and
//! the monthly credit run over 100,000 organisations.

mod support;

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use shared::domain::credit::{CreditConfig, assess_all};
use shared::domain::matching::{MatchingConfig, recommend};

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let last = sorted.len().saturating_sub(1);
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "an index into a short, non-empty list"
    )]
    let index = ((last as f64) * fraction).ceil() as usize;
    sorted[index.min(last)]
}

fn milliseconds(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1_000.0
}

fn bench_matching(size: usize, demands: usize) {
    let candidates = support::market(size, 0x5EED_0001);
    let mut rng = support::Rng::new(0x5EED_0002);
    let config = MatchingConfig::default();
    let now = Utc.with_ymd_and_hms(2025, 6, 2, 2, 0, 0).single().expect("valid instant");
    let queries: Vec<_> = (0..demands).map(|index| support::demand(&mut rng, index)).collect();
    for demand in queries.iter().take(5) {
        black_box(recommend(demand, &candidates, &config, now).expect("valid config"));
    }
    let mut timings = Vec::with_capacity(demands);
    let mut qualified = 0;
    for demand in &queries {
        let start = Instant::now();
        let outcome = recommend(demand, &candidates, &config, now).expect("valid config");
        timings.push(start.elapsed());
        qualified += outcome.qualified;
        black_box(outcome);
    }
    timings.sort();
    println!(
        "matching top-5 over {size} candidates, {demands} demands: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms (mean {} qualified per demand)",
        milliseconds(percentile(&timings, 0.50)),
        milliseconds(percentile(&timings, 0.99)),
        milliseconds(percentile(&timings, 1.0)),
        qualified / demands
    );
}

fn bench_credit(size: usize, runs: usize) {
    let records = support::credit_records(size, 0x5EED_0003);
    let config = CreditConfig::default();
    let mut timings: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(assess_all(&records, &config).expect("valid config"));
            start.elapsed()
        })
        .collect();
    timings.sort();
    println!(
        "credit assessment of {size} organisations, {runs} runs: median {:.1} ms, max {:.1} ms",
        milliseconds(percentile(&timings, 0.5)),
        milliseconds(percentile(&timings, 1.0))
    );
}

fn main() {
    bench_matching(100_000, 300);
    bench_matching(1_000_000, 40);
    bench_credit(100_000, 10);
}
