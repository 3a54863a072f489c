//! The notifications of membership: a tier gained or lost, with the reason, and a platform
//! advisor assigned to a VIP organisation.

use super::{Lines, Message, Texts};
use crate::domain::comparison::yuan;
use crate::domain::membership::{MembershipTier, TierChange, TierReason};
use crate::dto::NotificationKind;

/// Something membership tells an organisation's members.
#[derive(Debug, Clone, PartialEq)]
pub enum MembershipNotice {
    /// The tier changed.
    Changed {
        /// Up or down.
        change: TierChange,
        /// The tier now.
        tier: MembershipTier,
        /// Why.
        reasons: Vec<TierReason>,
    },
    /// A platform advisor was assigned.
    AdvisorAssigned {
        /// The advisor's name.
        name: String,
    },
}

/// A tier's name in Chinese and English.
#[must_use]
pub fn tier_names(tier: MembershipTier) -> (&'static str, &'static str) {
    match tier {
        MembershipTier::New => ("新用户", "New"),
        MembershipTier::Regular => ("普通用户", "Regular"),
        MembershipTier::Certified => ("认证用户", "Certified"),
        MembershipTier::Vip => ("VIP用户", "VIP"),
    }
}

/// One reason in Chinese and English.
#[must_use]
pub fn reason_texts(reason: &TierReason) -> (String, String) {
    match *reason {
        TierReason::CompletedTransactions { completed, required } => (
            format!("已完成 {completed} 笔交易（需 {required} 笔）"),
            format!("{completed} completed transactions ({required} needed)"),
        ),
        TierReason::VolumeExceeded { volume_fen, threshold_fen } => (
            format!("近 12 个月结算额 {}，超过 {}", yuan(volume_fen), yuan(threshold_fen)),
            format!(
                "settled volume of the last 12 months {} exceeds {}",
                yuan(volume_fen),
                yuan(threshold_fen)
            ),
        ),
        TierReason::CreditScoreReached { score, threshold } => (
            format!("信用分 {score:.1} 达到 {threshold:.0}"),
            format!("credit score {score:.1} reached {threshold:.0}"),
        ),
        TierReason::TwoQuartersWithoutTransaction => (
            "连续两个季度没有交易；下一笔交易完成后恢复评定".to_owned(),
            "two consecutive quarters without a transaction; re-assessed at your next transaction".to_owned(),
        ),
        TierReason::ConditionNoLongerHeld { tier } => {
            let (zh, en) = tier_names(tier);
            (format!("不再满足{zh}的条件"), format!("the conditions of {en} no longer hold"))
        }
        TierReason::ConditionsUnchanged => ("条件未变".to_owned(), "conditions unchanged".to_owned()),
    }
}

impl Message for MembershipNotice {
    fn kind(&self) -> NotificationKind {
        NotificationKind::MembershipChanged
    }

    fn texts(&self) -> Texts {
        match self {
            Self::Changed { change, tier, reasons } => {
                let (zh, en) = tier_names(*tier);
                let (zh_reasons, en_reasons): (Vec<String>, Vec<String>) =
                    reasons.iter().map(reason_texts).unzip();
                let (zh_title, en_title) = match change {
                    TierChange::Demoted => {
                        (format!("会员等级调整为{zh}"), format!("Membership tier lowered to {en}"))
                    }
                    _ => (format!("会员等级升为{zh}"), format!("Membership tier raised to {en}")),
                };
                Texts {
                    zh: Lines::new(zh_title, zh_reasons.join("；")),
                    en: Lines::new(en_title, en_reasons.join("; ")),
                }
            }
            Self::AdvisorAssigned { name } => Texts {
                zh: Lines::new("平台顾问已指派", format!("您的专属平台顾问：{name}")),
                en: Lines::new("Platform advisor assigned", format!("Your platform advisor: {name}")),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_promotion_says_each_reason_in_both_languages() {
        let notice = MembershipNotice::Changed {
            change: TierChange::Promoted,
            tier: MembershipTier::Certified,
            reasons: vec![
                TierReason::CompletedTransactions { completed: 3, required: 3 },
                TierReason::VolumeExceeded { volume_fen: 600_000_000, threshold_fen: 500_000_000 },
            ],
        };
        let texts = notice.texts();
        assert_eq!(texts.zh.title, "会员等级升为认证用户");
        assert_eq!(
            texts.zh.body,
            "已完成 3 笔交易（需 3 笔）；近 12 个月结算额 ¥6000000.00，超过 ¥5000000.00"
        );
        assert_eq!(texts.en.title, "Membership tier raised to Certified");
        assert_eq!(notice.kind(), NotificationKind::MembershipChanged);
    }

    #[test]
    fn an_inactivity_demotion_says_how_to_recover() {
        let notice = MembershipNotice::Changed {
            change: TierChange::Demoted,
            tier: MembershipTier::Regular,
            reasons: vec![TierReason::TwoQuartersWithoutTransaction],
        };
        assert!(notice.texts().zh.body.contains("下一笔交易"));
        assert_eq!(notice.texts().en.title, "Membership tier lowered to Regular");
    }
}
