//! The notifications of contracts: drafted, changed, signed by the other party, in force,
//! amended too often, abandoned.

use super::{Lines, Message, Texts};
use crate::dto::NotificationKind;

/// Something a contract tells its parties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContractNotice {
    /// The contract of an award was drafted from its template (to both parties).
    Drafted {
        /// The demand's title.
        title: String,
    },
    /// A party saved a new version (to the other party); earlier signatures were voided.
    Changed {
        /// The contract's title.
        title: String,
        /// The new version.
        version: u32,
        /// Whether signatures were voided.
        voided: bool,
    },
    /// One party signed (to the other party).
    Signed {
        /// The contract's title.
        title: String,
        /// Who signed.
        org_name: String,
    },
    /// The contract (or an amendment) is in force (to both parties).
    InForce {
        /// The contract's title.
        title: String,
        /// The version in force.
        version: u32,
    },
    /// Every party signed, and a high-risk contract waits for its performance bond.
    AwaitingBond {
        /// The contract's title.
        title: String,
    },
    /// Three or more amendments in force within 30 days (to both parties).
    AmendmentWarning {
        /// The contract's title.
        title: String,
    },
    /// One party signed the termination (to both parties).
    TerminationSigned {
        /// The contract's title.
        title: String,
        /// Who signed.
        org_name: String,
    },
    /// Every party signed the termination: the contract ended (to both parties).
    Terminated {
        /// The contract's title.
        title: String,
    },
}

impl Message for ContractNotice {
    fn kind(&self) -> NotificationKind {
        match self {
            Self::Drafted { .. } => NotificationKind::ContractDrafted,
            Self::Changed { .. } => NotificationKind::ContractChanged,
            Self::Signed { .. } => NotificationKind::ContractSigned,
            Self::InForce { .. } | Self::AwaitingBond { .. } => NotificationKind::ContractInForce,
            Self::AmendmentWarning { .. } => NotificationKind::AmendmentWarning,
            Self::TerminationSigned { .. } | Self::Terminated { .. } => NotificationKind::ContractEnded,
        }
    }

    fn texts(&self) -> Texts {
        match self {
            Self::Drafted { title } => Texts {
                zh: Lines::new(format!("「{title}」的合同草稿已生成"), "请双方核对条款，修改后发起签署"),
                en: Lines::new(
                    format!("The contract for “{title}” was drafted"),
                    "Both parties review the terms, edit them and send the contract for signing",
                ),
            },
            Self::Changed { title, version, voided } => Texts {
                zh: Lines::new(
                    format!("合同「{title}」已修改为第 {version} 版"),
                    if *voided {
                        "此前的签署已失效，请核对新版本后重新签署"
                    } else {
                        "请核对修改内容"
                    },
                ),
                en: Lines::new(
                    format!("The contract “{title}” changed to version {version}"),
                    if *voided {
                        "Earlier signatures no longer count; review the new version and sign again"
                    } else {
                        "Review what changed"
                    },
                ),
            },
            Self::Signed { title, org_name } => Texts {
                zh: Lines::new(format!("{org_name}已签署合同「{title}」"), "请尽快完成签署"),
                en: Lines::new(
                    format!("{org_name} signed the contract “{title}”"),
                    "Your signature is awaited",
                ),
            },
            Self::InForce { title, version } => Texts {
                zh: Lines::new(format!("合同「{title}」第 {version} 版已生效"), "完成证书可在合同页下载"),
                en: Lines::new(
                    format!("Version {version} of the contract “{title}” is in force"),
                    "The certificate of completion is on the contract page",
                ),
            },
            Self::AwaitingBond { title } => Texts {
                zh: Lines::new(
                    format!("合同「{title}」已全部签署，待履约保证金到位后生效"),
                    "预付款超过30%，须先缴纳5%–10%的履约保证金",
                ),
                en: Lines::new(
                    format!("The contract “{title}” is signed and waits for its performance bond"),
                    "The advance is above 30 %: a bond of 5–10 % must be in place before it takes effect",
                ),
            },
            Self::TerminationSigned { title, org_name } => Texts {
                zh: Lines::new(format!("{org_name}已签署终止合同「{title}」"), "双方均签署后合同终止"),
                en: Lines::new(
                    format!("{org_name} signed the termination of “{title}”"),
                    "The contract ends when both parties have signed",
                ),
            },
            Self::Terminated { title } => Texts {
                zh: Lines::new(format!("合同「{title}」已经双方签署终止"), "未释放的托管资金将退回付款方"),
                en: Lines::new(
                    format!("The contract “{title}” was terminated by both parties"),
                    "Unreleased escrow returns to the payer",
                ),
            },
            Self::AmendmentWarning { title } => Texts {
                zh: Lines::new(
                    format!("合同「{title}」30 天内已变更 3 次以上"),
                    "频繁变更是风险信号，请双方核实",
                ),
                en: Lines::new(
                    format!("The contract “{title}” was amended 3 or more times in 30 days"),
                    "Frequent amendments are a risk signal; both parties should check them",
                ),
            },
        }
    }
}
