//! Asia/Shanghai civil time. China has used UTC+8 all year round since 1991, so a fixed offset
//! is exact for every date the platform handles and no time-zone database is needed.

use chrono::{DateTime, Days, FixedOffset, NaiveDate, NaiveTime, TimeDelta, Utc};

use super::CalendarError;

/// UTC+8, the offset of Asia/Shanghai.
pub const SHANGHAI: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

/// The Asia/Shanghai business date of an instant.
#[must_use]
pub fn business_date(instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&SHANGHAI).date_naive()
}

/// The instant at which a Shanghai date begins (00:00 local time).
#[must_use]
pub fn start_of_day(date: NaiveDate) -> DateTime<Utc> {
    let local_midnight = date.and_time(NaiveTime::MIN);
    // A fixed offset has exactly one mapping for every local time.
    DateTime::<Utc>::from_naive_utc_and_offset(local_midnight, Utc)
        - TimeDelta::seconds(i64::from(SHANGHAI.local_minus_utc()))
}

/// The instant at which a Shanghai date ends: 00:00 of the next day, local time. A deadline
/// "by the end of" a date has passed once `now` is at or after this instant.
///
/// # Errors
/// [`CalendarError::OutOfRange`] for the last date chrono can represent.
pub fn end_of_day(date: NaiveDate) -> Result<DateTime<Utc>, CalendarError> {
    date.checked_add_days(Days::new(1)).map(start_of_day).ok_or(CalendarError::OutOfRange)
}

/// `start` plus a number of clock hours (for SLAs counted in hours, not business days).
///
/// # Errors
/// [`CalendarError::OutOfRange`] when the result cannot be represented.
pub fn add_clock_hours(start: DateTime<Utc>, hours: u32) -> Result<DateTime<Utc>, CalendarError> {
    start.checked_add_signed(TimeDelta::hours(i64::from(hours))).ok_or(CalendarError::OutOfRange)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rstest::rstest;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).single().expect("valid test instant")
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    #[rstest]
    #[case::late_utc_evening_is_next_shanghai_day(utc(2024, 9, 30, 16, 0), date(2024, 10, 1))]
    #[case::just_before_shanghai_midnight(utc(2024, 9, 30, 15, 59), date(2024, 9, 30))]
    #[case::utc_midnight_is_shanghai_morning(utc(2025, 1, 1, 0, 0), date(2025, 1, 1))]
    fn business_date_is_utc_plus_eight(#[case] instant: DateTime<Utc>, #[case] expected: NaiveDate) {
        assert_eq!(business_date(instant), expected);
    }

    #[test]
    fn a_shanghai_day_starts_at_sixteen_utc_the_day_before() {
        assert_eq!(start_of_day(date(2024, 10, 1)), utc(2024, 9, 30, 16, 0));
        assert_eq!(end_of_day(date(2024, 10, 1)).expect("in range"), utc(2024, 10, 1, 16, 0));
    }

    #[test]
    fn clock_hours_ignore_weekends_and_holidays() {
        assert_eq!(add_clock_hours(utc(2024, 10, 1, 1, 30), 2).expect("in range"), utc(2024, 10, 1, 3, 30));
    }

    #[test]
    fn the_last_representable_day_has_no_end() {
        assert_eq!(end_of_day(NaiveDate::MAX), Err(CalendarError::OutOfRange));
    }
}
