//! Group insights: anonymous feedback and surveys, the weekly digest and the admins' analytics.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{Event, Post, SharedResource};

/// Anonymous feedback to a group's admins (members; one a week per group). Only the text, the
/// score and the week are kept: nothing links it to the person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct FeedbackRequest {
    /// Satisfaction with the group, 1–5.
    #[cfg_attr(feature = "openapi", oai(validator(minimum(value = "1"), maximum(value = "5"))))]
    pub score: i32,
    /// What to keep or change.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default, validator(max_length = 2000)))]
    pub body: String,
}

/// One piece of feedback as the admins see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Feedback {
    /// 1–5.
    pub score: i32,
    /// Text.
    pub body: String,
    /// The Monday of the week it was given in.
    pub week: NaiveDate,
}

/// The week a feedback was counted in (the receipt: no id, nothing to trace).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct FeedbackReceipt {
    /// The Monday of the week.
    pub week: NaiveDate,
}

/// A group's feedback, newest weeks first (admins).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct FeedbackList {
    /// Feedback (the latest 200).
    pub items: Vec<Feedback>,
    /// Mean score over them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_score: Option<f64>,
}

/// The weekly digest of a group (本周精选): featured posts written that week, resources shared
/// that week, and events starting from that week's Monday to a week after its end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct GroupDigest {
    /// The group.
    pub group_id: String,
    /// Its name.
    pub group_name: String,
    /// The Monday the week begins (Asia/Shanghai).
    pub week: NaiveDate,
    /// Featured posts of the week.
    pub featured_posts: Vec<Post>,
    /// Resources shared in the week.
    pub new_resources: Vec<SharedResource>,
    /// Events coming up.
    pub coming_events: Vec<Event>,
}

/// One day of a group's activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ActivityDay {
    /// The day (Asia/Shanghai).
    pub day: NaiveDate,
    /// Posts written.
    pub posts: i64,
    /// Members who posted, replied, shared or commented.
    pub active_members: i64,
}

/// A group's analytics for its admins (the last 30 days).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct GroupAnalytics {
    /// Active members now.
    pub member_count: i64,
    /// Members active in the last 7 days.
    pub active_members_7d: i64,
    /// Members active in the last 30 days.
    pub active_members_30d: i64,
    /// Per day, oldest first (30 days, today last).
    pub days: Vec<ActivityDay>,
    /// Questions asked in the 30 days.
    pub questions: i64,
    /// Of those, with an accepted answer.
    pub solved_questions: i64,
    /// solved / asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution_rate: Option<f64>,
    /// Mean anonymous feedback score (1–5) in the 30 days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfaction: Option<f64>,
    /// How many gave feedback.
    pub satisfaction_responses: i64,
    /// When it was computed.
    pub computed_at: DateTime<Utc>,
}

/// How a survey question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum SurveyQuestionKind {
    /// One of the options.
    SingleChoice,
    /// Any of the options.
    MultipleChoice,
    /// Free text.
    Text,
}

/// One question of a survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct SurveyQuestion {
    /// The question.
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 200)))]
    pub question: String,
    /// How it is answered.
    pub kind: SurveyQuestionKind,
    /// 2–10 options for choice questions; none for text questions.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default, validator(max_items = 10)))]
    pub options: Vec<String>,
    /// Whether it must be answered.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub required: bool,
}

/// A new survey (the group's admins). Surveys are always anonymous.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct CreateSurveyRequest {
    /// Title, e.g. "2026年度群满意度调查".
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 2, max_length = 100)))]
    pub title: String,
    /// What it is for.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default, validator(max_length = 1000)))]
    pub description: String,
    /// 1–20 questions.
    #[cfg_attr(feature = "openapi", oai(validator(min_items = 1, max_items = 20)))]
    pub questions: Vec<SurveyQuestion>,
    /// Responses close at this instant (in the future, at most 90 days ahead).
    pub deadline: DateTime<Utc>,
}

/// A survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Survey {
    /// Survey id.
    pub id: String,
    /// The group.
    pub group_id: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Questions.
    pub questions: Vec<SurveyQuestion>,
    /// When responses close.
    pub deadline: DateTime<Utc>,
    /// Whether the deadline has passed.
    pub closed: bool,
    /// How many responded.
    pub responses: i64,
    /// Whether the caller responded.
    pub responded: bool,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// A group's surveys, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct SurveyPage {
    /// Surveys.
    pub items: Vec<Survey>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// One answer of a response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct SurveyAnswer {
    /// 0-based options chosen (choice questions).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default, validator(max_items = 10)))]
    pub choices: Vec<i32>,
    /// The text (text questions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 1000)))]
    pub text: Option<String>,
}

/// A response: one answer per question, in order (members, once, before the deadline).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct SurveyResponseRequest {
    /// Answers.
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 20)))]
    pub answers: Vec<SurveyAnswer>,
}

/// The results of one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SurveyQuestionResult {
    /// The question.
    pub question: String,
    /// Its kind.
    pub kind: SurveyQuestionKind,
    /// Its options.
    pub options: Vec<String>,
    /// Choices per option (choice questions).
    pub counts: Vec<i64>,
    /// The non-empty text answers, in no particular order (text questions).
    pub texts: Vec<String>,
}

/// A survey's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SurveyResults {
    /// The survey.
    pub survey: Survey,
    /// Per question, in order.
    pub questions: Vec<SurveyQuestionResult>,
}
