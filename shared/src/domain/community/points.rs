//! A person's community points: an append-only ledger of signed entries, never a balance alone.
//! Awards are +10 for a shared resource, +30 for a hosted session, +5 for an accepted answer and
//! +20 to the referrer when a person they invited registers and their organisation is verified.
//! Daily caps (Asia/Shanghai days): 5 resource awards, 10 accepted-answer awards and 1 hosted
//! session. No points for self-dealing: accepting one's own answer earns nothing, rating one's
//! own resource is refused, and a resource deleted within a day of sharing takes its award back.
//! A hosted session earns only when at least two attendees other than the host have a verified
//! phone or e-mail, and not when those attendees already earned the same host an award within
//! 30 days (see [`hosted_session_award`]).

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::calendar::shanghai;

crate::stored_enum! {
    /// Why points moved.
    pub enum PointsReason in "points_ledger.reason" {
        /// Shared a resource (+10).
        ResourceShared = "resource_shared",
        /// Hosted a sharing session that took place (+30).
        SessionHosted = "session_hosted",
        /// One's answer was accepted (+5).
        AnswerAccepted = "answer_accepted",
        /// A referred person registered and their organisation was verified (+20).
        Referral = "referral",
        /// A resource shared less than a day ago was deleted: its award is taken back.
        ResourceWithdrawn = "resource_withdrawn",
        /// Redeemed for a reward (negative).
        Redemption = "redemption",
        /// A redemption was cancelled and its points returned.
        RedemptionRefund = "redemption_refund",
    }
}

impl PointsReason {
    /// The points an award of this kind is worth (0 for the non-award reasons).
    #[must_use]
    pub fn award(self) -> i64 {
        match self {
            Self::ResourceShared => 10,
            Self::SessionHosted => 30,
            Self::AnswerAccepted => 5,
            Self::Referral => 20,
            _ => 0,
        }
    }

    /// How many awards of this kind count per day (`None`: no cap).
    #[must_use]
    pub fn daily_cap(self) -> Option<usize> {
        match self {
            Self::ResourceShared => Some(5),
            Self::AnswerAccepted => Some(10),
            Self::SessionHosted => Some(1),
            _ => None,
        }
    }
}

/// How much to award for `reason` to someone already awarded `today` times for it today: the
/// reason's points, or 0 once the daily cap is reached (the action still happens).
#[must_use]
pub fn award(reason: PointsReason, today: usize) -> i64 {
    match reason.daily_cap() {
        Some(cap) if today >= cap => 0,
        _ => reason.award(),
    }
}

/// Points for an accepted answer: none when the asker accepts their own answer.
#[must_use]
pub fn accepted_answer_award(asker: &str, answerer: &str, today: usize) -> i64 {
    if asker == answerer { 0 } else { award(PointsReason::AnswerAccepted, today) }
}

/// How many attendees other than the host, each with a verified phone or e-mail, a session
/// needs to earn its host points.
pub const MIN_VERIFIED_ATTENDEES: usize = 2;

/// How long a set of attendees that earned a host an award stays spent for that host.
pub const SAME_ATTENDEES_WINDOW_DAYS: i64 = 30;

/// Why a summarised session earns its host nothing (the summary itself is still saved).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NoHostingAward {
    /// Fewer than [`MIN_VERIFIED_ATTENDEES`] attendees besides the host have a verified contact.
    #[error("至少两位已验证手机或邮箱的成员参加，主持人才能获得积分")]
    TooFewVerifiedAttendees,
    /// The host already earned a hosting award today (Asia/Shanghai).
    #[error("今日主持积分已达上限")]
    DailyCapReached,
    /// The same attendees earned this host an award within [`SAME_ATTENDEES_WINDOW_DAYS`] days.
    #[error("同一批参加者 30 天内只为同一主持人计一次积分")]
    SameAttendees,
}

/// The attendee set as stored with an award: distinct, sorted, without the host.
#[must_use]
pub fn attendee_set(host: &str, attendees: &[String]) -> Vec<String> {
    let mut set: Vec<String> = attendees.iter().filter(|a| *a != host).cloned().collect();
    set.sort();
    set.dedup();
    set
}

/// Points for hosting a session: `verified` are the confirmed attendees with a verified phone
/// or e-mail, `awarded_today` the host's hosting awards so far today, and `recent_sets` the
/// attendee sets of the host's awards of the last [`SAME_ATTENDEES_WINDOW_DAYS`] days. The
/// award is refused when fewer than [`MIN_VERIFIED_ATTENDEES`] verified people besides the host
/// attended, when the daily cap is reached, or when every verified attendee was already in one
/// awarded set (the same people, or some of them, cannot pay the same host twice).
pub fn hosted_session_award(
    host: &str,
    verified: &[String],
    awarded_today: usize,
    recent_sets: &[Vec<String>],
) -> Result<i64, NoHostingAward> {
    let set = attendee_set(host, verified);
    if set.len() < MIN_VERIFIED_ATTENDEES {
        return Err(NoHostingAward::TooFewVerifiedAttendees);
    }
    if award(PointsReason::SessionHosted, awarded_today) == 0 {
        return Err(NoHostingAward::DailyCapReached);
    }
    if recent_sets.iter().any(|spent| set.iter().all(|a| spent.contains(a))) {
        return Err(NoHostingAward::SameAttendees);
    }
    Ok(PointsReason::SessionHosted.award())
}

/// How long after sharing a deletion takes the award back.
pub const WITHDRAWAL_WINDOW_HOURS: i64 = 24;

/// Whether deleting a resource shared at `shared_at` takes back its award.
#[must_use]
pub fn withdrawal_reverses_award(shared_at: DateTime<Utc>, deleted_at: DateTime<Utc>) -> bool {
    deleted_at - shared_at < Duration::hours(WITHDRAWAL_WINDOW_HOURS)
}

/// Why a redemption is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RedemptionRefused {
    /// The balance does not cover the cost.
    #[error("积分不足：需要 {cost}，当前 {balance}")]
    NotEnoughPoints {
        /// The reward's cost.
        cost: i64,
        /// The person's balance.
        balance: i64,
    },
    /// None left.
    #[error("该奖品已兑完")]
    OutOfStock,
}

/// Checks a redemption of a reward costing `cost` with `stock` left against `balance`.
pub fn check_redemption(balance: i64, cost: i64, stock: i64) -> Result<(), RedemptionRefused> {
    if stock <= 0 {
        return Err(RedemptionRefused::OutOfStock);
    }
    if balance < cost {
        return Err(RedemptionRefused::NotEnoughPoints { cost, balance });
    }
    Ok(())
}

/// A leaderboard period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// The Asia/Shanghai week (Monday to Sunday) containing now.
    Week,
    /// The Asia/Shanghai calendar month containing now.
    Month,
}

/// The instant the period containing `now` began (Asia/Shanghai midnight).
#[must_use]
pub fn period_start(period: Period, now: DateTime<Utc>) -> DateTime<Utc> {
    let today = shanghai::business_date(now);
    let first: NaiveDate = match period {
        Period::Week => today - Duration::days(i64::from(today.weekday().num_days_from_monday())),
        Period::Month => today.with_day(1).unwrap_or(today),
    };
    shanghai::start_of_day(first)
}

/// The start of the Asia/Shanghai day containing `now` (daily caps count from here).
#[must_use]
pub fn day_start(now: DateTime<Utc>) -> DateTime<Utc> {
    shanghai::start_of_day(shanghai::business_date(now))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn awards_follow_the_product_numbers() {
        assert_eq!(award(PointsReason::ResourceShared, 0), 10);
        assert_eq!(award(PointsReason::SessionHosted, 0), 30);
        assert_eq!(award(PointsReason::AnswerAccepted, 0), 5);
    }

    #[test]
    fn the_sixth_resource_of_a_day_and_the_eleventh_accepted_answer_earn_nothing() {
        assert_eq!(award(PointsReason::ResourceShared, 4), 10);
        assert_eq!(award(PointsReason::ResourceShared, 5), 0);
        assert_eq!(award(PointsReason::AnswerAccepted, 9), 5);
        assert_eq!(award(PointsReason::AnswerAccepted, 10), 0);
    }

    fn people(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|i| (*i).to_owned()).collect()
    }

    #[test]
    fn a_host_earns_one_session_award_a_day() {
        assert_eq!(award(PointsReason::SessionHosted, 0), 30);
        assert_eq!(award(PointsReason::SessionHosted, 1), 0);
        let verified = people(&["a", "b"]);
        assert_eq!(hosted_session_award("h", &verified, 0, &[]), Ok(30));
        assert_eq!(hosted_session_award("h", &verified, 1, &[]), Err(NoHostingAward::DailyCapReached));
    }

    #[test]
    fn a_session_needs_two_verified_attendees_besides_the_host() {
        assert_eq!(
            hosted_session_award("h", &people(&["a"]), 0, &[]),
            Err(NoHostingAward::TooFewVerifiedAttendees)
        );
        assert_eq!(
            hosted_session_award("h", &people(&["h", "a", "a"]), 0, &[]),
            Err(NoHostingAward::TooFewVerifiedAttendees),
            "the host and a repeated attendee do not count"
        );
        assert_eq!(hosted_session_award("h", &people(&["h", "a", "b"]), 0, &[]), Ok(30));
    }

    #[test]
    fn the_same_attendees_cannot_pay_the_same_host_twice() {
        let spent = vec![people(&["a", "b", "c"])];
        assert_eq!(
            hosted_session_award("h", &people(&["b", "a"]), 0, &spent),
            Err(NoHostingAward::SameAttendees)
        );
        assert_eq!(
            hosted_session_award("h", &people(&["c", "b", "a"]), 0, &spent),
            Err(NoHostingAward::SameAttendees)
        );
        assert_eq!(hosted_session_award("h", &people(&["a", "d"]), 0, &spent), Ok(30), "a new attendee");
    }

    #[test]
    fn attendee_sets_are_sorted_distinct_and_leave_out_the_host() {
        assert_eq!(attendee_set("h", &people(&["b", "h", "a", "b"])), people(&["a", "b"]));
    }

    #[test]
    fn accepting_ones_own_answer_earns_nothing() {
        assert_eq!(accepted_answer_award("u1", "u1", 0), 0);
        assert_eq!(accepted_answer_award("u1", "u2", 0), 5);
    }

    #[test]
    fn a_resource_deleted_within_a_day_gives_its_points_back() {
        let at = Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap();
        assert!(withdrawal_reverses_award(at, at + Duration::hours(23)));
        assert!(!withdrawal_reverses_award(at, at + Duration::hours(24)));
    }

    #[test]
    fn periods_begin_at_shanghai_midnight() {
        // 2026-11-30 is a Monday; 01:00 Shanghai is 17:00 UTC the day before.
        let now = Utc.with_ymd_and_hms(2026, 11, 29, 17, 0, 0).unwrap();
        assert_eq!(period_start(Period::Week, now), Utc.with_ymd_and_hms(2026, 11, 29, 16, 0, 0).unwrap());
        assert_eq!(period_start(Period::Month, now), Utc.with_ymd_and_hms(2026, 10, 31, 16, 0, 0).unwrap());
        assert_eq!(day_start(now), Utc.with_ymd_and_hms(2026, 11, 29, 16, 0, 0).unwrap());
    }

    proptest! {
        #[test]
        fn a_redemption_never_takes_the_balance_below_zero(balance in -100i64..10_000, cost in 1i64..5_000, stock in -2i64..5) {
            if check_redemption(balance, cost, stock).is_ok() {
                prop_assert!(balance - cost >= 0);
                prop_assert!(stock > 0);
            }
        }

        #[test]
        fn capped_awards_total_at_most_the_cap_per_day(n in 0usize..50) {
            let total: i64 = (0..n).map(|i| award(PointsReason::ResourceShared, i)).sum();
            prop_assert!(total <= 50);
            prop_assert_eq!(total, 10 * n.min(5) as i64);
        }
    }
}
