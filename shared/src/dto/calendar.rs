//! The business calendar in the staff console (`/staff/calendar-years`): the years with an
//! official holiday table — shipped with the release, or uploaded by a platform admin once the
//! State Council publishes a new year's schedule. The upload is checked by
//! [`crate::domain::calendar::schedule::check_calendar_year`] on both sides.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::calendar::{CalendarEntry, Festival};

/// One dated day of a year's schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
#[serde(deny_unknown_fields)]
pub struct CalendarDay {
    /// The Shanghai date.
    pub date: NaiveDate,
    /// The festival it belongs to.
    pub festival: Festival,
}

impl From<&CalendarEntry> for CalendarDay {
    fn from(entry: &CalendarEntry) -> Self {
        Self { date: entry.date, festival: entry.festival }
    }
}

impl From<CalendarDay> for CalendarEntry {
    fn from(day: CalendarDay) -> Self {
        Self { date: day.date, festival: day.festival }
    }
}

/// A year's official schedule as the State Council published it (`PUT
/// /staff/calendar-years/{year}`; the year is in the path). Replaces an earlier upload of the
/// same year; the shipped years cannot be replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
#[serde(deny_unknown_fields)]
pub struct CalendarYearUpload {
    /// Where the facts come from, e.g. the notice's title and number (1–200 characters).
    pub reference: String,
    /// Days off: the public holidays and the weekend days folded into a holiday period
    /// (at least 11, at most 45, each date once).
    pub holidays: Vec<CalendarDay>,
    /// Make-up workdays (调休上班): Saturdays or Sundays that are working days (at most 12).
    pub make_up_workdays: Vec<CalendarDay>,
}

/// Where a year's table comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum CalendarYearSource {
    /// Shipped with the release (cannot be replaced).
    Shipped,
    /// Uploaded by a platform admin (may be replaced).
    Uploaded,
}

/// One year of the business calendar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct CalendarYear {
    /// The calendar year.
    pub year: i32,
    /// Shipped or uploaded.
    pub source: CalendarYearSource,
    /// Where the facts come from.
    pub reference: String,
    /// How many days off it lists.
    pub holiday_count: u32,
    /// How many make-up workdays it lists.
    pub make_up_workday_count: u32,
    /// The days off, in date order.
    pub holidays: Vec<CalendarDay>,
    /// The make-up workdays, in date order.
    pub make_up_workdays: Vec<CalendarDay>,
    /// Uploaded years: when the current version was uploaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uploaded_at: Option<DateTime<Utc>>,
    /// Uploaded years: the admin's account id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uploaded_by: Option<String>,
    /// Uploaded years: the admin's display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uploaded_by_name: Option<String>,
    /// Uploaded years: 1 for the first upload, one more for each replacement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<i64>,
}

/// The years with an official holiday table, ascending. Deadlines reaching into any other
/// year are estimated (weekends only) and flagged `calendar_estimated`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct CalendarYearList {
    /// The covered years.
    pub items: Vec<CalendarYear>,
    /// The earliest year an admin may upload.
    pub earliest_uploadable_year: i32,
    /// The latest year an admin may upload now (this year plus two).
    pub latest_uploadable_year: i32,
}
