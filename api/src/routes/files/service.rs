//! Uploaded files: accepted by content sniffing (PDF, JPEG, PNG, WebP, and the Office Open XML
//! documents DOCX and XLSX that tender documents come as — never by the name or the declared
//! type), stored content-addressed by SHA-256 behind [`FileStore`], which an
//! S3-compatible store can implement. The default keeps them under `<data_dir>/files/`.

use std::io::Write;
use std::path::PathBuf;

use sha2::{Digest, Sha256};

/// The detected type of an accepted file, or `None` for anything else.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.starts_with(b"PK\x03\x04") {
        office_document(bytes)
    } else {
        None
    }
}

/// A ZIP archive is a DOCX or XLSX when it holds `[Content_Types].xml` and the part directory
/// of that format (`word/` or `xl/`); any other archive is refused.
fn office_document(bytes: &[u8]) -> Option<&'static str> {
    let holds = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    if !holds(b"[Content_Types].xml") {
        return None;
    }
    if holds(b"word/document.xml") {
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    } else if holds(b"xl/workbook.xml") {
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    } else {
        None
    }
}

/// Whether a detected type is a PDF or an image (what verification documents must be).
pub fn is_pdf_or_image(content_type: &str) -> bool {
    content_type == "application/pdf" || content_type.starts_with("image/")
}

/// SHA-256 of content, hex.
pub fn sha256(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(bytes))
}

/// Where file contents live.
pub trait FileStore: Send + Sync {
    /// Stores `bytes` under their SHA-256 (idempotent).
    fn put(&self, sha256: &str, bytes: &[u8]) -> std::io::Result<()>;
    /// Reads a stored file.
    fn get(&self, sha256: &str) -> std::io::Result<Vec<u8>>;
    /// Deletes a stored file (absent already is fine).
    fn delete(&self, sha256: &str) -> std::io::Result<()>;
}

/// How a download is presented: images inline (pages show them), everything else as an
/// attachment, so a PDF or Office file never renders inside the site's origin.
pub fn content_disposition(content_type: &str, sha256: &str) -> String {
    if content_type.starts_with("image/") {
        "inline".to_owned()
    } else {
        let extension = match content_type {
            "application/pdf" => "pdf",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "docx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "xlsx",
            _ => "bin",
        };
        format!("attachment; filename=\"{}.{extension}\"", &sha256[..sha256.len().min(16)])
    }
}

/// Files on the local disk, fanned out by the first two hex digits.
pub struct LocalFileStore {
    root: PathBuf,
}

impl LocalFileStore {
    /// A store under `root`.
    pub fn new(root: PathBuf) -> Self {
        Self { root }
    }

    fn path(&self, sha256: &str) -> std::io::Result<PathBuf> {
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a SHA-256"));
        }
        Ok(self.root.join(&sha256[..2]).join(sha256))
    }
}

impl FileStore for LocalFileStore {
    fn put(&self, sha256: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.path(sha256)?;
        if path.exists() {
            return Ok(());
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        // Write then rename, so a crash never leaves a partial file under the final name.
        let staged = path.with_extension(format!("part-{}", uuid::Uuid::now_v7().simple()));
        let mut file = std::fs::File::create(&staged)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(staged, path)
    }

    fn get(&self, sha256: &str) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.path(sha256)?)
    }

    fn delete(&self, sha256: &str) -> std::io::Result<()> {
        match std::fs::remove_file(self.path(sha256)?) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_types_are_recognised_by_content_not_name() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some("image/jpeg"));
        assert_eq!(sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]), Some("image/png"));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"MZ\x90\0 an executable"), None);
        assert_eq!(sniff(b"<html>"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn office_documents_are_recognised_by_their_parts_and_other_archives_refused() {
        let docx = b"PK\x03\x04....[Content_Types].xml....word/document.xml....";
        let xlsx = b"PK\x03\x04....[Content_Types].xml....xl/workbook.xml....";
        assert_eq!(
            sniff(docx),
            Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        );
        assert_eq!(sniff(xlsx), Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        assert_eq!(sniff(b"PK\x03\x04....payload.exe...."), None, "a plain ZIP is not a document");
        assert_eq!(sniff(b"PK\x03\x04....[Content_Types].xml....ppt/presentation.xml"), None);
        assert!(is_pdf_or_image("image/png") && is_pdf_or_image("application/pdf"));
        assert!(!is_pdf_or_image("application/vnd.openxmlformats-officedocument.wordprocessingml.document"));
    }

    #[test]
    fn only_images_are_served_inline() {
        let sha = "ab".repeat(32);
        assert_eq!(content_disposition("image/png", &sha), "inline");
        assert_eq!(
            content_disposition("application/pdf", &sha),
            "attachment; filename=\"abababababababab.pdf\""
        );
        assert!(
            content_disposition("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &sha)
                .starts_with("attachment")
        );
    }

    #[test]
    fn stored_files_read_back_by_hash_and_bad_ids_are_refused() {
        let root = std::env::temp_dir().join(format!("gz-files-{}", uuid::Uuid::now_v7().simple()));
        let store = LocalFileStore::new(root.clone());
        let bytes = b"%PDF-1.4 licence";
        let id = sha256(bytes);
        store.put(&id, bytes).expect("put");
        store.put(&id, bytes).expect("idempotent");
        assert_eq!(store.get(&id).expect("get"), bytes);
        assert!(store.get("../../etc/passwd").is_err());
        store.delete(&id).expect("delete");
        store.delete(&id).expect("deleting twice is fine");
        assert!(store.get(&id).is_err());
        std::fs::remove_dir_all(root).ok();
    }
}
