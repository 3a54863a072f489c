//! Tests of the matching engine: each hard constraint, ranking rules, explanations, and the
//! properties "never breaks a hard constraint" and "independent of input order".

use super::*;
use crate::domain::credit::{CreditGrade, CreditStanding};
use crate::domain::membership::MembershipTier;
use crate::domain::qualification::{GradeRank, HeldQualification, QualificationRequirement};
use crate::domain::region::RegionCode;
use chrono::{NaiveDate, TimeZone};
use proptest::prelude::*;
use rstest::rstest;

const CATEGORY: &str = "steel_structure";
const QUALIFICATION: &str = "steel_structure_engineering";

fn region(code: &str) -> RegionCode {
    RegionCode::parse(code).expect("valid test region")
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 3, 2, 0, 0).single().expect("valid instant")
}

fn demand() -> Demand {
    Demand {
        id: "demand-1".to_owned(),
        poster_org_id: "poster".to_owned(),
        category: CATEGORY.to_owned(),
        region: region("320106"),
        required_qualifications: vec![QualificationRequirement {
            kind: QUALIFICATION.to_owned(),
            minimum_grade: GradeRank(2),
        }],
        budget_max_fen: 200_000_000,
    }
}

fn candidate(id: &str) -> CandidateProfile {
    CandidateProfile {
        org_id: id.to_owned(),
        verified: true,
        suspended: false,
        categories: vec!["concrete".to_owned(), CATEGORY.to_owned()],
        qualifications: vec![HeldQualification {
            kind: QUALIFICATION.to_owned(),
            grade: GradeRank(1),
            expires_on: NaiveDate::from_ymd_opt(2027, 6, 30).expect("valid date"),
        }],
        home_region: region("320105"),
        regions_served: vec![region("320000")],
        serves_nationwide: false,
        credit: CandidateCredit { score: 82.0, standing: CreditStanding::Rated { grade: CreditGrade::Aa } },
        tier: MembershipTier::Regular,
        capacity_fen: 1_000_000_000,
        open_contract_value_fen: 200_000_000,
        history_with_poster: CooperationHistory::default(),
        invitations: InvitationRecord { received: 10, answered: 8 },
        price_index: Some(1.0),
    }
}

fn run(candidates: &[CandidateProfile]) -> MatchOutcome {
    recommend(&demand(), candidates, &MatchingConfig::default(), now()).expect("valid config")
}

fn recommended_ids(outcome: &MatchOutcome) -> Vec<&str> {
    outcome.recommendations.iter().map(|recommendation| recommendation.org_id.as_str()).collect()
}

fn excluded_by(outcome: &MatchOutcome, constraint: HardConstraint) -> u32 {
    outcome
        .exclusions
        .iter()
        .find(|exclusion| exclusion.constraint == constraint)
        .map_or(0, |exclusion| exclusion.excluded)
}

fn breaking(change: fn(&mut CandidateProfile)) -> CandidateProfile {
    let mut profile = candidate("breaker");
    change(&mut profile);
    profile
}

#[rstest]
#[case::unverified(breaking(|c| c.verified = false), HardConstraint::Verified)]
#[case::suspended(breaking(|c| c.suspended = true), HardConstraint::NotSuspended)]
#[case::credit_grade_c(breaking(|c| c.credit = CandidateCredit { score: 99.0, standing: CreditStanding::Rated { grade: CreditGrade::C } }), HardConstraint::CreditNotC)]
#[case::category_not_offered(breaking(|c| c.categories = vec!["concrete".to_owned()]), HardConstraint::OffersCategory)]
#[case::qualification_missing(breaking(|c| c.qualifications.clear()), HardConstraint::HoldsQualifications)]
#[case::qualification_below_grade(breaking(|c| c.qualifications[0].grade = GradeRank(3)), HardConstraint::HoldsQualifications)]
#[case::qualification_expired(breaking(|c| c.qualifications[0].expires_on = NaiveDate::from_ymd_opt(2025, 3, 2).expect("date")), HardConstraint::HoldsQualifications)]
#[case::region_not_served(breaking(|c| c.regions_served = vec![region("330000")]), HardConstraint::ServesRegion)]
#[case::other_city_only(breaking(|c| c.regions_served = vec![region("320200")]), HardConstraint::ServesRegion)]
#[case::the_poster_itself(breaking(|c| c.org_id = "poster".to_owned()), HardConstraint::NotThePoster)]
fn a_candidate_breaking_a_hard_constraint_is_never_recommended(
    #[case] breaker: CandidateProfile,
    #[case] constraint: HardConstraint,
) {
    let outcome = run(&[breaker, candidate("ok")]);
    assert_eq!(recommended_ids(&outcome), ["ok"]);
    assert_eq!(outcome.qualified, 1);
    assert!(outcome.fewer_than_minimum);
    assert_eq!(excluded_by(&outcome, constraint), 1);
    let total: u32 = outcome.exclusions.iter().map(|exclusion| exclusion.excluded).sum();
    assert_eq!(total, 1, "only the broken constraint is counted");
}

#[rstest]
#[case::insufficient_credit_data_is_allowed(|c: &mut CandidateProfile| c.credit = CandidateCredit { score: 0.0, standing: CreditStanding::InsufficientData })]
#[case::nationwide_service(|c: &mut CandidateProfile| { c.regions_served.clear(); c.serves_nationwide = true; })]
#[case::city_level_service_covers_the_district(|c: &mut CandidateProfile| c.regions_served = vec![region("320100")])]
#[case::special_grade_exceeds_the_requirement(|c: &mut CandidateProfile| c.qualifications[0].grade = GradeRank(0))]
#[case::certificate_valid_on_the_demand_date(|c: &mut CandidateProfile| c.qualifications[0].expires_on = NaiveDate::from_ymd_opt(2025, 3, 3).expect("date"))]
fn borderline_candidates_still_qualify(#[case] change: fn(&mut CandidateProfile)) {
    let mut profile = candidate("edge");
    change(&mut profile);
    assert_eq!(recommended_ids(&run(&[profile])), ["edge"]);
}

#[test]
fn five_are_recommended_when_more_qualify() {
    let candidates: Vec<CandidateProfile> = (0..8).map(|i| candidate(&format!("org-{i}"))).collect();
    let outcome = run(&candidates);
    assert_eq!(outcome.recommendations.len(), 5);
    assert_eq!(outcome.qualified, 8);
    assert!(!outcome.fewer_than_minimum);
}

#[test]
fn equal_scores_are_ordered_by_organisation_id() {
    let outcome = run(&[candidate("c"), candidate("a"), candidate("b")]);
    assert_eq!(recommended_ids(&outcome), ["a", "b", "c"]);
    let ranks: Vec<usize> = outcome.recommendations.iter().map(|r| r.rank).collect();
    assert_eq!(ranks, [1, 2, 3]);
}

#[test]
fn the_breakdown_adds_up_to_the_score() {
    let outcome = run(&[candidate("a")]);
    let recommendation = &outcome.recommendations[0];
    let points: f64 = recommendation.breakdown.iter().map(|factor| factor.points).sum();
    assert!((points - recommendation.score).abs() < 1e-9);
    assert_eq!(recommendation.breakdown.len(), Factor::COUNT);
}

#[test]
fn a_trusted_past_partner_ranks_first_and_says_why() {
    let mut partner = candidate("z-partner");
    partner.history_with_poster =
        CooperationHistory { completed_contracts: 6, rating_count: 6, rating_sum: 28.2 };
    let outcome = run(&[candidate("a"), partner, candidate("b")]);
    let first = &outcome.recommendations[0];
    assert_eq!(first.org_id, "z-partner");
    assert!(first.reason.contains("曾与贵方完成 6 次合作（平均评分 4.7）"), "{}", first.reason);
    assert!(
        describe_highlights(&first.highlights, Language::En)
            .contains("completed 6 contracts with you (rated 4.7)")
    );
}

#[rstest]
#[case::same_city_beats_same_province("320102", "320205")]
#[case::same_province_beats_elsewhere("320205", "330106")]
fn proximity_orders_otherwise_equal_candidates(#[case] nearer: &str, #[case] farther: &str) {
    let mut near = candidate("z-near");
    near.home_region = region(nearer);
    let mut far = candidate("a-far");
    far.home_region = region(farther);
    far.serves_nationwide = true;
    assert_eq!(recommended_ids(&run(&[far, near])), ["z-near", "a-far"]);
}

#[test]
fn no_free_capacity_scores_zero_on_headroom_and_is_flagged() {
    let mut full = candidate("full");
    full.open_contract_value_fen = full.capacity_fen;
    let outcome = run(&[full]);
    let recommendation = &outcome.recommendations[0];
    let headroom = recommendation
        .breakdown
        .iter()
        .find(|factor| factor.factor == Factor::CapacityHeadroom)
        .expect("factor present");
    assert!(headroom.value.abs() < f64::EPSILON);
    assert!(recommendation.highlights.contains(&MatchHighlight::CapacityTight));
}

#[test]
fn a_newcomer_gets_the_neutral_credit_prior_below_aa() {
    let mut newcomer = candidate("new");
    newcomer.credit = CandidateCredit { score: 0.0, standing: CreditStanding::InsufficientData };
    let mut rated_aa = candidate("aa");
    rated_aa.credit.score = 80.0;
    let outcome = run(&[newcomer, rated_aa]);
    assert_eq!(recommended_ids(&outcome), ["aa", "new"]);
    assert!(outcome.recommendations[1].highlights.contains(&MatchHighlight::NoCreditHistory));
}

#[test]
fn aaa_gets_matching_priority() {
    let mut aaa = candidate("z-aaa");
    aaa.credit = CandidateCredit { score: 90.0, standing: CreditStanding::Rated { grade: CreditGrade::Aaa } };
    let mut high_aa = candidate("a-aa");
    high_aa.credit.score = 89.99;
    assert_eq!(recommended_ids(&run(&[high_aa, aaa])), ["z-aaa", "a-aa"]);
}

#[test]
fn weights_are_configuration() {
    let mut cheap = candidate("z-cheap");
    cheap.price_index = Some(0.8);
    cheap.credit.score = 70.0;
    let mut reputable = candidate("a-reputable");
    reputable.price_index = Some(1.3);
    reputable.credit.score = 88.0;
    let candidates = [cheap, reputable];
    assert_eq!(recommended_ids(&run(&candidates))[0], "a-reputable");
    let price_only = MatchingConfig {
        weights: MatchingWeights {
            cooperation_history: 0.0,
            regional_proximity: 0.0,
            credit: 0.0,
            membership_tier: 0.0,
            capacity_headroom: 0.0,
            responsiveness: 0.0,
            price_level: 1.0,
        },
        ..MatchingConfig::default()
    };
    let outcome = recommend(&demand(), &candidates, &price_only, now()).expect("valid");
    assert_eq!(recommended_ids(&outcome)[0], "z-cheap");
}

#[rstest]
#[case::negative_weight(MatchingConfig { weights: MatchingWeights { credit: -0.1, ..MatchingWeights::default() }, ..MatchingConfig::default() })]
#[case::nan_weight(MatchingConfig { weights: MatchingWeights { price_level: f64::NAN, ..MatchingWeights::default() }, ..MatchingConfig::default() })]
#[case::no_recommendations(MatchingConfig { max_recommendations: 0, ..MatchingConfig::default() })]
#[case::neutral_credit_off_scale(MatchingConfig { neutral_credit_score: 120.0, ..MatchingConfig::default() })]
fn invalid_configuration_is_rejected(#[case] config: MatchingConfig) {
    let error = recommend(&demand(), &[candidate("a")], &config, now()).expect_err("invalid");
    assert_eq!(error.code(), "matching_config_invalid");
}

#[test]
fn explaining_an_excluded_candidate_lists_every_violation() {
    let mut lacking = candidate("lacking");
    lacking.qualifications[0].grade = GradeRank(3);
    lacking.regions_served = vec![region("330000")];
    let explanation = explain_candidate(
        &demand(),
        &[lacking, candidate("ok")],
        "lacking",
        &MatchingConfig::default(),
        now(),
    )
    .expect("known candidate");
    let CandidateExplanation::Excluded { violations, .. } = explanation else {
        panic!("expected an exclusion, got {explanation:?}");
    };
    assert_eq!(
        violations,
        vec![
            ConstraintViolation::QualificationNotMet {
                requirement: demand().required_qualifications[0].clone(),
                check: crate::domain::qualification::RequirementCheck::BelowGrade { best_held: GradeRank(3) },
            },
            ConstraintViolation::RegionNotServed { region: region("320106") },
        ]
    );
}

#[test]
fn explaining_an_outranked_candidate_gives_its_rank_and_gaps() {
    let mut candidates: Vec<CandidateProfile> = (0..5).map(|i| candidate(&format!("org-{i}"))).collect();
    let mut weaker = candidate("weaker");
    weaker.price_index = Some(1.4);
    candidates.push(weaker);
    let explanation = explain_candidate(&demand(), &candidates, "weaker", &MatchingConfig::default(), now())
        .expect("known candidate");
    let CandidateExplanation::Outranked { rank, score, cutoff_score, gaps, .. } = explanation else {
        panic!("expected outranked, got {explanation:?}");
    };
    assert_eq!(rank, 6);
    assert!(score < cutoff_score);
    let price_gap = gaps.iter().find(|gap| gap.factor == Factor::PriceLevel).expect("price gap");
    assert!(price_gap.points_difference < 0.0);
    assert!(
        (gaps.iter().map(|gap| gap.points_difference).sum::<f64>() - (score - cutoff_score)).abs() < 1e-9
    );
}

#[test]
fn explaining_a_recommended_or_unknown_candidate() {
    let candidates = [candidate("a")];
    let config = MatchingConfig::default();
    assert!(matches!(
        explain_candidate(&demand(), &candidates, "a", &config, now()),
        Ok(CandidateExplanation::Recommended { .. })
    ));
    assert_eq!(
        explain_candidate(&demand(), &candidates, "nobody", &config, now()),
        Err(MatchingError::UnknownCandidate("nobody".to_owned()))
    );
}

/// An oracle written independently of the engine's own constraint code.
fn obeys_every_hard_constraint(candidate: &CandidateProfile, demand: &Demand) -> bool {
    let today = NaiveDate::from_ymd_opt(2025, 3, 3).expect("date");
    let qualified = demand.required_qualifications.iter().all(|required| {
        candidate.qualifications.iter().any(|held| {
            held.kind == required.kind && held.grade.0 <= required.minimum_grade.0 && held.expires_on >= today
        })
    });
    let serves = candidate.serves_nationwide
        || candidate.regions_served.iter().any(|served| {
            let (s, d) = (served.to_string(), demand.region.to_string());
            if s.ends_with("0000") {
                s[..2] == d[..2]
            } else if s.ends_with("00") {
                s[..4] == d[..4]
            } else {
                s == d
            }
        });
    candidate.verified
        && !candidate.suspended
        && candidate.credit.standing != CreditStanding::Rated { grade: CreditGrade::C }
        && candidate.categories.contains(&demand.category)
        && qualified
        && serves
        && candidate.org_id != demand.poster_org_id
}

fn any_candidate() -> impl Strategy<Value = CandidateProfile> {
    let regions =
        prop::sample::select(vec!["320106", "320105", "320205", "320000", "320100", "330106", "330000"]);
    (
        (any::<bool>(), any::<bool>(), 0_u8..6, any::<bool>(), 0_u8..4, any::<bool>()),
        (regions.clone(), regions, any::<bool>(), 40.0_f64..100.0, 0_u8..4),
        (0_i64..2_000_000_000, 0_i64..2_000_000_000, 0_u32..8, 0_u32..20, prop::option::of(0.5_f64..1.6)),
    )
        .prop_map(
            |(
                (verified, suspended, grade, offers, qualification_rank, expired),
                (home, served, nationwide, score, tier),
                (capacity, open, partner_contracts, invitations, price),
            )| {
                let standing = match grade {
                    0 => CreditStanding::InsufficientData,
                    1 => CreditStanding::Rated { grade: CreditGrade::C },
                    2 => CreditStanding::Rated { grade: CreditGrade::B },
                    3 => CreditStanding::Rated { grade: CreditGrade::A },
                    4 => CreditStanding::Rated { grade: CreditGrade::Aa },
                    _ => CreditStanding::Rated { grade: CreditGrade::Aaa },
                };
                let mut profile = candidate("placeholder");
                profile.verified = verified || offers;
                profile.suspended = suspended && !offers;
                profile.credit = CandidateCredit { score, standing };
                if !offers {
                    profile.categories = vec!["concrete".to_owned()];
                }
                profile.qualifications[0].grade = GradeRank(qualification_rank);
                if expired {
                    profile.qualifications[0].expires_on =
                        NaiveDate::from_ymd_opt(2024, 12, 31).expect("date");
                }
                profile.home_region = region(home);
                profile.regions_served = vec![region(served)];
                profile.serves_nationwide = nationwide;
                profile.tier = match tier {
                    0 => MembershipTier::New,
                    1 => MembershipTier::Regular,
                    2 => MembershipTier::Certified,
                    _ => MembershipTier::Vip,
                };
                profile.capacity_fen = capacity;
                profile.open_contract_value_fen = open;
                profile.history_with_poster = CooperationHistory {
                    completed_contracts: partner_contracts,
                    rating_count: partner_contracts,
                    rating_sum: f64::from(partner_contracts) * 4.0,
                };
                profile.invitations = InvitationRecord { received: invitations, answered: invitations / 2 };
                profile.price_index = price;
                profile
            },
        )
}

fn any_market() -> impl Strategy<Value = Vec<CandidateProfile>> {
    prop::collection::vec(any_candidate(), 0..40).prop_map(|mut candidates| {
        for (index, candidate) in candidates.iter_mut().enumerate() {
            candidate.org_id = format!("org-{index:03}");
        }
        if let Some(first) = candidates.first_mut() {
            first.org_id = "poster".to_owned();
        }
        candidates
    })
}

proptest! {
    #[test]
    fn recommendations_never_break_a_hard_constraint(market in any_market()) {
        let outcome = run(&market);
        let demand = demand();
        for recommendation in &outcome.recommendations {
            let profile = market
                .iter()
                .find(|candidate| candidate.org_id == recommendation.org_id)
                .expect("recommended from the market");
            prop_assert!(obeys_every_hard_constraint(profile, &demand));
        }
        let feasible = market.iter().filter(|c| obeys_every_hard_constraint(c, &demand)).count();
        prop_assert_eq!(outcome.qualified, feasible);
        prop_assert_eq!(outcome.recommendations.len(), feasible.min(5));
        prop_assert!(outcome.recommendations.windows(2).all(|pair| pair[0].score >= pair[1].score));
    }

    #[test]
    fn the_outcome_does_not_depend_on_input_order(
        market in any_market(),
        seed in any::<u64>(),
    ) {
        let mut shuffled = market.clone();
        // A deterministic Fisher–Yates shuffle driven by the seed.
        let mut state = seed | 1;
        for index in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let other = usize::try_from(state % (index as u64 + 1)).expect("small index");
            shuffled.swap(index, other);
        }
        prop_assert_eq!(run(&market), run(&shuffled));
    }
}

#[test]
fn live_facts_replace_the_profiles_history_and_open_value_when_matching() {
    let (a, b) = (candidate("a"), candidate("b"));
    let plain = run(&[a.clone(), b.clone()]);
    assert_eq!(recommended_ids(&plain), ["a", "b"], "identical: by id");
    let mut live = LiveFacts::default();
    live.history_with_poster.insert(
        "b".to_owned(),
        CooperationHistory { completed_contracts: 2, rating_count: 2, rating_sum: 9.5 },
    );
    let with_history =
        recommend_with(&demand(), &[a.clone(), b.clone()], &live, &MatchingConfig::default(), now())
            .expect("valid config");
    assert_eq!(recommended_ids(&with_history), ["b", "a"], "the poster's good partner first");
    let history_points = |outcome: &MatchOutcome, id: &str| {
        let r = outcome.recommendations.iter().find(|r| r.org_id == id).expect("recommended");
        r.breakdown.iter().find(|f| f.factor == Factor::CooperationHistory).expect("factor").value
    };
    assert!(history_points(&with_history, "b") > history_points(&with_history, "a"));

    // A full book: b's open contracts now leave it less room than a.
    let mut busy = LiveFacts::default();
    busy.open_contract_value_fen.insert("a".to_owned(), a.capacity_fen - 50_000_000);
    let crowded =
        recommend_with(&demand(), &[a, b], &busy, &MatchingConfig::default(), now()).expect("valid config");
    assert_eq!(recommended_ids(&crowded), ["b", "a"], "less free capacity ranks lower");
}

#[test]
fn price_levels_compare_each_listing_with_its_units_median_and_need_three_listings() {
    let listing = |org: &str, unit: &str, fen: i64| (org.to_owned(), unit.to_owned(), fen);
    let levels = price_levels(&[
        listing("a", "吨", 9_000),
        listing("a", "吨", 9_500),
        listing("b", "吨", 12_000),
        listing("c", "立方米", 5_000),
        listing("c", "立方米", 0),
    ]);
    let a = levels.get("a").copied().expect("a");
    assert!((a - (90.0 / 95.0 + 1.0) / 2.0).abs() < 1e-9, "{a}");
    assert!((levels.get("b").copied().expect("b") - 120.0 / 95.0).abs() < 1e-9);
    assert!(!levels.contains_key("c"), "one priced listing in its unit sets no level");
    let live = LiveFacts { price_index: levels, ..LiveFacts::default() };
    let (mut a, mut b) = (candidate("a"), candidate("b"));
    a.price_index = None;
    b.price_index = None;
    let outcome =
        recommend_with(&demand(), &[b, a], &live, &MatchingConfig::default(), now()).expect("config");
    assert_eq!(recommended_ids(&outcome), ["a", "b"], "the cheaper one first");
}
