//! The information centre's test fixtures, shared by the API and browser suites: a steel-structure
//! subcontractor, and the project and demand most tests post.

use serde_json::{Value, json};

use crate::helpers::{OrgSpec, shanghai_date_in};

/// A steel-structure subcontractor serving Zhejiang with a grade-2 specialist licence.
pub fn steelworks(name: &str) -> OrgSpec {
    OrgSpec::new(name)
        .roles(&["subcontractor"])
        .offering(&["steel_structure"])
        .serving(&["330000"])
        .holding("professional_contracting", "second")
        .capacity(5_000_000_000)
}

/// A municipal road project in Hangzhou (with coordinates, tags and a description).
pub fn project_body(name: &str) -> Value {
    json!({
        "name": name,
        "project_type": "municipal",
        "investment_fen": 12_000_000_000_i64,
        "region_code": "330106",
        "address": "杭州市西湖区文三路",
        "latitude": 30.2592,
        "longitude": 120.13,
        "tags": ["EPC", "政府投资"],
        "description": "既有道路拓宽改造，含雨污分流与路灯工程。"
    })
}

/// A steel-structure subcontracting demand in Hangzhou that [`steelworks`] qualifies for, due in
/// 30 days.
pub fn demand_body(title: &str) -> Value {
    json!({
        "kind": "subcontracting",
        "title": title,
        "category": "steel_structure",
        "scope": "主体钢结构制作与安装，含防腐防火涂装，须配合总包进度。",
        "quantity": "约1200吨",
        "budget_min_fen": 800_000_000_i64,
        "budget_max_fen": 1_200_000_000_i64,
        "region_code": "330106",
        "required_qualifications": [{"type_code": "professional_contracting", "minimum_grade": "second"}],
        "deadline": shanghai_date_in(30)
    })
}
