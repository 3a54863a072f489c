//! `/files`: upload (multipart, sniffed, content-addressed) and download. A file is readable by
//! whoever uploaded it, members of an organisation whose verification uses it, reviewers, and —
//! when attached to a published project or demand — any signed-in person, or when shared in a
//! group, whoever may read the group; a photo on a contract's progress log, the members of its
//! parties and supervisor. A JPEG, PNG or WebP that the caller may see only through a public
//! attachment (a project, demand or shared resource) is served without its EXIF block, so its
//! capture time and GPS position never leave the people entitled to them.
//!
//! Downloads are `Cache-Control: private, no-store` (access can be revoked at any time, so no
//! cache may keep a copy) and `Content-Disposition: attachment` except for images, which pages
//! show inline. Each person's uploads are bounded by `upload_quota_bytes`.

pub mod service;

use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::{Binary, Json};
use poem_openapi::types::multipart::Upload;
use poem_openapi::{ApiResponse, Multipart, OpenApi};
use shared::dto::{FileInfo, StaffRole};
use shared::error::ErrorCode;

use crate::auth::session::BearerAuth;
use crate::db::models::files::FileRow;
use crate::db::models::verification::SubmissionRow;
use crate::db::{DbConn, now, write_tx};
use crate::error::ApiError;
use crate::routes::ApiTags;
use crate::routes::files::service::{content_disposition, sha256, sniff};
use crate::state::AppState;

/// File storage.
pub struct FilesApi;

/// A file upload.
#[derive(Multipart)]
struct UploadForm {
    /// The file: PDF, JPEG, PNG, WebP, DOCX or XLSX, at most the configured size (20 MB by
    /// default). Verification documents must be PDF or images.
    file: Upload,
}

#[derive(ApiResponse)]
enum Uploaded {
    /// Stored (or already stored: same content, same id).
    #[oai(status = 201)]
    Created(Json<FileInfo>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum Download {
    /// The file.
    #[oai(status = 200)]
    Ok(
        Binary<Vec<u8>>,
        #[oai(header = "Content-Type")] String,
        #[oai(header = "Cache-Control")] String,
        #[oai(header = "Content-Disposition")] String,
    ),
}

#[OpenApi(tag = "ApiTags::Files")]
impl FilesApi {
    /// Upload a file (`multipart/form-data`, field `file`). The type is detected from the
    /// content; anything but PDF, JPEG, PNG, WebP, DOCX or XLSX is refused with 415. A file that
    /// would take the person's uploads past their quota is refused with 413
    /// (`payload_too_large`, detail `file: quota_exceeded`).
    #[oai(path = "/files", method = "post", operation_id = "create_file")]
    async fn upload(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        form: UploadForm,
    ) -> Result<Uploaded, ApiError> {
        let limit = state.config.max_upload_bytes;
        if form.file.size() as u64 > limit {
            return Err(ApiError::new(
                ErrorCode::PayloadTooLarge,
                format!("files may be at most {limit} bytes"),
            ));
        }
        let name = form.file.file_name().map(|n| n.chars().take(200).collect::<String>());
        let bytes = form.file.into_vec().await.map_err(ApiError::internal)?;
        if bytes.is_empty() {
            return Err(ApiError::field("file", "empty", "the file is empty"));
        }
        let content_type = sniff(&bytes).ok_or_else(|| {
            ApiError::new(
                ErrorCode::UnsupportedMediaType,
                "only PDF, JPEG, PNG, WebP, DOCX and XLSX files are accepted",
            )
        })?;
        let id = sha256(&bytes);
        let quota = state.config.upload_quota_bytes;
        let (user, sha, len) = (auth.0.user_id.clone(), id.clone(), bytes.len() as u64);
        state.db.run(move |c| within_quota(c, &user, &sha, len, quota)).await?;
        let store = state.files.clone();
        let (sha, len) = (id.clone(), bytes.len());
        tokio::task::spawn_blocking(move || store.put(&sha, &bytes))
            .await
            .map_err(ApiError::internal)?
            .map_err(ApiError::internal)?;
        let row = FileRow {
            sha256: id.clone(),
            size: len as i64,
            content_type: content_type.into(),
            uploaded_by: auth.0.user_id.clone(),
            created_at: now(),
        };
        let user_id = auth.0.user_id;
        let info =
            FileInfo { sha256: row.sha256.clone(), size: row.size, content_type: row.content_type.clone() };
        state
            .db
            .run(move |c| {
                write_tx(c, |c| {
                    // Checked again inside the write, so parallel uploads cannot overshoot.
                    within_quota(c, &user_id, &row.sha256, row.size as u64, quota)?;
                    row.record(c, &user_id, name.as_deref()).map_err(ApiError::from)
                })
            })
            .await?;
        Ok(Uploaded::Created(Json(info), format!("/api/v1/files/{id}")))
    }

    /// Download a file you may see.
    #[oai(path = "/files/:sha256", method = "get", operation_id = "get_file")]
    async fn download(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        sha256: Path<String>,
    ) -> Result<Download, ApiError> {
        let id = sha256.0.clone();
        let row = state
            .db
            .run(move |c| {
                let not_found = || ApiError::new(ErrorCode::NotFound, "file not found");
                let row = FileRow::find(c, &id)?.ok_or_else(not_found)?;
                let user = &auth.0.user_id;
                // Staff rules apply in full (TOTP on); a non-staff caller is simply not a reviewer.
                let reviewer = crate::routes::staff::service::require_staff(c, user)
                    .is_ok_and(|s| s.holds_any(&[StaffRole::Reviewer, StaffRole::Admin]));
                let whole = reviewer
                    || FileRow::uploaded_by(c, &id, user)?
                    || SubmissionRow::file_visible_to_member(c, &id, user)?
                    || progress_photo_visible(c, &id, user)?;
                let public = crate::market::attachment_visible(c, &id, user)?
                    || crate::routes::community::shared_resources::service::file_visible(c, &id, user)?;
                if whole || public { Ok((row, whole)) } else { Err(not_found()) }
            })
            .await?;
        let (row, whole) = row;
        let disposition = content_disposition(&row.content_type, &row.sha256);
        let (store, sha) = (state.files.clone(), row.sha256.clone());
        let bytes = tokio::task::spawn_blocking(move || store.get(&sha))
            .await
            .map_err(ApiError::internal)?
            .map_err(ApiError::internal)?;
        // Seen through a public attachment only: where and when a photo was taken stays private.
        let bytes = if whole { bytes } else { shared::domain::exif::strip(&bytes).unwrap_or(bytes) };
        Ok(Download::Ok(Binary(bytes), row.content_type, "private, no-store".into(), disposition))
    }
}

/// Whether `user_id` belongs to a party or the supervisor of a contract whose progress log
/// shows this photo.
fn progress_photo_visible(conn: &mut DbConn, sha256: &str, user_id: &str) -> Result<bool, ApiError> {
    use crate::db::models::contracts::ContractRow;
    use crate::db::models::orgs::MembershipRow;
    for contract_id in crate::db::models::progress::ProgressPhotoRow::contracts_showing(conn, sha256)? {
        let Some(row) = ContractRow::find(conn, &contract_id)? else { continue };
        let orgs = [Some(&row.payer_org_id), Some(&row.performer_org_id), row.supervisor_org_id.as_ref()];
        for org in orgs.into_iter().flatten() {
            if MembershipRow::role_of(conn, org, user_id)?.is_some() {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// 413 when `user_id`'s uploads plus a new file of `size` bytes would pass `quota`; uploading
/// content one has uploaded before costs nothing.
fn within_quota(conn: &mut DbConn, user_id: &str, sha: &str, size: u64, quota: u64) -> Result<(), ApiError> {
    if FileRow::uploaded_by(conn, sha, user_id)? {
        return Ok(());
    }
    let used = u64::try_from(FileRow::bytes_uploaded_by(conn, user_id)?).unwrap_or(0);
    if used.saturating_add(size) > quota {
        return Err(ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("your uploads would exceed your quota of {quota} bytes ({used} used)"),
        )
        .with_detail("file", "quota_exceeded"));
    }
    Ok(())
}
