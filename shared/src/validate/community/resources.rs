//! Checks of shared resources (a new one, a comment) and of the rewards catalogue.

use super::super::{Check, Checks, Invalid};
use super::{link, one_text};
use crate::dto::{CommentRequest, CreateRewardRequest, ResourceCategory, ShareResourceRequest};

/// A new shared resource's fields, checked: a source, and a link or a file (or both).
#[derive(Debug, Clone, PartialEq)]
pub struct SharedResourceFields {
    pub name: String,
    pub source: String,
    pub scenario: String,
    pub category: ResourceCategory,
    pub link: Option<String>,
    /// The id of the attached file; whether the caller uploaded it is the API's check
    /// (`file_id` `unknown_file`).
    pub file_id: Option<String>,
}

impl Check for ShareResourceRequest {
    type Valid = SharedResourceFields;
    fn check(&self) -> Result<SharedResourceFields, Invalid> {
        let mut checks = Checks::default();
        let name = checks.text("name", &self.name, 2, 100);
        let source = checks.text("source", &self.source, 2, 200);
        let scenario = checks.text("scenario", &self.scenario, 0, 500);
        let link = link(&mut checks, "link", self.link.as_deref(), 500);
        let file_id = self.file_id.as_deref().map(str::trim).filter(|f| !f.is_empty()).map(str::to_owned);
        if link.is_none() && file_id.is_none() {
            checks.issue("link", "link_or_file_required");
        }
        checks.done(SharedResourceFields { name, source, scenario, category: self.category, link, file_id })
    }
}

impl Check for CommentRequest {
    /// The comment, trimmed (1–2,000 characters).
    type Valid = String;
    fn check(&self) -> Result<String, Invalid> {
        one_text("body", &self.body, 1, 2000)
    }
}

/// A new reward's texts, checked (its cost and stock are bounded by the request's schema).
#[derive(Debug, Clone, PartialEq)]
pub struct RewardFields {
    pub name: String,
    pub description: String,
}

impl Check for CreateRewardRequest {
    type Valid = RewardFields;
    fn check(&self) -> Result<RewardFields, Invalid> {
        let mut checks = Checks::default();
        let name = checks.text("name", &self.name, 2, 100);
        let description = checks.text("description", &self.description, 0, 1000);
        checks.done(RewardFields { name, description })
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::super::test_util::{issues, pairs};
    use super::*;

    fn share(link: Option<&str>, file_id: Option<&str>) -> ShareResourceRequest {
        ShareResourceRequest {
            name: " 2024版上海市工程量清单计价应用规则 ".into(),
            source: "上海市住建委".into(),
            scenario: String::new(),
            category: ResourceCategory::PolicyRegulation,
            link: link.map(str::to_owned),
            file_id: file_id.map(str::to_owned),
        }
    }

    #[rstest]
    #[case(None, None, &[("link", "link_or_file_required")])]
    #[case(Some(" "), Some(" "), &[("link", "link_or_file_required")])]
    #[case(Some("ftp://example.com/a.pdf"), None, &[("link", "not_a_link")])]
    fn a_resource_has_a_link_or_a_file(
        #[case] link: Option<&str>,
        #[case] file_id: Option<&str>,
        #[case] want: &[(&str, &str)],
    ) {
        assert_eq!(issues(share(link, file_id).check()), pairs(want));
    }

    #[test]
    fn a_resource_names_its_source_and_comes_back_trimmed() {
        let body =
            ShareResourceRequest { name: "规".into(), source: " 某 ".into(), ..share(None, Some(" abc ")) };
        assert_eq!(issues(body.check()), pairs(&[("name", "too_short"), ("source", "too_short")]));
        let fields = share(Some(" https://example.com/a.pdf "), Some(" abc ")).check().expect("valid");
        assert_eq!(fields.name, "2024版上海市工程量清单计价应用规则");
        assert_eq!(fields.link.as_deref(), Some("https://example.com/a.pdf"));
        assert_eq!(fields.file_id.as_deref(), Some("abc"));
    }

    #[rstest]
    #[case(" ", "required")]
    #[case(&"评".repeat(2001), "too_long")]
    fn a_comment_has_text_of_at_most_2000_characters(#[case] text: &str, #[case] issue: &str) {
        assert_eq!(issues(CommentRequest { body: text.into() }.check()), pairs(&[("body", issue)]));
    }

    #[test]
    fn a_reward_has_a_name_of_2_characters_or_more() {
        let body =
            CreateRewardRequest { name: " 书 ".into(), description: "说".repeat(1001), cost: 10, stock: 1 };
        assert_eq!(issues(body.check()), pairs(&[("name", "too_short"), ("description", "too_long")]));
        let body =
            CreateRewardRequest {
                name: " 实务解读 ".into(), description: String::new(), cost: 10, stock: 1
            };
        assert_eq!(body.check().expect("valid").name, "实务解读");
    }
}
