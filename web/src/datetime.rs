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

/// The instant a Shanghai date (`2026-03-05`) and time of day (`14:30`) typed into a form name;
/// `None` when either does not parse.
pub fn shanghai_instant(date: &str, time: &str) -> Option<DateTime<Utc>> {
    let date = date.trim().parse::<chrono::NaiveDate>().ok()?;
    let time = chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M").ok()?;
    date.and_time(time).and_local_timezone(SHANGHAI).single().map(|at| at.with_timezone(&Utc))
}

/// Now, from the browser's clock.
pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shanghai_date_and_time_is_eight_hours_ahead_of_utc() {
        let at = shanghai_instant("2026-03-05", "14:30").expect("parses");
        assert_eq!(at.to_rfc3339(), "2026-03-05T06:30:00+00:00");
        assert_eq!(minute(at), "2026-03-05 14:30");
        assert_eq!(shanghai_instant("2026-03-05", ""), None);
        assert_eq!(shanghai_instant("", "14:30"), None);
    }
}
