//! The official holiday tables shipped with the crate, one JSON file per year in
//! `shared/data/calendar/`, embedded at compile time so that no I/O happens at run time.
//!
//! The facts come from the PyPI package `chinesecalendar` 1.11.0 (cross-checked against the npm
//! package `chinese-days` 1.5.7); `docs/DOMAIN.md` says how to add a year.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The embedded year files, oldest first.
pub const EMBEDDED_YEAR_FILES: [&str; 3] = [
    include_str!("../../../data/calendar/2024.json"),
    include_str!("../../../data/calendar/2025.json"),
    include_str!("../../../data/calendar/2026.json"),
];

/// The festival a holiday or a make-up workday belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Festival {
    /// 元旦.
    NewYearsDay,
    /// 春节.
    SpringFestival,
    /// 清明节.
    TombSweepingDay,
    /// 劳动节.
    LabourDay,
    /// 端午节.
    DragonBoatFestival,
    /// 中秋节.
    MidAutumnFestival,
    /// 国庆节.
    NationalDay,
}

/// One dated entry of a year file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarEntry {
    /// The Shanghai date.
    pub date: NaiveDate,
    /// The festival the day belongs to.
    pub festival: Festival,
}

/// One year of official holiday arrangements as published by the State Council.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearFile {
    /// The calendar year.
    pub year: i32,
    /// Where the facts were taken from.
    pub source: String,
    /// Days off: public holidays and the weekend days folded into a holiday period.
    pub holidays: Vec<CalendarEntry>,
    /// Make-up workdays (调休): weekend days that are working days.
    pub make_up_workdays: Vec<CalendarEntry>,
}
