//! Administrative region codes (GB/T 2260): six digits, province (2) / city (2) / district (2).
//!
//! Rules used by matching: a province-level code covers all its cities and districts, a
//! city-level code covers its districts, and the four municipalities directly under the central
//! government (直辖市: Beijing, Tianjin, Shanghai, Chongqing) are at once a province and a city.
//! County-level units administered directly by a province (`xx90xx`) count as cities of their own.
//! Only the province part is checked against the standard's list; the full code table is not
//! shipped.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Province-level divisions of GB/T 2260 (including Taiwan, Hong Kong and Macao).
const PROVINCES: [u32; 34] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54,
    61, 62, 63, 64, 65, 71, 81, 82,
];
/// Beijing, Tianjin, Shanghai, Chongqing.
const MUNICIPALITIES: [u32; 4] = [11, 12, 31, 50];
/// City-part value of county-level units administered directly by a province.
const PROVINCE_ADMINISTERED_COUNTIES: u32 = 90;

/// Why a region code was rejected.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum RegionError {
    /// Not exactly six ASCII digits.
    #[error("a region code is six digits, found {0:?}")]
    NotSixDigits(String),
    /// The first two digits are not a province-level division.
    #[error("{0} is not a province-level division of GB/T 2260")]
    UnknownProvince(String),
}

impl RegionError {
    /// Stable snake_case code for API error envelopes.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::NotSixDigits(_) => "region_not_six_digits",
            Self::UnknownProvince(_) => "region_unknown_province",
        }
    }
}

/// The level of a region code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    /// `xx0000`.
    Province,
    /// `xxxx00`.
    City,
    /// Any other code.
    District,
}

/// How close two regions are, from the matching engine's point of view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Proximity {
    /// Different provinces.
    Elsewhere,
    /// Same province, different (or unknown) city.
    SameProvince,
    /// Same city (a municipality is a single city).
    SameCity,
}

/// A GB/T 2260 region code whose province part is valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(u32);

impl RegionCode {
    /// Parses six digits such as `310115`.
    ///
    /// # Errors
    /// A [`RegionError`] when the text is not six digits or names no province.
    pub fn parse(text: &str) -> Result<Self, RegionError> {
        if text.len() != 6 || !text.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(RegionError::NotSixDigits(text.to_owned()));
        }
        let value: u32 = text.parse().map_err(|_| RegionError::NotSixDigits(text.to_owned()))?;
        if PROVINCES.contains(&(value / 10_000)) {
            Ok(Self(value))
        } else {
            Err(RegionError::UnknownProvince(text.to_owned()))
        }
    }

    /// The level of this code.
    #[must_use]
    pub const fn level(self) -> RegionLevel {
        if self.0.is_multiple_of(10_000) {
            RegionLevel::Province
        } else if self.0.is_multiple_of(100) {
            RegionLevel::City
        } else {
            RegionLevel::District
        }
    }

    /// The province-level code this region belongs to.
    #[must_use]
    pub const fn province(self) -> Self {
        Self(self.0 / 10_000 * 10_000)
    }

    /// Whether this region lies in a municipality directly under the central government.
    #[must_use]
    pub fn is_in_municipality(self) -> bool {
        MUNICIPALITIES.contains(&(self.0 / 10_000))
    }

    /// The city this region belongs to: the municipality itself inside a municipality, the
    /// county itself for a province-administered county, none for a province-level code.
    #[must_use]
    pub fn city(self) -> Option<Self> {
        if self.is_in_municipality() {
            Some(self.province())
        } else if self.level() == RegionLevel::Province {
            None
        } else if self.0 / 100 % 100 == PROVINCE_ADMINISTERED_COUNTIES {
            Some(self)
        } else {
            Some(Self(self.0 / 100 * 100))
        }
    }

    /// Whether an organisation serving `self` serves `other`.
    #[must_use]
    pub fn covers(self, other: Self) -> bool {
        match self.level() {
            RegionLevel::Province => self.province() == other.province(),
            RegionLevel::City => self.city().is_some() && self.city() == other.city(),
            RegionLevel::District => self == other,
        }
    }

    /// How close `other` is to `self`.
    #[must_use]
    pub fn proximity(self, other: Self) -> Proximity {
        if self.province() != other.province() {
            Proximity::Elsewhere
        } else if self.city().is_some() && self.city() == other.city() {
            Proximity::SameCity
        } else {
            Proximity::SameProvince
        }
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{:06}", self.0)
    }
}

impl FromStr for RegionCode {
    type Err = RegionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl TryFrom<String> for RegionCode {
    type Error = RegionError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<RegionCode> for String {
    fn from(code: RegionCode) -> Self {
        code.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn region(text: &str) -> RegionCode {
        RegionCode::parse(text).expect("valid test region")
    }

    #[rstest]
    #[case::province_serves_its_districts("320000", "320106", true)]
    #[case::province_serves_its_cities("320000", "320100", true)]
    #[case::city_serves_its_districts("320100", "320106", true)]
    #[case::city_does_not_serve_another_city("320100", "320205", false)]
    #[case::city_does_not_serve_its_province("320100", "320000", false)]
    #[case::district_serves_only_itself("320106", "320105", false)]
    #[case::municipality_city_level_code_serves_all_districts("310100", "310115", true)]
    #[case::municipality_serves_its_districts("310000", "310115", true)]
    #[case::province_does_not_serve_a_neighbour("330000", "310115", false)]
    #[case::province_administered_county_is_its_own_city("469001", "469002", false)]
    fn service_area_coverage(#[case] served: &str, #[case] demand: &str, #[case] expected: bool) {
        assert_eq!(region(served).covers(region(demand)), expected);
    }

    #[rstest]
    #[case::same_city_districts("320106", "320105", Proximity::SameCity)]
    #[case::municipality_is_one_city("310115", "310101", Proximity::SameCity)]
    #[case::municipality_province_code_is_the_city("110000", "110105", Proximity::SameCity)]
    #[case::same_province("320106", "320205", Proximity::SameProvince)]
    #[case::province_level_home_is_same_province("320000", "320106", Proximity::SameProvince)]
    #[case::neighbouring_provinces("330106", "310115", Proximity::Elsewhere)]
    fn proximity_ranks_city_over_province_over_elsewhere(
        #[case] a: &str,
        #[case] b: &str,
        #[case] expected: Proximity,
    ) {
        assert_eq!(region(a).proximity(region(b)), expected);
        assert_eq!(region(b).proximity(region(a)), expected);
    }

    #[rstest]
    #[case::five_digits("31011", "region_not_six_digits")]
    #[case::letters("31A115", "region_not_six_digits")]
    #[case::no_such_province("990000", "region_unknown_province")]
    #[case::national_code_is_not_a_region("100000", "region_unknown_province")]
    fn malformed_codes_are_rejected(#[case] text: &str, #[case] code: &str) {
        assert_eq!(RegionCode::parse(text).expect_err("invalid").code(), code);
    }

    #[test]
    fn codes_serialise_as_six_digit_strings() {
        let code = region("110105");
        assert_eq!(serde_json::to_string(&code).expect("serialises"), "\"110105\"");
        assert_eq!(code.level(), RegionLevel::District);
        assert_eq!(region("110000").level(), RegionLevel::Province);
        assert_eq!(region("110100").level(), RegionLevel::City);
    }
}
