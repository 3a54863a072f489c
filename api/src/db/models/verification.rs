//! `verification_submissions` and `qualifications`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use shared::dto::VerificationStatus;

use crate::db::DbConn;
use crate::db::schema::{memberships, qualifications, verification_submissions};

/// A verification submission row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = verification_submissions)]
pub struct SubmissionRow {
    pub id: String,
    pub org_id: String,
    pub licence_file: String,
    pub legal_rep_name: String,
    pub legal_rep_id_enc: String,
    pub legal_rep_id_masked: String,
    pub status: VerificationStatus,
    pub submitted_by: String,
    pub submitted_at: NaiveDateTime,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<NaiveDateTime>,
    pub reason: Option<String>,
}

/// A qualification certificate row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = qualifications)]
pub struct QualificationRow {
    pub id: String,
    pub submission_id: String,
    pub org_id: String,
    pub type_code: String,
    pub grade: String,
    pub number: String,
    pub expires_on: NaiveDate,
    pub file: String,
    pub reminded_at: Option<NaiveDateTime>,
}

impl SubmissionRow {
    /// Inserts a submission with its certificates.
    pub fn insert(&self, conn: &mut DbConn, certificates: &[QualificationRow]) -> QueryResult<()> {
        diesel::insert_into(verification_submissions::table).values(self).execute(conn)?;
        for certificate in certificates {
            diesel::insert_into(qualifications::table).values(certificate).execute(conn)?;
        }
        Ok(())
    }

    /// A submission by id.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<SubmissionRow>> {
        verification_submissions::table.find(id).select(SubmissionRow::as_select()).first(conn).optional()
    }

    /// The organisation's newest submission.
    pub fn latest_of(conn: &mut DbConn, org_id: &str) -> QueryResult<Option<SubmissionRow>> {
        verification_submissions::table
            .filter(verification_submissions::org_id.eq(org_id))
            .order(verification_submissions::id.desc())
            .select(SubmissionRow::as_select())
            .first(conn)
            .optional()
    }

    /// Submissions with a status, oldest first (the reviewer's queue).
    pub fn with_status(
        conn: &mut DbConn,
        status: VerificationStatus,
        limit: i64,
    ) -> QueryResult<Vec<SubmissionRow>> {
        verification_submissions::table
            .filter(verification_submissions::status.eq(status))
            .order(verification_submissions::id.asc())
            .limit(limit)
            .select(SubmissionRow::as_select())
            .load(conn)
    }

    /// Records a decision on a pending submission; `false` if it was no longer pending.
    pub fn decide(
        conn: &mut DbConn,
        id: &str,
        status: VerificationStatus,
        by: &str,
        reason: Option<&str>,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let n = diesel::update(
            verification_submissions::table
                .find(id)
                .filter(verification_submissions::status.eq(VerificationStatus::Pending)),
        )
        .set((
            verification_submissions::status.eq(status),
            verification_submissions::reviewed_by.eq(by),
            verification_submissions::reviewed_at.eq(at),
            verification_submissions::reason.eq(reason),
        ))
        .execute(conn)?;
        Ok(n == 1)
    }

    /// Whether `sha256` is a file of a submission of an organisation `user_id` belongs to.
    pub fn file_visible_to_member(conn: &mut DbConn, sha256: &str, user_id: &str) -> QueryResult<bool> {
        let orgs = memberships::table.filter(memberships::user_id.eq(user_id)).select(memberships::org_id);
        let as_licence: i64 = verification_submissions::table
            .filter(verification_submissions::licence_file.eq(sha256))
            .filter(verification_submissions::org_id.eq_any(orgs))
            .count()
            .get_result(conn)?;
        let orgs = memberships::table.filter(memberships::user_id.eq(user_id)).select(memberships::org_id);
        let as_certificate: i64 = qualifications::table
            .filter(qualifications::file.eq(sha256))
            .filter(qualifications::org_id.eq_any(orgs))
            .count()
            .get_result(conn)?;
        Ok(as_licence + as_certificate > 0)
    }
}

impl QualificationRow {
    /// Certificates from approved submissions, of one organisation or (with `None`) of all.
    pub fn verified(conn: &mut DbConn, org_id: Option<&str>) -> QueryResult<Vec<QualificationRow>> {
        let mut query = qualifications::table
            .inner_join(verification_submissions::table)
            .filter(verification_submissions::status.eq(VerificationStatus::Verified))
            .select(QualificationRow::as_select())
            .into_boxed();
        if let Some(org_id) = org_id {
            query = query.filter(qualifications::org_id.eq(org_id.to_owned()));
        }
        query.load(conn)
    }

    /// The certificates of a submission.
    pub fn of_submission(conn: &mut DbConn, submission_id: &str) -> QueryResult<Vec<QualificationRow>> {
        qualifications::table
            .filter(qualifications::submission_id.eq(submission_id))
            .order(qualifications::id.asc())
            .select(QualificationRow::as_select())
            .load(conn)
    }

    /// Certificates of verified submissions expiring on or before `until`, still valid on
    /// `today`, not yet reminded.
    pub fn due_for_reminder(
        conn: &mut DbConn,
        today: NaiveDate,
        until: NaiveDate,
    ) -> QueryResult<Vec<QualificationRow>> {
        qualifications::table
            .inner_join(verification_submissions::table)
            .filter(verification_submissions::status.eq(VerificationStatus::Verified))
            .filter(qualifications::expires_on.ge(today))
            .filter(qualifications::expires_on.le(until))
            .filter(qualifications::reminded_at.is_null())
            .select(QualificationRow::as_select())
            .load(conn)
    }

    /// Marks a certificate reminded.
    pub fn mark_reminded(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> QueryResult<()> {
        diesel::update(qualifications::table.find(id))
            .set(qualifications::reminded_at.eq(at))
            .execute(conn)
            .map(drop)
    }
}
