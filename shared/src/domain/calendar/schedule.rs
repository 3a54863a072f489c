//! A year's official schedule uploaded by a platform admin (when the State Council publishes a
//! year no shipped file covers): the checks an upload must pass before it joins the calendar —
//! called by the API and by the SPA's form alike — and the one-line-per-day text form the
//! staff console uses to paste a notice (`2027-02-06..2027-02-13 春节`).

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::{BusinessCalendar, CalendarEntry, Festival, YearFile};
use crate::dto::{CalendarDay, CalendarYearUpload, FieldIssue};

/// The earliest year an admin may upload.
pub const EARLIEST_UPLOADABLE_YEAR: i32 = 2020;
/// How many years past the current one an admin may upload.
pub const YEARS_AHEAD: i32 = 2;
/// The fewest days off a year lists: the statutory holidays alone were 11 days until 2024.
pub const MIN_HOLIDAYS: usize = 11;
/// The most days off a year may list (real years list 27–33, weekend days folded in included).
pub const MAX_HOLIDAYS: usize = 45;
/// The most make-up workdays a year may list (real years list 5–8).
pub const MAX_MAKE_UP_WORKDAYS: usize = 12;
/// The longest reference (characters).
pub const MAX_REFERENCE_CHARS: usize = 200;
/// The longest date range one line may give (days).
const MAX_RANGE_DAYS: i64 = 31;

/// The latest year an admin may upload on `today`.
#[must_use]
pub fn latest_uploadable_year(today: NaiveDate) -> i32 {
    today.year() + YEARS_AHEAD
}

/// Checks an upload for `year` on `today` (Shanghai date) and gives the year file it makes.
///
/// # Errors
/// Every problem found, as field issues: `year` (`too_early`, `too_far_ahead`,
/// `shipped_year`), `reference` (`required`, `too_long`), `holidays` (`too_few`, `too_many`),
/// `make_up_workdays` (`too_many`), `holidays[i].date` (`outside_year`, `duplicate`) and
/// `make_up_workdays[i].date` (`outside_year`, `not_a_weekend`, `also_a_holiday`, `duplicate`).
pub fn check_calendar_year(
    year: i32,
    upload: &CalendarYearUpload,
    today: NaiveDate,
) -> Result<YearFile, Vec<FieldIssue>> {
    let mut issues = Vec::new();
    if year < EARLIEST_UPLOADABLE_YEAR {
        issues.push(FieldIssue::new("year", "too_early"));
    } else if year > latest_uploadable_year(today) {
        issues.push(FieldIssue::new("year", "too_far_ahead"));
    } else if BusinessCalendar::official().covers(year) {
        issues.push(FieldIssue::new("year", "shipped_year"));
    }
    let reference = upload.reference.trim();
    if reference.is_empty() {
        issues.push(FieldIssue::new("reference", "required"));
    } else if reference.chars().count() > MAX_REFERENCE_CHARS {
        issues.push(FieldIssue::new("reference", "too_long"));
    }
    if upload.holidays.len() < MIN_HOLIDAYS {
        issues.push(FieldIssue::new("holidays", "too_few"));
    } else if upload.holidays.len() > MAX_HOLIDAYS {
        issues.push(FieldIssue::new("holidays", "too_many"));
    }
    if upload.make_up_workdays.len() > MAX_MAKE_UP_WORKDAYS {
        issues.push(FieldIssue::new("make_up_workdays", "too_many"));
    }
    let mut holidays = BTreeSet::new();
    for (i, day) in upload.holidays.iter().enumerate() {
        let issue = if day.date.year() != year {
            Some("outside_year")
        } else if !holidays.insert(day.date) {
            Some("duplicate")
        } else {
            None
        };
        issues.extend(issue.map(|issue| FieldIssue::new(format!("holidays[{i}].date"), issue)));
    }
    let mut workdays = BTreeSet::new();
    for (i, day) in upload.make_up_workdays.iter().enumerate() {
        let issue = if day.date.year() != year {
            Some("outside_year")
        } else if !matches!(day.date.weekday(), Weekday::Sat | Weekday::Sun) {
            Some("not_a_weekend")
        } else if holidays.contains(&day.date) {
            Some("also_a_holiday")
        } else if !workdays.insert(day.date) {
            Some("duplicate")
        } else {
            None
        };
        issues.extend(issue.map(|issue| FieldIssue::new(format!("make_up_workdays[{i}].date"), issue)));
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    Ok(YearFile {
        year,
        source: reference.to_owned(),
        holidays: sorted_entries(&upload.holidays),
        make_up_workdays: sorted_entries(&upload.make_up_workdays),
    })
}

fn sorted_entries(days: &[CalendarDay]) -> Vec<CalendarEntry> {
    let mut entries: Vec<CalendarEntry> = days.iter().copied().map(CalendarEntry::from).collect();
    entries.sort_by_key(|entry| entry.date);
    entries
}

/// A line of pasted text that could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineIssue {
    /// The line number, from 1.
    pub line: usize,
    /// `invalid_date`, `invalid_range` (end before start or longer than 31 days),
    /// `missing_festival` or `unknown_festival`.
    pub issue: &'static str,
}

/// Reads pasted days, one line each: a date or a range `start..end` (also `start~end`), then
/// the festival by its Chinese name (元旦, 春节, 清明节 …) or its wire form (`spring_festival`).
/// Blank lines are skipped; a range gives one day per date.
///
/// # Errors
/// Every unreadable line.
pub fn parse_day_lines(text: &str) -> Result<Vec<CalendarDay>, Vec<LineIssue>> {
    let mut days = Vec::new();
    let mut issues = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match parse_line(line) {
            Ok(parsed) => days.extend(parsed),
            Err(issue) => issues.push(LineIssue { line: index + 1, issue }),
        }
    }
    if issues.is_empty() { Ok(days) } else { Err(issues) }
}

fn parse_line(line: &str) -> Result<Vec<CalendarDay>, &'static str> {
    let (dates, name) =
        line.split_once(|c: char| c.is_whitespace() || c == ',' || c == '，').unwrap_or((line, ""));
    let name = name.trim_matches(|c: char| c.is_whitespace() || c == ',' || c == '，');
    let (start, end) = match dates.split_once("..").or_else(|| dates.split_once('~')) {
        Some((start, end)) => (parse_date(start)?, parse_date(end)?),
        None => {
            let date = parse_date(dates)?;
            (date, date)
        }
    };
    if end < start || end - start > chrono::Duration::days(MAX_RANGE_DAYS) {
        return Err("invalid_range");
    }
    if name.is_empty() {
        return Err("missing_festival");
    }
    let festival = Festival::from_name(name).ok_or("unknown_festival")?;
    let mut days = Vec::new();
    let mut date = start;
    loop {
        days.push(CalendarDay { date, festival });
        if date >= end {
            return Ok(days);
        }
        date = date.checked_add_days(Days::new(1)).ok_or("invalid_range")?;
    }
}

fn parse_date(text: &str) -> Result<NaiveDate, &'static str> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| "invalid_date")
}

/// The text form of days for editing: consecutive dates of one festival become a range.
#[must_use]
pub fn format_day_lines(days: &[CalendarDay]) -> String {
    let mut sorted = days.to_vec();
    sorted.sort_by_key(|day| day.date);
    let mut runs: Vec<(NaiveDate, NaiveDate, Festival)> = Vec::new();
    for day in sorted {
        match runs.last_mut() {
            Some((_, end, festival)) if *festival == day.festival && end.succ_opt() == Some(day.date) => {
                *end = day.date;
            }
            _ => runs.push((day.date, day.date, day.festival)),
        }
    }
    runs.iter()
        .map(|(start, end, festival)| {
            if start == end {
                format!("{start} {}", festival.zh())
            } else {
                format!("{start}..{end} {}", festival.zh())
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests;
