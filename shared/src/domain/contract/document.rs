//! The contract document: its terms, the parties as each version names them, the text every
//! version renders (the same lines feed the PDF and the diff between versions), and the consent
//! a signer agrees to.
//!
//! A version's document is fixed when it is saved — parties' names, codes, legal
//! representatives and addresses are captured then — so re-rendering a stored version always
//! gives the same text.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::milestones::PaymentPlan;
use super::risk::advance_is_high_risk;
use crate::domain::comparison::yuan;
use crate::dto::{ContractTemplate, PartyView};

crate::stored_enum! {
    /// How an organisation takes part in a contract.
    pub enum PartyRole in "contracts (payer_org_id, performer_org_id, supervisor_org_id)" {
        /// 甲方: pays (the poster of the demand).
        Payer = "payer",
        /// 乙方: performs (the awarded bidder).
        Performer = "performer",
        /// 监理: reads the contract and confirms acceptances; does not sign.
        Supervisor = "supervisor",
    }
}

/// Checked terms of a contract version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ContractTerms {
    /// The template.
    pub template: ContractTemplate,
    /// Title (trimmed).
    pub title: String,
    /// Scope (trimmed).
    pub scope: String,
    /// The payment plan; milestone amounts add up to the amount exactly.
    pub plan: PaymentPlan,
    /// Duration in calendar days.
    pub duration_days: u32,
    /// Start date.
    pub start_date: NaiveDate,
    /// Dispute clause (trimmed).
    pub dispute_clause: String,
}

/// A version's whole document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractDocument {
    /// The contract id (its number).
    pub contract_id: String,
    /// The version.
    pub version: u32,
    /// Payer, performer and, if named, supervisor.
    pub parties: Vec<PartyView>,
    /// The terms.
    pub terms: ContractTerms,
}

/// One line of the document: a stable key (what the diff compares), a label and a value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// Stable key, e.g. `plan.amount`, `milestone.2`, `party.performer.name`.
    pub key: String,
    /// Label, in Chinese with the English in brackets.
    pub label: String,
    /// Value as printed.
    pub value: String,
}

/// A titled part of the document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// Heading.
    pub heading: String,
    /// Its lines.
    pub lines: Vec<Line>,
}

/// One difference between two versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct Change {
    /// The line's stable key.
    pub key: String,
    /// Its label.
    pub label: String,
    /// The value in the older version (absent: the line was added).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// The value in the newer version (absent: the line was removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

/// The template's name as the document title: (Chinese, English).
#[must_use]
pub const fn template_name(template: ContractTemplate) -> (&'static str, &'static str) {
    match template {
        ContractTemplate::Subcontracting => ("建设工程施工专业分包合同", "Construction Subcontract"),
        ContractTemplate::Purchase => ("建设工程材料采购合同", "Construction Materials Purchase Contract"),
        ContractTemplate::Design => ("建设工程设计合同", "Construction Design Services Contract"),
    }
}

/// The template's standard clauses (heading, text), printed after the variable terms.
#[must_use]
pub fn standard_clauses(template: ContractTemplate) -> Vec<(&'static str, &'static str)> {
    let common = [
        (
            "保密 (Confidentiality)",
            "双方对因履行本合同而知悉的对方商业秘密和技术资料负有保密义务，合同终止后该义务继续有效。",
        ),
        (
            "合同生效 (Entry into force)",
            "本合同以电子签名方式签署，自双方授权签署人均签署本版本之日起生效；属于高风险合同的，另须履约保证金到位后生效。任何一方签署后对合同的修改均形成新版本，原签署失效。",
        ),
    ];
    let specific: [(&str, &str); 3] = match template {
        ContractTemplate::Subcontracting => [
            (
                "总包方义务 (Payer's duties)",
                "甲方按约定提供施工场地、图纸与技术交底，组织隐蔽工程与里程碑验收，并按付款计划支付工程款。",
            ),
            (
                "分包方义务 (Performer's duties)",
                "乙方按图纸、规范和经批准的施工组织设计施工，不得将分包工程再行转包或违法分包，并对其施工质量与安全负责。",
            ),
            (
                "质量保修 (Warranty)",
                "保修期自竣工验收合格之日起算；保修期满且无未决质量问题的，甲方退还质量保证金。",
            ),
        ],
        ContractTemplate::Purchase => [
            (
                "买方义务 (Buyer's duties)",
                "甲方按约定的时间和地点接收货物，组织到货验收，并按付款计划支付货款。",
            ),
            (
                "卖方义务 (Seller's duties)",
                "乙方保证货物符合约定的规格、标准和质量证明文件，按期交付，并承担交付前的毁损灭失风险。",
            ),
            (
                "质量异议 (Quality claims)",
                "甲方在验收时发现质量问题的，应在合理期限内书面提出；乙方应在接到通知后及时更换或补足。",
            ),
        ],
        ContractTemplate::Design => [
            (
                "委托方义务 (Client's duties)",
                "甲方按约定提供设计任务书、基础资料，及时组织设计成果审查，并按付款计划支付设计费。",
            ),
            (
                "设计方义务 (Designer's duties)",
                "乙方按国家规范和设计任务书完成设计，对设计质量负责，并提供施工阶段的设计交底与现场服务。",
            ),
            (
                "知识产权 (Intellectual property)",
                "设计成果的著作权归乙方所有，甲方有权在本项目中使用；未经乙方同意不得用于其他项目。",
            ),
        ],
    };
    specific.into_iter().chain(common).collect()
}

fn line(key: impl Into<String>, label: &str, value: impl Into<String>) -> Line {
    Line { key: key.into(), label: label.to_owned(), value: value.into() }
}

fn percent(bp: u32) -> String {
    let whole = bp / 100;
    match bp % 100 {
        0 => format!("{whole}%"),
        rest if rest % 10 == 0 => format!("{whole}.{}%", rest / 10),
        rest => format!("{whole}.{rest:02}%"),
    }
}

fn party_lines(party: &PartyView) -> Vec<Line> {
    let (key, title) = match party.role {
        PartyRole::Payer => ("payer", "甲方 (Payer)"),
        PartyRole::Performer => ("performer", "乙方 (Performer)"),
        PartyRole::Supervisor => ("supervisor", "监理 (Supervisor)"),
    };
    vec![
        line(format!("party.{key}.name"), title, party.name.clone()),
        line(format!("party.{key}.uscc"), "统一社会信用代码 (USCC)", party.uscc.clone()),
        line(
            format!("party.{key}.legal_representative"),
            "法定代表人 (Legal representative)",
            party.legal_representative.clone(),
        ),
        line(
            format!("party.{key}.address"),
            "住所 (Address)",
            party.address.clone().unwrap_or_else(|| "—".to_owned()),
        ),
    ]
}

/// Describes a milestone in one line: share, amount, planned date, condition.
#[must_use]
pub fn milestone_text(milestone: &super::milestones::Milestone) -> String {
    let share = milestone.share_bp.map(|bp| format!("{} · ", percent(bp))).unwrap_or_default();
    let condition = if milestone.due_condition.is_empty() {
        "合同生效时支付".to_owned()
    } else {
        milestone.due_condition.clone()
    };
    format!("{share}{} · {} · {}", yuan(milestone.amount_fen), milestone.planned_date, condition)
}

/// The document's sections, in print order: parties, subject, price and payment, schedule,
/// security, disputes. Every variable term is one [`Line`].
#[must_use]
pub fn sections(document: &ContractDocument) -> Vec<Section> {
    let terms = &document.terms;
    let plan = &terms.plan;
    let parties = document.parties.iter().flat_map(party_lines).collect();
    let mut payment = vec![
        line("plan.amount", "合同总价 (Contract amount)", yuan(plan.amount_fen)),
        line("plan.amount_fen", "合同总价（分）(Amount in fen)", plan.amount_fen.to_string()),
    ];
    for milestone in &plan.milestones {
        let label = if milestone.index == 0 {
            "预付款 (Advance payment)".to_owned()
        } else {
            format!("第{}期 {} (Milestone {})", milestone.index, milestone.name, milestone.index)
        };
        payment.push(Line {
            key: format!("milestone.{}", milestone.index),
            label,
            value: milestone_text(milestone),
        });
    }
    let risk = if advance_is_high_risk(plan) {
        "是，预付款超过30% (yes: advance above 30%)"
    } else {
        "否 (no)"
    };
    vec![
        Section { heading: "一、合同当事人 (Parties)".into(), lines: parties },
        Section {
            heading: "二、合同标的 (Subject)".into(),
            lines: vec![
                line("title", "合同名称 (Title)", terms.title.clone()),
                line("scope", "范围与内容 (Scope)", terms.scope.clone()),
            ],
        },
        Section { heading: "三、合同价款与支付 (Price and payment)".into(), lines: payment },
        Section {
            heading: "四、工期 (Schedule)".into(),
            lines: vec![
                line("start_date", "开工/开始日期 (Start date)", terms.start_date.to_string()),
                line("duration_days", "工期（日历天）(Duration, days)", terms.duration_days.to_string()),
            ],
        },
        Section {
            heading: "五、质量保证与履约担保 (Retention and security)".into(),
            lines: vec![
                line("plan.retention", "质量保证金 (Retention)", percent(plan.retention_bp)),
                line("plan.warranty", "保修期（月）(Warranty, months)", plan.warranty_months.to_string()),
                line("plan.bond", "履约保证金 (Performance bond)", percent(plan.performance_bond_bp)),
                line("risk", "高风险合同 (High-risk contract)", risk),
            ],
        },
        Section {
            heading: "六、争议解决 (Disputes)".into(),
            lines: vec![line(
                "dispute_clause",
                "争议解决方式 (Dispute resolution)",
                terms.dispute_clause.clone(),
            )],
        },
    ]
}

/// Every line that differs between `old` and `new`, in the newer version's order, then lines
/// only the older version had.
#[must_use]
pub fn diff(old: &ContractDocument, new: &ContractDocument) -> Vec<Change> {
    let old_lines: Vec<Line> = sections(old).into_iter().flat_map(|s| s.lines).collect();
    let new_lines: Vec<Line> = sections(new).into_iter().flat_map(|s| s.lines).collect();
    let mut changes = Vec::new();
    for line in &new_lines {
        let before = old_lines.iter().find(|o| o.key == line.key);
        if before.map(|b| &b.value) != Some(&line.value) {
            changes.push(Change {
                key: line.key.clone(),
                label: line.label.clone(),
                before: before.map(|b| b.value.clone()),
                after: Some(line.value.clone()),
            });
        }
    }
    for line in old_lines.iter().filter(|o| !new_lines.iter().any(|n| n.key == o.key)) {
        changes.push(Change {
            key: line.key.clone(),
            label: line.label.clone(),
            before: Some(line.value.clone()),
            after: None,
        });
    }
    changes
}

/// What a signer agrees to: the organisation, the contract, the version and its exact hash.
#[must_use]
pub fn consent_text(org_name: &str, contract_id: &str, version: u32, sha256: &str) -> String {
    format!(
        "本人作为{org_name}的授权签署人，已完整阅读合同 {contract_id} 第 {version} 版（SHA-256：{sha256}），\
         同意其全部条款，并以电子签名方式签署。I, an authorised signer of {org_name}, have read contract \
         {contract_id} version {version} (SHA-256 {sha256}) in full, agree to all of its terms and sign it \
         electronically."
    )
}

/// What a signer of a termination agrees to: ending the version in force, named by its hash.
#[must_use]
pub fn termination_consent_text(org_name: &str, contract_id: &str, version: u32, sha256: &str) -> String {
    format!(
        "本人作为{org_name}的授权签署人，同意终止合同 {contract_id} 第 {version} 版（SHA-256：{sha256}），\
         终止自各方均签署之时生效。I, an authorised signer of {org_name}, agree to terminate contract \
         {contract_id} version {version} (SHA-256 {sha256}); the termination takes effect when every party \
         has signed it."
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::contract::milestones::{Allocation, MilestoneInput, PaymentPlanInput};
    use crate::validate::Check;

    fn date(text: &str) -> NaiveDate {
        text.parse().expect("date")
    }

    fn document(amount_fen: i64, advance_bp: i64) -> ContractDocument {
        let plan = PaymentPlanInput {
            amount_fen,
            allocation: Allocation::Shares,
            milestones: vec![
                MilestoneInput {
                    name: "预付款".into(),
                    value: advance_bp,
                    planned_date: date("2027-01-10"),
                    due_condition: String::new(),
                },
                MilestoneInput {
                    name: "主体验收".into(),
                    value: 10_000 - advance_bp,
                    planned_date: date("2027-05-01"),
                    due_condition: "主体结构验收合格".into(),
                },
            ],
            retention_bp: 300,
            performance_bond_bp: 500,
            warranty_months: 24,
        }
        .check()
        .expect("plan");
        let party = |role, name: &str| PartyView {
            role,
            org_id: name.into(),
            name: name.into(),
            uscc: "91330100MA2XXXXXX1".into(),
            legal_representative: "张三".into(),
            address: None,
        };
        ContractDocument {
            contract_id: "c1".into(),
            version: 1,
            parties: vec![party(PartyRole::Payer, "杭州城建"), party(PartyRole::Performer, "浙江精工")],
            terms: ContractTerms {
                template: ContractTemplate::Subcontracting,
                title: "体育馆钢结构分包".into(),
                scope: "主体钢结构制作与安装".into(),
                plan,
                duration_days: 120,
                start_date: date("2027-01-10"),
                dispute_clause: "提交杭州仲裁委员会仲裁".into(),
            },
        }
    }

    #[test]
    fn sections_print_every_term_with_amounts_that_add_up() {
        let lines: Vec<Line> =
            sections(&document(1_000_000, 1_000)).into_iter().flat_map(|s| s.lines).collect();
        let value = |key: &str| lines.iter().find(|l| l.key == key).map(|l| l.value.clone()).expect(key);
        assert_eq!(value("party.payer.name"), "杭州城建");
        assert_eq!(value("plan.amount_fen"), "1000000");
        assert!(value("milestone.0").starts_with("10% · "), "{}", value("milestone.0"));
        assert!(value("milestone.1").contains("主体结构验收合格"));
        assert_eq!(value("plan.retention"), "3%");
        assert_eq!(value("risk"), "否 (no)");
        assert_eq!(percent(1_250), "12.5%");
        assert_eq!(percent(1), "0.01%");
    }

    #[test]
    fn the_diff_names_changed_added_and_removed_lines_only() {
        let old = document(1_000_000, 1_000);
        assert!(diff(&old, &old).is_empty());
        let mut new = document(1_200_000, 4_000);
        new.version = 2;
        new.parties.pop();
        let changes = diff(&old, &new);
        let keys: Vec<&str> = changes.iter().map(|c| c.key.as_str()).collect();
        assert!(
            keys.contains(&"plan.amount") && keys.contains(&"milestone.0") && keys.contains(&"risk"),
            "{keys:?}"
        );
        let removed = changes.iter().find(|c| c.key == "party.performer.name").expect("removed party");
        assert_eq!((removed.before.as_deref(), removed.after.as_deref()), (Some("浙江精工"), None));
        assert!(!keys.contains(&"title"));
    }

    #[test]
    fn consent_names_the_exact_hash_and_version() {
        let text = consent_text("浙江精工", "c1", 3, &"ab".repeat(32));
        assert!(text.contains(&"ab".repeat(32)) && text.contains("第 3 版") && text.contains("version 3"));
    }

    #[test]
    fn every_template_has_its_own_title_and_clauses() {
        for template in ContractTemplate::ALL {
            assert!(!template_name(*template).0.is_empty());
            assert_eq!(standard_clauses(*template).len(), 5);
        }
    }
}
