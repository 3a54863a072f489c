//! Progress logs' load → decide → persist steps: photos checked and their EXIF read, a log
//! posted or reviewed (audited), the views, and the daily warning run of the `progress_watch`
//! job.

use chrono::{NaiveDate, NaiveDateTime};
use shared::domain::calendar::shanghai::business_date;
use shared::domain::contract::progress::{
    self as rules, ProgressRefusal, Revised, Schedule, Watch, date_issue, may_post,
};
use shared::domain::exif::{ImageKind, read};
use shared::domain::notices::progress::ProgressNotice;
use shared::dto::*;
use shared::error::ErrorCode;

use crate::db::models::acceptances::AcceptanceRow;
use crate::db::models::audit::{AuditEvent, append};
use crate::db::models::contracts::ContractRow;
use crate::db::models::files::FileRow;
use crate::db::models::progress::{ProgressLogRow, ProgressPhotoRow, first_warning};
use crate::db::models::users::User;
use crate::db::{DbConn, new_id, now};
use crate::error::ApiError;
use crate::routes::contracts::service::{Loaded, document_of};
use crate::routes::files::service::FileStore;
use crate::routes::notifications::notify::Notice;
use crate::state::Outgoing;

impl From<ProgressRefusal> for ApiError {
    fn from(refusal: ProgressRefusal) -> Self {
        let code = if refusal.is_forbidden() { ErrorCode::Forbidden } else { ErrorCode::Conflict };
        Self::new(code, refusal.to_string()).with_detail(refusal.field(), refusal.issue())
    }
}

/// 404 for a log that is not this contract's.
pub fn log_not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "progress log not found")
}

/// A photo checked and read, before the log is written.
pub struct Photo {
    sha256: String,
    content_type: String,
    meta: shared::domain::exif::PhotoMeta,
}

/// The caller's uploads among `photos`, each a JPEG, PNG or WebP, with their EXIF read:
/// 422 `photos[i]: unknown_file` (not the caller's upload) / `not_an_image`.
pub fn check_photos(
    conn: &mut DbConn,
    files: &dyn FileStore,
    user: &str,
    photos: &[String],
) -> Result<Vec<Photo>, ApiError> {
    let mut issues = Vec::new();
    let mut found = Vec::new();
    for (i, sha) in photos.iter().enumerate() {
        let field = format!("photos[{i}]");
        let row =
            FileRow::find(conn, sha)?.filter(|_| FileRow::uploaded_by(conn, sha, user).unwrap_or(false));
        let Some(row) = row else {
            issues.push(FieldIssue::new(&field, "unknown_file"));
            continue;
        };
        if !matches!(row.content_type.as_str(), "image/jpeg" | "image/png" | "image/webp") {
            issues.push(FieldIssue::new(&field, "not_an_image"));
            continue;
        }
        let bytes = files.get(sha).map_err(ApiError::internal)?;
        if ImageKind::of(&bytes).is_none() {
            issues.push(FieldIssue::new(&field, "not_an_image"));
            continue;
        }
        found.push(Photo { sha256: row.sha256, content_type: row.content_type, meta: read(&bytes) });
    }
    if issues.is_empty() {
        Ok(found)
    } else {
        Err(ApiError::validation("some photos cannot be attached", issues))
    }
}

/// The contract's start date and its schedule.
fn schedule_of(loaded: &Loaded) -> Result<(String, Schedule), ApiError> {
    let number = loaded.row.effective_version.unwrap_or(loaded.row.current_version);
    let terms = document_of(loaded.version(number)?)?.terms;
    Ok((terms.title.clone(), Schedule::of(&terms.plan, terms.start_date)))
}

/// Tells each organisation in `orgs` (skipping none) about the contract.
fn tell(
    conn: &mut DbConn,
    out: &mut Outgoing,
    orgs: &[Option<&String>],
    contract_id: &str,
    notice: &ProgressNotice,
) -> Result<(), ApiError> {
    for org in orgs.iter().flatten() {
        out.to_org(conn, org, &Notice::new(notice, format!("/contracts/{contract_id}"), Some(org)))?;
    }
    Ok(())
}

/// Posts a log: the rules, the date against today and the start, the revised log, then the
/// row and its photos; the payer and the supervisor are told.
pub fn post(
    conn: &mut DbConn,
    out: &mut Outgoing,
    (id, org, user): (&str, &str, &str),
    valid: shared::dto::ValidLog,
    photos: Vec<Photo>,
) -> Result<ProgressLogRow, ApiError> {
    let (date, work_done, percent, issues, _, revises) = valid;
    let (loaded, role, _) = crate::routes::contracts::readable(conn, id, org, user)?;
    let revised = match &revises {
        Some(r) => {
            let log = ProgressLogRow::find(conn, id, r)?
                .ok_or_else(|| ApiError::field("revises", "unknown_log", "no such log on this contract"))?;
            Some(Revised { state: log.status, revised: ProgressLogRow::revision_of(conn, r)?.is_some() })
        }
        None => None,
    };
    may_post(loaded.row.status, role, revised)?;
    let (title, schedule) = schedule_of(&loaded)?;
    let at = now();
    if let Some(issue) = date_issue(date, business_date(at.and_utc()), schedule.start) {
        return Err(ApiError::field("date", issue, "the log's date is outside the work period"));
    }
    let row = ProgressLogRow {
        id: new_id(),
        contract_id: id.to_owned(),
        log_date: date,
        work_done,
        percent: i32::from(percent),
        issues,
        status: ProgressState::Submitted,
        revises,
        posted_by: user.to_owned(),
        posted_at: at,
        reviewed_by: None,
        reviewed_at: None,
        review_comment: None,
    };
    row.insert(conn)?;
    let rows: Vec<ProgressPhotoRow> = (0..)
        .zip(photos)
        .map(|(ordinal, p)| ProgressPhotoRow {
            log_id: row.id.clone(),
            ordinal,
            sha256: p.sha256,
            content_type: p.content_type,
            captured_at: p.meta.captured_at,
            latitude: p.meta.latitude,
            longitude: p.meta.longitude,
        })
        .collect();
    ProgressPhotoRow::insert_all(conn, &rows)?;
    let orgs = [Some(&loaded.row.payer_org_id), loaded.row.supervisor_org_id.as_ref()];
    tell(conn, out, &orgs, id, &ProgressNotice::Posted { title, percent })?;
    Ok(row)
}

/// The payer's review of a log, audited (`contract.progress_reviewed`); the performer is told.
pub fn review(
    conn: &mut DbConn,
    out: &mut Outgoing,
    (id, log_id, org, user): (&str, &str, &str, &str),
    (decision, comment): (ProgressDecision, Option<String>),
    ip: Option<&str>,
) -> Result<ProgressLogRow, ApiError> {
    let (loaded, role, _) = crate::routes::contracts::readable(conn, id, org, user)?;
    let mut row = ProgressLogRow::find(conn, id, log_id)?.ok_or_else(log_not_found)?;
    row.status = rules::review(row.status, role, decision)?;
    let at = now();
    row.reviewed_by = Some(user.to_owned());
    row.reviewed_at = Some(at);
    row.review_comment = comment.clone();
    if !row.save_review(conn)? {
        return Err(ProgressRefusal::AlreadyReviewed.into());
    }
    let event = AuditEvent {
        actor_user_id: Some(user),
        actor_label: "user",
        action: "contract.progress_reviewed",
        subject_type: "contract",
        subject_id: id,
        details: serde_json::json!({
            "log_id": row.id, "org_id": org, "decision": decision, "comment": comment,
            "percent": row.percent, "log_date": row.log_date,
        }),
        ip,
    };
    append(conn, &event, at)?;
    let (title, _) = schedule_of(&loaded)?;
    let notice = ProgressNotice::Reviewed { title, decision, comment };
    tell(conn, out, &[Some(&loaded.row.performer_org_id)], id, &notice)?;
    Ok(row)
}

/// A log as the parties and the supervisor see it (with the photos' EXIF).
pub fn view(conn: &mut DbConn, row: &ProgressLogRow) -> Result<ProgressLogView, ApiError> {
    let name = |conn: &mut DbConn, user: &str| -> Result<String, ApiError> {
        Ok(User::find_active(conn, user)?.map(|u| u.display_name).unwrap_or_default())
    };
    let photos = ProgressPhotoRow::of_log(conn, &row.id)?
        .into_iter()
        .map(|p| ProgressPhotoView {
            sha256: p.sha256,
            content_type: p.content_type,
            captured_at: p.captured_at,
            latitude: p.latitude,
            longitude: p.longitude,
        })
        .collect();
    let review = match (&row.reviewed_by, row.reviewed_at) {
        (Some(by), Some(at)) => Some(ProgressReviewView {
            decision: if row.status == ProgressState::Approved {
                ProgressDecision::Approve
            } else {
                ProgressDecision::RequestChanges
            },
            comment: row.review_comment.clone(),
            reviewer_name: name(conn, by)?,
            reviewed_at: at.and_utc(),
        }),
        _ => None,
    };
    Ok(ProgressLogView {
        id: row.id.clone(),
        contract_id: row.contract_id.clone(),
        date: row.log_date,
        work_done: row.work_done.clone(),
        percent: u8::try_from(row.percent).map_err(ApiError::internal)?,
        issues: row.issues.clone(),
        photos,
        status: row.status,
        posted_by_name: name(conn, &row.posted_by)?,
        posted_at: row.posted_at.and_utc(),
        revises: row.revises.clone(),
        revised_by: ProgressLogRow::revision_of(conn, &row.id)?,
        review,
    })
}

/// What the warnings and the schedule view need: the contract's schedule and today's watch.
fn watch_of(
    conn: &mut DbConn,
    loaded: &Loaded,
    today: NaiveDate,
) -> Result<(String, Schedule, Watch), ApiError> {
    let (title, schedule) = schedule_of(loaded)?;
    let (last, standing) = ProgressLogRow::latest(conn, &loaded.row.id)?;
    let accepted = AcceptanceRow::of_contract(conn, &loaded.row.id)?
        .into_iter()
        .filter(|a| a.status == AcceptanceState::Accepted)
        .filter_map(|a| u32::try_from(a.milestone).ok())
        .collect();
    let watch = Watch {
        today,
        effective_on: loaded.row.effective_at.map_or(today, |at| business_date(at.and_utc())),
        last_log: last.map(|l| l.log_date),
        percent: standing.and_then(|l| u8::try_from(l.percent).ok()).unwrap_or(0),
        accepted,
    };
    Ok((title, schedule, watch))
}

/// Where the work stands against the plan today.
pub fn schedule_view(conn: &mut DbConn, loaded: &Loaded) -> Result<ProgressScheduleView, ApiError> {
    let today = business_date(now().and_utc());
    let (_, schedule, watch) = watch_of(conn, loaded, today)?;
    Ok(ProgressScheduleView {
        today,
        expected_percent: u8::try_from(schedule.expected_bp(today) / 100).unwrap_or(100),
        reported_percent: watch.percent,
        slip_days: schedule.slip_days(watch.percent, today),
        last_log_date: watch.last_log,
    })
}

/// The `progress_watch` run for one contract in force: each warning that holds today and was
/// not sent in its period is recorded and told to both parties. Returns how many were sent.
pub fn watch_contract(
    conn: &mut DbConn,
    out: &mut Outgoing,
    contract_id: &str,
    at: NaiveDateTime,
) -> Result<usize, ApiError> {
    let loaded = Loaded::load(conn, contract_id)?;
    if loaded.row.status != ContractState::Effective {
        return Ok(0);
    }
    let today = business_date(at.and_utc());
    let (title, schedule, watch) = watch_of(conn, &loaded, today)?;
    let mut sent = 0;
    for warning in rules::warnings(&schedule, &watch) {
        if !first_warning(conn, contract_id, warning.condition(), &warning.period(today), at)? {
            continue;
        }
        let orgs = [Some(&loaded.row.payer_org_id), Some(&loaded.row.performer_org_id)];
        let notice = ProgressNotice::Warning { title: title.clone(), warning };
        tell(conn, out, &orgs, contract_id, &notice)?;
        sent += 1;
    }
    Ok(sent)
}

/// The contracts the watch looks at.
pub fn in_force(conn: &mut DbConn) -> Result<Vec<String>, ApiError> {
    Ok(ContractRow::in_force_ids(conn)?)
}
