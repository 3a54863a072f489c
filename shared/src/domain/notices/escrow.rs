//! The notifications of escrow: money arrived for a milestone or the bond, money released to
//! the payee, money returned to the payer, a withdrawal sent or refused.

use super::{Lines, Message, Texts};
use crate::domain::comparison::yuan;
use crate::dto::NotificationKind;

/// What the money was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A milestone (0 = the advance).
    Milestone(u32),
    /// The performance bond.
    Bond,
}

impl Purpose {
    fn zh(self) -> String {
        match self {
            Self::Milestone(0) => "预付款".to_owned(),
            Self::Milestone(n) => format!("第 {n} 期款"),
            Self::Bond => "履约保证金".to_owned(),
        }
    }

    fn en(self) -> String {
        match self {
            Self::Milestone(0) => "the advance".to_owned(),
            Self::Milestone(n) => format!("milestone {n}"),
            Self::Bond => "the performance bond".to_owned(),
        }
    }
}

/// Something escrow tells a contract's parties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EscrowNotice {
    /// Money arrived in escrow (to both parties).
    Funded {
        /// The contract's title.
        title: String,
        /// For what.
        purpose: Purpose,
        /// How much, fen.
        amount_fen: i64,
    },
    /// Escrow released to the payee (to both parties).
    Released {
        /// The contract's title.
        title: String,
        /// The milestone.
        milestone: u32,
        /// Paid into the payee's wallet, fen.
        paid_fen: i64,
        /// Withheld as retention, fen.
        retained_fen: i64,
    },
    /// The performer asks for acceptance (to the payer and the supervisor).
    AcceptanceRequested {
        /// The contract's title.
        title: String,
        /// The milestone.
        milestone: u32,
    },
    /// The milestone was accepted or rejected (to both parties).
    AcceptanceDecided {
        /// The contract's title.
        title: String,
        /// The milestone.
        milestone: u32,
        /// Accepted (else rejected).
        accepted: bool,
        /// Why, when rejected.
        reason: Option<String>,
    },
    /// Unreleased money went back when the contract ended (to both parties).
    Returned {
        /// The contract's title.
        title: String,
        /// To the payer (escrow), fen.
        refunded_fen: i64,
        /// To the performer (its bond), fen.
        bond_fen: i64,
    },
    /// Finance sent a withdrawal, or refused it and the money went back (to the organisation).
    PayoutDecided {
        /// How much, fen.
        amount_fen: i64,
        /// The masked account.
        account: String,
        /// Sent (else refused), with the refusal's reason.
        refused: Option<String>,
    },
}

impl Message for EscrowNotice {
    fn kind(&self) -> NotificationKind {
        match self {
            Self::Funded { .. } => NotificationKind::EscrowFunded,
            Self::Released { .. } | Self::Returned { .. } | Self::PayoutDecided { .. } => {
                NotificationKind::EscrowReleased
            }
            Self::AcceptanceRequested { .. } | Self::AcceptanceDecided { .. } => {
                NotificationKind::AcceptanceUpdate
            }
        }
    }

    fn texts(&self) -> Texts {
        match self {
            Self::Funded { title, purpose, amount_fen } => Texts {
                zh: Lines::new(
                    format!("合同「{title}」{}已到账 {}", purpose.zh(), yuan(*amount_fen)),
                    "资金由平台监管，验收通过后释放给收款方",
                ),
                en: Lines::new(
                    format!("{} for “{title}” arrived: {}", capital(&purpose.en()), yuan(*amount_fen)),
                    "The platform holds it in escrow until the acceptance releases it",
                ),
            },
            Self::Released { title, milestone, paid_fen, retained_fen } => {
                let purpose = Purpose::Milestone(*milestone);
                Texts {
                    zh: Lines::new(
                        format!("合同「{title}」{}已释放 {}", purpose.zh(), yuan(*paid_fen)),
                        format!("已转入收款方钱包；质保金预留 {}", yuan(*retained_fen)),
                    ),
                    en: Lines::new(
                        format!("{} of “{title}” was released: {}", capital(&purpose.en()), yuan(*paid_fen)),
                        format!(
                            "Paid into the payee's wallet; {} withheld as retention",
                            yuan(*retained_fen)
                        ),
                    ),
                }
            }
            Self::AcceptanceRequested { title, milestone } => Texts {
                zh: Lines::new(
                    format!("合同「{title}」第 {milestone} 期申请验收"),
                    "请核对工程量并在线确认或驳回；确认后监管资金按结算单释放",
                ),
                en: Lines::new(
                    format!("Acceptance of milestone {milestone} of “{title}” is requested"),
                    "Check the quantities and confirm or reject online; confirmation releases the escrow",
                ),
            },
            Self::AcceptanceDecided { title, milestone, accepted, reason } => {
                let why = reason.clone().unwrap_or_default();
                if *accepted {
                    Texts {
                        zh: Lines::new(format!("合同「{title}」第 {milestone} 期验收通过"), "结算单已生成"),
                        en: Lines::new(
                            format!("Milestone {milestone} of “{title}” was accepted"),
                            "The settlement statement is ready",
                        ),
                    }
                } else {
                    Texts {
                        zh: Lines::new(
                            format!("合同「{title}」第 {milestone} 期验收被驳回"),
                            format!("原因：{why}"),
                        ),
                        en: Lines::new(
                            format!("Milestone {milestone} of “{title}” was rejected"),
                            format!("Reason: {why}"),
                        ),
                    }
                }
            }
            Self::Returned { title, refunded_fen, bond_fen } => Texts {
                zh: Lines::new(
                    format!("合同「{title}」已结束，未释放资金已退回"),
                    format!("退回付款方 {}，退回履约保证金 {}", yuan(*refunded_fen), yuan(*bond_fen)),
                ),
                en: Lines::new(
                    format!("The contract “{title}” ended and unreleased money went back"),
                    format!(
                        "{} to the payer, {} bond to the performer",
                        yuan(*refunded_fen),
                        yuan(*bond_fen)
                    ),
                ),
            },
            Self::PayoutDecided { amount_fen, account, refused: None } => Texts {
                zh: Lines::new(format!("提现 {} 已汇出", yuan(*amount_fen)), format!("收款账户 {account}")),
                en: Lines::new(
                    format!("Your withdrawal of {} was sent", yuan(*amount_fen)),
                    format!("To account {account}"),
                ),
            },
            Self::PayoutDecided { amount_fen, refused: Some(reason), .. } => Texts {
                zh: Lines::new(
                    format!("提现 {} 未通过审核，资金已退回钱包", yuan(*amount_fen)),
                    format!("原因：{reason}"),
                ),
                en: Lines::new(
                    format!(
                        "Your withdrawal of {} was refused; the money is back in your wallet",
                        yuan(*amount_fen)
                    ),
                    format!("Reason: {reason}"),
                ),
            },
        }
    }
}

fn capital(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
