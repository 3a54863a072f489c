//! Credit grades (AAA ≥ 90, AA ≥ 80, A ≥ 70, B ≥ 60, C < 60), the "insufficient data" standing,
//! and the privileges each standing carries.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A credit grade computed from the total score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum CreditGrade {
    /// Below 60.
    C,
    /// 60 to below 70.
    B,
    /// 70 to below 80.
    A,
    /// 80 to below 90.
    Aa,
    /// 90 and above.
    Aaa,
}

impl CreditGrade {
    /// The grade of a total score (0–100). A score that is not a number grades C.
    #[must_use]
    pub fn from_score(score: f64) -> Self {
        if score >= 90.0 {
            Self::Aaa
        } else if score >= 80.0 {
            Self::Aa
        } else if score >= 70.0 {
            Self::A
        } else if score >= 60.0 {
            Self::B
        } else {
            Self::C
        }
    }

    /// The stored and wire form, e.g. `aaa`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Aaa => "aaa",
            Self::Aa => "aa",
            Self::A => "a",
            Self::B => "b",
            Self::C => "c",
        }
    }

    /// Parses the stored form.
    #[must_use]
    pub fn parse(word: &str) -> Option<Self> {
        [Self::Aaa, Self::Aa, Self::A, Self::B, Self::C].into_iter().find(|g| g.as_str() == word)
    }

    /// The letters as printed, e.g. `AAA`.
    #[must_use]
    pub const fn letters(self) -> &'static str {
        match self {
            Self::Aaa => "AAA",
            Self::Aa => "AA",
            Self::A => "A",
            Self::B => "B",
            Self::C => "C",
        }
    }
}

impl fmt::Display for CreditGrade {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.letters())
    }
}

/// An organisation's credit standing: a grade, or too little data for one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum CreditStanding {
    /// Enough platform data for a grade.
    Rated {
        /// The grade.
        grade: CreditGrade,
    },
    /// Too little platform data: no grade yet (a newcomer).
    InsufficientData,
}

impl CreditStanding {
    /// The grade, if rated.
    #[must_use]
    pub const fn grade(self) -> Option<CreditGrade> {
        match self {
            Self::Rated { grade } => Some(grade),
            Self::InsufficientData => None,
        }
    }

    /// The privileges and restrictions that come with this standing.
    #[must_use]
    pub const fn privileges(self) -> GradePrivileges {
        let (may_bid, matching_priority, financing_rate_adjustment_bps) = match self {
            Self::Rated { grade: CreditGrade::Aaa } => (true, true, -50),
            Self::Rated { grade: CreditGrade::Aa } => (true, false, -25),
            Self::Rated { grade: CreditGrade::A } | Self::InsufficientData => (true, false, 0),
            Self::Rated { grade: CreditGrade::B } => (true, false, 25),
            Self::Rated { grade: CreditGrade::C } => (false, false, 50),
        };
        GradePrivileges {
            may_bid,
            may_be_recommended: may_bid,
            matching_priority,
            financing_rate_adjustment_bps,
        }
    }
}

/// What a credit standing allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GradePrivileges {
    /// C-grade organisations may not bid.
    pub may_bid: bool,
    /// C-grade organisations are never recommended by the matching engine.
    pub may_be_recommended: bool,
    /// AAA organisations get priority in matching.
    pub matching_priority: bool,
    /// Adjustment to a financing product's base rate in basis points (negative is a discount):
    /// AAA −50, AA −25, A and unrated 0, B +25, C +50.
    pub financing_rate_adjustment_bps: i32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(100.0, CreditGrade::Aaa)]
    #[case(90.0, CreditGrade::Aaa)]
    #[case(89.99, CreditGrade::Aa)]
    #[case(80.0, CreditGrade::Aa)]
    #[case(79.99, CreditGrade::A)]
    #[case(70.0, CreditGrade::A)]
    #[case(69.99, CreditGrade::B)]
    #[case(60.0, CreditGrade::B)]
    #[case(59.99, CreditGrade::C)]
    #[case(0.0, CreditGrade::C)]
    #[case(f64::NAN, CreditGrade::C)]
    fn grade_thresholds_are_inclusive_lower_bounds(#[case] score: f64, #[case] expected: CreditGrade) {
        assert_eq!(CreditGrade::from_score(score), expected);
    }

    #[rstest]
    #[case::aaa_gets_matching_priority_and_a_rate_discount(CreditStanding::Rated { grade: CreditGrade::Aaa }, true, true, -50)]
    #[case::aa_has_no_priority(CreditStanding::Rated { grade: CreditGrade::Aa }, true, false, -25)]
    #[case::c_may_not_bid(CreditStanding::Rated { grade: CreditGrade::C }, false, false, 50)]
    #[case::newcomers_may_bid(CreditStanding::InsufficientData, true, false, 0)]
    fn privileges_follow_the_grade(
        #[case] standing: CreditStanding,
        #[case] may_bid: bool,
        #[case] priority: bool,
        #[case] adjustment: i32,
    ) {
        let privileges = standing.privileges();
        assert_eq!(privileges.may_bid, may_bid);
        assert_eq!(privileges.may_be_recommended, may_bid);
        assert_eq!(privileges.matching_priority, priority);
        assert_eq!(privileges.financing_rate_adjustment_bps, adjustment);
    }

    #[test]
    fn grades_round_trip_through_their_stored_form() {
        for grade in [CreditGrade::Aaa, CreditGrade::Aa, CreditGrade::A, CreditGrade::B, CreditGrade::C] {
            assert_eq!(CreditGrade::parse(grade.as_str()), Some(grade));
            assert_eq!(serde_json::to_value(grade).expect("serialises"), grade.as_str());
        }
        assert_eq!(CreditGrade::parse("AAA"), None);
    }

    #[test]
    fn grades_order_from_c_to_aaa_and_serialise_snake_case() {
        assert!(CreditGrade::Aaa > CreditGrade::Aa && CreditGrade::B > CreditGrade::C);
        assert_eq!(
            serde_json::to_string(&CreditStanding::Rated { grade: CreditGrade::Aaa }).expect("serialises"),
            r#"{"status":"rated","grade":"aaa"}"#
        );
    }
}
