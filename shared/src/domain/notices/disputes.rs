//! The notifications of disputes: a case filed, a step taken or a deadline missed (to both
//! parties), a case waiting for a mediator past its 2 hours (to admins).

use super::{Lines, Message, Texts};
use crate::domain::comparison::yuan;
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
    /// An award was recorded and escrow could not cover it all (to both parties).
    AwardShortfall {
        /// The contract's title.
        title: String,
        /// What the party at fault owes, fen.
        shortfall_fen: i64,
        /// The last day to pay (Shanghai date).
        due_on: String,
    },
    /// The shortfall's deadline passed unpaid (to both parties and finance officers).
    AwardOverdue {
        /// The contract's title.
        title: String,
        /// Still owed, fen.
        outstanding_fen: i64,
    },
    /// A finance officer asked to compensate first (to finance officers).
    CompensationRequested {
        /// The contract's title.
        title: String,
        /// The amount asked for, fen.
        amount_fen: i64,
    },
    /// Money was paid on the award: by the party at fault or by the platform (to both parties).
    AwardPaid {
        /// The contract's title.
        title: String,
        /// This payment, fen.
        amount_fen: i64,
        /// Still owed, fen.
        outstanding_fen: i64,
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
            Self::AwardShortfall { title, shortfall_fen, due_on } => Texts {
                zh: Lines::new(
                    format!("合同「{title}」的裁决款尚有 {} 未付", yuan(*shortfall_fen)),
                    format!(
                        "监管资金不足以支付裁决金额，责任方须于 {due_on} 前付清差额；逾期由平台先行赔付并追偿。"
                    ),
                ),
                en: Lines::new(
                    format!("{} of the award on “{title}” is unpaid", yuan(*shortfall_fen)),
                    format!(
                        "Escrow did not cover the award: the party at fault pays the rest by {due_on}; after that the platform compensates first and recovers it."
                    ),
                ),
            },
            Self::AwardOverdue { title, outstanding_fen } => Texts {
                zh: Lines::new(
                    format!("合同「{title}」的裁决款逾期未付"),
                    format!(
                        "尚欠 {}，平台可先行赔付（保证金、风险准备金，双人复核）。",
                        yuan(*outstanding_fen)
                    ),
                ),
                en: Lines::new(
                    format!("The award on “{title}” is overdue"),
                    format!(
                        "{} is still owed; the platform may compensate first (bond, then the risk reserve, two finance officers).",
                        yuan(*outstanding_fen)
                    ),
                ),
            },
            Self::CompensationRequested { title, amount_fen } => Texts {
                zh: Lines::new(
                    format!("合同「{title}」的先行赔付待复核"),
                    format!("申请赔付 {}，须另一名财务人员复核。", yuan(*amount_fen)),
                ),
                en: Lines::new(
                    format!("First compensation on “{title}” awaits approval"),
                    format!("{} was requested; a second finance officer decides.", yuan(*amount_fen)),
                ),
            },
            Self::AwardPaid { title, amount_fen, outstanding_fen } => Texts {
                zh: Lines::new(
                    format!("合同「{title}」的裁决款到账 {}", yuan(*amount_fen)),
                    format!("尚欠 {}。", yuan(*outstanding_fen)),
                ),
                en: Lines::new(
                    format!("{} paid on the award on “{title}”", yuan(*amount_fen)),
                    format!("{} is still owed.", yuan(*outstanding_fen)),
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
