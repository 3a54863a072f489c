//! The credit report's strings (五维一体信用评价: the grade badge, the radar, the indicators and
//! the trend) as [`CreditMsg`], carried in [`super::Msg::CreditMsg`]. The dimension and
//! indicator names come from `shared::domain::credit` (`dimension_label`, `indicator_label`).

use super::Lang;

/// Every visible string of the credit report.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CreditMsg {
    Credit,
    CreditIntro,
    NotRated,
    InsufficientData,
    Total,
    Overridden,
    OverriddenHint,
    Live,
    Month,
    Radar,
    Indicators,
    Score,
    Change,
    NoData,
    NoChange,
    Explanation,
    Trend,
    TrendEmpty,
    PaymentMeanDays,
    ComputedGrade,
    OverrideReason,
    DetailHint,
    CreditReport,
    Compliant,
    NotCompliant,
    Tier,
}

impl CreditMsg {
    /// The text in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            CreditMsg::Credit => ("信用评价", "Credit"),
            CreditMsg::CreditIntro => (
                "五维一体信用评价：履约能力、交易历史、行业口碑、资质等级、社会责任，按平台数据每月计算。",
                "Five-dimension credit: performance, transaction history, reputation, qualification and social responsibility, computed monthly from platform data.",
            ),
            CreditMsg::NotRated => ("暂无评级", "Not rated"),
            CreditMsg::InsufficientData => ("数据不足", "Insufficient data"),
            CreditMsg::Total => ("综合得分", "Total score"),
            CreditMsg::Overridden => ("人工复核", "Staff review"),
            CreditMsg::OverriddenHint => (
                "该评级经两名审核员人工复核后调整。",
                "This grade was set by staff review, approved by a second reviewer.",
            ),
            CreditMsg::Live => (
                "尚未生成月度评价，以下为按当前数据的即时计算。",
                "No monthly assessment yet: computed now from the current data.",
            ),
            CreditMsg::Month => ("评价月份", "Month"),
            CreditMsg::Radar => ("五维得分雷达图", "Radar chart of the five dimension scores"),
            CreditMsg::Indicators => ("指标明细", "Indicators"),
            CreditMsg::Score => ("得分", "Score"),
            CreditMsg::Change => ("较上月", "Since last month"),
            CreditMsg::NoData => ("暂无数据", "No data"),
            CreditMsg::NoChange => ("持平", "unchanged"),
            CreditMsg::Explanation => ("评价说明", "Explanation"),
            CreditMsg::Trend => ("近 12 个月综合得分", "Total score over the last 12 months"),
            CreditMsg::TrendEmpty => {
                ("首次月度评价后显示走势。", "The trend shows after the first monthly assessment.")
            }
            CreditMsg::PaymentMeanDays => ("验收至付清平均天数", "Mean days from acceptance to payment"),
            CreditMsg::ComputedGrade => ("模型计算评级", "Computed grade"),
            CreditMsg::OverrideReason => ("复核理由", "Reason of the review"),
            CreditMsg::DetailHint => (
                "指标明细仅向本企业、履约中合同的相对方及平台人员展示。",
                "The indicator detail is shown to the organisation, its counterparties in a contract in force, and staff.",
            ),
            CreditMsg::CreditReport => ("信用报告", "Credit report"),
            CreditMsg::Compliant => ("合规", "compliant"),
            CreditMsg::NotCompliant => ("不合规", "not compliant"),
            CreditMsg::Tier => ("第 {n} 档", "tier {n}"),
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}
