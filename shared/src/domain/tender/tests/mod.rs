//! Tests of the tender domain, one file per subject: the tender and bid lifecycles, the
//! evaluation weights, the scoring sheet, the prequalification report.

mod lifecycle;
mod prequalification;
mod scoring;
mod weights;

use chrono::{DateTime, TimeZone, Utc};

fn at(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, s).single().expect("valid instant")
}
