//! Real-name verification: checking a submission (ID checksum, known files, certificates against
//! the taxonomy, not already expired), building the views (ID numbers only masked), and the
//! reminder job for certificates that expire within 30 days.

use chrono::{Days, NaiveDate, NaiveDateTime};
use shared::domain::qualification::RENEWAL_REMINDER_DAYS;
use shared::dto::{
    FieldIssue, QualificationView, SubmitVerificationRequest, VerificationStatus, VerificationView,
};
use shared::validate::Invalid;

use crate::auth::crypto::seal;
use crate::db::models::files::FileRow;
use crate::db::models::orgs::{MembershipRow, OrganisationRow};
use crate::db::models::outbox::{MessageChannel, OutboxMessage, OutboxStatus};
use crate::db::models::users::User;
use crate::db::models::verification::{QualificationRow, SubmissionRow};
use crate::db::{DbConn, new_id};
use crate::error::ApiError;

/// Checks a submission (the fields with `shared::validate::verification`, then that every file
/// is a PDF or image the submitter uploaded) and turns it into rows.
pub fn build_submission(
    conn: &mut DbConn,
    key: &[u8; 32],
    org_id: &str,
    user_id: &str,
    req: &SubmitVerificationRequest,
    today: NaiveDate,
    at: NaiveDateTime,
) -> Result<(SubmissionRow, Vec<QualificationRow>), ApiError> {
    let checked = req.check_on(today);
    let mut issues = Vec::new();
    let mut known_file = |conn: &mut DbConn, sha: &str, field: String| -> Result<(), ApiError> {
        if !FileRow::uploaded_by(conn, sha, user_id)? {
            issues.push(FieldIssue::new(field, "unknown_file"));
        } else if FileRow::find(conn, sha)?
            .is_some_and(|f| !crate::routes::files::service::is_pdf_or_image(&f.content_type))
        {
            issues.push(FieldIssue::new(field, "pdf_or_image_required"));
        }
        Ok(())
    };
    known_file(conn, &req.licence_file, "licence_file".into())?;
    for (i, q) in req.qualifications.iter().enumerate() {
        known_file(conn, &q.file, format!("qualifications[{i}].file"))?;
    }
    let fields = match checked {
        Ok(fields) if issues.is_empty() => fields,
        Ok(_) => return Err(ApiError::validation("the verification submission is invalid", issues)),
        Err(Invalid(mut shared_issues)) => {
            shared_issues.append(&mut issues);
            return Err(ApiError::validation("the verification submission is invalid", shared_issues));
        }
    };
    let submission_id = new_id();
    let certificates = fields
        .qualifications
        .into_iter()
        .map(|q| QualificationRow {
            id: new_id(),
            submission_id: submission_id.clone(),
            org_id: org_id.to_owned(),
            type_code: q.type_code,
            grade: q.grade,
            number: q.number,
            expires_on: q.expires_on,
            file: q.file,
            reminded_at: None,
        })
        .collect();
    let id_number = fields.legal_representative_id_number;
    let row = SubmissionRow {
        id: submission_id,
        org_id: org_id.to_owned(),
        licence_file: req.licence_file.clone(),
        legal_rep_name: fields.legal_representative_name,
        legal_rep_id_enc: seal(key, id_number.as_str().as_bytes()),
        legal_rep_id_masked: id_number.masked(),
        status: VerificationStatus::Pending,
        submitted_by: user_id.to_owned(),
        submitted_at: at,
        reviewed_by: None,
        reviewed_at: None,
        reason: None,
    };
    Ok((row, certificates))
}

/// The view of a submission (ID number masked).
pub fn view(conn: &mut DbConn, row: SubmissionRow) -> Result<VerificationView, ApiError> {
    let org =
        OrganisationRow::find(conn, &row.org_id)?.ok_or_else(crate::routes::orgs::service::not_found)?;
    let qualifications = QualificationRow::of_submission(conn, &row.id)?
        .into_iter()
        .map(|q| {
            let kind = shared::taxonomy::qualification_type(&q.type_code);
            let grade_name = kind
                .and_then(|k| k.grades.iter().find(|g| g.code == q.grade))
                .map(|g| g.zh.clone())
                .unwrap_or_default();
            QualificationView {
                type_name: kind.map(|k| k.zh.clone()).unwrap_or_default(),
                type_code: q.type_code,
                grade_name,
                grade: q.grade,
                number: q.number,
                expires_on: q.expires_on,
                file: q.file,
            }
        })
        .collect();
    Ok(VerificationView {
        id: row.id,
        org_id: row.org_id,
        org_name: org.name,
        uscc: org.uscc,
        status: row.status,
        submitted_at: row.submitted_at.and_utc(),
        licence_file: row.licence_file,
        legal_representative_name: row.legal_rep_name,
        legal_representative_id_masked: row.legal_rep_id_masked,
        qualifications,
        reviewed_at: row.reviewed_at.map(|t| t.and_utc()),
        reason: row.reason,
    })
}

/// Queues a renewal reminder to the owners of every organisation whose verified certificate
/// expires within [`RENEWAL_REMINDER_DAYS`] of `today`, once per certificate. Returns how many
/// certificates were reminded about.
pub fn remind_expiring(conn: &mut DbConn, today: NaiveDate, at: NaiveDateTime) -> Result<usize, ApiError> {
    let until = today.checked_add_days(Days::new(RENEWAL_REMINDER_DAYS)).unwrap_or(today);
    let due = QualificationRow::due_for_reminder(conn, today, until)?;
    for certificate in &due {
        let org = OrganisationRow::find(conn, &certificate.org_id)?
            .ok_or_else(crate::routes::orgs::service::not_found)?;
        let type_name = shared::taxonomy::qualification_type(&certificate.type_code)
            .map_or("资质证书", |k| k.zh.as_str());
        for (member, role) in
            MembershipRow::list(conn, &org.id)?.into_iter().map(|(m, _)| (m.user_id.clone(), m.role))
        {
            if role != shared::dto::MemberRole::Owner {
                continue;
            }
            let Some(owner) = User::find_active(conn, &member)? else { continue };
            let Some(destination) = owner.email.clone().or(owner.phone.clone()) else { continue };
            OutboxMessage {
                id: new_id(),
                channel: MessageChannel::of(&destination),
                destination,
                subject: "共筑 Gongzhu 资质到期提醒".into(),
                body: format!(
                    "【共筑】{}的{}（证书编号 {}）将于 {} 到期，请及时办理续期并在平台更新。",
                    org.name, type_name, certificate.number, certificate.expires_on
                ),
                status: OutboxStatus::Pending,
                attempts: 0,
                created_at: at,
                delivered_at: None,
                code_id: None,
            }
            .insert(conn)?;
        }
        QualificationRow::mark_reminded(conn, &certificate.id, at)?;
    }
    Ok(due.len())
}
