//! The business calendar every server process uses: the shipped years
//! (`BusinessCalendar::official()`) plus the years platform admins uploaded (`calendar_years`).
//!
//! **Freshness across processes.** Each process caches the built calendar in its `AppState`
//! together with a fingerprint — the `(year, revision)` pairs of `calendar_years`. Every use reads
//! that fingerprint (one query over a handful of rows, inside the caller's transaction) and
//! rebuilds the calendar only when it changed. So a year uploaded through any process is used by
//! every process from its next request on — no reload period, no stale window — at the cost of
//! one tiny query per deadline computed. The uploading process's own cache is rebuilt at once.
//!
//! A stored row that does not read back as a valid year is an error (500), never skipped.

use std::sync::{Arc, RwLock};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::domain::calendar::schedule::{EARLIEST_UPLOADABLE_YEAR, latest_uploadable_year};
use shared::domain::calendar::{BusinessCalendar, CalendarEntry, YearFile, shanghai};
use shared::dto::{CalendarDay, CalendarYear, CalendarYearList, CalendarYearSource};

use crate::db::DbConn;
use crate::db::models::users::User;
use crate::db::schema::calendar_years;
use crate::error::ApiError;

/// An uploaded year. `holidays` and `make_up_workdays` hold JSON lists of calendar entries.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = calendar_years)]
pub struct CalendarYearRow {
    pub year: i32,
    pub reference: String,
    pub holidays: String,
    pub make_up_workdays: String,
    pub revision: i64,
    pub uploaded_at: NaiveDateTime,
    pub uploaded_by: String,
}

impl CalendarYearRow {
    /// Every uploaded year, oldest first.
    pub fn all(conn: &mut DbConn) -> QueryResult<Vec<Self>> {
        calendar_years::table.order(calendar_years::year.asc()).select(Self::as_select()).load(conn)
    }

    /// The `(year, revision)` pairs, oldest first: changes whenever a year is uploaded.
    pub fn fingerprint(conn: &mut DbConn) -> QueryResult<Fingerprint> {
        calendar_years::table
            .order(calendar_years::year.asc())
            .select((calendar_years::year, calendar_years::revision))
            .load(conn)
    }

    /// Stores `file` as uploaded by `by` at `at`: a new row at revision 1, or the year's row
    /// replaced at the next revision. Returns the stored row.
    pub fn store(conn: &mut DbConn, file: &YearFile, by: &str, at: NaiveDateTime) -> Result<Self, ApiError> {
        let previous: Option<i64> =
            calendar_years::table.find(file.year).select(calendar_years::revision).first(conn).optional()?;
        let row = Self {
            year: file.year,
            reference: file.source.clone(),
            holidays: to_json(&file.holidays)?,
            make_up_workdays: to_json(&file.make_up_workdays)?,
            revision: previous.map_or(1, |revision| revision + 1),
            uploaded_at: at,
            uploaded_by: by.to_owned(),
        };
        if previous.is_some() {
            diesel::update(calendar_years::table.find(file.year)).set(&row).execute(conn)?;
        } else {
            diesel::insert_into(calendar_years::table).values(&row).execute(conn)?;
        }
        Ok(row)
    }

    /// The row as a year file.
    ///
    /// # Errors
    /// `internal` when a stored list does not read back.
    pub fn year_file(&self) -> Result<YearFile, ApiError> {
        Ok(YearFile {
            year: self.year,
            source: self.reference.clone(),
            holidays: from_json(&self.holidays)?,
            make_up_workdays: from_json(&self.make_up_workdays)?,
        })
    }
}

fn to_json(entries: &[CalendarEntry]) -> Result<String, ApiError> {
    serde_json::to_string(entries).map_err(ApiError::internal)
}

fn from_json(text: &str) -> Result<Vec<CalendarEntry>, ApiError> {
    serde_json::from_str(text)
        .map_err(|e| ApiError::internal(format!("stored calendar year unreadable: {e}")))
}

/// The shipped years plus the uploaded rows.
///
/// # Errors
/// `internal` when a row is unreadable, invalid, or repeats a shipped year.
pub fn build(rows: &[CalendarYearRow]) -> Result<BusinessCalendar, ApiError> {
    let files = rows.iter().map(CalendarYearRow::year_file).collect::<Result<Vec<_>, _>>()?;
    BusinessCalendar::official()
        .with_years(files)
        .map_err(|e| ApiError::internal(format!("stored calendar year invalid: {e}")))
}

/// The `(year, revision)` pairs of `calendar_years`, oldest first.
pub type Fingerprint = Vec<(i32, i64)>;

/// This process's calendar and the fingerprint it was built from.
#[derive(Default)]
pub struct CalendarCache {
    built: RwLock<Option<(Fingerprint, Arc<BusinessCalendar>)>>,
}

impl CalendarCache {
    /// The calendar as the database has it now (rebuilt only when the fingerprint changed).
    ///
    /// # Errors
    /// A database error, or `internal` for an unreadable stored year.
    pub fn current(&self, conn: &mut DbConn) -> Result<Arc<BusinessCalendar>, ApiError> {
        let fingerprint = CalendarYearRow::fingerprint(conn)?;
        if let Ok(guard) = self.built.read()
            && let Some((built_from, calendar)) = guard.as_ref()
            && *built_from == fingerprint
        {
            return Ok(calendar.clone());
        }
        let rows = CalendarYearRow::all(conn)?;
        let calendar = Arc::new(build(&rows)?);
        self.remember(rows.iter().map(|row| (row.year, row.revision)).collect(), calendar.clone());
        Ok(calendar)
    }

    /// Keeps a calendar built from rows with this fingerprint.
    pub fn remember(&self, fingerprint: Fingerprint, calendar: Arc<BusinessCalendar>) {
        if let Ok(mut guard) = self.built.write() {
            *guard = Some((fingerprint, calendar));
        }
    }
}

/// The staff console's list: every covered year, shipped and uploaded, ascending.
pub fn list(
    conn: &mut DbConn,
    calendar: &BusinessCalendar,
    rows: &[CalendarYearRow],
    now: NaiveDateTime,
) -> Result<CalendarYearList, ApiError> {
    let mut items = Vec::new();
    for year in calendar.covered_years() {
        let Some(file) = calendar.year_file(year) else { continue };
        let uploaded = rows.iter().find(|row| row.year == year);
        let by_name = match uploaded {
            Some(row) => User::find_active(conn, &row.uploaded_by)?.map(|user| user.display_name),
            None => None,
        };
        items.push(year_view(&file, uploaded, by_name));
    }
    Ok(CalendarYearList {
        items,
        earliest_uploadable_year: EARLIEST_UPLOADABLE_YEAR,
        latest_uploadable_year: latest_uploadable_year(shanghai::business_date(now.and_utc())),
    })
}

/// The API view of a covered year.
pub fn year_view(
    file: &YearFile,
    uploaded: Option<&CalendarYearRow>,
    by_name: Option<String>,
) -> CalendarYear {
    let days = |entries: &[CalendarEntry]| entries.iter().map(CalendarDay::from).collect::<Vec<_>>();
    CalendarYear {
        year: file.year,
        source: if uploaded.is_some() { CalendarYearSource::Uploaded } else { CalendarYearSource::Shipped },
        reference: file.source.clone(),
        holiday_count: u32::try_from(file.holidays.len()).unwrap_or(u32::MAX),
        make_up_workday_count: u32::try_from(file.make_up_workdays.len()).unwrap_or(u32::MAX),
        holidays: days(&file.holidays),
        make_up_workdays: days(&file.make_up_workdays),
        uploaded_at: uploaded.map(|row| row.uploaded_at.and_utc()),
        uploaded_by: uploaded.map(|row| row.uploaded_by.clone()),
        uploaded_by_name: by_name,
        revision: uploaded.map(|row| row.revision),
    }
}

/// What an upload stored, for the response and this process's cache.
pub struct Uploaded {
    /// The year's view.
    pub view: CalendarYear,
    /// Whether the year was new (not a replacement).
    pub created: bool,
    /// The calendar with the upload, and the fingerprint it was built from.
    pub calendar: (Fingerprint, Arc<BusinessCalendar>),
}

/// Uploads a year's schedule for an admin, inside the caller's write transaction: checks it,
/// stores it (replacing an earlier upload), recomputes the pending review deadlines, and
/// writes the audit entry.
///
/// # Errors
/// 403 `forbidden` without the admin role; 422 `validation_failed` with field issues.
pub fn upload(
    conn: &mut DbConn,
    user_id: &str,
    year: i32,
    body: &shared::dto::CalendarYearUpload,
) -> Result<Uploaded, ApiError> {
    let me = crate::routes::staff::service::require_staff(conn, user_id)?;
    if !me.holds_any(&[shared::dto::StaffRole::Admin]) {
        return Err(ApiError::new(
            shared::error::ErrorCode::Forbidden,
            "only platform admins may upload a calendar year",
        ));
    }
    let at = crate::db::now();
    let file = shared::domain::calendar::schedule::check_calendar_year(
        year,
        body,
        shanghai::business_date(at.and_utc()),
    )
    .map_err(|issues| ApiError::validation("the schedule is not valid", issues))?;
    let row = CalendarYearRow::store(conn, &file, &me.user_id, at)?;
    let rows = CalendarYearRow::all(conn)?;
    let calendar = Arc::new(build(&rows)?);
    let moved = crate::routes::demands::service::recompute_review_deadlines(conn, &calendar)?;
    let action = if row.revision == 1 { "calendar.year_uploaded" } else { "calendar.year_replaced" };
    let details = serde_json::json!({
        "year": year,
        "revision": row.revision,
        "reference": row.reference,
        "holidays": file.holidays.len(),
        "make_up_workdays": file.make_up_workdays.len(),
        "review_deadlines_moved": moved,
    });
    crate::routes::staff::service::audit(
        conn,
        &me.user_id,
        action,
        ("calendar_year", &year.to_string()),
        details,
        at,
    )?;
    let by_name = User::find_active(conn, &me.user_id)?.map(|user| user.display_name);
    Ok(Uploaded {
        view: year_view(&file, Some(&row), by_name),
        created: row.revision == 1,
        calendar: (rows.iter().map(|row| (row.year, row.revision)).collect(), calendar),
    })
}
