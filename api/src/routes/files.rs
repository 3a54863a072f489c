//! `/files`: upload (multipart, sniffed, content-addressed) and download. A file is readable by
//! whoever uploaded it, members of an organisation whose verification uses it, reviewers, and —
//! when attached to a published project or demand — any signed-in person, or when shared in a
//! group, whoever may read the group.

use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::{Binary, Json};
use poem_openapi::types::multipart::Upload;
use poem_openapi::{ApiResponse, Multipart, OpenApi};
use shared::dto::{FileInfo, StaffRole};
use shared::error::ErrorCode;

use super::ApiTags;
use crate::auth::session::BearerAuth;
use crate::db::models::files::FileRow;
use crate::db::models::verification::SubmissionRow;
use crate::db::{now, write_tx};
use crate::error::ApiError;
use crate::files::{sha256, sniff};
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
    Ok(Binary<Vec<u8>>, #[oai(header = "Content-Type")] String, #[oai(header = "Cache-Control")] String),
}

#[OpenApi(tag = "ApiTags::Files")]
impl FilesApi {
    /// Upload a file (`multipart/form-data`, field `file`). The type is detected from the
    /// content; anything but PDF, JPEG, PNG, WebP, DOCX or XLSX is refused with 415.
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
            .run(move |c| write_tx(c, |c| row.record(c, &user_id, name.as_deref()).map_err(ApiError::from)))
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
                let reviewer = crate::staff::require_staff(c, user)
                    .is_ok_and(|s| s.holds_any(&[StaffRole::Reviewer, StaffRole::Admin]));
                let visible = reviewer
                    || FileRow::uploaded_by(c, &id, user)?
                    || SubmissionRow::file_visible_to_member(c, &id, user)?
                    || crate::market::attachment_visible(c, &id, user)?
                    || crate::shared_resources::file_visible(c, &id, user)?;
                if visible { Ok(row) } else { Err(not_found()) }
            })
            .await?;
        let store = state.files.clone();
        let bytes = tokio::task::spawn_blocking(move || store.get(&row.sha256))
            .await
            .map_err(ApiError::internal)?
            .map_err(ApiError::internal)?;
        Ok(Download::Ok(Binary(bytes), row.content_type, "private, max-age=3600".into()))
    }
}
