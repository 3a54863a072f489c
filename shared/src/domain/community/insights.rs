//! Group insights: the weeks that the digest and anonymous feedback are counted in, and the
//! admins' analytics — active members and posts per day, the question resolution rate and
//! satisfaction.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, Duration, NaiveDate};

/// The Monday of the week containing `date`.
#[must_use]
pub fn week_start(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

/// Something a member did on a day: wrote a post (`post`), or replied, shared, commented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    /// The Asia/Shanghai day.
    pub day: NaiveDate,
    /// Who.
    pub user: String,
    /// Whether it was a new post (counted in posts per day).
    pub post: bool,
}

/// One day of the analytics chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    /// The day.
    pub day: NaiveDate,
    /// Posts written.
    pub posts: i64,
    /// Distinct members active.
    pub active_members: i64,
}

/// Posts and distinct active members for each of the `days` days from `first` (days without
/// activity included, as zeros); activity outside the range is ignored.
#[must_use]
pub fn daily(activity: &[Activity], first: NaiveDate, days: u32) -> Vec<Day> {
    let mut by_day: BTreeMap<NaiveDate, (i64, HashSet<&str>)> =
        (0..days).map(|i| (first + Duration::days(i64::from(i)), (0, HashSet::new()))).collect();
    for a in activity {
        if let Some((posts, people)) = by_day.get_mut(&a.day) {
            *posts += i64::from(a.post);
            people.insert(a.user.as_str());
        }
    }
    by_day
        .into_iter()
        .map(|(day, (posts, people))| Day { day, posts, active_members: people.len() as i64 })
        .collect()
}

/// Distinct members active on or after `since`.
#[must_use]
pub fn active_since(activity: &[Activity], since: NaiveDate) -> i64 {
    activity.iter().filter(|a| a.day >= since).map(|a| a.user.as_str()).collect::<HashSet<_>>().len() as i64
}

/// The share of questions with an accepted answer (`None` without questions).
#[must_use]
pub fn resolution_rate(questions: i64, solved: i64) -> Option<f64> {
    (questions > 0).then(|| solved as f64 / questions as f64)
}

/// The mean of 1–5 scores (`None` without any).
#[must_use]
pub fn mean_score(scores: &[i32]) -> Option<f64> {
    (!scores.is_empty()).then(|| f64::from(scores.iter().sum::<i32>()) / scores.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).expect("date")
    }

    #[test]
    fn weeks_start_on_monday() {
        assert_eq!(week_start(day(30)), day(30), "2026-11-30 is a Monday");
        assert_eq!(week_start(NaiveDate::from_ymd_opt(2026, 12, 6).expect("date")), day(30));
        assert_eq!(week_start(day(29)), day(23));
    }

    #[test]
    fn daily_counts_posts_and_distinct_members_with_empty_days() {
        let acts = vec![
            Activity { day: day(2), user: "a".into(), post: true },
            Activity { day: day(2), user: "a".into(), post: false },
            Activity { day: day(2), user: "b".into(), post: false },
            Activity { day: day(4), user: "b".into(), post: true },
            Activity { day: day(9), user: "c".into(), post: true },
        ];
        let days = daily(&acts, day(1), 5);
        assert_eq!(days.len(), 5);
        assert_eq!(days[1], Day { day: day(2), posts: 1, active_members: 2 });
        assert_eq!(days[2], Day { day: day(3), posts: 0, active_members: 0 });
        assert_eq!(days[3].posts, 1);
        assert_eq!(active_since(&acts, day(3)), 2);
    }

    #[test]
    fn rates_are_absent_without_data() {
        assert_eq!(resolution_rate(0, 0), None);
        assert_eq!(resolution_rate(4, 3), Some(0.75));
        assert_eq!(mean_score(&[]), None);
        assert_eq!(mean_score(&[4, 5]), Some(4.5));
    }
}
