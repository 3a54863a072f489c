//! Matching quality against the hand-labelled scenarios in `testdata/matching_scenarios.json`:
//! precision@3 of the engine, and of two baselines (a random feasible pick, and feasible
//! candidates ranked by credit alone). Run with `--nocapture` to see the figures.
//!
//! Defaults for supplier fields a scenario leaves out: verified, not suspended, offers the
//! demand's category, holds exactly the required qualifications (valid until 2030), based in the
//! demand's district and serving its province, credit 80 (grade derived from the score unless
//! `grade` says `new` or a letter grade), Regular tier, capacity five times the budget with
//! nothing open, no history with the poster, 7 of 10 invitations answered, price index 1.0.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::Deserialize;
use shared::domain::credit::{CreditGrade, CreditStanding};
use shared::domain::matching::constraints::broken_constraints;
use shared::domain::matching::{
    CandidateCredit, CandidateProfile, CooperationHistory, Demand, InvitationRecord, MatchingConfig,
    recommend,
};
use shared::domain::membership::MembershipTier;
use shared::domain::qualification::{GradeRank, HeldQualification, QualificationRequirement};
use shared::domain::region::RegionCode;

const SCENARIOS: &str = include_str!("../testdata/matching_scenarios.json");
const TARGET_PRECISION: f64 = 0.85;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioFile {
    #[expect(dead_code, reason = "documentation for people reading the file")]
    about: String,
    scenarios: Vec<Scenario>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Scenario {
    name: String,
    demand: DemandSpec,
    market: Vec<SupplierSpec>,
    expected_top3: Vec<String>,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemandSpec {
    category: String,
    region: String,
    #[serde(default)]
    requires: Vec<(String, u8)>,
    budget_yuan: i64,
    #[serde(default = "default_poster")]
    poster: String,
}

fn default_poster() -> String {
    "poster".to_owned()
}

fn yes() -> bool {
    true
}

fn default_credit() -> f64 {
    80.0
}

fn default_tier() -> String {
    "regular".to_owned()
}

#[expect(clippy::unnecessary_wraps, reason = "serde default for an optional field")]
fn market_price() -> Option<f64> {
    Some(1.0)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SupplierSpec {
    id: String,
    #[serde(default)]
    #[expect(dead_code, reason = "documentation for people reading the file")]
    note: String,
    #[serde(default = "yes")]
    verified: bool,
    #[serde(default)]
    suspended: bool,
    categories: Option<Vec<String>>,
    quals: Option<Vec<(String, u8)>>,
    #[serde(default)]
    expired: bool,
    home: Option<String>,
    serves: Option<Vec<String>>,
    #[serde(default)]
    nationwide: bool,
    #[serde(default = "default_credit")]
    credit: f64,
    grade: Option<String>,
    #[serde(default = "default_tier")]
    tier: String,
    capacity_yuan: Option<i64>,
    #[serde(default)]
    open_yuan: i64,
    partner: Option<(u32, f64)>,
    invites: Option<(u32, u32)>,
    #[serde(default = "market_price")]
    price: Option<f64>,
}

fn region(code: &str) -> RegionCode {
    RegionCode::parse(code).expect("scenario region codes are valid")
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 2, 2, 0, 0).single().expect("valid instant")
}

fn demand(spec: &DemandSpec) -> Demand {
    Demand {
        id: "demand".to_owned(),
        poster_org_id: spec.poster.clone(),
        category: spec.category.clone(),
        region: region(&spec.region),
        required_qualifications: spec
            .requires
            .iter()
            .map(|(kind, grade)| QualificationRequirement {
                kind: kind.clone(),
                minimum_grade: GradeRank(*grade),
            })
            .collect(),
        budget_max_fen: spec.budget_yuan * 100,
    }
}

fn standing(spec: &SupplierSpec) -> CreditStanding {
    let grade = match spec.grade.as_deref() {
        None => CreditGrade::from_score(spec.credit),
        Some("new") => return CreditStanding::InsufficientData,
        Some("aaa") => CreditGrade::Aaa,
        Some("aa") => CreditGrade::Aa,
        Some("a") => CreditGrade::A,
        Some("b") => CreditGrade::B,
        Some("c") => CreditGrade::C,
        Some(other) => panic!("unknown grade {other}"),
    };
    CreditStanding::Rated { grade }
}

fn tier(name: &str) -> MembershipTier {
    match name {
        "new" => MembershipTier::New,
        "regular" => MembershipTier::Regular,
        "certified" => MembershipTier::Certified,
        "vip" => MembershipTier::Vip,
        other => panic!("unknown tier {other}"),
    }
}

fn candidate(spec: &SupplierSpec, demand_spec: &DemandSpec) -> CandidateProfile {
    let expires_on = if spec.expired {
        NaiveDate::from_ymd_opt(2025, 1, 31)
    } else {
        NaiveDate::from_ymd_opt(2030, 12, 31)
    }
    .expect("valid date");
    let demand_region = region(&demand_spec.region);
    let (completed, rating) = spec.partner.unwrap_or((0, 0.0));
    let (received, answered) = spec.invites.unwrap_or((10, 7));
    CandidateProfile {
        org_id: spec.id.clone(),
        verified: spec.verified,
        suspended: spec.suspended,
        categories: spec.categories.clone().unwrap_or_else(|| vec![demand_spec.category.clone()]),
        qualifications: spec
            .quals
            .as_ref()
            .unwrap_or(&demand_spec.requires)
            .iter()
            .map(|(kind, grade)| HeldQualification {
                kind: kind.clone(),
                grade: GradeRank(*grade),
                expires_on,
            })
            .collect(),
        home_region: spec.home.as_deref().map_or(demand_region, region),
        regions_served: spec.serves.as_ref().map_or_else(
            || vec![demand_region.province()],
            |served| served.iter().map(|code| region(code)).collect(),
        ),
        serves_nationwide: spec.nationwide,
        credit: CandidateCredit { score: spec.credit, standing: standing(spec) },
        tier: tier(&spec.tier),
        capacity_fen: spec.capacity_yuan.unwrap_or(demand_spec.budget_yuan * 5) * 100,
        open_contract_value_fen: spec.open_yuan * 100,
        history_with_poster: CooperationHistory {
            completed_contracts: completed,
            rating_count: completed,
            rating_sum: f64::from(completed) * rating,
        },
        invitations: InvitationRecord { received, answered },
        price_index: spec.price,
    }
}

struct Market {
    name: String,
    demand: Demand,
    candidates: Vec<CandidateProfile>,
    gold: Vec<String>,
}

fn markets() -> Vec<Market> {
    let file: ScenarioFile = serde_json::from_str(SCENARIOS).expect("scenario file parses");
    file.scenarios
        .into_iter()
        .map(|scenario| {
            assert!(!scenario.reason.trim().is_empty(), "{}: reason required", scenario.name);
            assert!(
                (1..=3).contains(&scenario.expected_top3.len()),
                "{}: 1 to 3 expected picks",
                scenario.name
            );
            Market {
                demand: demand(&scenario.demand),
                candidates: scenario.market.iter().map(|spec| candidate(spec, &scenario.demand)).collect(),
                gold: scenario.expected_top3,
                name: scenario.name,
            }
        })
        .collect()
}

fn precision(picked: &[&str], gold: &[String]) -> f64 {
    let hits = picked.iter().take(3).filter(|id| gold.iter().any(|expected| expected == *id)).count();
    hits as f64 / gold.len() as f64
}

fn feasible(market: &Market) -> Vec<&CandidateProfile> {
    let today = NaiveDate::from_ymd_opt(2025, 6, 2).expect("valid date");
    market
        .candidates
        .iter()
        .filter(|candidate| broken_constraints(candidate, &market.demand, today) == 0)
        .collect()
}

fn engine_picks(market: &Market) -> Vec<String> {
    let outcome = recommend(&market.demand, &market.candidates, &MatchingConfig::default(), now())
        .expect("default config is valid");
    outcome.recommendations.into_iter().map(|recommendation| recommendation.org_id).collect()
}

fn engine_precision(market: &Market) -> f64 {
    let picked = engine_picks(market);
    let picked: Vec<&str> = picked.iter().map(String::as_str).collect();
    precision(&picked, &market.gold)
}

/// Ranks feasible candidates by credit score alone (the neutral 75 for insufficient data).
fn credit_only_precision(market: &Market) -> f64 {
    let neutral = MatchingConfig::default().neutral_credit_score;
    let effective = |candidate: &CandidateProfile| match candidate.credit.standing {
        CreditStanding::InsufficientData => neutral,
        CreditStanding::Rated { .. } => candidate.credit.score,
    };
    let mut ranked = feasible(market);
    ranked.sort_by(|a, b| effective(b).total_cmp(&effective(a)).then_with(|| a.org_id.cmp(&b.org_id)));
    let picked: Vec<&str> = ranked.iter().map(|candidate| candidate.org_id.as_str()).collect();
    precision(&picked, &market.gold)
}

/// Expected precision of picking 3 feasible candidates uniformly at random (exact, no sampling).
fn random_feasible_precision(market: &Market) -> f64 {
    let pool = feasible(market);
    if pool.is_empty() {
        return 0.0;
    }
    let picks = pool.len().min(3) as f64;
    let gold_in_pool = pool.iter().filter(|candidate| market.gold.contains(&candidate.org_id)).count() as f64;
    gold_in_pool * picks / pool.len() as f64 / market.gold.len() as f64
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

#[test]
fn there_are_at_least_thirty_labelled_scenarios_whose_picks_are_feasible() {
    let markets = markets();
    assert!(markets.len() >= 30, "only {} scenarios", markets.len());
    for market in &markets {
        let pool = feasible(market);
        for expected in &market.gold {
            assert!(
                pool.iter().any(|candidate| candidate.org_id == *expected),
                "{}: expected pick {expected} breaks a hard constraint",
                market.name
            );
        }
        assert_eq!(
            market.gold.len(),
            pool.len().min(3),
            "{}: label as many picks as can qualify, up to 3",
            market.name
        );
    }
}

#[test]
fn precision_at_3_beats_the_target_and_both_baselines() {
    let markets = markets();
    let engine: Vec<f64> = markets.iter().map(engine_precision).collect();
    let credit_only: Vec<f64> = markets.iter().map(credit_only_precision).collect();
    let random: Vec<f64> = markets.iter().map(random_feasible_precision).collect();
    for (market, score) in markets.iter().zip(&engine) {
        if *score < 1.0 {
            println!(
                "miss: {} (precision {score:.2}): engine {:?}, expected {:?}",
                market.name,
                engine_picks(market),
                market.gold
            );
        }
    }
    let (engine, credit_only, random) = (mean(&engine), mean(&credit_only), mean(&random));
    println!(
        "precision@3 over {} scenarios: engine {engine:.3}, credit-only {credit_only:.3}, random feasible {random:.3}",
        markets.len()
    );
    assert!(engine >= TARGET_PRECISION, "engine precision@3 {engine:.3} is below {TARGET_PRECISION}");
    assert!(engine > credit_only, "engine {engine:.3} does not beat credit-only {credit_only:.3}");
    assert!(engine > random, "engine {engine:.3} does not beat random {random:.3}");
}
