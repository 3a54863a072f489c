//! The notifications of progress logs: a log posted (to the payer and the supervisor), a log
//! reviewed (to the performer), and the risk warnings (to both parties).

use super::{Lines, Message, Texts, excerpt};
use crate::domain::contract::progress::{ProgressDecision, Warning};
use crate::dto::NotificationKind;

/// Something progress tracking tells a contract's parties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProgressNotice {
    /// The performer posted a log.
    Posted {
        /// The contract's title.
        title: String,
        /// Percent complete reported.
        percent: u8,
    },
    /// The payer reviewed a log.
    Reviewed {
        /// The contract's title.
        title: String,
        /// Approved or changes requested.
        decision: ProgressDecision,
        /// The comment.
        comment: Option<String>,
    },
    /// A risk warning holds.
    Warning {
        /// The contract's title.
        title: String,
        /// Which.
        warning: Warning,
    },
}

impl Message for ProgressNotice {
    fn kind(&self) -> NotificationKind {
        match self {
            Self::Posted { .. } | Self::Reviewed { .. } => NotificationKind::ProgressUpdate,
            Self::Warning { .. } => NotificationKind::ProgressWarning,
        }
    }

    fn texts(&self) -> Texts {
        match self {
            Self::Posted { title, percent } => Texts {
                zh: Lines::new(
                    format!("合同「{title}」有新的进度日志（完成 {percent}%）"),
                    "请审核：通过或要求修改",
                ),
                en: Lines::new(
                    format!("A new progress log on “{title}” ({percent}% complete)"),
                    "Review it: approve or request changes",
                ),
            },
            Self::Reviewed { title, decision, comment } => {
                let why = excerpt(comment.as_deref().unwrap_or_default(), 200);
                match decision {
                    ProgressDecision::Approve => Texts {
                        zh: Lines::new(format!("合同「{title}」的进度日志已通过"), why.clone()),
                        en: Lines::new(format!("The progress log on “{title}” was approved"), why),
                    },
                    ProgressDecision::RequestChanges => Texts {
                        zh: Lines::new(format!("合同「{title}」的进度日志需要修改"), format!("意见：{why}")),
                        en: Lines::new(
                            format!("Changes were requested to the progress log on “{title}”"),
                            format!("Comment: {why}"),
                        ),
                    },
                }
            }
            Self::Warning { title, warning } => warning_texts(title, warning),
        }
    }
}

fn warning_texts(title: &str, warning: &Warning) -> Texts {
    match warning {
        Warning::NoLog { since, days } => Texts {
            zh: Lines::new(
                format!("合同「{title}」已 {days} 天没有进度日志"),
                format!("最近一次：{since}；请施工方及时填报进度"),
            ),
            en: Lines::new(
                format!("No progress log on “{title}” for {days} days"),
                format!("The last one is from {since}; the performer should log progress"),
            ),
        },
        Warning::Slip { days, percent, expected_percent } => Texts {
            zh: Lines::new(
                format!("合同「{title}」进度滞后 {days} 天"),
                format!("已完成 {percent}%，计划应完成 {expected_percent}%"),
            ),
            en: Lines::new(
                format!("“{title}” is {days} days behind schedule"),
                format!("{percent}% complete; the plan expects {expected_percent}% by today"),
            ),
        },
        Warning::MilestoneBehind { milestone, due, days, percent, expected_percent } => Texts {
            zh: Lines::new(
                format!("合同「{title}」第 {milestone} 期将于 {days} 天后（{due}）到期，进度落后"),
                format!("已完成 {percent}%，该期计划完成 {expected_percent}%"),
            ),
            en: Lines::new(
                format!("Milestone {milestone} of “{title}” is due in {days} days ({due}) and behind"),
                format!("{percent}% complete; the milestone plans {expected_percent}%"),
            ),
        },
    }
}
