//! The membership page's strings (四级用户分级) as [`MembershipMsg`], carried in
//! [`super::Msg::MembershipMsg`]. Tier names come from `shared::domain::notices::membership`.

use super::Lang;

/// Every visible string of the membership page.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MembershipMsg {
    Membership,
    Intro,
    Since,
    Held,
    NextTier,
    TopTier,
    CompletedTransactions,
    VolumeAbove,
    CreditScore,
    NextTransaction,
    Met,
    NotMet,
    Facts,
    LastQuarter,
    QuarterBefore,
    NoScore,
    Advisor,
    History,
    NoHistory,
    Promoted,
    Demoted,
    ByTransaction,
    ByCredit,
    ByReview,
}

impl MembershipMsg {
    /// The text in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            MembershipMsg::Membership => ("会员等级", "Membership"),
            MembershipMsg::Intro => (
                "新用户完成 3 笔交易成为普通用户；近 12 个月结算额超过 ¥5,000,000 成为认证用户（需求免审核）；信用分达到 90 成为 VIP 用户（专属平台顾问、匹配优先）。连续两个季度没有交易降一级。",
                "New members become Regular after 3 completed transactions, Certified when the settled volume of the last 12 months exceeds ¥5,000,000 (demands skip review), and VIP at a credit score of 90 (a named platform advisor, priority in matching). Two quarters without a transaction lower the tier by one.",
            ),
            MembershipMsg::Since => ("生效时间", "Since"),
            MembershipMsg::Held => (
                "因连续两个季度没有交易而降级：下一笔交易完成后重新评定。",
                "Lowered after two quarters without a transaction: re-assessed at your next transaction.",
            ),
            MembershipMsg::NextTier => ("下一等级", "Next tier"),
            MembershipMsg::TopTier => ("已是最高等级。", "This is the highest tier."),
            MembershipMsg::CompletedTransactions => ("完成交易笔数", "Completed transactions"),
            MembershipMsg::VolumeAbove => {
                ("近 12 个月结算额（需超过）", "Settled volume, last 12 months (must exceed)")
            }
            MembershipMsg::CreditScore => ("信用分", "Credit score"),
            MembershipMsg::NextTransaction => ("完成下一笔交易", "Complete your next transaction"),
            MembershipMsg::Met => ("已满足", "met"),
            MembershipMsg::NotMet => ("未满足", "not yet"),
            MembershipMsg::Facts => ("评定依据", "What it rests on"),
            MembershipMsg::LastQuarter => ("上季度交易", "Transactions last quarter"),
            MembershipMsg::QuarterBefore => ("前一季度交易", "Transactions the quarter before"),
            MembershipMsg::NoScore => ("数据不足", "insufficient data"),
            MembershipMsg::Advisor => ("专属平台顾问", "Your platform advisor"),
            MembershipMsg::History => ("等级变动记录", "Tier history"),
            MembershipMsg::NoHistory => ("暂无变动。", "No changes yet."),
            MembershipMsg::Promoted => ("升级", "promoted"),
            MembershipMsg::Demoted => ("降级", "lowered"),
            MembershipMsg::ByTransaction => ("交易完成", "transaction settled"),
            MembershipMsg::ByCredit => ("信用变化", "credit changed"),
            MembershipMsg::ByReview => ("季度复核", "quarterly review"),
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}
