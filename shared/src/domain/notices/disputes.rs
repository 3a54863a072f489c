//! The notifications of disputes: a case filed, a step taken or a deadline missed (to both
//! parties), a case waiting for a mediator past its 2 hours (to admins).

use super::{Lines, Message, Texts};
use crate::domain::dispute::DisputeState;
use crate::dto::NotificationKind;

/// A state's name in Chinese and English.
#[must_use]
pub fn state_names(state: DisputeState) -> (&'static str, &'static str) {
    match state {
        DisputeState::AwaitingAssignment => ("待分配调解员", "awaiting a mediator"),
        DisputeState::AwaitingResponse => ("待被申请人答辩", "awaiting the respondent's answer"),
        DisputeState::AwaitingMediation => ("待开始调解", "awaiting mediation"),
        DisputeState::InMediation => ("调解中", "in mediation"),
        DisputeState::InArbitration => ("仲裁中", "in arbitration"),
        DisputeState::Resolved => ("已达成调解协议", "resolved by agreement"),
        DisputeState::Decided => ("已裁决", "decided"),
        DisputeState::Closed => ("已结案", "closed"),
        DisputeState::Withdrawn => ("已撤回", "withdrawn"),
    }
}

/// Something a dispute tells its parties or staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DisputeNotice {
    /// A dispute was filed on the contract (to both parties).
    Filed {
        /// The contract's title.
        title: String,
    },
    /// The case moved to `state` (to both parties).
    Moved {
        /// The contract's title.
        title: String,
        /// The state now.
        state: DisputeState,
    },
    /// Both parties signed the agreement and its escrow movements were made (to both parties).
    Executed {
        /// The contract's title.
        title: String,
    },
    /// No mediator was assigned within 2 hours (to admins).
    Escalated {
        /// The contract's title.
        title: String,
    },
}

impl Message for DisputeNotice {
    fn kind(&self) -> NotificationKind {
        NotificationKind::DisputeUpdate
    }

    fn texts(&self) -> Texts {
        match self {
            Self::Filed { title } => Texts {
                zh: Lines::new(
                    format!("合同「{title}」发起纠纷"),
                    "平台将在 2 小时内指派调解员；合同资金监管账户冻结至纠纷了结。",
                ),
                en: Lines::new(
                    format!("A dispute was filed on “{title}”"),
                    "A mediator is assigned within 2 hours; the contract's escrow is frozen until the dispute ends.",
                ),
            },
            Self::Moved { title, state } => {
                let (zh, en) = state_names(*state);
                Texts {
                    zh: Lines::new(format!("合同「{title}」的纠纷：{zh}"), format!("纠纷进展：{zh}")),
                    en: Lines::new(
                        format!("Dispute on “{title}”: {en}"),
                        format!("The dispute is now {en}."),
                    ),
                }
            }
            Self::Executed { title } => Texts {
                zh: Lines::new(
                    format!("合同「{title}」的调解协议已执行"),
                    "双方均已签署，协议约定的监管资金划转已完成。",
                ),
                en: Lines::new(
                    format!("The agreement on “{title}” was executed"),
                    "Both parties signed; the escrow movements it sets were made.",
                ),
            },
            Self::Escalated { title } => Texts {
                zh: Lines::new(
                    format!("合同「{title}」的纠纷超时未分配调解员"),
                    "已超过 2 小时，计入服务时限违约，请尽快分配。",
                ),
                en: Lines::new(
                    format!("No mediator for the dispute on “{title}”"),
                    "Over 2 hours without a mediator (an SLA breach): assign one now.",
                ),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_names_the_state_in_both_languages() {
        let notice =
            DisputeNotice::Moved { title: "钢结构分包".into(), state: DisputeState::InMediation };
        assert_eq!(notice.texts().zh.title, "合同「钢结构分包」的纠纷：调解中");
        assert_eq!(notice.texts().en.body, "The dispute is now in mediation.");
        assert_eq!(notice.kind(), NotificationKind::DisputeUpdate);
    }
}
