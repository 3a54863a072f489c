//! `files` (one row per distinct content) and `file_uploads` (who uploaded it).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{
    demands, file_uploads, files, projects, qualifications, shared_resources, verification_submissions,
};

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

    /// Bytes of the files `user_id` uploaded (each distinct content once): what counts against
    /// the upload quota.
    pub fn bytes_uploaded_by(conn: &mut DbConn, user_id: &str) -> QueryResult<i64> {
        let sizes: Vec<i64> = file_uploads::table
            .inner_join(files::table.on(files::sha256.eq(file_uploads::sha256)))
            .filter(file_uploads::user_id.eq(user_id))
            .select(files::size)
            .load(conn)?;
        Ok(sizes.iter().sum())
    }

    /// The files `user_id` uploaded, with the name they gave and when (oldest first).
    pub fn uploads_of(
        conn: &mut DbConn,
        user_id: &str,
    ) -> QueryResult<Vec<(FileRow, Option<String>, NaiveDateTime)>> {
        file_uploads::table
            .inner_join(files::table.on(files::sha256.eq(file_uploads::sha256)))
            .filter(file_uploads::user_id.eq(user_id))
            .order(file_uploads::created_at.asc())
            .select((FileRow::as_select(), file_uploads::original_name, file_uploads::created_at))
            .load(conn)
    }

    /// Forgets that `user_id` uploaded anything, and removes the rows of files nothing needs
    /// any more: nobody else uploaded them and no verification, certificate, project, demand or
    /// shared resource refers to them. Returns the hashes whose content may now be deleted.
    pub fn forget_uploads_of(conn: &mut DbConn, user_id: &str) -> QueryResult<Vec<String>> {
        let mine: Vec<String> = file_uploads::table
            .filter(file_uploads::user_id.eq(user_id))
            .select(file_uploads::sha256)
            .load(conn)?;
        diesel::delete(file_uploads::table.filter(file_uploads::user_id.eq(user_id))).execute(conn)?;
        let mut orphans = Vec::new();
        for sha in mine {
            if Self::still_needed(conn, &sha)? {
                continue;
            }
            diesel::delete(files::table.find(&sha)).execute(conn)?;
            orphans.push(sha);
        }
        Ok(orphans)
    }

    fn still_needed(conn: &mut DbConn, sha: &str) -> QueryResult<bool> {
        // File ids are 64 hex characters, so a quoted substring match cannot hit another id.
        let quoted = format!("%\"{sha}\"%");
        let uploads: i64 =
            file_uploads::table.filter(file_uploads::sha256.eq(sha)).count().get_result(conn)?;
        let licences: i64 = verification_submissions::table
            .filter(verification_submissions::licence_file.eq(sha))
            .count()
            .get_result(conn)?;
        let certificates: i64 =
            qualifications::table.filter(qualifications::file.eq(sha)).count().get_result(conn)?;
        let resources: i64 =
            shared_resources::table.filter(shared_resources::file_sha256.eq(sha)).count().get_result(conn)?;
        let projects: i64 =
            projects::table.filter(projects::tender_files.like(quoted.clone())).count().get_result(conn)?;
        let demands: i64 = demands::table.filter(demands::files.like(quoted)).count().get_result(conn)?;
        Ok(uploads + licences + certificates + resources + projects + demands > 0)
    }
}
