//! `progress_logs`, `progress_photos` and `progress_warnings`: the performer's logs with their
//! photos (and what the photos' EXIF said), the payer's review, and the risk warnings sent.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use shared::dto::ProgressState;

use crate::db::DbConn;
use crate::db::schema::{progress_logs, progress_photos, progress_warnings};

/// A progress log.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = progress_logs)]
pub struct ProgressLogRow {
    pub id: String,
    pub contract_id: String,
    pub log_date: NaiveDate,
    pub work_done: String,
    pub percent: i32,
    pub issues: Option<String>,
    pub status: ProgressState,
    pub revises: Option<String>,
    pub posted_by: String,
    pub posted_at: NaiveDateTime,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<NaiveDateTime>,
    pub review_comment: Option<String>,
}

/// A photo on a log, with its EXIF capture time and position.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = progress_photos)]
pub struct ProgressPhotoRow {
    pub log_id: String,
    pub ordinal: i32,
    pub sha256: String,
    pub content_type: String,
    pub captured_at: Option<NaiveDateTime>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

impl ProgressLogRow {
    /// Inserts a log.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(progress_logs::table).values(self).execute(conn).map(drop)
    }

    /// One log of a contract.
    pub fn find(conn: &mut DbConn, contract_id: &str, id: &str) -> QueryResult<Option<ProgressLogRow>> {
        progress_logs::table
            .find(id)
            .filter(progress_logs::contract_id.eq(contract_id))
            .select(ProgressLogRow::as_select())
            .first(conn)
            .optional()
    }

    /// A page of a contract's logs, newest first, before the cursor (a log id).
    pub fn page(
        conn: &mut DbConn,
        contract_id: &str,
        before: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<ProgressLogRow>> {
        let mut query = progress_logs::table
            .filter(progress_logs::contract_id.eq(contract_id))
            .select(ProgressLogRow::as_select())
            .order(progress_logs::id.desc())
            .limit(limit)
            .into_boxed();
        if let Some(before) = before {
            query = query.filter(progress_logs::id.lt(before.to_owned()));
        }
        query.load(conn)
    }

    /// The latest log by date (then posting), and the latest whose changes were not requested.
    pub fn latest(
        conn: &mut DbConn,
        contract_id: &str,
    ) -> QueryResult<(Option<ProgressLogRow>, Option<ProgressLogRow>)> {
        let newest = || {
            progress_logs::table
                .filter(progress_logs::contract_id.eq(contract_id))
                .order((progress_logs::log_date.desc(), progress_logs::id.desc()))
                .select(ProgressLogRow::as_select())
        };
        let any = newest().first(conn).optional()?;
        let standing = newest()
            .filter(progress_logs::status.ne(ProgressState::ChangesRequested))
            .first(conn)
            .optional()?;
        Ok((any, standing))
    }

    /// The log that revises `id`, if any.
    pub fn revision_of(conn: &mut DbConn, id: &str) -> QueryResult<Option<String>> {
        progress_logs::table
            .filter(progress_logs::revises.eq(id))
            .select(progress_logs::id)
            .first(conn)
            .optional()
    }

    /// Writes the review if the log is still submitted (`false`: reviewed meanwhile).
    pub fn save_review(&self, conn: &mut DbConn) -> QueryResult<bool> {
        let n = diesel::update(
            progress_logs::table.find(&self.id).filter(progress_logs::status.eq(ProgressState::Submitted)),
        )
        .set((
            progress_logs::status.eq(self.status),
            progress_logs::reviewed_by.eq(&self.reviewed_by),
            progress_logs::reviewed_at.eq(self.reviewed_at),
            progress_logs::review_comment.eq(&self.review_comment),
        ))
        .execute(conn)?;
        Ok(n == 1)
    }
}

impl ProgressPhotoRow {
    /// Inserts a log's photos.
    pub fn insert_all(conn: &mut DbConn, rows: &[ProgressPhotoRow]) -> QueryResult<()> {
        for row in rows {
            diesel::insert_into(progress_photos::table).values(row).execute(conn)?;
        }
        Ok(())
    }

    /// The photos of a log, in order.
    pub fn of_log(conn: &mut DbConn, log_id: &str) -> QueryResult<Vec<ProgressPhotoRow>> {
        progress_photos::table
            .filter(progress_photos::log_id.eq(log_id))
            .order(progress_photos::ordinal.asc())
            .select(ProgressPhotoRow::as_select())
            .load(conn)
    }

    /// The contracts whose progress logs show this file.
    pub fn contracts_showing(conn: &mut DbConn, sha256: &str) -> QueryResult<Vec<String>> {
        progress_photos::table
            .inner_join(progress_logs::table.on(progress_logs::id.eq(progress_photos::log_id)))
            .filter(progress_photos::sha256.eq(sha256))
            .select(progress_logs::contract_id)
            .distinct()
            .load(conn)
    }
}

/// Records that a warning (contract, kind, period) is being sent; `false` when it was already,
/// by this run or another process (checked first, the primary key the backstop).
pub fn first_warning(
    conn: &mut DbConn,
    contract_id: &str,
    kind: &str,
    period: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let seen: i64 = progress_warnings::table
        .filter(progress_warnings::contract_id.eq(contract_id))
        .filter(progress_warnings::kind.eq(kind))
        .filter(progress_warnings::period.eq(period))
        .count()
        .get_result(conn)?;
    if seen > 0 {
        return Ok(false);
    }
    diesel::insert_into(progress_warnings::table)
        .values((
            progress_warnings::contract_id.eq(contract_id),
            progress_warnings::kind.eq(kind),
            progress_warnings::period.eq(period),
            progress_warnings::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(true)
}
