//! The Asia/Shanghai business calendar: a business day is Monday–Friday minus the official
//! public holidays, plus the official make-up workdays (调休).
//!
//! Official tables exist for the years shipped in `shared/data/calendar/`; beyond them the
//! calendar falls back to "weekends only" and says so through [`Coverage`], so a deadline can
//! always be computed. Business-day counts start on the day *after* the start date: the first
//! business day after a Friday is the next Monday (or the next working day if that is a holiday).

mod data;
pub mod schedule;
pub mod shanghai;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc, Weekday};
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use data::{CalendarEntry, EMBEDDED_YEAR_FILES, Festival, YearFile};

/// What went wrong with a calendar computation or a year file.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum CalendarError {
    /// The date would leave the range chrono can represent.
    #[error("the date is out of the representable range")]
    OutOfRange,
    /// A year file is not valid JSON of the expected shape.
    #[error("year file is malformed: {0}")]
    MalformedYearFile(String),
    /// A year file lists a date outside its own year.
    #[error("year file {year} lists {date}, which is outside that year")]
    DateOutsideYear {
        /// The year of the file.
        year: i32,
        /// The offending date.
        date: NaiveDate,
    },
    /// A date is listed both as a holiday and as a make-up workday, or twice.
    #[error("{0} is listed more than once")]
    DuplicateDate(NaiveDate),
    /// A make-up workday that is not a Saturday or Sunday.
    #[error("make-up workday {0} is not a weekend day")]
    MakeUpWorkdayNotOnWeekend(NaiveDate),
    /// Two files for the same year.
    #[error("year {0} is given twice")]
    DuplicateYear(i32),
}

impl CalendarError {
    /// Stable snake_case code for API error envelopes.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::OutOfRange => "calendar_out_of_range",
            Self::MalformedYearFile(_)
            | Self::DateOutsideYear { .. }
            | Self::DuplicateDate(_)
            | Self::MakeUpWorkdayNotOnWeekend(_)
            | Self::DuplicateYear(_) => "calendar_data_invalid",
        }
    }
}

/// Whether an answer rests on official data for every date it looked at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// Every date involved lies in a year with an official holiday table.
    Official,
    /// At least one date lies in a year without one; weekends were the only days off there.
    WeekendsOnly,
}

impl Coverage {
    /// The weaker of two coverages.
    #[must_use]
    pub const fn and(self, other: Self) -> Self {
        match (self, other) {
            (Self::Official, Self::Official) => Self::Official,
            _ => Self::WeekendsOnly,
        }
    }
}

/// A calendar answer together with the coverage it rests on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reckoned<T> {
    /// The answer.
    pub value: T,
    /// Whether official holiday data covered every date involved.
    pub coverage: Coverage,
}

/// What kind of day a date is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum DayKind {
    /// An ordinary Monday–Friday.
    Workday,
    /// An ordinary Saturday or Sunday.
    Weekend,
    /// A day off of an official holiday period.
    Holiday {
        /// The festival.
        festival: Festival,
    },
    /// A weekend day that is an official working day (调休).
    MakeUpWorkday {
        /// The festival it makes up for.
        festival: Festival,
    },
}

impl DayKind {
    /// Whether people work on this day.
    #[must_use]
    pub const fn is_business_day(self) -> bool {
        matches!(self, Self::Workday | Self::MakeUpWorkday { .. })
    }
}

/// Business days for Asia/Shanghai.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BusinessCalendar {
    special_days: BTreeMap<NaiveDate, DayKind>,
    sources: BTreeMap<i32, String>,
}

impl BusinessCalendar {
    /// The calendar built from the official year files shipped with the crate.
    ///
    /// The embedded files are checked by this module's tests; were one ever invalid, the
    /// calendar would degrade to weekends only (reported through [`Coverage`]) rather than fail.
    #[must_use]
    pub fn official() -> &'static Self {
        static OFFICIAL: OnceLock<BusinessCalendar> = OnceLock::new();
        OFFICIAL.get_or_init(|| {
            Self::from_year_files(&EMBEDDED_YEAR_FILES).unwrap_or_else(|_| Self::weekends_only())
        })
    }

    /// A calendar with no official data: every year falls back to weekends only.
    #[must_use]
    pub const fn weekends_only() -> Self {
        Self { special_days: BTreeMap::new(), sources: BTreeMap::new() }
    }

    /// Builds a calendar from year files in the JSON shape of [`YearFile`].
    ///
    /// # Errors
    /// A [`CalendarError`] naming the first problem found in the files.
    pub fn from_year_files(files: &[&str]) -> Result<Self, CalendarError> {
        let mut calendar = Self::weekends_only();
        for text in files {
            let file: YearFile = serde_json::from_str(text)
                .map_err(|error| CalendarError::MalformedYearFile(error.to_string()))?;
            calendar.add_year(file)?;
        }
        Ok(calendar)
    }

    fn add_year(&mut self, file: YearFile) -> Result<(), CalendarError> {
        if self.sources.contains_key(&file.year) {
            return Err(CalendarError::DuplicateYear(file.year));
        }
        let holidays =
            file.holidays.iter().map(|entry| (entry, DayKind::Holiday { festival: entry.festival }));
        let workdays = file
            .make_up_workdays
            .iter()
            .map(|entry| (entry, DayKind::MakeUpWorkday { festival: entry.festival }));
        let mut days = BTreeMap::new();
        for (entry, kind) in holidays.chain(workdays) {
            if entry.date.year() != file.year {
                return Err(CalendarError::DateOutsideYear { year: file.year, date: entry.date });
            }
            if matches!(kind, DayKind::MakeUpWorkday { .. }) && !is_weekend(entry.date) {
                return Err(CalendarError::MakeUpWorkdayNotOnWeekend(entry.date));
            }
            if days.insert(entry.date, kind).is_some() {
                return Err(CalendarError::DuplicateDate(entry.date));
            }
        }
        self.special_days.extend(days);
        self.sources.insert(file.year, file.source);
        Ok(())
    }

    /// This calendar with more official years added: the years platform staff uploaded on top
    /// of the shipped ones (`schedule::check_calendar_year` checks an upload first).
    ///
    /// # Errors
    /// A [`CalendarError`] naming the first invalid file, or a year this calendar covers already.
    pub fn with_years(&self, files: impl IntoIterator<Item = YearFile>) -> Result<Self, CalendarError> {
        let mut calendar = self.clone();
        for file in files {
            calendar.add_year(file)?;
        }
        Ok(calendar)
    }

    /// Whether `year` has an official holiday table here.
    #[must_use]
    pub fn covers(&self, year: i32) -> bool {
        self.sources.contains_key(&year)
    }

    /// A covered year's table as a year file (holidays and make-up workdays in date order);
    /// `None` for a year without one.
    #[must_use]
    pub fn year_file(&self, year: i32) -> Option<YearFile> {
        let source = self.sources.get(&year)?.clone();
        let mut file = YearFile { year, source, holidays: Vec::new(), make_up_workdays: Vec::new() };
        for (date, kind) in self.special_days.iter().filter(|(date, _)| date.year() == year) {
            match *kind {
                DayKind::Holiday { festival } => file.holidays.push(CalendarEntry { date: *date, festival }),
                DayKind::MakeUpWorkday { festival } => {
                    file.make_up_workdays.push(CalendarEntry { date: *date, festival });
                }
                DayKind::Workday | DayKind::Weekend => {}
            }
        }
        Some(file)
    }

    /// The years with an official holiday table, ascending.
    pub fn covered_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.sources.keys().copied()
    }

    /// Where the official data of a year came from, if the year is covered.
    #[must_use]
    pub fn source(&self, year: i32) -> Option<&str> {
        self.sources.get(&year).map(String::as_str)
    }

    fn coverage_of(&self, date: NaiveDate) -> Coverage {
        if self.sources.contains_key(&date.year()) { Coverage::Official } else { Coverage::WeekendsOnly }
    }

    /// What kind of day `date` is.
    #[must_use]
    pub fn day_kind(&self, date: NaiveDate) -> Reckoned<DayKind> {
        let value = self
            .special_days
            .get(&date)
            .copied()
            .unwrap_or_else(|| if is_weekend(date) { DayKind::Weekend } else { DayKind::Workday });
        Reckoned { value, coverage: self.coverage_of(date) }
    }

    /// Whether `date` is a business day.
    #[must_use]
    pub fn is_business_day(&self, date: NaiveDate) -> Reckoned<bool> {
        let kind = self.day_kind(date);
        Reckoned { value: kind.value.is_business_day(), coverage: kind.coverage }
    }

    /// The `count`-th business day after `start` (`start` itself when `count` is 0).
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] when the answer lies beyond the dates chrono represents.
    pub fn add_business_days(
        &self,
        start: NaiveDate,
        count: u32,
    ) -> Result<Reckoned<NaiveDate>, CalendarError> {
        let mut coverage = self.coverage_of(start);
        let mut date = start;
        let mut remaining = count;
        while remaining > 0 {
            date = next_day(date)?;
            let kind = self.day_kind(date);
            coverage = coverage.and(kind.coverage);
            if kind.value.is_business_day() {
                remaining -= 1;
            }
        }
        Ok(Reckoned { value: date, coverage })
    }

    /// The number of business days `d` with `start < d <= end`; negative when `end` is before
    /// `start`. It is the inverse of [`Self::add_business_days`].
    #[must_use]
    pub fn business_days_between(&self, start: NaiveDate, end: NaiveDate) -> Reckoned<i64> {
        let (from, to, sign) = if start <= end { (start, end, 1) } else { (end, start, -1) };
        let mut coverage = self.coverage_of(from).and(self.coverage_of(to));
        let mut count = 0_i64;
        for date in from.iter_days().skip(1).take_while(|date| *date <= to) {
            let kind = self.day_kind(date);
            coverage = coverage.and(kind.coverage);
            if kind.value.is_business_day() {
                count += 1;
            }
        }
        Reckoned { value: sign * count, coverage }
    }

    /// The instant a deadline of `count` business days from `start` passes: the end (Shanghai
    /// midnight) of the `count`-th business day after `start`'s Shanghai date.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] when the answer cannot be represented.
    pub fn business_deadline(
        &self,
        start: DateTime<Utc>,
        count: u32,
    ) -> Result<Reckoned<DateTime<Utc>>, CalendarError> {
        let last_day = self.add_business_days(shanghai::business_date(start), count)?;
        Ok(Reckoned { value: shanghai::end_of_day(last_day.value)?, coverage: last_day.coverage })
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

fn next_day(date: NaiveDate) -> Result<NaiveDate, CalendarError> {
    date.checked_add_days(Days::new(1)).ok_or(CalendarError::OutOfRange)
}

#[cfg(test)]
mod tests;
