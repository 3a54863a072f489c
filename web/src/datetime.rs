//! Timestamps as people here read them: Shanghai time (UTC+8, no daylight saving).

use chrono::{DateTime, FixedOffset, Utc};

const SHANGHAI: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

/// `2026-03-05 14:30` in Shanghai time.
pub fn minute(at: DateTime<Utc>) -> String {
    at.with_timezone(&SHANGHAI).format("%Y-%m-%d %H:%M").to_string()
}

/// Today in Shanghai, read from the browser's clock (what the API's date checks compare with).
pub fn today() -> chrono::NaiveDate {
    let millis = js_sys::Date::now() as i64;
    shared::domain::calendar::shanghai::business_date(
        DateTime::from_timestamp_millis(millis).unwrap_or_default(),
    )
}

/// `2026-03-05`, the Shanghai date.
pub fn day(at: DateTime<Utc>) -> String {
    at.with_timezone(&SHANGHAI).format("%Y-%m-%d").to_string()
}
