//! The project library (项目库): projects with tender documents and public clarification Q&A.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::stored_enum! {
    /// Kind of construction project.
    pub enum ProjectType in "projects.project_type" {
        /// 房建 housing and buildings.
        Housing = "housing",
        /// 市政 municipal works.
        Municipal = "municipal",
        /// 公路 highways.
        Highway = "highway",
        /// 水利 water conservancy.
        Water = "water",
        /// 电力 power.
        Power = "power",
        /// 装饰 fit-out and decoration.
        FitOut = "fit_out",
        /// 其他 anything else.
        Other = "other",
    }
}

impl ProjectType {
    /// The Chinese name, which search also indexes.
    pub fn name_zh(self) -> &'static str {
        match self {
            Self::Housing => "房建",
            Self::Municipal => "市政",
            Self::Highway => "公路",
            Self::Water => "水利",
            Self::Power => "电力",
            Self::FitOut => "装饰",
            Self::Other => "其他",
        }
    }
}

crate::stored_enum! {
    /// Where a project stands.
    pub enum ProjectStatus in "projects.status" {
        /// Being written; only its organisation sees it.
        Draft = "draft",
        /// Public in the library and in search.
        Published = "published",
        /// Public but no longer taking part (awarded, cancelled); read-only.
        Closed = "closed",
    }
}

/// Create a project (a draft until published). Verified organisations only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct CreateProjectRequest {
    /// Project name, 4–100 characters, e.g. 某市市政道路改造工程.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 300)))]
    pub name: String,
    /// Kind of project.
    pub project_type: ProjectType,
    /// Total investment in fen (0 – ¥100 billion).
    pub investment_fen: i64,
    /// Where it is: a GB/T 2260 code.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 6)))]
    pub region_code: String,
    /// Street address.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 200)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Latitude (WGS-84), with `longitude`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    /// Longitude (WGS-84), with `latitude`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    /// Free tags, up to 10 of up to 20 characters each.
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 20)))]
    #[cfg_attr(feature = "openapi", oai(default))]
    #[serde(default)]
    pub tags: Vec<String>,
    /// Description, up to 5000 characters.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 20000)))]
    #[cfg_attr(feature = "openapi", oai(default))]
    #[serde(default)]
    pub description: String,
    /// Tender documents: SHA-256 ids of files the caller uploaded (`POST /files`), up to 10.
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 20)))]
    #[cfg_attr(feature = "openapi", oai(default))]
    #[serde(default)]
    pub tender_files: Vec<String>,
}

/// Change a project. Absent fields stay; a closed project cannot be changed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct UpdateProjectRequest {
    /// Project name.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 300)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kind of project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_type: Option<ProjectType>,
    /// Total investment in fen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub investment_fen: Option<i64>,
    /// Region code.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 6)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_code: Option<String>,
    /// Street address.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 200)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Latitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    /// Longitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    /// Tags (replaces the list).
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 20)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Description.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 20000)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Tender documents (replaces the list).
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 20)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tender_files: Option<Vec<String>>,
}

/// A file attached to a project, demand or listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct AttachedFile {
    /// SHA-256 of the content (the file's id).
    pub sha256: String,
    /// Detected content type.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// Where to download it (relative to `/api/v1`).
    pub download_path: String,
}

/// A project in the library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct Project {
    /// Project id.
    pub id: String,
    /// The organisation that posted it.
    pub org_id: String,
    /// That organisation's name.
    pub org_name: String,
    /// Project name.
    pub name: String,
    /// Kind of project.
    pub project_type: ProjectType,
    /// Total investment in fen.
    pub investment_fen: i64,
    /// Region code.
    pub region_code: String,
    /// Full region name, e.g. 浙江省杭州市西湖区.
    pub region_name: String,
    /// Street address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Latitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    /// Longitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    /// Tags.
    pub tags: Vec<String>,
    /// Description.
    pub description: String,
    /// Tender documents.
    pub tender_files: Vec<AttachedFile>,
    /// Status.
    pub status: ProjectStatus,
    /// Clarification questions asked so far.
    pub question_count: i64,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// When it was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<DateTime<Utc>>,
    /// When it was closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<DateTime<Utc>>,
}

/// A page of projects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct ProjectPage {
    /// Projects, newest first.
    pub items: Vec<Project>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Ask a clarification question on a published project (any signed-in person).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct AskProjectQuestionRequest {
    /// The question, 5–1000 characters.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 4000)))]
    pub question: String,
}

/// Answer a clarification question (the project's organisation). An answer can be revised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct AnswerProjectQuestionRequest {
    /// The answer, 1–2000 characters.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 8000)))]
    pub answer: String,
}

/// A public clarification record (答疑记录).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct ProjectQuestion {
    /// Question id.
    pub id: String,
    /// The project.
    pub project_id: String,
    /// The question.
    pub question: String,
    /// Display name of the person who asked.
    pub asked_by: String,
    /// When it was asked.
    pub asked_at: DateTime<Utc>,
    /// The answer, once given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    /// When it was (last) answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<DateTime<Utc>>,
}

/// A project's clarification records, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ProjectQuestionList {
    /// Questions with their answers.
    pub items: Vec<ProjectQuestion>,
}
