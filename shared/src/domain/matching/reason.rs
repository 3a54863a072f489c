//! Human-readable reasons for a recommendation: a few structured highlights (what stands out in
//! the candidate's favour, then any caveat), rendered in Simplified Chinese or English.

use serde::{Deserialize, Serialize};

use super::score::{FactorValues, headroom_ratio};
use super::{CandidateProfile, Demand, Factor};
use crate::domain::credit::{CreditGrade, CreditStanding};
use crate::domain::membership::MembershipTier;
use crate::domain::region::Proximity;

/// How many strengths a reason names at most.
const MAX_STRENGTHS: usize = 3;

/// Language of a rendered reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// Simplified Chinese (the default UI language).
    ZhCn,
    /// English.
    En,
}

/// One thing that stands out about a recommended candidate.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum MatchHighlight {
    /// Has completed contracts with the poster.
    PastPartner {
        /// Contracts completed together.
        completed_contracts: u32,
        /// The poster's mean rating, if it rated them.
        mean_rating: Option<f64>,
    },
    /// Based in the demand's city.
    SameCity,
    /// Based in the demand's province.
    SameProvince,
    /// Credit rated AA or better.
    StrongCredit {
        /// The grade.
        grade: CreditGrade,
        /// The score.
        score: f64,
    },
    /// VIP or Certified member.
    EstablishedMember {
        /// The tier.
        tier: MembershipTier,
    },
    /// Free capacity of at least twice the budget.
    AmpleCapacity,
    /// Answers most invitations.
    Responsive {
        /// Share answered, 0–1 (shrunk towards 0.7 for few invitations).
        answered_share: f64,
    },
    /// Priced at or below the category's median.
    CompetitivePrice {
        /// Price index (1.0 = median).
        index: f64,
    },
    /// Caveat: a newcomer without a credit grade yet (scored with the neutral prior).
    NoCreditHistory,
    /// Caveat: free capacity below the demand's budget.
    CapacityTight,
    /// Caveat: priced 20 % or more above the median.
    AboveMarketPrice {
        /// Price index.
        index: f64,
    },
    /// Caveat: the poster rated past work poorly (below 3).
    PoorPastRatings {
        /// The poster's mean rating.
        mean_rating: f64,
    },
}

impl MatchHighlight {
    /// Whether this is a caveat rather than a strength.
    #[must_use]
    pub const fn is_caveat(&self) -> bool {
        matches!(
            self,
            Self::NoCreditHistory
                | Self::CapacityTight
                | Self::AboveMarketPrice { .. }
                | Self::PoorPastRatings { .. }
        )
    }

    /// The highlight as a short phrase.
    #[must_use]
    pub fn describe(&self, language: Language) -> String {
        match (self, language) {
            (Self::PastPartner { completed_contracts, mean_rating: Some(mean) }, Language::ZhCn) => {
                format!("曾与贵方完成 {completed_contracts} 次合作（平均评分 {mean:.1}）")
            }
            (Self::PastPartner { completed_contracts, mean_rating: None }, Language::ZhCn) => {
                format!("曾与贵方完成 {completed_contracts} 次合作")
            }
            (Self::PastPartner { completed_contracts, mean_rating: Some(mean) }, Language::En) => {
                format!("completed {completed_contracts} contracts with you (rated {mean:.1})")
            }
            (Self::PastPartner { completed_contracts, mean_rating: None }, Language::En) => {
                format!("completed {completed_contracts} contracts with you")
            }
            (Self::SameCity, Language::ZhCn) => "同城企业".to_owned(),
            (Self::SameCity, Language::En) => "based in the same city".to_owned(),
            (Self::SameProvince, Language::ZhCn) => "同省企业".to_owned(),
            (Self::SameProvince, Language::En) => "based in the same province".to_owned(),
            (Self::StrongCredit { grade, score }, Language::ZhCn) => {
                format!("信用等级 {grade}（{score:.1} 分）")
            }
            (Self::StrongCredit { grade, score }, Language::En) => {
                format!("credit grade {grade} ({score:.1})")
            }
            (Self::EstablishedMember { tier }, Language::ZhCn) => match tier {
                MembershipTier::Vip => "VIP 会员".to_owned(),
                _ => "认证会员".to_owned(),
            },
            (Self::EstablishedMember { tier }, Language::En) => match tier {
                MembershipTier::Vip => "VIP member".to_owned(),
                _ => "certified member".to_owned(),
            },
            (Self::AmpleCapacity, Language::ZhCn) => "产能充足".to_owned(),
            (Self::AmpleCapacity, Language::En) => "ample free capacity".to_owned(),
            (Self::Responsive { answered_share }, Language::ZhCn) => {
                format!("邀请响应率 {:.0}%", answered_share * 100.0)
            }
            (Self::Responsive { answered_share }, Language::En) => {
                format!("answers {:.0}% of invitations", answered_share * 100.0)
            }
            (Self::CompetitivePrice { index }, Language::ZhCn) => {
                format!("报价水平为市场中位数的 {:.0}%", index * 100.0)
            }
            (Self::CompetitivePrice { index }, Language::En) => {
                format!("prices at {:.0}% of the market median", index * 100.0)
            }
            (Self::NoCreditHistory, Language::ZhCn) => "新入驻企业，暂无信用等级".to_owned(),
            (Self::NoCreditHistory, Language::En) => "newcomer without a credit grade yet".to_owned(),
            (Self::CapacityTight, Language::ZhCn) => "剩余产能低于本需求预算".to_owned(),
            (Self::CapacityTight, Language::En) => "free capacity below this budget".to_owned(),
            (Self::AboveMarketPrice { index }, Language::ZhCn) => {
                format!("报价高于市场中位数 {:.0}%", (index - 1.0) * 100.0)
            }
            (Self::AboveMarketPrice { index }, Language::En) => {
                format!("prices {:.0}% above the market median", (index - 1.0) * 100.0)
            }
            (Self::PoorPastRatings { mean_rating }, Language::ZhCn) => {
                format!("贵方过往评分偏低（{mean_rating:.1}）")
            }
            (Self::PoorPastRatings { mean_rating }, Language::En) => {
                format!("you rated past work low ({mean_rating:.1})")
            }
        }
    }
}

/// Renders highlights as one sentence: strengths first, then caveats.
#[must_use]
pub fn describe_highlights(highlights: &[MatchHighlight], language: Language) -> String {
    let separator = match language {
        Language::ZhCn => "；",
        Language::En => "; ",
    };
    let phrases: Vec<String> = highlights.iter().map(|highlight| highlight.describe(language)).collect();
    phrases.join(separator)
}

fn strength(
    factor: Factor,
    value: f64,
    candidate: &CandidateProfile,
    demand: &Demand,
) -> Option<MatchHighlight> {
    let history = &candidate.history_with_poster;
    match factor {
        Factor::CooperationHistory => {
            (history.completed_contracts > 0 && value >= 0.3).then(|| MatchHighlight::PastPartner {
                completed_contracts: history.completed_contracts,
                mean_rating: history.mean_rating(),
            })
        }
        Factor::RegionalProximity => match candidate.home_region.proximity(demand.region) {
            Proximity::SameCity => Some(MatchHighlight::SameCity),
            Proximity::SameProvince => Some(MatchHighlight::SameProvince),
            Proximity::Elsewhere => None,
        },
        Factor::Credit => match candidate.credit.standing {
            CreditStanding::Rated { grade } if grade >= CreditGrade::Aa => {
                Some(MatchHighlight::StrongCredit { grade, score: candidate.credit.score })
            }
            _ => None,
        },
        Factor::MembershipTier => (candidate.tier >= MembershipTier::Certified)
            .then_some(MatchHighlight::EstablishedMember { tier: candidate.tier }),
        Factor::CapacityHeadroom => (value >= 0.75).then_some(MatchHighlight::AmpleCapacity),
        Factor::Responsiveness => {
            (value >= 0.8).then_some(MatchHighlight::Responsive { answered_share: value })
        }
        Factor::PriceLevel => candidate
            .price_index
            .filter(|index| *index <= 1.0)
            .map(|index| MatchHighlight::CompetitivePrice { index }),
    }
}

/// The highlights of a candidate: its strongest factors (by points) that stand out, then caveats.
#[must_use]
pub fn highlights(
    candidate: &CandidateProfile,
    demand: &Demand,
    values: &FactorValues,
    weights: &FactorValues,
) -> Vec<MatchHighlight> {
    let mut order: Vec<usize> = (0..Factor::COUNT).collect();
    order.sort_by(|a, b| (values[*b] * weights[*b]).total_cmp(&(values[*a] * weights[*a])));
    let mut found: Vec<MatchHighlight> = order
        .into_iter()
        .filter(|index| weights[*index] > 0.0)
        .filter_map(|index| strength(Factor::ALL[index], values[index], candidate, demand))
        .take(MAX_STRENGTHS)
        .collect();
    if candidate.credit.standing == CreditStanding::InsufficientData {
        found.push(MatchHighlight::NoCreditHistory);
    }
    if headroom_ratio(candidate, demand).is_some_and(|ratio| ratio < 1.0) {
        found.push(MatchHighlight::CapacityTight);
    }
    if let Some(index) = candidate.price_index.filter(|index| *index >= 1.2) {
        found.push(MatchHighlight::AboveMarketPrice { index });
    }
    if let Some(mean_rating) = candidate.history_with_poster.mean_rating().filter(|mean| *mean < 3.0) {
        found.push(MatchHighlight::PoorPastRatings { mean_rating });
    }
    found
}
