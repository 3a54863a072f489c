//! Chinese word segmentation with jieba (the bundled dictionary), shared by indexing and
//! queries so both sides cut text the same way. Latin words and numbers are lower-cased;
//! punctuation and single-character function words are dropped.

use std::sync::LazyLock;

use jieba_rs::Jieba;

static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Loads the dictionary now rather than on the first request.
pub fn warm_up() {
    LazyLock::force(&JIEBA);
}

/// Words too common to carry meaning in this domain's search.
const STOP_WORDS: [&str; 16] =
    ["的", "了", "和", "与", "及", "在", "是", "有", "或", "等", "为", "对", "对于", "以及", "一个", "我们"];

fn keep(word: &str) -> bool {
    word.chars().any(char::is_alphanumeric) && !STOP_WORDS.contains(&word)
}

/// Search-mode terms of `text`: each word, plus the shorter words inside long ones, so
/// "市政道路改造工程" yields 市政, 道路, 改造, 工程 and the compounds the dictionary knows.
/// Order follows the text; duplicates are kept (they count as term frequency).
pub fn terms(text: &str) -> Vec<String> {
    JIEBA
        .cut_for_search(text, true)
        .into_iter()
        .map(|token| token.word.trim())
        .filter(|w| keep(w))
        .map(str::to_lowercase)
        .collect()
}

/// The words of a query, cut in precise mode (each word once, in order). A document matches
/// when it holds every one of them; the index holds search-mode terms, which include each
/// dictionary word and its compounds, so "市政道路" finds "某市市政道路改造工程".
pub fn query_terms(text: &str) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for token in JIEBA.cut(text, true) {
        let word = token.word.trim();
        if keep(word) {
            let word = word.to_lowercase();
            if !seen.contains(&word) {
                seen.push(word);
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_for_municipal_roads_shares_terms_with_the_project_name() {
        let name = terms("某市市政道路改造工程");
        let query = query_terms("市政道路");
        assert!(!query.is_empty());
        for term in &query {
            assert!(name.contains(term), "{term} missing from {name:?}");
        }
    }

    #[test]
    fn punctuation_and_stop_words_are_dropped_and_latin_is_lowercased() {
        let words = terms("水泥、钢筋的 HRB400 价格！");
        assert!(words.contains(&"hrb400".to_string()), "{words:?}");
        assert!(!words.iter().any(|w| w == "、" || w == "的" || w == "！"), "{words:?}");
    }

    #[test]
    fn short_name_query_matches_the_short_name() {
        let short = terms("中建三局");
        for term in query_terms("中建三局") {
            assert!(short.contains(&term));
        }
    }
}
