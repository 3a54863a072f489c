//! The explanation of an assessment in Chinese and English, one sentence per dimension naming
//! each indicator's value, so a person sees why the grade is what it is.

use super::{CreditAssessment, CreditDimension, Indicator, IndicatorScore, Observation};

/// Chinese and English labels of a dimension.
#[must_use]
pub const fn dimension_label(dimension: CreditDimension) -> (&'static str, &'static str) {
    match dimension {
        CreditDimension::Performance => ("履约能力", "Performance"),
        CreditDimension::Transaction => ("交易历史", "Transaction history"),
        CreditDimension::Reputation => ("行业口碑", "Reputation"),
        CreditDimension::Qualification => ("资质等级", "Qualification"),
        CreditDimension::SocialResponsibility => ("社会责任", "Social responsibility"),
    }
}

/// Chinese and English labels of an indicator.
#[must_use]
pub const fn indicator_label(indicator: Indicator) -> (&'static str, &'static str) {
    match indicator {
        Indicator::CompletionRate => ("合同完成率", "completion rate"),
        Indicator::OnTimeMilestoneRate => ("里程碑按期率", "on-time milestones"),
        Indicator::FirstTimeAcceptanceRate => ("一次验收通过率", "first-time acceptance"),
        Indicator::Cooperations => ("合作次数", "cooperations"),
        Indicator::PaymentTimeliness => ("付款及时率", "payment timeliness"),
        Indicator::DisputeRate => ("纠纷败诉率", "disputes lost per contract"),
        Indicator::PeerRating => ("同行评价", "peer rating"),
        Indicator::BestQualificationGrade => ("最高有效资质等级", "best valid qualification grade"),
        Indicator::CertificateValidity => ("证书有效率", "certificate validity"),
        Indicator::TaxCompliance => ("依法纳税", "tax compliance"),
        Indicator::WagePayment => ("农民工工资欠薪案件", "migrant-worker wage arrears cases"),
        Indicator::SafetyRecord => ("安全事故", "safety incidents"),
    }
}

/// An indicator's value as one number: a rate in percent, a count, the Bayesian mean rating,
/// the best grade's rank (0 top), compliance 1 / 0; none without data.
#[must_use]
pub fn indicator_value(indicator: &IndicatorScore) -> Option<f64> {
    match &indicator.observation {
        Observation::Rate { numerator, denominator } => {
            (*denominator > 0).then(|| 100.0 * f64::from(*numerator) / f64::from(*denominator))
        }
        Observation::Count { value } => Some(f64::from(*value)),
        Observation::Rating { shrunk_mean, .. } => Some(*shrunk_mean),
        Observation::Grade { best_valid } => best_valid.map(|rank| f64::from(rank.0)),
        Observation::Compliance { compliant } => Some(if *compliant { 1.0 } else { 0.0 }),
        Observation::NotRecorded => None,
    }
}

fn value(indicator: &IndicatorScore, zh: bool) -> String {
    let none = if zh { "暂无数据" } else { "no data" };
    match &indicator.observation {
        Observation::Rate { denominator: 0, .. } | Observation::NotRecorded => none.to_owned(),
        Observation::Rate { numerator, denominator } => {
            format!(
                "{numerator}/{denominator} ({:.0}%)",
                100.0 * f64::from(*numerator) / f64::from(*denominator)
            )
        }
        Observation::Count { value } => value.to_string(),
        Observation::Rating { count, shrunk_mean, .. } if zh => format!("{shrunk_mean:.2}（{count} 条评价）"),
        Observation::Rating { count, shrunk_mean, .. } => format!("{shrunk_mean:.2} ({count} ratings)"),
        Observation::Grade { best_valid: Some(rank) } if zh => format!("第 {} 档", rank.0 + 1),
        Observation::Grade { best_valid: Some(rank) } => format!("tier {}", rank.0 + 1),
        Observation::Grade { best_valid: None } => none.to_owned(),
        Observation::Compliance { compliant } => match (compliant, zh) {
            (true, true) => "合规".to_owned(),
            (false, true) => "不合规".to_owned(),
            (true, false) => "compliant".to_owned(),
            (false, false) => "not compliant".to_owned(),
        },
    }
}

/// The explanation `(zh, en)`: per dimension its score and each indicator's value.
#[must_use]
pub fn explain(assessment: &CreditAssessment) -> (String, String) {
    let mut zh = Vec::new();
    let mut en = Vec::new();
    for dimension in &assessment.dimensions {
        let (dim_zh, dim_en) = dimension_label(dimension.dimension);
        let parts = |zh_lang: bool| {
            dimension
                .indicators
                .iter()
                .map(|i| {
                    let (l_zh, l_en) = indicator_label(i.indicator);
                    format!("{} {}", if zh_lang { l_zh } else { l_en }, value(i, zh_lang))
                })
                .collect::<Vec<_>>()
        };
        let own_zh = if dimension.from_own_data { "" } else { "（数据不足，取基准分）" };
        let own_en = if dimension.from_own_data { "" } else { " (too little data: baseline score)" };
        zh.push(format!("{dim_zh} {:.2} 分{own_zh}：{}。", dimension.score, parts(true).join("，")));
        en.push(format!("{dim_en} {:.2}{own_en}: {}.", dimension.score, parts(false).join(", ")));
    }
    if let Some(applied) = &assessment.manual_override {
        zh.push(format!("评级经人工复核调整为 {}：{}", applied.applied.grade, applied.applied.reason));
        en.push(format!(
            "Grade set to {} by staff review: {}",
            applied.applied.grade, applied.applied.reason
        ));
    }
    (zh.join(""), en.join(" "))
}

#[cfg(test)]
mod tests {
    use super::super::{CreditConfig, CreditRecord, assess};
    use super::*;

    #[test]
    fn the_explanation_names_every_dimension_and_indicator_value_in_both_languages() {
        let mut record = CreditRecord::default();
        record.performance.contracts_completed = 2;
        record.transactions.cooperations = 3;
        let assessment = assess(&record, &CreditConfig::default()).expect("assessed");
        let (zh, en) = explain(&assessment);
        assert!(zh.contains("履约能力") && zh.contains("合同完成率 2/2 (100%)"), "{zh}");
        assert!(en.contains("Performance") && en.contains("cooperations 3"), "{en}");
        assert!(en.contains("tax compliance no data"), "{en}");
        assert!(zh.contains("取基准分"), "{zh}");
    }

    #[test]
    fn an_indicator_value_is_one_number_or_none_without_data() {
        let mut record = CreditRecord::default();
        record.performance.contracts_completed = 1;
        record.performance.contracts_terminated = 3;
        let assessment = assess(&record, &CreditConfig::default()).expect("assessed");
        let values: Vec<Option<f64>> =
            assessment.dimensions.iter().flat_map(|d| d.indicators.iter().map(indicator_value)).collect();
        assert_eq!(values[0], Some(25.0), "completion rate in percent");
        assert_eq!(values[1], None, "no milestone due");
        assert_eq!(values[3], Some(0.0), "no cooperations");
        assert_eq!(values[6], Some(4.0), "the prior mean stands in for ratings");
    }
}
