//! Shared resources: the rating used to sort them (a Bayesian mean, so a single 5-star rating
//! does not outrank many 4s) and the monthly update log's text.

use crate::dto::{MonthlyLogSection, SharedResource};

/// The prior weight of the rating mean: as if every resource had this many ratings of
/// [`PRIOR_MEAN`] already.
pub const PRIOR_RATINGS: f64 = 3.0;
/// The prior mean rating (the middle of 1–5).
pub const PRIOR_MEAN: f64 = 3.0;

/// The plain mean of `count` ratings summing to `sum` (`None` when unrated).
#[must_use]
pub fn mean_rating(sum: i64, count: i64) -> Option<f64> {
    (count > 0).then(|| sum as f64 / count as f64)
}

/// The sorting score: the mean shrunk towards [`PRIOR_MEAN`] by [`PRIOR_RATINGS`]; unrated
/// resources score below every rated one.
#[must_use]
pub fn sort_score(sum: i64, count: i64) -> f64 {
    if count <= 0 {
        return f64::NEG_INFINITY;
    }
    (sum as f64 + PRIOR_MEAN * PRIOR_RATINGS) / (count as f64 + PRIOR_RATINGS)
}

/// The monthly update log as text to post in the group.
#[must_use]
pub fn monthly_log_text(group_name: &str, month: &str, sections: &[MonthlyLogSection]) -> String {
    let total: usize = sections.iter().map(|s| s.items.len()).sum();
    let mut text = format!("【{group_name}】{month} 资源更新日志：本月新增 {total} 项");
    if total == 0 {
        text.push('。');
        return text;
    }
    text.push('\n');
    for section in sections {
        text.push_str(&format!("\n■ {}（{}）\n", section.category.name_zh(), section.items.len()));
        for item in &section.items {
            text.push_str(&line(item));
        }
    }
    text
}

fn line(item: &SharedResource) -> String {
    let scenario =
        if item.scenario.is_empty() { String::new() } else { format!("；适用：{}", item.scenario) };
    format!("· {}（来源：{}{}；分享人：{}）\n", item.name, item.source, scenario, item.sharer_nickname)
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::dto::ResourceCategory;

    #[test]
    fn one_five_star_rating_ranks_below_many_fours() {
        assert!(sort_score(5, 1) < sort_score(40, 10));
        assert!(sort_score(3, 1) > sort_score(0, 0), "unrated resources come last");
        assert_eq!(mean_rating(9, 2), Some(4.5));
        assert_eq!(mean_rating(0, 0), None);
    }

    fn resource(name: &str, scenario: &str) -> SharedResource {
        SharedResource {
            id: "r".into(),
            group_id: "g".into(),
            name: name.into(),
            source: "上海市住建委".into(),
            scenario: scenario.into(),
            category: ResourceCategory::PolicyRegulation,
            link: None,
            file_id: None,
            sharer_id: "u".into(),
            sharer_nickname: "上海-土建-王芳".into(),
            rating: None,
            rating_count: 0,
            comment_count: 0,
            my_rating: None,
            created_at: Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap(),
        }
    }

    #[test]
    fn the_monthly_log_lists_each_category_with_its_additions() {
        let sections = vec![MonthlyLogSection {
            category: ResourceCategory::PolicyRegulation,
            items: vec![resource("计价应用规则", "清单编制"), resource("定额解释", "")],
        }];
        let text = monthly_log_text("造价群", "2026-12", &sections);
        assert!(text.starts_with("【造价群】2026-12 资源更新日志：本月新增 2 项"));
        assert!(text.contains("■ 政策法规（2）"));
        assert!(
            text.contains("· 计价应用规则（来源：上海市住建委；适用：清单编制；分享人：上海-土建-王芳）")
        );
        assert!(text.contains("· 定额解释（来源：上海市住建委；分享人：上海-土建-王芳）"));
        assert_eq!(
            monthly_log_text("造价群", "2026-11", &[]),
            "【造价群】2026-11 资源更新日志：本月新增 0 项。"
        );
    }
}
