//! Checks of posts and replies: a new post, an author's edit, a reply.

use super::super::{Check, Checks, Invalid};
use super::one_text;
use crate::dto::{CreatePostRequest, ReplyRequest, UpdatePostRequest};

/// Longest title of a post, in characters.
pub const MAX_TITLE_CHARS: usize = 100;
/// Longest text of a post.
pub const MAX_POST_CHARS: usize = 10_000;
/// Longest text of a reply.
pub const MAX_REPLY_CHARS: usize = 5000;

/// A post's title and text, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct PostFields {
    pub title: String,
    pub body: String,
}

impl Check for CreatePostRequest {
    type Valid = PostFields;
    fn check(&self) -> Result<PostFields, Invalid> {
        let mut checks = Checks::default();
        let title = checks.text("title", &self.title, 1, MAX_TITLE_CHARS);
        let body = checks.text("body", &self.body, 1, MAX_POST_CHARS);
        checks.done(PostFields { title, body })
    }
}

/// An edit of a post, checked; `None` keeps the field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PostEdit {
    pub title: Option<String>,
    pub body: Option<String>,
}

impl Check for UpdatePostRequest {
    type Valid = PostEdit;
    fn check(&self) -> Result<PostEdit, Invalid> {
        let mut checks = Checks::default();
        let title = self.title.as_deref().map(|t| checks.text("title", t, 1, MAX_TITLE_CHARS));
        let body = self.body.as_deref().map(|b| checks.text("body", b, 1, MAX_POST_CHARS));
        checks.done(PostEdit { title, body })
    }
}

impl Check for ReplyRequest {
    /// The reply's text, trimmed (1–5,000 characters).
    type Valid = String;
    fn check(&self) -> Result<String, Invalid> {
        one_text("body", &self.body, 1, MAX_REPLY_CHARS)
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::super::test_util::{issues, pairs};
    use super::*;
    use crate::dto::PostKind;

    fn post(title: &str, body: &str) -> CreatePostRequest {
        CreatePostRequest { kind: PostKind::Question, title: title.into(), body: body.into() }
    }

    #[rstest]
    #[case(post(" ", "正文"), &[("title", "required")])]
    #[case(post("标题", "\n"), &[("body", "required")])]
    #[case(post(&"题".repeat(101), &"字".repeat(10_001)), &[("title", "too_long"), ("body", "too_long")])]
    fn a_post_needs_a_title_and_text(#[case] body: CreatePostRequest, #[case] want: &[(&str, &str)]) {
        assert_eq!(issues(body.check()), pairs(want));
    }

    #[test]
    fn a_post_comes_back_trimmed() {
        let fields = post(" 清单计价问题 ", " 请教 ").check().expect("valid");
        assert_eq!(fields, PostFields { title: "清单计价问题".into(), body: "请教".into() });
    }

    #[test]
    fn an_edit_checks_only_what_it_changes() {
        let edit = UpdatePostRequest { title: None, body: Some(" 新正文 ".into()) };
        assert_eq!(edit.check().expect("valid"), PostEdit { title: None, body: Some("新正文".into()) });
        let edit = UpdatePostRequest { title: Some("  ".into()), body: None };
        assert_eq!(issues(edit.check()), pairs(&[("title", "required")]));
    }

    #[rstest]
    #[case(" ", Err("required"))]
    #[case("答".repeat(5001), Err("too_long"))]
    #[case(" 同意楼上 ".into(), Ok("同意楼上"))]
    fn a_reply_has_text_of_at_most_5000_characters(#[case] text: String, #[case] want: Result<&str, &str>) {
        let body = ReplyRequest { body: text };
        match want {
            Ok(text) => assert_eq!(body.check().expect("valid"), text),
            Err(issue) => assert_eq!(issues(body.check()), pairs(&[("body", issue)])),
        }
    }
}
