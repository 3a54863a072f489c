//! The inputs of the matching engine: a published demand and the profile of each candidate
//! organisation, as seen from that demand (history with its poster, price level in its category).

use serde::{Deserialize, Serialize};

use crate::domain::credit::CreditStanding;
use crate::domain::membership::MembershipTier;
use crate::domain::qualification::{HeldQualification, QualificationRequirement};
use crate::domain::region::RegionCode;

/// A subcontracting or procurement demand to match.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Demand {
    /// Demand id.
    pub id: String,
    /// The organisation that posted it (it is never recommended to itself).
    pub poster_org_id: String,
    /// Category of work or material, from the taxonomy.
    pub category: String,
    /// Where the work is (district, city or province code).
    pub region: RegionCode,
    /// Qualifications every candidate must hold at or above the given grade.
    pub required_qualifications: Vec<QualificationRequirement>,
    /// Upper end of the budget range, fen: the contract value a supplier must be able to carry.
    pub budget_max_fen: i64,
}

/// A candidate's credit as the credit model last computed it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CandidateCredit {
    /// Total score 0–100 (provisional while the standing is insufficient data).
    pub score: f64,
    /// Grade, or insufficient data.
    pub standing: CreditStanding,
}

/// Past cooperation between a candidate and the demand's poster.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CooperationHistory {
    /// Contracts between them completed.
    pub completed_contracts: u32,
    /// Ratings the poster gave the candidate.
    pub rating_count: u32,
    /// Sum of those ratings (1–5 each).
    pub rating_sum: f64,
}

impl CooperationHistory {
    /// Mean rating given by the poster, if any.
    #[must_use]
    pub fn mean_rating(&self) -> Option<f64> {
        (self.rating_count > 0).then(|| self.rating_sum / f64::from(self.rating_count))
    }
}

/// How a candidate has answered invitations to demands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationRecord {
    /// Invitations received.
    pub received: u32,
    /// Invitations answered (interested or declined) in time.
    pub answered: u32,
}

/// An organisation that could be recommended for a demand.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CandidateProfile {
    /// Organisation id (ties are broken by it, ascending).
    pub org_id: String,
    /// Real-name verification approved.
    pub verified: bool,
    /// Suspended by platform staff.
    pub suspended: bool,
    /// Categories of work or material offered.
    pub categories: Vec<String>,
    /// Verified qualification certificates.
    pub qualifications: Vec<HeldQualification>,
    /// Where the organisation is based.
    pub home_region: RegionCode,
    /// Regions served (a province serves all its cities and districts).
    pub regions_served: Vec<RegionCode>,
    /// Serves the whole country.
    pub serves_nationwide: bool,
    /// Credit score and grade.
    pub credit: CandidateCredit,
    /// Membership tier.
    pub tier: MembershipTier,
    /// Declared capacity: the open contract value it can carry at once, fen (0 = not declared).
    pub capacity_fen: i64,
    /// Value of contracts currently open, fen.
    pub open_contract_value_fen: i64,
    /// History with the demand's poster.
    pub history_with_poster: CooperationHistory,
    /// Answers to past invitations.
    pub invitations: InvitationRecord,
    /// Price level in the demand's category relative to the market median (1.0 = median,
    /// 0.9 = 10 % cheaper); none when unknown.
    pub price_index: Option<f64>,
}

/// What is known about candidates at the moment a demand is matched rather than kept in each
/// profile: the history with this demand's poster (its completed contracts with each and the
/// ratings it gave), the value of contracts open now, which changes with every contract, and the
/// price level in the demand's category.
/// An entry replaces the profile's field; organisations without one keep theirs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LiveFacts {
    /// History with the poster, per organisation id.
    pub history_with_poster: std::collections::HashMap<String, CooperationHistory>,
    /// Value of contracts open now, fen, per organisation id.
    pub open_contract_value_fen: std::collections::HashMap<String, i64>,
    /// Price level in the demand's category (1.0 = the market median), per organisation id.
    pub price_index: std::collections::HashMap<String, f64>,
}

impl LiveFacts {
    /// The candidate with its live facts, or `None` when there are none for it.
    #[must_use]
    pub fn applied_to(&self, candidate: &CandidateProfile) -> Option<CandidateProfile> {
        let history = self.history_with_poster.get(&candidate.org_id);
        let open = self.open_contract_value_fen.get(&candidate.org_id);
        let price = self.price_index.get(&candidate.org_id);
        if history.is_none() && open.is_none() && price.is_none() {
            return None;
        }
        let mut live = candidate.clone();
        if let Some(history) = history {
            live.history_with_poster = *history;
        }
        if let Some(open) = open {
            live.open_contract_value_fen = *open;
        }
        if let Some(price) = price {
            live.price_index = Some(*price);
        }
        Some(live)
    }
}

/// Each organisation's price level among `listings` (organisation, unit, unit price in fen) of
/// one category: per unit, the median of every listing's price (units with fewer than 3 listings
/// are left out: no price level from one or two offers); an organisation's level is the mean of
/// its listings' price over their unit's median (1.0 = the median, 0.9 = 10 % cheaper).
#[must_use]
pub fn price_levels(listings: &[(String, String, i64)]) -> std::collections::HashMap<String, f64> {
    let mut by_unit: std::collections::HashMap<&str, Vec<i64>> = std::collections::HashMap::new();
    for (_, unit, price) in listings.iter().filter(|(_, _, price)| *price > 0) {
        by_unit.entry(unit.as_str()).or_default().push(*price);
    }
    let medians: std::collections::HashMap<&str, f64> = by_unit
        .into_iter()
        .filter(|(_, prices)| prices.len() >= 3)
        .map(|(unit, mut prices)| {
            prices.sort_unstable();
            let mid = prices.len() / 2;
            #[expect(clippy::cast_precision_loss, reason = "prices far below 2^53 fen")]
            let median = if prices.len() % 2 == 0 {
                (prices[mid - 1] + prices[mid]) as f64 / 2.0
            } else {
                prices[mid] as f64
            };
            (unit, median)
        })
        .collect();
    let mut sums: std::collections::HashMap<String, (f64, u32)> = std::collections::HashMap::new();
    for (org, unit, price) in listings {
        if let Some(median) = medians.get(unit.as_str()).filter(|m| **m > 0.0) {
            let entry = sums.entry(org.clone()).or_default();
            #[expect(clippy::cast_precision_loss, reason = "prices far below 2^53 fen")]
            let ratio = *price as f64 / median;
            entry.0 += ratio;
            entry.1 += 1;
        }
    }
    sums.into_iter().map(|(org, (sum, n))| (org, sum / f64::from(n))).collect()
}
