//! Real-name verification: checking a submission (ID checksum, known files, certificates against
//! the taxonomy, not already expired), building the views (ID numbers only masked), and the
//! reminder job for certificates that expire within 30 days.

use chrono::{Days, NaiveDate, NaiveDateTime};
use shared::domain::identity::ResidentId;
use shared::domain::qualification::RENEWAL_REMINDER_DAYS;
use shared::dto::{
    FieldIssue, QualificationView, SubmitVerificationRequest, VerificationStatus, VerificationView,
};

use crate::auth::crypto::seal;
use crate::db::models::files::FileRow;
use crate::db::models::orgs::{MembershipRow, OrganisationRow};
use crate::db::models::outbox::{MessageChannel, OutboxMessage, OutboxStatus};
use crate::db::models::users::User;
use crate::db::models::verification::{QualificationRow, SubmissionRow};
use crate::db::{DbConn, new_id};
use crate::error::ApiError;

/// Checks a submission and turns it into rows. Every file must be one the submitter uploaded.
pub fn build_submission(
    conn: &mut DbConn,
    key: &[u8; 32],
    org_id: &str,
    user_id: &str,
    req: &SubmitVerificationRequest,
    today: NaiveDate,
    at: NaiveDateTime,
) -> Result<(SubmissionRow, Vec<QualificationRow>), ApiError> {
    let mut issues = Vec::new();
    let known_file =
        |conn: &mut DbConn, sha: &str, field: String, issues: &mut Vec<FieldIssue>| -> Result<(), ApiError> {
            if !FileRow::uploaded_by(conn, sha, user_id)? {
                issues.push(FieldIssue::new(field, "unknown_file"));
            } else if FileRow::find(conn, sha)?
                .is_some_and(|f| !crate::routes::files::service::is_pdf_or_image(&f.content_type))
            {
                issues.push(FieldIssue::new(field, "pdf_or_image_required"));
            }
            Ok(())
        };
    known_file(conn, &req.licence_file, "licence_file".into(), &mut issues)?;
    let name = req.legal_representative_name.trim();
    if !(2..=30).contains(&name.chars().count()) {
        issues.push(FieldIssue::new("legal_representative_name", "invalid_length"));
    }
    let id_number = ResidentId::parse(&req.legal_representative_id_number);
    if id_number.is_err() {
        issues.push(FieldIssue::new("legal_representative_id_number", "invalid_id_number"));
    }
    let submission_id = new_id();
    let mut certificates = Vec::new();
    for (i, q) in req.qualifications.iter().enumerate() {
        let field = |name: &str| format!("qualifications[{i}].{name}");
        match shared::taxonomy::qualification_type(&q.type_code) {
            None => issues.push(FieldIssue::new(field("type_code"), "unknown_qualification_type")),
            Some(kind) if kind.rank(&q.grade).is_none() => {
                issues.push(FieldIssue::new(field("grade"), "unknown_grade"))
            }
            Some(_) => {}
        }
        if q.number.trim().is_empty() {
            issues.push(FieldIssue::new(field("number"), "required"));
        }
        if q.expires_on < today {
            issues.push(FieldIssue::new(field("expires_on"), "expired"));
        }
        known_file(conn, &q.file, field("file"), &mut issues)?;
        certificates.push(QualificationRow {
            id: new_id(),
            submission_id: submission_id.clone(),
            org_id: org_id.to_owned(),
            type_code: q.type_code.clone(),
            grade: q.grade.clone(),
            number: q.number.trim().to_owned(),
            expires_on: q.expires_on,
            file: q.file.clone(),
            reminded_at: None,
        });
    }
    let id_number = match id_number {
        Ok(id) if issues.is_empty() => id,
        _ => return Err(ApiError::validation("the verification submission is invalid", issues)),
    };
    let row = SubmissionRow {
        id: submission_id,
        org_id: org_id.to_owned(),
        licence_file: req.licence_file.clone(),
        legal_rep_name: name.to_owned(),
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
