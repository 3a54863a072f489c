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
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
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

impl Festival {
    /// Every festival, in calendar order.
    pub const ALL: [Self; 7] = [
        Self::NewYearsDay,
        Self::SpringFestival,
        Self::TombSweepingDay,
        Self::LabourDay,
        Self::DragonBoatFestival,
        Self::MidAutumnFestival,
        Self::NationalDay,
    ];

    /// The wire form (`new_years_day`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NewYearsDay => "new_years_day",
            Self::SpringFestival => "spring_festival",
            Self::TombSweepingDay => "tomb_sweeping_day",
            Self::LabourDay => "labour_day",
            Self::DragonBoatFestival => "dragon_boat_festival",
            Self::MidAutumnFestival => "mid_autumn_festival",
            Self::NationalDay => "national_day",
        }
    }

    /// The Chinese name as the State Council notice writes it (元旦, 春节 …).
    #[must_use]
    pub const fn zh(self) -> &'static str {
        match self {
            Self::NewYearsDay => "元旦",
            Self::SpringFestival => "春节",
            Self::TombSweepingDay => "清明节",
            Self::LabourDay => "劳动节",
            Self::DragonBoatFestival => "端午节",
            Self::MidAutumnFestival => "中秋节",
            Self::NationalDay => "国庆节",
        }
    }

    /// Reads a festival from its wire form or its Chinese name (with or without the final 节).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        let name = name.trim();
        Self::ALL.iter().copied().find(|festival| {
            let zh = festival.zh();
            name == festival.as_str() || name == zh || zh.strip_suffix('节') == Some(name)
        })
    }
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
