//! Qualification certificates (资质证书) and the rule "holds the required qualification at or
//! above the required grade".
//!
//! Grades are compared only within one qualification type. The taxonomy file orders each type's
//! grades from the top; a grade is carried here as its [`GradeRank`] in that order, so 特级 is
//! rank 0, 一级 rank 1, 二级 rank 2, 三级 rank 3 for construction general contracting, and 甲级
//! rank 0, 乙级 rank 1 for engineering design. A type with a single grade ("held") has rank 0.
//! An expired certificate counts for nothing.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// How many days before expiry the owner is reminded.
pub const RENEWAL_REMINDER_DAYS: u64 = 30;

/// Position of a grade in its type's ordered list: 0 is the top grade, larger is lower.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct GradeRank(pub u8);

impl GradeRank {
    /// Whether this grade is the same as or above `required`.
    #[must_use]
    pub const fn is_at_least(self, required: Self) -> bool {
        self.0 <= required.0
    }
}

/// A requirement of a demand: a qualification type and the lowest acceptable grade.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct QualificationRequirement {
    /// Qualification type code from the taxonomy, e.g. `construction_general_contracting`.
    pub kind: String,
    /// Lowest acceptable grade.
    pub minimum_grade: GradeRank,
}

/// A verified certificate held by an organisation.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct HeldQualification {
    /// Qualification type code from the taxonomy.
    pub kind: String,
    /// The grade held.
    pub grade: GradeRank,
    /// Last day (Shanghai date) on which the certificate is valid.
    pub expires_on: NaiveDate,
}

impl HeldQualification {
    /// Whether the certificate is valid on `today`.
    #[must_use]
    pub fn is_valid_on(&self, today: NaiveDate) -> bool {
        today <= self.expires_on
    }

    /// Whether the owner should be reminded to renew: valid today but expiring within
    /// [`RENEWAL_REMINDER_DAYS`].
    #[must_use]
    pub fn needs_renewal_reminder(&self, today: NaiveDate) -> bool {
        self.is_valid_on(today)
            && today
                .checked_add_days(Days::new(RENEWAL_REMINDER_DAYS))
                .is_none_or(|horizon| self.expires_on <= horizon)
    }
}

/// How a set of certificates fares against one requirement.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum RequirementCheck {
    /// A valid certificate of the type at or above the grade is held.
    Met,
    /// No certificate of the type is held at all.
    Missing,
    /// Only expired certificates of the type at or above the grade are held.
    Expired,
    /// Valid certificates of the type are held, but all below the grade.
    BelowGrade {
        /// The best valid grade held.
        best_held: GradeRank,
    },
}

impl RequirementCheck {
    /// Whether the requirement is met.
    #[must_use]
    pub const fn is_met(&self) -> bool {
        matches!(self, Self::Met)
    }
}

/// Checks one requirement against the certificates an organisation holds.
#[must_use]
pub fn check_requirement(
    held: &[HeldQualification],
    requirement: &QualificationRequirement,
    today: NaiveDate,
) -> RequirementCheck {
    let mut best_valid: Option<GradeRank> = None;
    let mut expired_but_sufficient = false;
    for certificate in held.iter().filter(|held| held.kind == requirement.kind) {
        let sufficient = certificate.grade.is_at_least(requirement.minimum_grade);
        if certificate.is_valid_on(today) {
            if sufficient {
                return RequirementCheck::Met;
            }
            best_valid = Some(match best_valid {
                Some(best) if best.is_at_least(certificate.grade) => best,
                _ => certificate.grade,
            });
        } else if sufficient {
            expired_but_sufficient = true;
        }
    }
    match (expired_but_sufficient, best_valid) {
        (true, _) => RequirementCheck::Expired,
        (false, Some(best_held)) => RequirementCheck::BelowGrade { best_held },
        (false, None) => RequirementCheck::Missing,
    }
}

/// Whether every requirement is met (the fast path of the matching engine).
#[must_use]
pub fn meets_all(
    held: &[HeldQualification],
    requirements: &[QualificationRequirement],
    today: NaiveDate,
) -> bool {
    requirements.iter().all(|requirement| {
        held.iter().any(|certificate| {
            certificate.kind == requirement.kind
                && certificate.grade.is_at_least(requirement.minimum_grade)
                && certificate.is_valid_on(today)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    const GENERAL: &str = "construction_general_contracting";

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    fn cert(kind: &str, grade: u8, expires_on: NaiveDate) -> HeldQualification {
        HeldQualification { kind: kind.to_owned(), grade: GradeRank(grade), expires_on }
    }

    fn requirement(grade: u8) -> QualificationRequirement {
        QualificationRequirement { kind: GENERAL.to_owned(), minimum_grade: GradeRank(grade) }
    }

    #[rstest]
    #[case::special_grade_satisfies_grade_two(vec![cert(GENERAL, 0, date(2030, 1, 1))], 2, RequirementCheck::Met)]
    #[case::same_grade_satisfies(vec![cert(GENERAL, 2, date(2030, 1, 1))], 2, RequirementCheck::Met)]
    #[case::grade_three_does_not_satisfy_grade_two(vec![cert(GENERAL, 3, date(2030, 1, 1))], 2, RequirementCheck::BelowGrade { best_held: GradeRank(3) })]
    #[case::another_type_does_not_count(vec![cert("engineering_design", 0, date(2030, 1, 1))], 2, RequirementCheck::Missing)]
    #[case::expired_certificate_counts_for_nothing(vec![cert(GENERAL, 1, date(2024, 12, 31))], 2, RequirementCheck::Expired)]
    #[case::valid_on_its_last_day(vec![cert(GENERAL, 1, date(2025, 1, 1))], 2, RequirementCheck::Met)]
    #[case::best_valid_grade_is_reported(vec![cert(GENERAL, 3, date(2030, 1, 1)), cert(GENERAL, 2, date(2030, 1, 1))], 1, RequirementCheck::BelowGrade { best_held: GradeRank(2) })]
    fn at_or_above_the_required_grade(
        #[case] held: Vec<HeldQualification>,
        #[case] minimum: u8,
        #[case] expected: RequirementCheck,
    ) {
        let today = date(2025, 1, 1);
        assert_eq!(check_requirement(&held, &requirement(minimum), today), expected);
        assert_eq!(meets_all(&held, &[requirement(minimum)], today), expected.is_met());
    }

    #[rstest]
    #[case::thirty_days_ahead(date(2025, 1, 31), true)]
    #[case::thirty_one_days_ahead(date(2025, 2, 1), false)]
    #[case::already_expired(date(2024, 12, 31), false)]
    fn owners_are_reminded_thirty_days_before_expiry(#[case] expires_on: NaiveDate, #[case] expected: bool) {
        assert_eq!(cert(GENERAL, 1, expires_on).needs_renewal_reminder(date(2025, 1, 1)), expected);
    }
}
