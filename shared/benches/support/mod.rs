//! Generators of large random markets and credit records for the speed benchmarks. Everything is
//! derived from a seed through SplitMix64, so a benchmark run is reproducible.

use chrono::NaiveDate;
use shared::domain::credit::{
    CreditGrade, CreditRecord, CreditStanding, PerformanceRecord, QualificationRecord, RatingRecord,
    SocialResponsibilityRecord, StaffFinding, TransactionRecord,
};
use shared::domain::matching::{
    CandidateCredit, CandidateProfile, CooperationHistory, Demand, InvitationRecord,
};
use shared::domain::membership::MembershipTier;
use shared::domain::qualification::{GradeRank, HeldQualification, QualificationRequirement};
use shared::domain::region::RegionCode;

/// Mainland province-level divisions of GB/T 2260.
const PROVINCES: [u32; 31] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54,
    61, 62, 63, 64, 65,
];
const CATEGORIES: u64 = 40;
const QUALIFICATION_KINDS: u64 = 15;

/// SplitMix64: small, fast and good enough for test data.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub const fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..bound`.
    fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound
    }

    fn below_u32(&mut self, bound: u32) -> u32 {
        u32::try_from(self.below(u64::from(bound))).expect("below a u32 bound")
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1_u64 << 53) as f64
    }

    fn chance(&mut self, probability: f64) -> bool {
        self.unit() < probability
    }
}

fn region(rng: &mut Rng, province: u32) -> RegionCode {
    let city = 1 + rng.below_u32(10);
    let district = 1 + rng.below_u32(12);
    RegionCode::parse(&format!("{province:02}{city:02}{district:02}")).expect("generated region")
}

fn any_province(rng: &mut Rng) -> u32 {
    PROVINCES[usize::try_from(rng.below(PROVINCES.len() as u64)).expect("index")]
}

fn any_region(rng: &mut Rng) -> RegionCode {
    let province = any_province(rng);
    region(rng, province)
}

fn category(rng: &mut Rng) -> String {
    format!("category_{:02}", rng.below(CATEGORIES))
}

fn qualification_kind(rng: &mut Rng) -> String {
    format!("qualification_{:02}", rng.below(QUALIFICATION_KINDS))
}

fn grade(rng: &mut Rng) -> GradeRank {
    GradeRank(u8::try_from(rng.below(4)).expect("small"))
}

/// A random demand.
pub fn demand(rng: &mut Rng, index: usize) -> Demand {
    let requirements = rng.below(3);
    Demand {
        id: format!("demand-{index}"),
        poster_org_id: format!("org-{:08}", rng.below(1_000_000)),
        category: category(rng),
        region: any_region(rng),
        required_qualifications: (0..requirements)
            .map(|_| QualificationRequirement {
                kind: qualification_kind(rng),
                minimum_grade: GradeRank(1 + u8::try_from(rng.below(3)).expect("small")),
            })
            .collect(),
        budget_max_fen: 100 * i64::try_from(100_000 + rng.below(50_000_000)).expect("fits"),
    }
}

fn credit(rng: &mut Rng) -> CandidateCredit {
    if rng.chance(0.15) {
        return CandidateCredit { score: 0.0, standing: CreditStanding::InsufficientData };
    }
    let score = (55.0 + 45.0 * rng.unit()).min(100.0);
    CandidateCredit { score, standing: CreditStanding::Rated { grade: CreditGrade::from_score(score) } }
}

fn tier(rng: &mut Rng) -> MembershipTier {
    match rng.below(10) {
        0..=3 => MembershipTier::New,
        4..=6 => MembershipTier::Regular,
        7 | 8 => MembershipTier::Certified,
        _ => MembershipTier::Vip,
    }
}

/// A random organisation profile.
pub fn candidate(rng: &mut Rng, index: usize) -> CandidateProfile {
    let home_region = any_region(rng);
    let mut regions_served = vec![if rng.chance(0.7) {
        home_region.province()
    } else {
        home_region.city().unwrap_or(home_region)
    }];
    if rng.chance(0.3) {
        regions_served.push(any_region(rng).province());
    }
    let expires_on =
        NaiveDate::from_ymd_opt(2024, 1, 1).expect("date") + chrono::Days::new(rng.below(4 * 365));
    let capacity_fen = 100 * i64::try_from(rng.below(500_000_000)).expect("fits");
    let partner_contracts = if rng.chance(0.02) { 1 + rng.below_u32(10) } else { 0 };
    let received = rng.below_u32(30);
    CandidateProfile {
        org_id: format!("org-{index:08}"),
        verified: rng.chance(0.9),
        suspended: rng.chance(0.01),
        categories: (0..1 + rng.below(4)).map(|_| category(rng)).collect(),
        qualifications: (0..rng.below(4))
            .map(|_| HeldQualification { kind: qualification_kind(rng), grade: grade(rng), expires_on })
            .collect(),
        home_region,
        regions_served,
        serves_nationwide: rng.chance(0.1),
        credit: credit(rng),
        tier: tier(rng),
        capacity_fen,
        open_contract_value_fen: i64::try_from(
            rng.below(u64::try_from(capacity_fen).expect("non-negative") + 1),
        )
        .expect("fits"),
        history_with_poster: CooperationHistory {
            completed_contracts: partner_contracts,
            rating_count: partner_contracts,
            rating_sum: f64::from(partner_contracts) * (1.0 + 4.0 * rng.unit()),
        },
        invitations: InvitationRecord { received, answered: rng.below_u32(received + 1) },
        price_index: rng.chance(0.8).then(|| 0.7 + 0.8 * rng.unit()),
    }
}

/// A market of `size` random organisations.
pub fn market(size: usize, seed: u64) -> Vec<CandidateProfile> {
    let mut rng = Rng::new(seed);
    (0..size).map(|index| candidate(&mut rng, index)).collect()
}

fn finding<T>(rng: &mut Rng, value: T) -> Option<StaffFinding<T>> {
    rng.chance(0.6).then(|| StaffFinding { value, source: "generated".to_owned() })
}

/// `size` random credit records.
pub fn credit_records(size: usize, seed: u64) -> Vec<CreditRecord> {
    let mut rng = Rng::new(seed);
    (0..size)
        .map(|_| {
            let due = rng.below_u32(60);
            let decided = rng.below_u32(40);
            let payments = rng.below_u32(50);
            let ratings = rng.below_u32(40);
            let held = rng.below_u32(4);
            let valid = rng.below_u32(held + 1);
            let tax = rng.chance(0.9);
            let wages = rng.below_u32(2);
            let safety = rng.below_u32(3);
            CreditRecord {
                performance: PerformanceRecord {
                    contracts_completed: rng.below_u32(30),
                    contracts_terminated: rng.below_u32(3),
                    milestones_on_time: rng.below_u32(due + 1),
                    milestones_due: due,
                    acceptances_first_time: rng.below_u32(decided + 1),
                    acceptances_decided: decided,
                },
                transactions: TransactionRecord {
                    cooperations: rng.below_u32(40),
                    payments_on_time: rng.below_u32(payments + 1),
                    payments_due: payments,
                    disputes_lost: rng.below_u32(3),
                },
                reputation: RatingRecord {
                    count: ratings,
                    sum: f64::from(ratings) * (1.0 + 4.0 * rng.unit()),
                },
                qualification: QualificationRecord {
                    best_valid_grade: (valid > 0).then(|| grade(&mut rng)),
                    certificates_held: held,
                    certificates_valid: valid,
                },
                social_responsibility: SocialResponsibilityRecord {
                    tax_compliant: finding(&mut rng, tax),
                    wage_arrears_cases: finding(&mut rng, wages),
                    safety_incidents: finding(&mut rng, safety),
                },
            }
        })
        .collect()
}
