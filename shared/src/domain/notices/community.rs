//! The notifications of the community: groups, posts, moderation, events, rewards.

use chrono::{DateTime, Utc};

use super::{Lines, Message, Texts, excerpt};
use crate::domain::community::moderation::Sanction;
use crate::dto::NotificationKind;

/// How many characters of a person's text a notification quotes.
pub const QUOTE_CHARS: usize = 120;

/// What was held for review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeldItem {
    /// A post.
    Post,
    /// A reply.
    Reply,
}

/// Something the community tells a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommunityNotice {
    /// To the admins: someone applied to join.
    GroupApplication {
        /// The group's name.
        group: String,
        /// The applicant's nickname.
        nickname: String,
    },
    /// To the applicant: the admins decided.
    ApplicationDecided {
        /// The group's name.
        group: String,
        /// Approved or rejected.
        approved: bool,
        /// The rejection's reason.
        reason: Option<String>,
    },
    /// To the invitee.
    GroupInvitation {
        /// The group's name.
        group: String,
        /// The group's description (quoted).
        description: String,
    },
    /// To a member @-mentioned in a post.
    Mention {
        /// The writer's nickname.
        writer: String,
        /// The group's name.
        group: String,
        /// The post's title.
        title: String,
    },
    /// To a post's author: a reply (an answer, to a question).
    PostReply {
        /// The replier's nickname.
        writer: String,
        /// The post's title.
        title: String,
        /// The post is a question.
        question: bool,
        /// The reply (quoted).
        reply: String,
    },
    /// To the answerer: their answer was accepted.
    AnswerAccepted {
        /// The question's title.
        title: String,
        /// Points earned (0: the daily cap was reached).
        points: i64,
    },
    /// To the admins: something was held for its banned words.
    Held {
        /// The group's name.
        group: String,
        /// A post or a reply.
        item: HeldItem,
        /// The words it matched.
        words: Vec<String>,
    },
    /// To the admins: a new report.
    Report {
        /// The group's name.
        group: String,
        /// The report's reason (quoted).
        reason: String,
    },
    /// To the sanctioned member.
    Sanctioned {
        /// The group's name.
        group: String,
        /// The step of the ladder.
        sanction: Sanction,
        /// Why.
        reason: String,
    },
    /// To the admins: a new appeal.
    Appeal {
        /// The group's name.
        group: String,
        /// The appeal's statement (quoted).
        statement: String,
    },
    /// To the appellant: the admins decided.
    AppealDecided {
        /// The group's name.
        group: String,
        /// The sanction was overturned.
        overturned: bool,
        /// The decision's reason.
        reason: String,
    },
    /// To those signed up: the event was called off.
    EventCancelled {
        /// The event's title.
        title: String,
        /// Why.
        reason: String,
    },
    /// To one promoted from the waitlist.
    EventPromoted {
        /// The event's title.
        title: String,
        /// When it starts.
        starts_at: DateTime<Utc>,
    },
}

impl CommunityNotice {
    fn zh(&self) -> Lines {
        match self {
            Self::GroupApplication { group, nickname } => {
                Lines::new(format!("{nickname} 申请加入「{group}」"), "请查看入群问卷并审核")
            }
            Self::ApplicationDecided { group, approved, reason } => Lines::new(
                if *approved {
                    format!("你已加入「{group}」")
                } else {
                    format!("你加入「{group}」的申请未通过")
                },
                reason.clone().unwrap_or_else(|| "欢迎！请先阅读群规。".into()),
            ),
            Self::GroupInvitation { group, description } => {
                Lines::new(format!("你受邀加入「{group}」"), excerpt(description, QUOTE_CHARS))
            }
            Self::Mention { writer, group, title } => {
                Lines::new(format!("{writer} 在「{group}」中提到了你"), title.clone())
            }
            Self::PostReply { writer, title, question, reply } => Lines::new(
                if *question {
                    format!("{writer} 回答了你的问题「{title}」")
                } else {
                    format!("{writer} 回复了「{title}」")
                },
                excerpt(reply, QUOTE_CHARS),
            ),
            Self::AnswerAccepted { title, points } => Lines::new(
                format!("你对「{title}」的回答被采纳"),
                if *points > 0 {
                    format!("积分 +{points}")
                } else {
                    "今日采纳积分已达上限".into()
                },
            ),
            Self::Held { group, item, words } => Lines::new(
                format!(
                    "「{group}」有{}因敏感词待审核",
                    match item {
                        HeldItem::Post => "帖子",
                        HeldItem::Reply => "回复",
                    }
                ),
                format!("命中：{}", words.join("、")),
            ),
            Self::Report { group, reason } => {
                Lines::new(format!("「{group}」收到新的举报"), excerpt(reason, QUOTE_CHARS))
            }
            Self::Sanctioned { group, sanction, reason } => Lines::new(
                format!(
                    "你在「{group}」受到处理：{}",
                    match sanction {
                        Sanction::Warning => "警告",
                        Sanction::Mute => "禁言 7 天",
                        Sanction::Removal => "移出群组",
                    }
                ),
                format!("原因：{reason}。如有异议可申诉。"),
            ),
            Self::Appeal { group, statement } => {
                Lines::new(format!("「{group}」收到一份申诉"), excerpt(statement, QUOTE_CHARS))
            }
            Self::AppealDecided { group, overturned, reason } => Lines::new(
                format!("你在「{group}」的申诉{}", if *overturned { "成立，处理已撤销" } else { "未获支持" }),
                reason.clone(),
            ),
            Self::EventCancelled { title, reason } => {
                Lines::new(format!("「{title}」已取消"), reason.clone())
            }
            Self::EventPromoted { title, starts_at } => Lines::new(
                format!("「{title}」有空位了：你已从候补转为正式报名"),
                format!("开始时间 {}", starts_at.to_rfc3339()),
            ),
        }
    }

    fn en(&self) -> Lines {
        match self {
            Self::GroupApplication { group, nickname } => Lines::new(
                format!("{nickname} asks to join “{group}”"),
                "Please read their questionnaire and decide.",
            ),
            Self::ApplicationDecided { group, approved, reason } => Lines::new(
                if *approved {
                    format!("You have joined “{group}”")
                } else {
                    format!("Your application to join “{group}” was not accepted")
                },
                reason.clone().unwrap_or_else(|| "Welcome! Please read the group rules first.".into()),
            ),
            Self::GroupInvitation { group, description } => {
                Lines::new(format!("You are invited to join “{group}”"), excerpt(description, QUOTE_CHARS))
            }
            Self::Mention { writer, group, title } => {
                Lines::new(format!("{writer} mentioned you in “{group}”"), title.clone())
            }
            Self::PostReply { writer, title, question, reply } => Lines::new(
                if *question {
                    format!("{writer} answered your question “{title}”")
                } else {
                    format!("{writer} replied to “{title}”")
                },
                excerpt(reply, QUOTE_CHARS),
            ),
            Self::AnswerAccepted { title, points } => Lines::new(
                format!("Your answer to “{title}” was accepted"),
                if *points > 0 {
                    format!("+{points} points")
                } else {
                    "You have reached today's limit of points for accepted answers.".into()
                },
            ),
            Self::Held { group, item, words } => Lines::new(
                format!(
                    "A {} in “{group}” is held for review for its wording",
                    match item {
                        HeldItem::Post => "post",
                        HeldItem::Reply => "reply",
                    }
                ),
                format!("Matched: {}", words.join(", ")),
            ),
            Self::Report { group, reason } => {
                Lines::new(format!("New report in “{group}”"), excerpt(reason, QUOTE_CHARS))
            }
            Self::Sanctioned { group, sanction, reason } => Lines::new(
                format!(
                    "Moderation in “{group}”: {}",
                    match sanction {
                        Sanction::Warning => "a warning",
                        Sanction::Mute => "muted for 7 days",
                        Sanction::Removal => "removed from the group",
                    }
                ),
                format!("Reason: {reason}. You may appeal if you disagree."),
            ),
            Self::Appeal { group, statement } => {
                Lines::new(format!("New appeal in “{group}”"), excerpt(statement, QUOTE_CHARS))
            }
            Self::AppealDecided { group, overturned, reason } => Lines::new(
                if *overturned {
                    format!("Your appeal in “{group}” succeeded; the sanction was lifted")
                } else {
                    format!("Your appeal in “{group}” was not upheld")
                },
                reason.clone(),
            ),
            Self::EventCancelled { title, reason } => {
                Lines::new(format!("“{title}” was called off"), reason.clone())
            }
            Self::EventPromoted { title, starts_at } => Lines::new(
                format!("A place opened up at “{title}”: you are off the waitlist"),
                format!("Starts at {}", starts_at.to_rfc3339()),
            ),
        }
    }
}

impl Message for CommunityNotice {
    fn kind(&self) -> NotificationKind {
        match self {
            Self::GroupApplication { .. } => NotificationKind::GroupApplication,
            Self::ApplicationDecided { .. } => NotificationKind::ApplicationDecided,
            Self::GroupInvitation { .. } => NotificationKind::GroupInvitation,
            Self::Mention { .. } => NotificationKind::Mention,
            Self::PostReply { .. } => NotificationKind::PostReply,
            Self::AnswerAccepted { .. } => NotificationKind::AnswerAccepted,
            Self::Held { .. } => NotificationKind::PostHeld,
            Self::Report { .. } => NotificationKind::CommunityReport,
            Self::Sanctioned { .. } => NotificationKind::Sanctioned,
            Self::Appeal { .. } => NotificationKind::CommunityAppeal,
            Self::AppealDecided { .. } => NotificationKind::AppealDecided,
            Self::EventCancelled { .. } => NotificationKind::EventCancelled,
            Self::EventPromoted { .. } => NotificationKind::EventPromoted,
        }
    }

    fn texts(&self) -> Texts {
        Texts { zh: self.zh(), en: self.en() }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use rstest::rstest;

    use super::*;

    fn group(name: &str) -> String {
        name.to_owned()
    }

    #[rstest]
    #[case(
        CommunityNotice::Sanctioned { group: group("BIM"), sanction: Sanction::Mute, reason: "刷屏".into() },
        "你在「BIM」受到处理：禁言 7 天",
        "原因：刷屏。如有异议可申诉。",
        "Moderation in “BIM”: muted for 7 days"
    )]
    #[case(
        CommunityNotice::ApplicationDecided { group: group("BIM"), approved: true, reason: None },
        "你已加入「BIM」",
        "欢迎！请先阅读群规。",
        "You have joined “BIM”"
    )]
    #[case(
        CommunityNotice::Held { group: group("BIM"), item: HeldItem::Reply, words: vec!["甲".into(), "乙".into()] },
        "「BIM」有回复因敏感词待审核",
        "命中：甲、乙",
        "A reply in “BIM” is held for review for its wording"
    )]
    #[case(
        CommunityNotice::AnswerAccepted { title: "怎么算".into(), points: 0 },
        "你对「怎么算」的回答被采纳",
        "今日采纳积分已达上限",
        "Your answer to “怎么算” was accepted"
    )]
    fn the_chinese_text_is_as_before_and_the_english_is_there(
        #[case] notice: CommunityNotice,
        #[case] zh_title: &str,
        #[case] zh_body: &str,
        #[case] en_title: &str,
    ) {
        let texts = notice.texts();
        assert_eq!((texts.zh.title.as_str(), texts.zh.body.as_str()), (zh_title, zh_body));
        assert_eq!(texts.en.title, en_title);
        assert!(!texts.en.body.is_empty());
    }

    #[test]
    fn a_quoted_text_is_cut_to_120_characters_in_both_languages() {
        let notice = CommunityNotice::Report { group: group("g"), reason: "长".repeat(300) };
        let texts = notice.texts();
        assert_eq!(texts.zh.body.chars().count(), QUOTE_CHARS);
        assert_eq!(texts.en.body.chars().count(), QUOTE_CHARS);
        assert_eq!(notice.kind(), NotificationKind::CommunityReport);
    }

    #[test]
    fn a_promotion_names_the_start_time() {
        let starts_at = Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap();
        let texts = CommunityNotice::EventPromoted { title: "沙龙".into(), starts_at }.texts();
        assert_eq!(texts.zh.body, "开始时间 2026-12-01T02:00:00+00:00");
        assert_eq!(texts.en.body, "Starts at 2026-12-01T02:00:00+00:00");
    }
}
