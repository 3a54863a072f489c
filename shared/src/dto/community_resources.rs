//! Shared resources of a group (资源分享) in the fixed format — name, source, applicable
//! scenario, link or file, sharer — with categories, 1–5 ratings, comments and the monthly
//! update log; the rewards catalogue that points are redeemed for.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::stored_enum! {
    /// A shared resource's category.
    pub enum ResourceCategory in "shared_resources.category" {
        /// Policy and regulations (政策法规).
        PolicyRegulation = "policy_regulation",
        /// Software and tools (软件工具).
        SoftwareTools = "software_tools",
        /// Case library (案例库).
        CaseLibrary = "case_library",
        /// Learning materials (学习资料).
        LearningMaterials = "learning_materials",
    }
}

impl ResourceCategory {
    /// The Chinese name (the monthly log is written in Chinese).
    pub fn name_zh(self) -> &'static str {
        match self {
            Self::PolicyRegulation => "政策法规",
            Self::SoftwareTools => "软件工具",
            Self::CaseLibrary => "案例库",
            Self::LearningMaterials => "学习资料",
        }
    }
}

crate::stored_enum! {
    /// Whether a shared resource is shown (never on the wire: deleted ones are simply absent).
    pub enum SharedResourceStatus in "shared_resources.status" {
        /// Shown in the group.
        Published = "published",
        /// Deleted by its sharer or a resource admin.
        Deleted = "deleted",
    }
}

/// Share a resource (members who may speak). A source is required; give a link, a file
/// uploaded with `POST /files`, or both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct ShareResourceRequest {
    /// Name, e.g. "2024版上海市建设工程工程量清单计价应用规则".
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 2, max_length = 100)))]
    pub name: String,
    /// Where it comes from (issuing body, publisher, author): required.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 200)))]
    pub source: String,
    /// When it is useful (适用场景).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default, validator(max_length = 500)))]
    pub scenario: String,
    /// Category.
    pub category: ResourceCategory,
    /// A link (https://…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 500)))]
    pub link: Option<String>,
    /// A file the caller uploaded (its SHA-256 id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    pub file_id: Option<String>,
}

/// A shared resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct SharedResource {
    /// Resource id.
    pub id: String,
    /// The group.
    pub group_id: String,
    /// Name.
    pub name: String,
    /// Source.
    pub source: String,
    /// Applicable scenario.
    pub scenario: String,
    /// Category.
    pub category: ResourceCategory,
    /// Link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// The attached file's id (download with `GET /files/{id}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_id: Option<String>,
    /// The sharer.
    pub sharer_id: String,
    /// The sharer's nickname in the group.
    pub sharer_nickname: String,
    /// Mean rating (1–5), absent until rated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<f64>,
    /// How many ratings.
    pub rating_count: i64,
    /// How many comments.
    pub comment_count: i64,
    /// The caller's own rating, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub my_rating: Option<i32>,
    /// When it was shared.
    pub created_at: DateTime<Utc>,
}

/// A group's shared resources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct SharedResourcePage {
    /// Resources.
    pub items: Vec<SharedResource>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// How to order shared resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum ResourceSort {
    /// Newest first (the default).
    Newest,
    /// Best rated first (Bayesian mean, so one 5-star rating does not beat many 4s); unrated last.
    Rating,
}

/// Rate a resource 1–5 (not one's own); rating again replaces the earlier rating.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct RateResourceRequest {
    /// Stars, 1–5.
    #[cfg_attr(feature = "openapi", oai(validator(minimum(value = "1"), maximum(value = "5"))))]
    pub stars: i32,
}

/// A comment on a resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct CommentRequest {
    /// The comment.
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 2000)))]
    pub body: String,
}

/// A comment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ResourceComment {
    /// Comment id.
    pub id: String,
    /// The resource.
    pub resource_id: String,
    /// The writer.
    pub author_id: String,
    /// Their nickname.
    pub author_nickname: String,
    /// Text.
    pub body: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A resource's comments, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct ResourceCommentPage {
    /// Comments.
    pub items: Vec<ResourceComment>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// One category's additions in a month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MonthlyLogSection {
    /// The category.
    pub category: ResourceCategory,
    /// Resources added in it that month (still shared), oldest first.
    pub items: Vec<SharedResource>,
}

/// The monthly update log (资源更新日志), generated from what was added.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MonthlyResourceLog {
    /// The month, `YYYY-MM` (Asia/Shanghai).
    pub month: String,
    /// How many resources were added.
    pub total: i64,
    /// Per category, categories without additions left out.
    pub sections: Vec<MonthlyLogSection>,
    /// The log as text, ready to post to the group (Chinese).
    pub text: String,
}

crate::stored_enum! {
    /// Where a redemption stands.
    pub enum RedemptionStatus in "reward_redemptions.status" {
        /// Points taken; the operators will hand the reward over.
        Requested = "requested",
        /// Handed over.
        Fulfilled = "fulfilled",
        /// Cancelled (by the person or an operator): points and stock returned.
        Cancelled = "cancelled",
    }
}

/// A new reward in the catalogue (platform operators).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct CreateRewardRequest {
    /// Name, e.g. "《建设工程工程量清单计价规范》实务解读（纸质版）".
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 2, max_length = 100)))]
    pub name: String,
    /// What it is and how it is handed over.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default, validator(max_length = 1000)))]
    pub description: String,
    /// Points it costs (1–1,000,000).
    #[cfg_attr(feature = "openapi", oai(validator(minimum(value = "1"), maximum(value = "1000000"))))]
    pub cost: i64,
    /// How many there are (0–1,000,000).
    #[cfg_attr(feature = "openapi", oai(validator(minimum(value = "0"), maximum(value = "1000000"))))]
    pub stock: i64,
}

/// Changes to a reward (platform operators); absent fields stay.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct UpdateRewardRequest {
    /// Adds to the stock (negative takes away, never below zero).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(validator(minimum(value = "-1000000"), maximum(value = "1000000"))))]
    pub restock: Option<i64>,
    /// Offered or withdrawn from the catalogue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

/// A reward.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Reward {
    /// Reward id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Points it costs.
    pub cost: i64,
    /// How many are left.
    pub stock: i64,
    /// Whether it is offered.
    pub active: bool,
}

/// The rewards catalogue, cheapest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct RewardList {
    /// Rewards.
    pub items: Vec<Reward>,
}

/// A redemption.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct Redemption {
    /// Redemption id.
    pub id: String,
    /// The reward.
    pub reward_id: String,
    /// Its name.
    pub reward_name: String,
    /// Who redeemed.
    pub user_id: String,
    /// Points taken.
    pub cost: i64,
    /// Where it stands.
    pub status: RedemptionStatus,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When it was fulfilled or cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<DateTime<Utc>>,
}

/// Redemptions, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct RedemptionPage {
    /// Redemptions.
    pub items: Vec<Redemption>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}
