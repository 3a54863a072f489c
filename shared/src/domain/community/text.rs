//! What the server reads out of a post's text: `#topics#`, `@mentions`, and banned words.

/// Topics written as `#物业通知#` (1–20 characters between two `#`, no spaces), in order of
/// first appearance, each once.
#[must_use]
pub fn topics(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('#') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('#') else { break };
        let topic = &after[..end];
        let length = topic.chars().count();
        if (1..=20).contains(&length) && !topic.chars().any(char::is_whitespace) {
            if !found.iter().any(|t| t == topic) {
                found.push(topic.to_owned());
            }
            rest = &after[end + 1..];
        } else {
            // The closing `#` may open the next topic.
            rest = after;
        }
    }
    found
}

/// Names written as `@王芳` (up to the next whitespace or punctuation), each once, in order.
#[must_use]
pub fn mentions(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for (i, _) in text.match_indices('@') {
        let name: String = text[i + 1..]
            .chars()
            .take_while(|c| !c.is_whitespace() && !is_punctuation(*c) && *c != '@')
            .take(32)
            .collect();
        if !name.is_empty() && !found.contains(&name) {
            found.push(name);
        }
    }
    found
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() && c != '-' && c != '_' && c != '.'
        || "，。！？；：、（）【】《》“”‘’…—·".contains(c)
}

/// Words held for review everywhere (ads and scams), on top of each group's own list.
pub const PLATFORM_BANNED_WORDS: &[&str] = &[
    "加微信",
    "加v",
    "代开发票",
    "发票代开",
    "刷单",
    "兼职日结",
    "日赚",
    "贷款秒批",
    "无抵押贷款",
    "套现",
    "博彩",
    "六合彩",
    "裸聊",
    "私彩",
    "高额返利",
    "资质挂靠",
    "证书挂靠",
    "包过",
];

/// Text folded for matching: full-width ASCII to half-width, lower case, and everything that is
/// not a letter or digit (spaces, punctuation, emoji put between characters) removed, so "加 微 信"
/// and "加·微·信" still match "加微信".
#[must_use]
pub fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The banned words (from `lists`) that `text` contains, each once, as listed.
#[must_use]
pub fn banned_words_in<'a>(text: &str, lists: &[&'a [String]]) -> Vec<&'a str> {
    let folded = fold(text);
    let mut hits: Vec<&str> = Vec::new();
    for word in lists.iter().flat_map(|l| l.iter()) {
        let needle = fold(word);
        if !needle.is_empty() && folded.contains(&needle) && !hits.contains(&word.as_str()) {
            hits.push(word);
        }
    }
    hits
}

/// The platform-wide list as owned strings (for [`banned_words_in`]).
#[must_use]
pub fn platform_banned_words() -> Vec<String> {
    PLATFORM_BANNED_WORDS.iter().map(|w| (*w).to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_are_between_two_hashes_once_each() {
        assert_eq!(topics("#物业通知# 明天停水 #物业通知# #维修#"), vec!["物业通知", "维修"]);
        assert!(topics("价格 #1 和 #2").is_empty(), "spaces are not topics");
        assert_eq!(topics("##空##"), vec!["空"]);
        assert!(topics("没有话题").is_empty());
    }

    #[test]
    fn mentions_stop_at_punctuation_and_spaces() {
        assert_eq!(mentions("请教 @王芳，还有@李强 和 @王芳"), vec!["王芳", "李强"]);
        assert_eq!(mentions("邮件 a@b 与 @"), vec!["b"]);
    }

    #[test]
    fn banned_words_match_through_spacing_and_full_width() {
        let group = vec!["团购".to_owned()];
        let platform = platform_banned_words();
        let lists: [&[String]; 2] = [&group, &platform];
        assert_eq!(banned_words_in("有需要的 加 微 信 详聊", &lists), vec!["加微信"]);
        assert_eq!(banned_words_in("ＡＢ团·购", &lists), vec!["团购"]);
        assert_eq!(banned_words_in("加V：abc", &lists), vec!["加v"]);
        assert!(banned_words_in("请问 GB50500 清单计价规范", &lists).is_empty());
    }
}

/// How many distinct terms of a question are kept for "search before you ask": enough for a
/// question's gist, and a bound on what each ranking reads however long the body is.
pub const MAX_TERMS_PER_QUESTION: usize = 64;

/// How many words of a query take part in ranking (a query is at most 200 characters).
pub const MAX_QUERY_TERMS: usize = 32;

/// The terms kept for a question, computed once when it is written: each term once, the
/// title's first (in order), then the body's by how often they occur (ties: first seen first),
/// at most `cap`.
#[must_use]
pub fn document_terms(title: &[String], body: &[String], cap: usize) -> Vec<String> {
    let mut kept: Vec<String> = Vec::new();
    for term in title {
        if kept.len() < cap && !kept.contains(term) {
            kept.push(term.clone());
        }
    }
    let mut counts: std::collections::HashMap<&String, (usize, usize)> = std::collections::HashMap::new();
    for (position, term) in body.iter().enumerate() {
        counts.entry(term).or_insert((0, position)).0 += 1;
    }
    let mut counted: Vec<(&String, (usize, usize))> = counts.into_iter().collect();
    counted.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.1.1.cmp(&b.1.1)));
    for (term, _) in counted {
        if kept.len() >= cap {
            break;
        }
        if !kept.contains(term) {
            kept.push(term.clone());
        }
    }
    kept
}

/// "Search before you ask": ranks `documents` (id, the stored terms of title and body) by how
/// many of the query's words (the first [`MAX_QUERY_TERMS`]) they hold, each word weighted by
/// its rarity among the documents (idf); documents holding none are left out. Returns at most
/// `limit` ids with scores, best first, ties newest first (ids are time-ordered).
#[must_use]
pub fn rank_similar(
    query: &[String],
    documents: &[(String, Vec<String>)],
    limit: usize,
) -> Vec<(String, f64)> {
    let query: Vec<&str> = query.iter().take(MAX_QUERY_TERMS).map(String::as_str).collect();
    // One pass over the documents: which query words each holds.
    let held: Vec<Vec<bool>> = documents
        .iter()
        .map(|(_, terms)| query.iter().map(|w| terms.iter().any(|t| t == w)).collect())
        .collect();
    let n = documents.len() as f64;
    let weights: Vec<f64> = (0..query.len())
        .map(|i| {
            let df = held.iter().filter(|h| h[i]).count() as f64;
            ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
        })
        .collect();
    let mut scored: Vec<(String, f64)> = documents
        .iter()
        .zip(&held)
        .filter_map(|((id, _), h)| {
            let score: f64 = weights.iter().zip(h).filter(|(_, hit)| **hit).map(|(w, _)| w).sum();
            (score > 0.0).then(|| (id.clone(), score))
        })
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
    scored.truncate(limit);
    scored
}

#[cfg(test)]
mod similar_tests {
    use super::*;

    fn terms(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn questions_sharing_the_rarer_words_rank_first_and_unrelated_ones_are_left_out() {
        let docs = vec![
            ("q1".to_owned(), terms(&["清单", "计价", "规范"])),
            ("q2".to_owned(), terms(&["钢筋", "清单", "工程量", "计算"])),
            ("q3".to_owned(), terms(&["食堂", "菜单"])),
            ("q4".to_owned(), terms(&["清单", "组价"])),
        ];
        let ranked = rank_similar(&terms(&["钢筋", "工程量", "清单"]), &docs, 5);
        let ids: Vec<&str> = ranked.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids[0], "q2");
        assert!(!ids.contains(&"q3"));
        assert_eq!(ids.len(), 3);
    }

    #[test]
    fn a_question_keeps_its_title_terms_then_its_most_frequent_body_terms_up_to_the_cap() {
        let title = terms(&["钢筋", "清单", "钢筋"]);
        let body = terms(&["计价", "规范", "规范", "清单", "定额", "规范", "定额"]);
        assert_eq!(document_terms(&title, &body, 64), terms(&["钢筋", "清单", "规范", "定额", "计价"]));
        assert_eq!(document_terms(&title, &body, 3), terms(&["钢筋", "清单", "规范"]));
    }

    #[test]
    fn a_ten_thousand_character_body_keeps_at_most_sixty_four_terms() {
        let body: Vec<String> = (0..10_000).map(|i| format!("词{}", i % 5000)).collect();
        let kept = document_terms(&[], &body, MAX_TERMS_PER_QUESTION);
        assert_eq!(kept.len(), MAX_TERMS_PER_QUESTION);
        let mut distinct = kept.clone();
        distinct.dedup();
        assert_eq!(distinct.len(), kept.len());
    }

    #[test]
    fn only_the_first_query_words_take_part_in_ranking() {
        let docs = vec![("q1".to_owned(), terms(&["尾词"]))];
        let mut query: Vec<String> = (0..MAX_QUERY_TERMS).map(|i| format!("词{i}")).collect();
        query.push("尾词".to_owned());
        assert!(rank_similar(&query, &docs, 5).is_empty());
    }
}
