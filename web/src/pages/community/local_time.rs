//! Times typed in `<input type="datetime-local">` are Shanghai wall-clock times: this turns them
//! into instants and back (UTC+8, no daylight saving).

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};

const SHANGHAI: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

/// The browser's clock.
pub fn now() -> DateTime<Utc> {
    #[expect(clippy::cast_possible_truncation, reason = "milliseconds since 1970 fit an i64")]
    let millis = js_sys::Date::now() as i64;
    DateTime::from_timestamp_millis(millis).unwrap_or_default()
}

/// Parses `2026-12-05T14:30` (seconds optional) as Shanghai time.
pub fn parse(value: &str) -> Option<DateTime<Utc>> {
    let value = value.trim();
    let naive = NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    SHANGHAI.from_local_datetime(&naive).single().map(|t| t.with_timezone(&Utc))
}

/// The input value for an instant, in Shanghai time.
pub fn input_value(at: DateTime<Utc>) -> String {
    at.with_timezone(&SHANGHAI).format("%Y-%m-%dT%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_time_is_shanghai_time_eight_hours_ahead_of_utc() {
        let at = parse("2026-12-05T14:30").expect("parses");
        assert_eq!(at.to_rfc3339(), "2026-12-05T06:30:00+00:00");
        assert_eq!(parse("2026-12-05T00:15:00").expect("seconds").to_rfc3339(), "2026-12-04T16:15:00+00:00");
    }

    #[test]
    fn empty_or_malformed_input_is_no_time() {
        assert!(parse("").is_none());
        assert!(parse("2026-13-01T10:00").is_none());
        assert!(parse("明天下午").is_none());
    }

    #[test]
    fn an_instant_round_trips_through_the_input_value() {
        let at = parse("2027-01-31T23:59").expect("parses");
        assert_eq!(input_value(at), "2027-01-31T23:59");
    }
}
