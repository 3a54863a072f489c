//! Tests of the tender domain, one file per subject: the tender and bid lifecycles, the
//! evaluation weights, the scoring sheet, the prequalification report.

mod bids;
mod lifecycle;
mod prequalification;
mod scoring;
mod weights;

use chrono::{DateTime, TimeZone, Utc};

/// Monday 2025-03-03, 10:00 in Shanghai: bidding closes.
fn closes() -> DateTime<Utc> {
    at(2025, 3, 3, 2, 0, 0)
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, s).single().expect("valid instant")
}
