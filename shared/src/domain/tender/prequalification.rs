//! The prequalification report (资格预审报告) generated when an organisation answers a tender:
//! a pure function of the organisation's facts on the day.
//!
//! Items, in this order: verification, suspension, one per required qualification, credit
//! standing, membership tier, past performance, open disputes. Each is `pass`, `fail` or `info`
//! with a stable [`ItemCode`] and a Chinese and an English explanation. Four things block a bid
//! (hard blocks): not verified, suspended, a required qualification not met (missing, expired or
//! below the grade), credit grade C (`CreditStanding::privileges().may_bid`). Membership tier,
//! past performance and open disputes are shown for the poster's judgement only.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::credit::{CreditGrade, CreditStanding};
use crate::domain::membership::MembershipTier;
use crate::domain::qualification::{
    HeldQualification, QualificationRequirement, RequirementCheck, check_requirement,
};
use crate::dto::VerificationStatus;
use crate::taxonomy;

/// What the report is computed from.
#[derive(Clone, Copy, Debug)]
pub struct PrequalificationFacts<'a> {
    /// Real-name verification status.
    pub verification: VerificationStatus,
    /// Whether platform staff suspended the organisation.
    pub suspended: bool,
    /// The tender's required qualifications.
    pub requirements: &'a [QualificationRequirement],
    /// The organisation's verified certificates.
    pub held: &'a [HeldQualification],
    /// Today's Shanghai date (certificates are valid through their expiry date).
    pub today: NaiveDate,
    /// Credit grade, or insufficient data.
    pub credit: CreditStanding,
    /// Membership tier.
    pub tier: MembershipTier,
    /// Contracts the organisation completed on the platform.
    pub contracts_completed: u32,
    /// Share of its milestones accepted on time, in basis points (10000 = 100 %); `None` when
    /// no milestone has come due.
    pub on_time_milestone_rate_bp: Option<u32>,
    /// Disputes open against or by the organisation.
    pub open_disputes: u32,
}

/// The verdict of one item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemOutcome {
    /// Meets the rule.
    Pass,
    /// Fails the rule (every fail blocks the bid).
    Fail,
    /// Shown for information; never blocks.
    Info,
}

/// Stable code of a report item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemCode {
    /// Verification approved (pass).
    Verified,
    /// Verification not approved (fail).
    NotVerified,
    /// Not suspended (pass).
    NotSuspended,
    /// Suspended by the platform (fail).
    Suspended,
    /// A valid certificate at or above the required grade is held (pass).
    QualificationMet,
    /// No certificate of the required type (fail).
    QualificationMissing,
    /// Only expired certificates of the required grade (fail).
    QualificationExpired,
    /// Valid certificates, all below the required grade (fail).
    QualificationBelowGrade,
    /// Rated A to AAA, or B (pass).
    CreditRated,
    /// Rated C: may not bid (fail).
    CreditGradeC,
    /// Too little data for a grade; may bid (info).
    CreditInsufficientData,
    /// The membership tier (info).
    MembershipTier,
    /// Contracts completed and on-time milestone rate (info).
    PastPerformance,
    /// No contract completed yet (info).
    NoContractsYet,
    /// No open dispute (pass).
    NoOpenDisputes,
    /// Open disputes (info).
    OpenDisputes,
}

/// The certificate behind a qualification item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualificationItem {
    /// The requirement.
    pub requirement: QualificationRequirement,
    /// How the organisation fares against it.
    pub check: RequirementCheck,
    /// The certificate that decides: the valid sufficient one expiring last (met), the
    /// sufficient one that expired last (expired), the best valid one (below grade).
    pub certificate: Option<HeldQualification>,
}

/// One line of the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportItem {
    /// Stable code.
    pub code: ItemCode,
    /// Pass, fail or info.
    pub outcome: ItemOutcome,
    /// Explanation in Chinese.
    pub zh: String,
    /// Explanation in English.
    pub en: String,
    /// For a qualification item, the requirement and certificate.
    pub qualification: Option<QualificationItem>,
}

/// Why the organisation may not bid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum BlockingReason {
    /// Verification is not approved.
    NotVerified,
    /// The platform suspended it.
    Suspended,
    /// A required qualification is not met.
    QualificationFailed {
        /// The qualification type code.
        kind: String,
    },
    /// Credit grade C.
    CreditGradeC,
}

/// The report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrequalificationReport {
    /// Every item, in the documented order.
    pub items: Vec<ReportItem>,
    /// Whether nothing blocks a bid.
    pub may_bid: bool,
    /// What blocks a bid, in item order (empty when `may_bid`).
    pub blocking: Vec<BlockingReason>,
}

fn item(code: ItemCode, outcome: ItemOutcome, zh: String, en: String) -> ReportItem {
    ReportItem { code, outcome, zh, en, qualification: None }
}

/// Chinese and English names of a qualification type and grade rank (the codes when the taxonomy
/// does not know them).
fn names(kind: &str, rank: u8) -> ((String, String), (String, String)) {
    let found = taxonomy::qualification_type(kind);
    let kind_names =
        found.map_or_else(|| (kind.to_owned(), kind.to_owned()), |t| (t.zh.clone(), t.en.clone()));
    let grade = found.and_then(|t| t.grades.get(usize::from(rank)));
    let grade_names = grade.map_or_else(
        || (format!("第{}级", rank + 1), format!("grade {}", rank + 1)),
        |g| (g.zh.clone(), g.en.clone()),
    );
    (kind_names, grade_names)
}

fn deciding_certificate(
    held: &[HeldQualification],
    requirement: &QualificationRequirement,
    check: &RequirementCheck,
) -> Option<HeldQualification> {
    let of_kind = held.iter().filter(|certificate| certificate.kind == requirement.kind);
    let sufficient =
        |certificate: &&HeldQualification| certificate.grade.is_at_least(requirement.minimum_grade);
    match check {
        RequirementCheck::Met | RequirementCheck::Expired => {
            of_kind.filter(sufficient).max_by_key(|certificate| certificate.expires_on).cloned()
        }
        RequirementCheck::BelowGrade { best_held } => of_kind
            .filter(|certificate| certificate.grade == *best_held)
            .max_by_key(|c| c.expires_on)
            .cloned(),
        RequirementCheck::Missing => None,
    }
}

fn qualification_item(
    facts: &PrequalificationFacts<'_>,
    requirement: &QualificationRequirement,
) -> ReportItem {
    let check = check_requirement(facts.held, requirement, facts.today);
    let certificate = deciding_certificate(facts.held, requirement, &check);
    let ((kind_zh, kind_en), (grade_zh, grade_en)) = names(&requirement.kind, requirement.minimum_grade.0);
    let expiry = certificate.as_ref().map(|c| c.expires_on.to_string()).unwrap_or_default();
    let (code, outcome, zh, en) = match &check {
        RequirementCheck::Met => (
            ItemCode::QualificationMet,
            ItemOutcome::Pass,
            format!("持有{kind_zh}{grade_zh}及以上资质，证书有效期至{expiry}"),
            format!("holds {kind_en} at {grade_en} or above, certificate valid until {expiry}"),
        ),
        RequirementCheck::Missing => (
            ItemCode::QualificationMissing,
            ItemOutcome::Fail,
            format!("未持有{kind_zh}资质（要求{grade_zh}及以上）"),
            format!("holds no {kind_en} qualification ({grade_en} or above required)"),
        ),
        RequirementCheck::Expired => (
            ItemCode::QualificationExpired,
            ItemOutcome::Fail,
            format!("{kind_zh}{grade_zh}资质证书已于{expiry}过期"),
            format!("the {kind_en} certificate at {grade_en} or above expired on {expiry}"),
        ),
        RequirementCheck::BelowGrade { best_held } => {
            let (_, (held_zh, held_en)) = names(&requirement.kind, best_held.0);
            (
                ItemCode::QualificationBelowGrade,
                ItemOutcome::Fail,
                format!("持有{kind_zh}{held_zh}资质，低于要求的{grade_zh}"),
                format!("holds {kind_en} at {held_en}, below the required {grade_en}"),
            )
        }
    };
    ReportItem {
        code,
        outcome,
        zh,
        en,
        qualification: Some(QualificationItem { requirement: requirement.clone(), check, certificate }),
    }
}

fn credit_item(credit: CreditStanding) -> ReportItem {
    match credit {
        CreditStanding::Rated { grade: CreditGrade::C } => item(
            ItemCode::CreditGradeC,
            ItemOutcome::Fail,
            "信用等级为C，不得投标".to_owned(),
            "credit grade C: may not bid".to_owned(),
        ),
        CreditStanding::Rated { grade } => item(
            ItemCode::CreditRated,
            ItemOutcome::Pass,
            format!("信用等级{grade}"),
            format!("credit grade {grade}"),
        ),
        CreditStanding::InsufficientData => item(
            ItemCode::CreditInsufficientData,
            ItemOutcome::Info,
            "平台数据不足，暂无信用等级（可以投标）".to_owned(),
            "too little platform data for a credit grade yet (may bid)".to_owned(),
        ),
    }
}

fn tier_item(tier: MembershipTier) -> ReportItem {
    let (zh, en) = match tier {
        MembershipTier::New => ("新用户", "New"),
        MembershipTier::Regular => ("普通用户", "Regular"),
        MembershipTier::Certified => ("认证用户", "Certified"),
        MembershipTier::Vip => ("VIP用户", "VIP"),
    };
    item(
        ItemCode::MembershipTier,
        ItemOutcome::Info,
        format!("会员等级：{zh}"),
        format!("membership tier: {en}"),
    )
}

fn percent(bp: u32) -> String {
    format!("{}.{:02} %", bp / 100, bp % 100)
}

fn performance_item(contracts: u32, rate_bp: Option<u32>) -> ReportItem {
    if contracts == 0 {
        return item(
            ItemCode::NoContractsYet,
            ItemOutcome::Info,
            "平台上暂无已完成的合同".to_owned(),
            "no contracts completed on the platform yet".to_owned(),
        );
    }
    let (rate_zh, rate_en) = rate_bp.map_or_else(
        || ("暂无到期节点".to_owned(), "no milestone due yet".to_owned()),
        |bp| (format!("节点按时率{}", percent(bp)), format!("on-time milestone rate {}", percent(bp))),
    );
    item(
        ItemCode::PastPerformance,
        ItemOutcome::Info,
        format!("已完成合同{contracts}份，{rate_zh}"),
        format!("{contracts} contract{} completed, {rate_en}", if contracts == 1 { "" } else { "s" }),
    )
}

/// The prequalification report of an organisation on `facts.today` (see the module doc for the
/// items and the four hard blocks).
#[must_use]
pub fn prequalify(facts: &PrequalificationFacts<'_>) -> PrequalificationReport {
    let mut items = Vec::with_capacity(facts.requirements.len() + 6);
    let mut blocking = Vec::new();
    if facts.verification == VerificationStatus::Verified {
        items.push(item(ItemCode::Verified, ItemOutcome::Pass, "已通过实名认证".into(), "verified".into()));
    } else {
        blocking.push(BlockingReason::NotVerified);
        items.push(item(
            ItemCode::NotVerified,
            ItemOutcome::Fail,
            "未通过实名认证，不得投标".into(),
            "not verified: complete real-name verification to bid".into(),
        ));
    }
    if facts.suspended {
        blocking.push(BlockingReason::Suspended);
        items.push(item(
            ItemCode::Suspended,
            ItemOutcome::Fail,
            "已被平台暂停，不得投标".into(),
            "suspended by the platform: may not bid".into(),
        ));
    } else {
        items.push(item(
            ItemCode::NotSuspended,
            ItemOutcome::Pass,
            "未被暂停".into(),
            "not suspended".into(),
        ));
    }
    for requirement in facts.requirements {
        let qualification = qualification_item(facts, requirement);
        if qualification.outcome == ItemOutcome::Fail {
            blocking.push(BlockingReason::QualificationFailed { kind: requirement.kind.clone() });
        }
        items.push(qualification);
    }
    if !facts.credit.privileges().may_bid {
        blocking.push(BlockingReason::CreditGradeC);
    }
    items.push(credit_item(facts.credit));
    items.push(tier_item(facts.tier));
    items.push(performance_item(facts.contracts_completed, facts.on_time_milestone_rate_bp));
    items.push(if facts.open_disputes == 0 {
        item(ItemCode::NoOpenDisputes, ItemOutcome::Pass, "无未结纠纷".into(), "no open disputes".into())
    } else {
        let count = facts.open_disputes;
        item(
            ItemCode::OpenDisputes,
            ItemOutcome::Info,
            format!("未结纠纷{count}起"),
            format!("{count} open dispute{}", if count == 1 { "" } else { "s" }),
        )
    });
    PrequalificationReport { may_bid: blocking.is_empty(), items, blocking }
}
