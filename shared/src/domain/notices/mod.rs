//! The text of every notification, in both languages, in one place. Each feature declares its
//! messages as an enum implementing [`Message`] (in a file of its own below this module); the
//! server stores the Chinese text in `title`/`body` and the English in `title_en`/`body_en`, and
//! the SPA shows the one of the reader's language.

pub mod community;
pub mod contracts;
pub mod disputes;
pub mod escrow;
pub mod market;
pub mod membership;
pub mod progress;
pub mod tenders;

use crate::dto::NotificationKind;

/// One notification's text in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lines {
    /// One line.
    pub title: String,
    /// Detail.
    pub body: String,
}

impl Lines {
    /// A title and a body.
    pub fn new(title: impl Into<String>, body: impl Into<String>) -> Self {
        Self { title: title.into(), body: body.into() }
    }
}

/// A notification's text in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Texts {
    /// 中文.
    pub zh: Lines,
    /// English.
    pub en: Lines,
}

/// Something a notification says: its kind and its text in both languages.
pub trait Message {
    /// The notification kind (what the reader can filter and what the SPA links to).
    fn kind(&self) -> NotificationKind;
    /// The text.
    fn texts(&self) -> Texts;
}

/// Cuts `text` to at most `max` characters, for a body that quotes user text.
pub fn excerpt(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_counts_characters_not_bytes() {
        assert_eq!(excerpt("共筑平台", 2), "共筑");
        assert_eq!(excerpt("ab", 5), "ab");
    }
}
