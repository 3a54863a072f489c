//! `files` (one row per distinct content) and `file_uploads` (who uploaded it).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{file_uploads, files};

/// A stored file.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = files)]
pub struct FileRow {
    pub sha256: String,
    pub size: i64,
    pub content_type: String,
    pub uploaded_by: String,
    pub created_at: NaiveDateTime,
}

fn ignore_duplicate(result: QueryResult<usize>) -> QueryResult<()> {
    match result {
        Ok(_)
        | Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
            Ok(())
        }
        Err(e) => Err(e),
    }
}

impl FileRow {
    /// Records a file and that `user_id` uploaded it (both idempotent, also when two uploads of
    /// the same content race: the loser's unique violation means "already there").
    pub fn record(&self, conn: &mut DbConn, user_id: &str, original_name: Option<&str>) -> QueryResult<()> {
        if Self::find(conn, &self.sha256)?.is_none() {
            ignore_duplicate(diesel::insert_into(files::table).values(self).execute(conn))?;
        }
        let seen: i64 = file_uploads::table
            .filter(file_uploads::sha256.eq(&self.sha256))
            .filter(file_uploads::user_id.eq(user_id))
            .count()
            .get_result(conn)?;
        if seen == 0 {
            ignore_duplicate(
                diesel::insert_into(file_uploads::table)
                    .values((
                        file_uploads::sha256.eq(&self.sha256),
                        file_uploads::user_id.eq(user_id),
                        file_uploads::original_name.eq(original_name),
                        file_uploads::created_at.eq(self.created_at),
                    ))
                    .execute(conn),
            )?;
        }
        Ok(())
    }

    /// A file by hash.
    pub fn find(conn: &mut DbConn, sha256: &str) -> QueryResult<Option<FileRow>> {
        files::table.find(sha256).select(FileRow::as_select()).first(conn).optional()
    }

    /// Whether `user_id` uploaded this file.
    pub fn uploaded_by(conn: &mut DbConn, sha256: &str, user_id: &str) -> QueryResult<bool> {
        let n: i64 = file_uploads::table
            .filter(file_uploads::sha256.eq(sha256))
            .filter(file_uploads::user_id.eq(user_id))
            .count()
            .get_result(conn)?;
        Ok(n > 0)
    }
}
