//! Checks of the professional community's requests: groups and joining, posts and replies,
//! moderation, events and polls, surveys and feedback, shared resources and rewards. The API
//! applies them before it touches the database; the SPA's community forms run the same checks
//! before they send. What needs the database stays in the API, with the same field codes: a
//! taken group name (`taken`), a file the caller did not upload (`unknown_file`), a banned word
//! of the group (`banned_words`), a host who is not a member (`not_a_member`).

pub mod events;
pub mod groups;
pub mod insights;
pub mod moderation;
pub mod posts;
pub mod resources;

use super::{Checks, Invalid};

/// A check with one trimmed text field as its only content.
fn one_text(field: &str, value: &str, min: usize, max: usize) -> Result<String, Invalid> {
    let mut checks = Checks::default();
    let text = checks.text(field, value, min, max);
    checks.done(text)
}

/// An optional web link of at most `max` characters: blank is none, anything else must start
/// with `https://` or `http://` (`not_a_link`).
fn link(checks: &mut Checks, field: &str, value: Option<&str>, max: usize) -> Option<String> {
    let link = checks.optional_text(field, value, max);
    if link.as_deref().is_some_and(|l| !(l.starts_with("https://") || l.starts_with("http://"))) {
        checks.issue(field, "not_a_link");
    }
    link
}

/// Choices of a poll or survey question: each trimmed, 1–100 characters, all different
/// (`{field}[i]` is `duplicate` when it repeats an earlier one).
fn choices(checks: &mut Checks, field: &str, list: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, choice) in list.iter().enumerate() {
        let choice = checks.text(&format!("{field}[{i}]"), choice, 1, 100);
        if out.contains(&choice) {
            checks.issue(&format!("{field}[{i}]"), "duplicate");
        }
        out.push(choice);
    }
    out
}

#[cfg(test)]
pub(crate) mod test_util {
    use crate::dto::FieldIssue;
    use crate::validate::Invalid;

    /// The `(field, issue)` pairs of a refused check.
    pub fn issues(result: Result<impl std::fmt::Debug, Invalid>) -> Vec<(String, String)> {
        result.expect_err("refused").0.into_iter().map(|FieldIssue { field, issue }| (field, issue)).collect()
    }

    /// Pairs written as string slices.
    pub fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(f, i)| ((*f).to_owned(), (*i).to_owned())).collect()
    }
}
