//! Tests of the business calendar against the official 2024–2026 arrangements.

use super::*;
use chrono::TimeZone;
use proptest::prelude::*;
use rstest::rstest;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

fn calendar() -> &'static BusinessCalendar {
    BusinessCalendar::official()
}

#[test]
fn every_embedded_year_file_is_valid() {
    let built = BusinessCalendar::from_year_files(&EMBEDDED_YEAR_FILES).expect("valid files");
    assert_eq!(built.covered_years().collect::<Vec<_>>(), [2024, 2025, 2026]);
    assert_eq!(&built, calendar());
    assert!(built.source(2025).is_some_and(|source| source.contains("chinesecalendar 1.11.0")));
}

#[rstest]
#[case::national_day(date(2024, 10, 1), DayKind::Holiday { festival: Festival::NationalDay })]
#[case::national_day_weekend_inside_the_break(date(2024, 10, 5), DayKind::Holiday { festival: Festival::NationalDay })]
#[case::sunday_make_up_workday_before_national_day(date(2024, 9, 29), DayKind::MakeUpWorkday { festival: Festival::NationalDay })]
#[case::saturday_make_up_workday_after_national_day(date(2024, 10, 12), DayKind::MakeUpWorkday { festival: Festival::NationalDay })]
#[case::spring_festival_eve_2025(date(2025, 1, 28), DayKind::Holiday { festival: Festival::SpringFestival })]
#[case::mid_autumn_inside_national_day_2025(date(2025, 10, 6), DayKind::Holiday { festival: Festival::MidAutumnFestival })]
#[case::new_year_2026_three_days(date(2026, 1, 2), DayKind::Holiday { festival: Festival::NewYearsDay })]
#[case::ordinary_tuesday(date(2024, 10, 15), DayKind::Workday)]
#[case::ordinary_saturday(date(2024, 10, 19), DayKind::Weekend)]
fn official_days_are_classified(#[case] day: NaiveDate, #[case] expected: DayKind) {
    let kind = calendar().day_kind(day);
    assert_eq!(kind.value, expected);
    assert_eq!(kind.coverage, Coverage::Official);
}

#[rstest]
#[case::monday_plus_three_is_thursday(date(2024, 10, 14), 3, date(2024, 10, 17))]
#[case::friday_plus_one_is_monday(date(2024, 10, 18), 1, date(2024, 10, 21))]
#[case::deadline_crosses_national_day(date(2024, 9, 30), 3, date(2024, 10, 10))]
#[case::saturday_filing_counts_the_sunday_make_up_workday(date(2024, 9, 28), 3, date(2024, 10, 8))]
#[case::five_days_across_national_day(date(2024, 9, 27), 5, date(2024, 10, 10))]
#[case::spring_festival_2025(date(2025, 1, 27), 1, date(2025, 2, 5))]
#[case::sunday_make_up_before_spring_festival_2025(date(2025, 1, 24), 2, date(2025, 1, 27))]
#[case::zero_days_is_the_start(date(2024, 10, 1), 0, date(2024, 10, 1))]
fn add_business_days_follows_the_official_calendar(
    #[case] start: NaiveDate,
    #[case] count: u32,
    #[case] expected: NaiveDate,
) {
    let due = calendar().add_business_days(start, count).expect("in range");
    assert_eq!(due.value, expected);
    assert_eq!(due.coverage, Coverage::Official);
}

#[test]
fn beyond_the_covered_years_only_weekends_are_days_off() {
    // 2027-10-01 is a Friday; without official data it is an ordinary workday.
    let due = calendar().add_business_days(date(2027, 9, 30), 1).expect("in range");
    assert_eq!(due.value, date(2027, 10, 1));
    assert_eq!(due.coverage, Coverage::WeekendsOnly);
}

#[test]
fn a_deadline_reaching_past_the_covered_years_is_flagged() {
    let due = calendar().add_business_days(date(2026, 12, 30), 3).expect("in range");
    assert_eq!(due.value, date(2027, 1, 4));
    assert_eq!(due.coverage, Coverage::WeekendsOnly);
}

#[rstest]
#[case::national_day_week_has_no_business_days(date(2024, 9, 30), date(2024, 10, 7), 0)]
#[case::make_up_sunday_counts(date(2024, 9, 28), date(2024, 9, 30), 2)]
#[case::reversed_range_is_negative(date(2024, 10, 17), date(2024, 10, 14), -3)]
#[case::same_day_is_zero(date(2024, 10, 14), date(2024, 10, 14), 0)]
fn business_days_between_counts_after_start_through_end(
    #[case] start: NaiveDate,
    #[case] end: NaiveDate,
    #[case] expected: i64,
) {
    assert_eq!(calendar().business_days_between(start, end).value, expected);
}

#[test]
fn a_business_deadline_passes_at_shanghai_midnight() {
    let filed = Utc.with_ymd_and_hms(2024, 9, 30, 9, 0, 0).single().expect("valid instant");
    let deadline = calendar().business_deadline(filed, 3).expect("in range");
    // End of 2024-10-10 in Shanghai is 16:00 UTC that day.
    let expected = Utc.with_ymd_and_hms(2024, 10, 10, 16, 0, 0).single().expect("valid instant");
    assert_eq!(deadline.value, expected);
}

#[rstest]
#[case::not_json("{", "calendar_data_invalid")]
#[case::date_outside_year(
    r#"{"year":2024,"source":"t","holidays":[{"date":"2025-01-01","festival":"new_years_day"}],"make_up_workdays":[]}"#,
    "calendar_data_invalid"
)]
#[case::make_up_workday_on_a_weekday(
    r#"{"year":2024,"source":"t","holidays":[],"make_up_workdays":[{"date":"2024-10-14","festival":"national_day"}]}"#,
    "calendar_data_invalid"
)]
#[case::date_listed_twice(
    r#"{"year":2024,"source":"t","holidays":[{"date":"2024-10-01","festival":"national_day"},{"date":"2024-10-01","festival":"national_day"}],"make_up_workdays":[]}"#,
    "calendar_data_invalid"
)]
fn invalid_year_files_are_rejected(#[case] text: &str, #[case] code: &str) {
    let error = BusinessCalendar::from_year_files(&[text]).expect_err("invalid file");
    assert_eq!(error.code(), code);
}

#[test]
fn the_same_year_twice_is_rejected() {
    let file = r#"{"year":2024,"source":"t","holidays":[],"make_up_workdays":[]}"#;
    assert_eq!(BusinessCalendar::from_year_files(&[file, file]), Err(CalendarError::DuplicateYear(2024)));
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (0_u64..(365 * 5)).prop_map(|offset| date(2023, 1, 1) + Days::new(offset))
}

proptest! {
    #[test]
    fn counting_business_days_inverts_adding_them(start in any_date(), count in 0_u32..40) {
        let due = calendar().add_business_days(start, count).expect("in range");
        prop_assert_eq!(calendar().business_days_between(start, due.value).value, i64::from(count));
        if count > 0 {
            prop_assert!(calendar().is_business_day(due.value).value);
        }
    }

    #[test]
    fn more_business_days_never_give_an_earlier_date(start in any_date(), count in 0_u32..40) {
        let shorter = calendar().add_business_days(start, count).expect("in range");
        let longer = calendar().add_business_days(start, count + 1).expect("in range");
        prop_assert!(longer.value > shorter.value);
    }

    #[test]
    fn business_days_between_is_antisymmetric(a in any_date(), b in any_date()) {
        prop_assert_eq!(
            calendar().business_days_between(a, b).value,
            -calendar().business_days_between(b, a).value
        );
    }
}
