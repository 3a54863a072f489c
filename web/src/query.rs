//! Query strings for API and page URLs: `key=value` pairs with the values percent-encoded
//! (UTF-8), empty values left out.

/// Percent-encodes `value` for a query string (everything but RFC 3986 unreserved characters).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `path?k=v&…` with the non-empty values of `pairs`; just `path` when none is left.
pub fn with_query(path: &str, pairs: &[(&str, Option<String>)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| v.as_deref().filter(|v| !v.is_empty()).map(|v| format!("{k}={}", encode(v))))
        .collect();
    if query.is_empty() { path.to_owned() } else { format!("{path}?{}", query.join("&")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_and_reserved_characters_are_percent_encoded() {
        assert_eq!(encode("市政"), "%E5%B8%82%E6%94%BF");
        assert_eq!(encode("a b&c=d,e"), "a%20b%26c%3Dd%2Ce");
        assert_eq!(encode("abc-1_2.3~"), "abc-1_2.3~");
    }

    #[test]
    fn empty_and_absent_values_are_left_out() {
        let url = with_query(
            "/search",
            &[
                ("q", Some("道路".into())),
                ("kind", None),
                ("region", Some(String::new())),
                ("limit", Some("20".into())),
            ],
        );
        assert_eq!(url, "/search?q=%E9%81%93%E8%B7%AF&limit=20");
        assert_eq!(with_query("/demands", &[("cursor", None)]), "/demands");
    }
}
