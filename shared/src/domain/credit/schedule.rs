//! When credit is computed: the month an assessment belongs to (Asia/Shanghai) and the monthly
//! run, due on the 1st of each month at 00:30 Asia/Shanghai.

use chrono::{DateTime, Datelike, Months, NaiveDate, NaiveTime, Utc};

use crate::domain::calendar::shanghai::{SHANGHAI, business_date};

/// The month of `instant` in Asia/Shanghai, `YYYY-MM`.
#[must_use]
pub fn month_of(instant: DateTime<Utc>) -> String {
    business_date(instant).format("%Y-%m").to_string()
}

/// The month before `month` (`YYYY-MM`), none for a malformed month.
#[must_use]
pub fn previous_month(month: &str) -> Option<String> {
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()?;
    Some(first.checked_sub_months(Months::new(1))?.format("%Y-%m").to_string())
}

/// The first monthly run strictly after `instant`: the next 1st of a month, 00:30 Shanghai.
#[must_use]
pub fn next_monthly_run(instant: DateTime<Utc>) -> DateTime<Utc> {
    let today = business_date(instant);
    let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
    let at = |date: NaiveDate| {
        date.and_time(NaiveTime::from_hms_opt(0, 30, 0).unwrap_or_default())
            .and_local_timezone(SHANGHAI)
            .single()
            .map_or(instant, |local| local.with_timezone(&Utc))
    };
    let this_month = at(first);
    if this_month > instant {
        return this_month;
    }
    first.checked_add_months(Months::new(1)).map_or(instant, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().expect("instant")
    }

    #[test]
    fn the_month_is_taken_in_shanghai() {
        assert_eq!(month_of(utc("2026-01-31T16:00:00Z")), "2026-02");
        assert_eq!(month_of(utc("2026-01-31T15:59:59Z")), "2026-01");
        assert_eq!(previous_month("2026-01").as_deref(), Some("2025-12"));
        assert_eq!(previous_month("nonsense"), None);
    }

    #[test]
    fn the_monthly_run_is_due_on_the_first_at_half_past_midnight_shanghai() {
        assert_eq!(next_monthly_run(utc("2026-03-15T08:00:00Z")), utc("2026-03-31T16:30:00Z"));
        assert_eq!(next_monthly_run(utc("2026-03-31T16:29:59Z")), utc("2026-03-31T16:30:00Z"));
        assert_eq!(next_monthly_run(utc("2026-03-31T16:30:00Z")), utc("2026-04-30T16:30:00Z"));
        assert_eq!(next_monthly_run(utc("2026-12-20T00:00:00Z")), utc("2026-12-31T16:30:00Z"));
    }
}
