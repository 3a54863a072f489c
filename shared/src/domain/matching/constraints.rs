//! Hard constraints: a candidate that breaks any of them is never recommended.
//!
//! Verified, not suspended, credit grade not C, offers the demand's category, holds every required
//! qualification at or above the required grade (valid on the demand's date), serves the demand's
//! region, and is not the poster itself.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{CandidateProfile, Demand};
use crate::domain::credit::{CreditGrade, CreditStanding};
use crate::domain::qualification::{
    QualificationRequirement, RequirementCheck, check_requirement, meets_all,
};
use crate::domain::region::RegionCode;

/// The hard constraints, in the order they are reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HardConstraint {
    /// Real-name verification approved.
    Verified,
    /// Not suspended by platform staff.
    NotSuspended,
    /// Credit grade is not C.
    CreditNotC,
    /// Offers the demand's category.
    OffersCategory,
    /// Holds every required qualification at or above its grade.
    HoldsQualifications,
    /// Serves the demand's region.
    ServesRegion,
    /// Is not the demand's poster.
    NotThePoster,
}

impl HardConstraint {
    /// All constraints in report order.
    pub const ALL: [Self; 7] = [
        Self::Verified,
        Self::NotSuspended,
        Self::CreditNotC,
        Self::OffersCategory,
        Self::HoldsQualifications,
        Self::ServesRegion,
        Self::NotThePoster,
    ];

    const fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// How a candidate breaks one hard constraint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "constraint")]
pub enum ConstraintViolation {
    /// Real-name verification is not approved.
    NotVerified,
    /// The organisation is suspended.
    Suspended,
    /// Credit grade C.
    CreditGradeC,
    /// The category is not offered.
    CategoryNotOffered {
        /// The demand's category.
        category: String,
    },
    /// A required qualification is missing, expired or below the grade.
    QualificationNotMet {
        /// The requirement.
        requirement: QualificationRequirement,
        /// What the candidate holds against it.
        check: RequirementCheck,
    },
    /// The region is not served.
    RegionNotServed {
        /// The demand's region.
        region: RegionCode,
    },
    /// The candidate posted the demand.
    IsThePoster,
}

impl ConstraintViolation {
    /// The constraint broken.
    #[must_use]
    pub const fn constraint(&self) -> HardConstraint {
        match self {
            Self::NotVerified => HardConstraint::Verified,
            Self::Suspended => HardConstraint::NotSuspended,
            Self::CreditGradeC => HardConstraint::CreditNotC,
            Self::CategoryNotOffered { .. } => HardConstraint::OffersCategory,
            Self::QualificationNotMet { .. } => HardConstraint::HoldsQualifications,
            Self::RegionNotServed { .. } => HardConstraint::ServesRegion,
            Self::IsThePoster => HardConstraint::NotThePoster,
        }
    }
}

/// How many candidates broke each constraint (a candidate breaking several is counted under each).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConstraintExclusions {
    /// The constraint.
    pub constraint: HardConstraint,
    /// Candidates that broke it.
    pub excluded: u32,
}

fn is_c_grade(standing: CreditStanding) -> bool {
    standing == CreditStanding::Rated { grade: CreditGrade::C }
}

fn serves(candidate: &CandidateProfile, region: RegionCode) -> bool {
    candidate.serves_nationwide || candidate.regions_served.iter().any(|served| served.covers(region))
}

/// The constraints a candidate breaks, as a bit set (zero when it is feasible). This is the hot
/// path of the engine: it allocates nothing.
#[must_use]
pub fn broken_constraints(candidate: &CandidateProfile, demand: &Demand, today: NaiveDate) -> u8 {
    let checks = [
        (HardConstraint::Verified, candidate.verified),
        (HardConstraint::NotSuspended, !candidate.suspended),
        (HardConstraint::CreditNotC, !is_c_grade(candidate.credit.standing)),
        (HardConstraint::OffersCategory, candidate.categories.contains(&demand.category)),
        (
            HardConstraint::HoldsQualifications,
            meets_all(&candidate.qualifications, &demand.required_qualifications, today),
        ),
        (HardConstraint::ServesRegion, serves(candidate, demand.region)),
        (HardConstraint::NotThePoster, candidate.org_id != demand.poster_org_id),
    ];
    checks.into_iter().filter(|(_, holds)| !holds).fold(0, |bits, (constraint, _)| bits | constraint.bit())
}

/// Whether a bit set from [`broken_constraints`] contains a constraint.
#[must_use]
pub const fn breaks(bits: u8, constraint: HardConstraint) -> bool {
    bits & constraint.bit() != 0
}

/// Every violation of a candidate, with details, for explanations.
#[must_use]
pub fn violations(
    candidate: &CandidateProfile,
    demand: &Demand,
    today: NaiveDate,
) -> Vec<ConstraintViolation> {
    let bits = broken_constraints(candidate, demand, today);
    let mut found = Vec::new();
    for constraint in HardConstraint::ALL.iter().copied().filter(|constraint| breaks(bits, *constraint)) {
        match constraint {
            HardConstraint::Verified => found.push(ConstraintViolation::NotVerified),
            HardConstraint::NotSuspended => found.push(ConstraintViolation::Suspended),
            HardConstraint::CreditNotC => found.push(ConstraintViolation::CreditGradeC),
            HardConstraint::OffersCategory => {
                found.push(ConstraintViolation::CategoryNotOffered { category: demand.category.clone() })
            }
            HardConstraint::HoldsQualifications => {
                found.extend(demand.required_qualifications.iter().filter_map(|requirement| {
                    let check = check_requirement(&candidate.qualifications, requirement, today);
                    (!check.is_met()).then(|| ConstraintViolation::QualificationNotMet {
                        requirement: requirement.clone(),
                        check,
                    })
                }));
            }
            HardConstraint::ServesRegion => {
                found.push(ConstraintViolation::RegionNotServed { region: demand.region })
            }
            HardConstraint::NotThePoster => found.push(ConstraintViolation::IsThePoster),
        }
    }
    found
}
