//! The notifications of the market: demands, invitations, projects, organisations.

use super::{Lines, Message, Texts, excerpt};
use crate::dto::NotificationKind;

/// How much of a question or answer a notification quotes.
const QUOTED: usize = 120;

/// Something the market tells its users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarketNotice {
    /// An organisation is invited to respond to a demand (to its members).
    DemandInvitation {
        /// The demand's title.
        title: String,
        /// Why it was recommended, in Chinese.
        reason: String,
        /// Why it was recommended, in English.
        reason_en: String,
    },
    /// An invited organisation answered (to the poster's members).
    InvitationAnswered {
        /// The invited organisation's name.
        org_name: String,
        /// The demand's title.
        title: String,
        /// Interested (`true`) or declined.
        interested: bool,
        /// The note it left, if any.
        note: Option<String>,
    },
    /// The platform review decided a demand (to the poster's members).
    DemandReviewed {
        /// The demand's title.
        title: String,
        /// Published (`true`) or rejected.
        approved: bool,
        /// The reviewer's reason, if any.
        reason: Option<String>,
    },
    /// A clarification question was asked on a project (to its organisation's members).
    ProjectQuestion {
        /// The project's name.
        project: String,
        /// The question.
        question: String,
    },
    /// A clarification question was answered (to the asker).
    QuestionAnswered {
        /// The project's name.
        project: String,
        /// The answer.
        answer: String,
    },
    /// A person who signed up through a group invitation is invited to the group.
    GroupInvitation {
        /// The group's name.
        group: String,
    },
}

impl Message for MarketNotice {
    fn kind(&self) -> NotificationKind {
        match self {
            Self::DemandInvitation { .. } => NotificationKind::DemandInvitation,
            Self::InvitationAnswered { .. } => NotificationKind::InvitationResponse,
            Self::DemandReviewed { .. } => NotificationKind::DemandReview,
            Self::ProjectQuestion { .. } => NotificationKind::ProjectQuestion,
            Self::QuestionAnswered { .. } => NotificationKind::QuestionAnswered,
            Self::GroupInvitation { .. } => NotificationKind::GroupInvitation,
        }
    }

    fn texts(&self) -> Texts {
        match self {
            Self::DemandInvitation { title, reason, reason_en } => Texts {
                zh: Lines::new(format!("你的企业受邀响应需求「{title}」"), format!("推荐理由：{reason}")),
                en: Lines::new(
                    format!("Your organisation is invited to respond to the demand “{title}”"),
                    format!("Why you were recommended: {reason_en}"),
                ),
            },
            Self::InvitationAnswered { org_name, title, interested, note } => {
                let note = note.clone().unwrap_or_default();
                let (verb, verb_en) = if *interested {
                    ("有意向参与", "is interested in")
                } else {
                    ("婉拒了", "declined")
                };
                Texts {
                    zh: Lines::new(format!("{org_name}{verb}需求「{title}」"), note.clone()),
                    en: Lines::new(format!("{org_name} {verb_en} the demand “{title}”"), note),
                }
            }
            Self::DemandReviewed { title, approved, reason } => {
                let (zh, en) = if *approved {
                    (
                        Lines::new(
                            format!("需求「{title}」已通过审核并发布"),
                            reason.clone().unwrap_or_else(|| "已为你推荐并邀请匹配的企业。".into()),
                        ),
                        Lines::new(
                            format!("Your demand “{title}” was approved and published"),
                            reason.clone().unwrap_or_else(|| {
                                "Matching organisations have been recommended and invited.".into()
                            }),
                        ),
                    )
                } else {
                    let reason = reason.clone().unwrap_or_default();
                    (
                        Lines::new(format!("需求「{title}」未通过审核"), reason.clone()),
                        Lines::new(format!("Your demand “{title}” was not approved"), reason),
                    )
                };
                Texts { zh, en }
            }
            Self::ProjectQuestion { project, question } => Texts {
                zh: Lines::new(format!("项目「{project}」收到新的答疑提问"), excerpt(question, QUOTED)),
                en: Lines::new(
                    format!("New clarification question on the project “{project}”"),
                    excerpt(question, QUOTED),
                ),
            },
            Self::QuestionAnswered { project, answer } => Texts {
                zh: Lines::new(format!("你在项目「{project}」的提问已有答复"), excerpt(answer, QUOTED)),
                en: Lines::new(
                    format!("Your question on the project “{project}” has been answered"),
                    excerpt(answer, QUOTED),
                ),
            },
            Self::GroupInvitation { group } => Texts {
                zh: Lines::new(format!("你受邀加入「{group}」"), ""),
                en: Lines::new(format!("You are invited to join “{group}”"), ""),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_names_the_organisation_and_the_demand_in_both_languages() {
        let notice = MarketNotice::InvitationAnswered {
            org_name: "甲公司".into(),
            title: "钢筋采购".into(),
            interested: true,
            note: Some("可以".into()),
        };
        let texts = notice.texts();
        assert_eq!(texts.zh, Lines::new("甲公司有意向参与需求「钢筋采购」", "可以"));
        assert_eq!(texts.en.title, "甲公司 is interested in the demand “钢筋采购”");
        assert_eq!(notice.kind(), NotificationKind::InvitationResponse);
    }

    #[test]
    fn an_approval_without_reason_says_invitations_went_out() {
        let texts = MarketNotice::DemandReviewed { title: "T".into(), approved: true, reason: None }.texts();
        assert_eq!(texts.zh, Lines::new("需求「T」已通过审核并发布", "已为你推荐并邀请匹配的企业。"));
        assert!(texts.en.body.contains("invited"));
        let rejected = MarketNotice::DemandReviewed {
            title: "T".into(),
            approved: false,
            reason: Some("缺图纸".into()),
        }
        .texts();
        assert_eq!(rejected.zh, Lines::new("需求「T」未通过审核", "缺图纸"));
    }

    #[test]
    fn a_question_notice_quotes_at_most_120_characters() {
        let texts = MarketNotice::ProjectQuestion { project: "P".into(), question: "问".repeat(200) }.texts();
        assert_eq!(texts.zh.title, "项目「P」收到新的答疑提问");
        assert_eq!(texts.zh.body.chars().count(), 120);
        assert_eq!(texts.en.body, texts.zh.body);
    }

    #[test]
    fn every_notice_has_english() {
        let notices = [
            MarketNotice::DemandInvitation {
                title: "T".into(),
                reason: "近".into(),
                reason_en: "near".into(),
            },
            MarketNotice::QuestionAnswered { project: "P".into(), answer: "A".into() },
            MarketNotice::GroupInvitation { group: "G".into() },
        ];
        for notice in notices {
            assert!(!notice.texts().en.title.is_empty(), "{notice:?}");
        }
        assert_eq!(
            MarketNotice::GroupInvitation { group: "G".into() }.texts().zh,
            Lines::new("你受邀加入「G」", "")
        );
    }
}
