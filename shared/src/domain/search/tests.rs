use chrono::TimeZone;
use proptest::prelude::*;

use super::*;

fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_owned).collect()
}

fn doc(kind: SearchKind, id: &str, region: &str, amount: Option<i64>, minute: u32) -> SearchDocument {
    SearchDocument {
        kind,
        id: id.into(),
        title: id.into(),
        snippet: String::new(),
        regions: vec![RegionCode::parse(region).expect("valid")],
        amount_fen: amount,
        subtypes: vec!["municipal".into()],
        status: Some("published".into()),
        categories: vec!["municipal_roads".into()],
        tags: vec!["EPC".into()],
        org_name: None,
        credit_grade: None,
        location: None,
        created_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, minute, 0).single().expect("valid"),
    }
}

fn index_with(docs: &[(&str, &str, &str)]) -> SearchIndex {
    let mut index = SearchIndex::new();
    for (i, (id, title, body)) in docs.iter().enumerate() {
        let (title, body) = (words(title), words(body));
        index.upsert(
            doc(SearchKind::Project, id, "330106", Some(i as i64 * 100), i as u32),
            &[(&title, TITLE_WEIGHT), (&body, BODY_WEIGHT)],
        );
    }
    index
}

fn ids(results: &SearchResults<'_>) -> Vec<String> {
    results.hits.iter().map(|h| h.document.id.clone()).collect()
}

fn query(terms: &str) -> SearchQuery {
    SearchQuery { terms: words(terms), limit: 10, ..SearchQuery::default() }
}

#[test]
fn every_query_term_must_match() {
    let index = index_with(&[("a", "市政 道路 改造", ""), ("b", "市政 管网", ""), ("c", "道路 养护", "")]);
    assert_eq!(ids(&index.search(&query("市政 道路")).expect("valid")), vec!["a"]);
    assert_eq!(index.search(&query("桥梁")).expect("valid").total, 0);
}

#[test]
fn title_matches_outrank_body_matches() {
    let index = index_with(&[("body", "厂房", "钢结构 施工"), ("title", "钢结构 厂房", "施工")]);
    assert_eq!(ids(&index.search(&query("钢结构")).expect("valid")), vec!["title", "body"]);
}

#[test]
fn rarer_terms_weigh_more() {
    let index = index_with(&[
        ("common", "工程 工程", ""),
        ("rare", "隧道 工程", ""),
        ("x1", "工程", ""),
        ("x2", "工程", ""),
    ]);
    let results = index.search(&query("隧道")).expect("valid");
    assert_eq!(ids(&results), vec!["rare"]);
    let common = index.search(&query("工程")).expect("valid");
    assert_eq!(common.total, 4);
}

#[test]
fn replacing_a_document_drops_its_old_terms() {
    let mut index = index_with(&[("a", "旧 名称", "")]);
    let title = words("新 名称");
    index.upsert(doc(SearchKind::Project, "a", "330106", None, 0), &[(&title, TITLE_WEIGHT)]);
    assert_eq!(index.search(&query("旧")).expect("valid").total, 0);
    assert_eq!(index.search(&query("新")).expect("valid").total, 1);
    assert_eq!(index.len(), 1);
    index.remove(SearchKind::Project, "a");
    assert!(index.is_empty());
    assert_eq!(index.search(&query("名称")).expect("valid").total, 0);
}

#[test]
fn region_filter_covers_cities_and_districts_of_a_province() {
    let mut index = SearchIndex::new();
    let t = words("工程");
    index.upsert(doc(SearchKind::Project, "hz", "330106", None, 0), &[(&t, 1.0)]);
    index.upsert(doc(SearchKind::Project, "nj", "320102", None, 1), &[(&t, 1.0)]);
    let mut q = query("工程");
    q.region = Some(RegionCode::parse("330000").expect("valid"));
    assert_eq!(ids(&index.search(&q).expect("valid")), vec!["hz"]);
    q.region = Some(RegionCode::parse("330100").expect("valid"));
    assert_eq!(ids(&index.search(&q).expect("valid")), vec!["hz"]);
}

#[test]
fn amount_tags_status_category_and_kind_filters() {
    let mut index = SearchIndex::new();
    let t = words("工程");
    index.upsert(doc(SearchKind::Project, "small", "330106", Some(100), 0), &[(&t, 1.0)]);
    index.upsert(doc(SearchKind::Project, "big", "330106", Some(10_000), 1), &[(&t, 1.0)]);
    index.upsert(doc(SearchKind::Resource, "none", "330106", None, 2), &[(&t, 1.0)]);
    let mut q = query("工程");
    q.min_amount_fen = Some(1000);
    assert_eq!(ids(&index.search(&q).expect("valid")), vec!["big"]);
    q.min_amount_fen = None;
    q.max_amount_fen = Some(1000);
    assert_eq!(ids(&index.search(&q).expect("valid")), vec!["small"]);
    let mut q = query("工程");
    q.kind = Some(SearchKind::Resource);
    assert_eq!(ids(&index.search(&q).expect("valid")), vec!["none"]);
    q.tags = vec!["EPC".into(), "PPP".into()];
    assert_eq!(index.search(&q).expect("valid").total, 0);
    let mut q = query("工程");
    q.status = Some("closed".into());
    assert_eq!(index.search(&q).expect("valid").total, 0);
    q.status = None;
    q.category = Some("municipal_roads".into());
    assert_eq!(index.search(&q).expect("valid").total, 3);
}

#[test]
fn radius_and_distance_sort_need_a_point() {
    let mut index = SearchIndex::new();
    let t = words("工程");
    let mut near = doc(SearchKind::Project, "near", "330106", None, 0);
    near.location = Some((30.27, 120.15));
    let mut far = doc(SearchKind::Project, "far", "110101", None, 1);
    far.location = Some((39.90, 116.40));
    let nowhere = doc(SearchKind::Project, "nowhere", "330106", None, 2);
    for d in [far, near, nowhere] {
        index.upsert(d, &[(&t, 1.0)]);
    }
    let mut q = query("工程");
    q.sort = SearchSort::Distance;
    assert_eq!(index.search(&q).expect_err("an error"), SearchError::PointRequired);
    q.point = Some((30.25, 120.17));
    assert_eq!(ids(&index.search(&q).expect("valid")), vec!["near", "far", "nowhere"]);
    q.radius_km = Some(50.0);
    let results = index.search(&q).expect("valid");
    assert_eq!(ids(&results), vec!["near"]);
    assert!(results.hits[0].distance_km.expect("valid") < 5.0);
}

#[test]
fn haversine_hangzhou_to_beijing_is_about_1120_km() {
    let d = haversine_km((30.2741, 120.1551), (39.9042, 116.4074));
    assert!((1100.0..1150.0).contains(&d), "{d}");
}

#[test]
fn without_terms_relevance_means_newest_first() {
    let index = index_with(&[("old", "甲", ""), ("new", "乙", "")]);
    let results = index.search(&SearchQuery { limit: 10, ..SearchQuery::default() }).expect("valid");
    assert_eq!(ids(&results), vec!["new", "old"]);
}

#[test]
fn amount_sorts_put_missing_amounts_last() {
    let mut index = SearchIndex::new();
    let t = words("工程");
    index.upsert(doc(SearchKind::Project, "a", "330106", Some(5), 0), &[(&t, 1.0)]);
    index.upsert(doc(SearchKind::Project, "b", "330106", None, 1), &[(&t, 1.0)]);
    index.upsert(doc(SearchKind::Project, "c", "330106", Some(9), 2), &[(&t, 1.0)]);
    let mut q = query("工程");
    q.sort = SearchSort::AmountAsc;
    assert_eq!(ids(&index.search(&q).expect("valid")), vec!["a", "c", "b"]);
    q.sort = SearchSort::AmountDesc;
    assert_eq!(ids(&index.search(&q).expect("valid")), vec!["c", "a", "b"]);
}

#[test]
fn a_cursor_after_a_hit_without_an_amount_survives_json() {
    let mut index = SearchIndex::new();
    let t = words("工程");
    index.upsert(doc(SearchKind::Project, "a", "330106", None, 0), &[(&t, 1.0)]);
    index.upsert(doc(SearchKind::Project, "b", "330106", None, 1), &[(&t, 1.0)]);
    let mut q = query("工程");
    q.sort = SearchSort::AmountAsc;
    q.limit = 1;
    let first = index.search(&q).expect("valid").next.expect("a second page");
    let json = serde_json::to_string(&first).expect("serialises");
    q.cursor = Some(serde_json::from_str(&json).expect("round-trips"));
    assert_eq!(ids(&index.search(&q).expect("valid")), vec!["b"]);
}

#[test]
fn a_cursor_with_other_terms_is_refused() {
    let index = index_with(&[("a", "工程", ""), ("b", "工程", "")]);
    let mut q = query("工程");
    q.limit = 1;
    let first = index.search(&q).expect("valid");
    let mut q2 = query("工程 道路");
    q2.cursor = first.next;
    assert_eq!(index.search(&q2).expect_err("an error"), SearchError::CursorMismatch);
}

fn walk(index: &SearchIndex, mut q: SearchQuery, mut between: impl FnMut(usize)) -> Vec<String> {
    let mut seen = Vec::new();
    for page in 0..100 {
        let results = index.search(&q).expect("valid");
        seen.extend(ids(&results));
        match results.next {
            Some(next) => q.cursor = Some(next),
            None => break,
        }
        between(page);
    }
    seen
}

proptest! {
    /// Paging through the results visits every hit exactly once, in the order of one big page.
    #[test]
    fn pages_concatenate_to_the_full_ranking(
        titles in prop::collection::vec(prop::collection::vec(0..4_u8, 1..6), 1..40),
        limit in 1..7_usize,
        sort in prop::sample::select(vec![SearchSort::Relevance, SearchSort::Newest, SearchSort::AmountAsc]),
    ) {
        let mut index = SearchIndex::new();
        for (i, title) in titles.iter().enumerate() {
            let terms: Vec<String> = title.iter().map(|t| format!("t{t}")).collect();
            index.upsert(
                doc(SearchKind::Project, &format!("d{i:02}"), "330106", Some((i % 5) as i64), (i % 60) as u32),
                &[(&terms, 1.0)],
            );
        }
        let q = SearchQuery { terms: vec!["t0".into()], limit, sort, ..SearchQuery::default() };
        let all = index.search(&SearchQuery { limit: 1000, ..q.clone() }).expect("valid");
        let paged = walk(&index, q, |_| {});
        prop_assert_eq!(paged, ids(&all));
    }

    /// Documents inserted between pages never make an already-listed hit appear twice, and
    /// every document that existed at the first page is still listed.
    #[test]
    fn pages_are_stable_under_inserts(
        existing in 2..30_usize,
        inserted_per_page in 1..4_usize,
        limit in 1..5_usize,
    ) {
        let mut index = SearchIndex::new();
        let term = vec!["t".to_string()];
        for i in 0..existing {
            let body: Vec<String> = (0..i % 4).map(|_| "pad".to_string()).collect();
            index.upsert(doc(SearchKind::Project, &format!("e{i:02}"), "330106", None, 0), &[(&term, 1.0), (&body, 1.0)]);
        }
        let cell = std::cell::RefCell::new(index);
        let mut q = SearchQuery { terms: term.clone(), limit, ..SearchQuery::default() };
        let mut seen: Vec<String> = Vec::new();
        let mut n = 0;
        loop {
            let next = {
                let index = cell.borrow();
                let results = index.search(&q).expect("valid");
                seen.extend(ids(&results));
                results.next
            };
            match next {
                Some(cursor) => q.cursor = Some(cursor),
                None => break,
            }
            let mut index = cell.borrow_mut();
            for _ in 0..inserted_per_page {
                n += 1;
                index.upsert(doc(SearchKind::Project, &format!("n{n:03}"), "330106", None, 0), &[(&term, 1.0)]);
            }
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        prop_assert_eq!(unique.len(), seen.len(), "a hit was listed twice");
        for i in 0..existing {
            let id = format!("e{i:02}");
            prop_assert!(seen.contains(&id), "{} was skipped", id);
        }
    }
}
