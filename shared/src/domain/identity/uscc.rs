//! The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a
//! 31-symbol alphabet (digits and capitals without I, O, S, V, Z). Characters 3–8 are the
//! registering authority's GB/T 2260 region code; the last one is a weighted mod-31 check.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{IdentityError, check_length};
use crate::domain::region::RegionCode;

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weight of position `i` is `3^i mod 31`.
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const LENGTH: usize = 18;
/// Region part used by authorities at national level (e.g. for central enterprises).
const NATIONAL_AUTHORITY: &str = "100000";

/// A unified social credit code with a verified format and check character.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Uscc(String);

impl Uscc {
    /// Parses a USCC; lower-case letters are accepted and normalised to capitals.
    ///
    /// # Errors
    /// An [`IdentityError`] saying what is wrong with the code.
    pub fn parse(text: &str) -> Result<Self, IdentityError> {
        let code = text.trim().to_ascii_uppercase();
        check_length(&code, LENGTH)?;
        let mut values = [0_u32; LENGTH];
        for (index, (value, character)) in values.iter_mut().zip(code.chars()).enumerate() {
            let position = index + 1;
            let symbol =
                alphabet_value(character).ok_or(IdentityError::InvalidCharacter { position, character })?;
            if (3..=8).contains(&position) && !character.is_ascii_digit() {
                return Err(IdentityError::InvalidCharacter { position, character });
            }
            *value = symbol;
        }
        let region = &code[2..8];
        if region != NATIONAL_AUTHORITY && RegionCode::parse(region).is_err() {
            return Err(IdentityError::UnknownRegion(region.to_owned()));
        }
        let expected = check_character(&values);
        let found = code.chars().last().unwrap_or_default();
        if expected != found {
            return Err(IdentityError::ChecksumMismatch { expected, found });
        }
        Ok(Self(code))
    }

    /// Completes the first 17 characters with their check character (demo data, forms that
    /// show the expected character).
    ///
    /// # Errors
    /// An [`IdentityError`] when the 17 characters are not a valid USCC body.
    pub fn complete(first_17: &str) -> Result<Self, IdentityError> {
        let body = first_17.trim().to_ascii_uppercase();
        check_length(&body, LENGTH - 1)?;
        let mut values = [0_u32; LENGTH];
        for (value, character) in values.iter_mut().zip(body.chars()) {
            *value = alphabet_value(character).unwrap_or(0);
        }
        Self::parse(&format!("{body}{}", check_character(&values)))
    }

    /// The code as 18 characters.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn alphabet_value(character: char) -> Option<u32> {
    let byte = u8::try_from(character).ok()?;
    ALPHABET.iter().position(|symbol| *symbol == byte).and_then(|index| u32::try_from(index).ok())
}

fn check_character(values: &[u32; LENGTH]) -> char {
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(value, weight)| value * weight).sum();
    let check = (31 - sum % 31) % 31;
    ALPHABET.get(check as usize).map_or('0', |symbol| char::from(*symbol))
}

impl FromStr for Uscc {
    type Err = IdentityError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl TryFrom<String> for Uscc {
    type Error = IdentityError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<Uscc> for String {
    fn from(code: Uscc) -> Self {
        code.0
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    #[rstest]
    #[case::published_example("91350100M000100Y43")]
    #[case::lower_case_is_normalised("91350100m000100y43")]
    #[case::surrounding_blanks_are_ignored(" 91350100M000100Y43 ")]
    fn valid_codes_parse(#[case] text: &str) {
        assert_eq!(Uscc::parse(text).expect("valid").as_str(), "91350100M000100Y43");
    }

    #[test]
    fn a_national_level_registration_authority_is_accepted() {
        let mut values = [0_u32; LENGTH];
        let body = "91100000MA0000000";
        for (value, character) in values.iter_mut().zip(body.chars()) {
            *value = alphabet_value(character).expect("alphabet");
        }
        let text = format!("{body}{}", check_character(&values));
        assert!(Uscc::parse(&text).is_ok());
    }

    #[test]
    fn completing_a_body_gives_the_published_check_character() {
        assert_eq!(Uscc::complete("91350100M000100Y4").expect("valid").as_str(), "91350100M000100Y43");
        assert!(Uscc::complete("91350100M000100").is_err(), "too short");
        assert!(Uscc::complete("91990100M000100Y4").is_err(), "unknown province");
    }

    #[rstest]
    #[case::wrong_check_character("91350100M000100Y44", "identity_checksum_mismatch")]
    #[case::too_short("91350100M000100Y4", "identity_wrong_length")]
    #[case::letter_o_is_not_in_the_alphabet("91350100M0O0100Y43", "identity_invalid_character")]
    #[case::region_part_must_be_digits("9135010AM000100Y43", "identity_invalid_character")]
    #[case::unknown_province("91990100M000100Y43", "identity_unknown_region")]
    fn invalid_codes_are_rejected(#[case] text: &str, #[case] code: &str) {
        assert_eq!(Uscc::parse(text).expect_err("invalid").code(), code);
    }

    #[test]
    fn serde_round_trips_and_rejects_bad_codes() {
        let code = Uscc::parse("91350100M000100Y43").expect("valid");
        let json = serde_json::to_string(&code).expect("serialises");
        assert_eq!(json, "\"91350100M000100Y43\"");
        assert_eq!(serde_json::from_str::<Uscc>(&json).expect("parses"), code);
        assert!(serde_json::from_str::<Uscc>("\"91350100M000100Y44\"").is_err());
    }

    fn body() -> impl Strategy<Value = Vec<u32>> {
        (
            prop::collection::vec(0_u32..31, 2),
            prop::collection::vec(0_u32..10, 6),
            prop::collection::vec(0_u32..31, 9),
        )
            .prop_map(|(head, mut region, tail)| {
                // Keep the region part inside Beijing (11xxxx) so it names a real province.
                region[0] = 1;
                region[1] = 1;
                head.into_iter().chain(region).chain(tail).collect()
            })
    }

    fn render(values: &[u32]) -> String {
        values.iter().map(|value| char::from(ALPHABET[*value as usize])).collect()
    }

    proptest! {
        #[test]
        fn a_computed_check_character_always_validates(values in body()) {
            let mut full = [0_u32; LENGTH];
            full[..17].copy_from_slice(&values);
            let text = format!("{}{}", render(&values), check_character(&full));
            prop_assert!(Uscc::parse(&text).is_ok());
        }

        #[test]
        fn any_single_substitution_is_detected(
            values in body(),
            position in 0_usize..LENGTH,
            replacement in 0_u32..10,
        ) {
            let mut full = [0_u32; LENGTH];
            full[..17].copy_from_slice(&values);
            let mut text: Vec<char> =
                format!("{}{}", render(&values), check_character(&full)).chars().collect();
            let new = char::from(ALPHABET[replacement as usize]);
            prop_assume!(text[position] != new);
            text[position] = new;
            let mutated: String = text.into_iter().collect();
            prop_assert!(Uscc::parse(&mutated).is_err());
        }
    }
}
