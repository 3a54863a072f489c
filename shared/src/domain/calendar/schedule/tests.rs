//! Tests of the upload checks, the pasted-text form, and deadlines in an uploaded year.

use chrono::{TimeZone, Utc};
use rstest::rstest;

use super::*;
use crate::domain::calendar::{Coverage, DayKind};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

/// The day the checks run: December 2026.
fn today() -> NaiveDate {
    date(2026, 12, 7)
}

/// A 2027 schedule in the shape of the State Council's notices (a fixture, not the real one).
const HOLIDAYS_2027: &str = "2027-01-01..2027-01-03 元旦
2027-02-05..2027-02-13 春节
2027-04-03..2027-04-05 清明节
2027-05-01..2027-05-05 劳动节
2027-06-09 端午节
2027-09-15 中秋
2027-10-01..2027-10-07 national_day";

const MAKE_UP_2027: &str =
    "2027-02-20 春节\n2027-04-25 劳动节\n2027-05-08 劳动节\n\n2027-09-25 国庆节\n2027-10-09 国庆节";

fn upload_2027() -> CalendarYearUpload {
    CalendarYearUpload {
        reference: "国务院办公厅关于2027年部分节假日安排的通知（测试样例）".into(),
        holidays: parse_day_lines(HOLIDAYS_2027).expect("holidays"),
        make_up_workdays: parse_day_lines(MAKE_UP_2027).expect("make-up days"),
    }
}

fn issues_of(year: i32, upload: &CalendarYearUpload) -> Vec<(String, String)> {
    check_calendar_year(year, upload, today())
        .expect_err("refused")
        .into_iter()
        .map(|issue| (issue.field, issue.issue))
        .collect()
}

fn has(issues: &[(String, String)], field: &str, issue: &str) -> bool {
    issues.iter().any(|(f, i)| f == field && i == issue)
}

#[test]
fn a_complete_schedule_is_accepted_in_date_order() {
    let file = check_calendar_year(2027, &upload_2027(), today()).expect("valid");
    assert_eq!(file.year, 2027);
    assert_eq!(file.holidays.len(), 29);
    assert_eq!(file.make_up_workdays.len(), 5);
    assert!(file.holidays.windows(2).all(|pair| pair[0].date < pair[1].date));
    assert_eq!(
        file.holidays[3],
        CalendarEntry { date: date(2027, 2, 5), festival: Festival::SpringFestival }
    );
}

#[rstest]
#[case::before_2020(2019, "too_early")]
#[case::more_than_two_years_ahead(2029, "too_far_ahead")]
#[case::a_shipped_year(2026, "shipped_year")]
fn the_year_must_be_uploadable(#[case] year: i32, #[case] issue: &str) {
    assert!(has(&issues_of(year, &upload_2027()), "year", issue));
}

#[test]
fn two_years_ahead_is_the_limit() {
    assert_eq!(latest_uploadable_year(today()), 2028);
}

#[test]
fn dates_must_lie_inside_the_year() {
    let mut upload = upload_2027();
    upload.holidays[0].date = date(2026, 12, 31);
    upload.make_up_workdays[0].date = date(2028, 1, 8);
    let issues = issues_of(2027, &upload);
    assert!(has(&issues, "holidays[0].date", "outside_year"), "{issues:?}");
    assert!(has(&issues, "make_up_workdays[0].date", "outside_year"), "{issues:?}");
}

#[test]
fn a_holiday_is_listed_once() {
    let mut upload = upload_2027();
    upload.holidays.push(upload.holidays[5]);
    assert!(has(&issues_of(2027, &upload), "holidays[29].date", "duplicate"));
}

#[test]
fn a_make_up_workday_is_a_saturday_or_sunday() {
    let mut upload = upload_2027();
    upload.make_up_workdays[1].date = date(2027, 4, 26);
    assert!(has(&issues_of(2027, &upload), "make_up_workdays[1].date", "not_a_weekend"));
}

#[test]
fn no_date_is_both_holiday_and_make_up_workday() {
    let mut upload = upload_2027();
    // 2027-01-02 is a Saturday inside the New Year holiday.
    upload.make_up_workdays.push(CalendarDay { date: date(2027, 1, 2), festival: Festival::NewYearsDay });
    assert!(has(&issues_of(2027, &upload), "make_up_workdays[5].date", "also_a_holiday"));
}

#[test]
fn a_make_up_workday_is_listed_once() {
    let mut upload = upload_2027();
    upload.make_up_workdays.push(upload.make_up_workdays[0]);
    assert!(has(&issues_of(2027, &upload), "make_up_workdays[5].date", "duplicate"));
}

#[test]
fn counts_must_be_reasonable() {
    let mut upload = upload_2027();
    upload.holidays.truncate(5);
    assert!(has(&issues_of(2027, &upload), "holidays", "too_few"));
    let mut upload = upload_2027();
    upload.holidays = (0..46)
        .map(|offset| CalendarDay {
            date: date(2027, 1, 1) + Days::new(offset * 7),
            festival: Festival::NationalDay,
        })
        .collect();
    assert!(has(&issues_of(2027, &upload), "holidays", "too_many"));
    let mut upload = upload_2027();
    upload.make_up_workdays = (0..13)
        .map(|week| CalendarDay {
            date: date(2027, 1, 9) + Days::new(week * 7),
            festival: Festival::NationalDay,
        })
        .collect();
    assert!(has(&issues_of(2027, &upload), "make_up_workdays", "too_many"));
}

#[rstest]
#[case::blank("   ", "required")]
#[case::too_long(&"通知".repeat(101), "too_long")]
fn the_reference_is_required_and_bounded(#[case] reference: &str, #[case] issue: &str) {
    let upload = CalendarYearUpload { reference: reference.into(), ..upload_2027() };
    assert!(has(&issues_of(2027, &upload), "reference", issue));
}

#[rstest]
#[case::not_a_date("2027-13-01 春节", "invalid_date")]
#[case::range_backwards("2027-02-13..2027-02-05 春节", "invalid_range")]
#[case::range_too_long("2027-01-01..2027-03-01 春节", "invalid_range")]
#[case::no_festival("2027-02-05", "missing_festival")]
#[case::unknown_festival("2027-02-14 情人节", "unknown_festival")]
fn unreadable_lines_are_reported_with_their_number(#[case] line: &str, #[case] issue: &'static str) {
    let text = format!("2027-01-01 元旦\n{line}");
    assert_eq!(parse_day_lines(&text), Err(vec![LineIssue { line: 2, issue }]));
}

#[test]
fn lines_accept_ranges_commas_and_either_festival_name() {
    let days = parse_day_lines("2027-10-01~2027-10-02，国庆\n2027-09-15,mid_autumn_festival").expect("read");
    assert_eq!(
        days,
        vec![
            CalendarDay { date: date(2027, 10, 1), festival: Festival::NationalDay },
            CalendarDay { date: date(2027, 10, 2), festival: Festival::NationalDay },
            CalendarDay { date: date(2027, 9, 15), festival: Festival::MidAutumnFestival },
        ]
    );
}

#[test]
fn the_text_form_reads_back_to_the_same_days() {
    let days = parse_day_lines(HOLIDAYS_2027).expect("read");
    let text = format_day_lines(&days);
    assert!(text.starts_with("2027-01-01..2027-01-03 元旦\n2027-02-05..2027-02-13 春节"), "{text}");
    assert_eq!(parse_day_lines(&text).expect("read back"), days);
}

fn calendar_with_2027() -> BusinessCalendar {
    let file = check_calendar_year(2027, &upload_2027(), today()).expect("valid");
    BusinessCalendar::official().with_years([file]).expect("joins")
}

#[test]
fn an_uploaded_year_is_official() {
    let calendar = calendar_with_2027();
    assert!(calendar.covers(2027));
    let kind = calendar.day_kind(date(2027, 2, 20));
    assert_eq!(kind.value, DayKind::MakeUpWorkday { festival: Festival::SpringFestival });
    assert_eq!(kind.coverage, Coverage::Official);
    assert_eq!(calendar.year_file(2027).map(|file| file.holidays.len()), Some(29));
}

#[test]
fn the_review_sla_over_the_2027_new_year_holiday_is_two_business_days() {
    // Wednesday 2026-12-30, 10:00 in Shanghai.
    let submitted = Utc.with_ymd_and_hms(2026, 12, 30, 2, 0, 0).single().expect("instant");
    let estimated = BusinessCalendar::official().business_deadline(submitted, 2).expect("in range");
    // Without 2027's table, Friday 1 January counts as the second business day.
    assert_eq!(estimated.value, Utc.with_ymd_and_hms(2027, 1, 1, 16, 0, 0).single().expect("instant"));
    assert_eq!(estimated.coverage, Coverage::WeekendsOnly);
    let official = calendar_with_2027().business_deadline(submitted, 2).expect("in range");
    // Thursday 31 December is the first; 1–3 January are off; Monday 4 January is the second.
    assert_eq!(official.value, Utc.with_ymd_and_hms(2027, 1, 4, 16, 0, 0).single().expect("instant"));
    assert_eq!(official.coverage, Coverage::Official);
}

#[test]
fn a_year_joins_the_calendar_only_once() {
    let file = check_calendar_year(2027, &upload_2027(), today()).expect("valid");
    let calendar = calendar_with_2027();
    assert_eq!(calendar.with_years([file]), Err(crate::domain::calendar::CalendarError::DuplicateYear(2027)));
}

#[test]
fn shipped_years_read_back_as_their_files() {
    for text in EMBEDDED_FILES {
        let shipped: YearFile = serde_json::from_str(text).expect("shipped file");
        let mut read_back = BusinessCalendar::official().year_file(shipped.year).expect("covered");
        let mut expected = shipped;
        expected.holidays.sort_by_key(|entry| entry.date);
        expected.make_up_workdays.sort_by_key(|entry| entry.date);
        read_back.source.clone_from(&expected.source);
        assert_eq!(read_back, expected);
    }
}

const EMBEDDED_FILES: [&str; 3] = crate::domain::calendar::EMBEDDED_YEAR_FILES;
