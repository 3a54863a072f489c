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
    /// Accepted milestones unpaid for more than 15 days froze the payer's escrow (to both
    /// parties).
    Frozen {
        /// The contract's title.
        title: String,
        /// The overdue milestones.
        milestones: Vec<u32>,
        /// What the payer owes on accepted milestones, fen.
        owed_fen: i64,
    },
    /// The payer paid what it owed: the escrow is unfrozen (to both parties).
    Unfrozen {
        /// The contract's title.
        title: String,
    },
    /// Every payment milestone is accepted: the bond went back and the warranty runs (to both).
    WarrantyStarted {
        /// The contract's title.
        title: String,
        /// The bond returned, fen.
        bond_fen: i64,
        /// The warranty's last day.
        ends_on: chrono::NaiveDate,
    },
    /// The warranty ended: the retention went to the performer (to both parties).
    RetentionReleased {
        /// The contract's title.
        title: String,
        /// Released, fen.
        amount_fen: i64,
    },
    /// The payer raised a defect claim, which holds the retention (to both parties).
    DefectClaimed {
        /// The contract's title.
        title: String,
    },
    /// Every milestone accepted and paid: the contract is completed; rate each other (to both).
    Completed {
        /// The contract's title.
        title: String,
    },
    /// The other party rated the cooperation (to the rated party).
    Rated {
        /// The contract's title.
        title: String,
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
            Self::Released { .. }
            | Self::Returned { .. }
            | Self::PayoutDecided { .. }
            | Self::WarrantyStarted { .. }
            | Self::RetentionReleased { .. } => NotificationKind::EscrowReleased,
            Self::Frozen { .. } | Self::Unfrozen { .. } | Self::DefectClaimed { .. } => {
                NotificationKind::RiskAlert
            }
            Self::Completed { .. } | Self::Rated { .. } => NotificationKind::RatingUpdate,
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
            Self::Frozen { title, milestones, owed_fen } => {
                let list = milestones.iter().map(u32::to_string).collect::<Vec<_>>().join("、");
                Texts {
                    zh: Lines::new(
                        format!("合同「{title}」第 {list} 期验收后逾期未付超过 15 天，监管资金已冻结"),
                        format!("付款方尚欠 {}；付清前不退款、不放款，付款方不能签订新合同", yuan(*owed_fen)),
                    ),
                    en: Lines::new(
                        format!(
                            "“{title}”: milestone {list} unpaid for over 15 days after acceptance; escrow frozen"
                        ),
                        format!(
                            "The payer owes {}; until paid nothing is refunded or released and the payer signs no new contract",
                            yuan(*owed_fen)
                        ),
                    ),
                }
            }
            Self::Unfrozen { title } => Texts {
                zh: Lines::new(format!("合同「{title}」欠款已付清，监管资金已解冻"), "风险案件已关闭"),
                en: Lines::new(
                    format!("“{title}”: what was owed is paid; escrow unfrozen"),
                    "The risk case is closed",
                ),
            },
            Self::WarrantyStarted { title, bond_fen, ends_on } => Texts {
                zh: Lines::new(
                    format!("合同「{title}」全部验收完成，质保期至 {ends_on}"),
                    format!("履约保证金 {} 已退回承包方", yuan(*bond_fen)),
                ),
                en: Lines::new(
                    format!("Every milestone of “{title}” is accepted; the warranty runs to {ends_on}"),
                    format!("The performance bond of {} went back to the performer", yuan(*bond_fen)),
                ),
            },
            Self::RetentionReleased { title, amount_fen } => Texts {
                zh: Lines::new(
                    format!("合同「{title}」质保期满，质保金 {} 已释放", yuan(*amount_fen)),
                    "已转入承包方钱包",
                ),
                en: Lines::new(
                    format!("The warranty of “{title}” ended; retention of {} released", yuan(*amount_fen)),
                    "Paid into the performer's wallet",
                ),
            },
            Self::DefectClaimed { title } => Texts {
                zh: Lines::new(
                    format!("合同「{title}」发包方提出质保缺陷索赔"),
                    "质保金在索赔关闭前暂不释放",
                ),
                en: Lines::new(
                    format!("The payer raised a defect claim on “{title}”"),
                    "The retention is held until the claim is closed",
                ),
            },
            Self::Completed { title } => Texts {
                zh: Lines::new(format!("合同「{title}」已履约完成"), "请为本次合作评价对方"),
                en: Lines::new(format!("“{title}” is completed"), "Rate the other party on this cooperation"),
            },
            Self::Rated { title } => Texts {
                zh: Lines::new(format!("合同「{title}」对方已评价"), "双方都评价或完成 14 天后公开"),
                en: Lines::new(
                    format!("The other party rated “{title}”"),
                    "Ratings are shown when both rated, or 14 days after completion",
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
