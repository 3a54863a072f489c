//! The resident identity card number (公民身份号码, GB 11643-1999): a six-digit GB/T 2260 region
//! code, the birth date as YYYYMMDD, a three-digit sequence (odd for men, even for women) and an
//! ISO 7064 MOD 11-2 check character (`0`–`9` or `X`).

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{IdentityError, check_length};
use crate::domain::region::RegionCode;

/// Weight of position `i` is `2^(17 - i) mod 11`.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for each value of the weighted sum mod 11.
const CHECK_CHARACTERS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
const LENGTH: usize = 18;

/// A resident ID number with a verified region, birth date and check character.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ResidentId(String);

impl ResidentId {
    /// Parses an 18-character resident ID number; a lower-case `x` is accepted.
    ///
    /// # Errors
    /// An [`IdentityError`] saying what is wrong with the number.
    pub fn parse(text: &str) -> Result<Self, IdentityError> {
        let number = text.trim().to_ascii_uppercase();
        check_length(&number, LENGTH)?;
        let mut digits = [0_u32; 17];
        for (index, character) in number.chars().enumerate() {
            let position = index + 1;
            match (character.to_digit(10), digits.get_mut(index)) {
                (Some(value), Some(slot)) => *slot = value,
                (None, Some(_)) => {
                    return Err(IdentityError::InvalidCharacter { position, character });
                }
                (_, None) if character.is_ascii_digit() || character == 'X' => {}
                (_, None) => {
                    return Err(IdentityError::InvalidCharacter { position, character });
                }
            }
        }
        let region = &number[0..6];
        if RegionCode::parse(region).is_err() {
            return Err(IdentityError::UnknownRegion(region.to_owned()));
        }
        let birth = &number[6..14];
        if NaiveDate::parse_from_str(birth, "%Y%m%d").is_err() {
            return Err(IdentityError::InvalidBirthDate(birth.to_owned()));
        }
        let expected = check_character(&digits);
        let found = number.chars().last().unwrap_or_default();
        if expected != found {
            return Err(IdentityError::ChecksumMismatch { expected, found });
        }
        Ok(Self(number))
    }

    /// The full number. Show it to people only through [`Self::masked`] unless a reviewer
    /// explicitly reveals it.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number with all but the first four and the last four characters hidden,
    /// e.g. `1101**********1234`.
    #[must_use]
    pub fn masked(&self) -> String {
        let head = self.0.get(..4).unwrap_or_default();
        let tail = self.0.get(LENGTH - 4..).unwrap_or_default();
        format!("{head}{}{tail}", "*".repeat(LENGTH - 8))
    }

    /// The region code of the place of first registration.
    #[must_use]
    pub fn region(&self) -> Option<RegionCode> {
        self.0.get(..6).and_then(|part| RegionCode::parse(part).ok())
    }

    /// The holder's date of birth.
    #[must_use]
    pub fn birth_date(&self) -> Option<NaiveDate> {
        self.0.get(6..14).and_then(|part| NaiveDate::parse_from_str(part, "%Y%m%d").ok())
    }
}

fn check_character(digits: &[u32; 17]) -> char {
    let sum: u32 = digits.iter().zip(WEIGHTS).map(|(digit, weight)| digit * weight).sum();
    CHECK_CHARACTERS.get((sum % 11) as usize).copied().unwrap_or('0')
}

/// Never prints the full number, so that it cannot leak into logs.
impl fmt::Debug for ResidentId {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.debug_tuple("ResidentId").field(&self.masked()).finish()
    }
}

impl FromStr for ResidentId {
    type Err = IdentityError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl TryFrom<String> for ResidentId {
    type Error = IdentityError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<ResidentId> for String {
    fn from(number: ResidentId) -> Self {
        number.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    /// The specimen number printed in GB 11643-1999 itself.
    const SPECIMEN: &str = "11010519491231002X";

    #[rstest]
    #[case::standard_specimen(SPECIMEN)]
    #[case::lower_case_x(&SPECIMEN.to_ascii_lowercase())]
    #[case::check_digit_one("440524188001010014")]
    fn valid_numbers_parse(#[case] text: &str) {
        assert!(ResidentId::parse(text).is_ok(), "{text}");
    }

    #[rstest]
    #[case::wrong_check_character("110105194912310021", "identity_checksum_mismatch")]
    #[case::seventeen_characters("11010519491231002", "identity_wrong_length")]
    #[case::x_only_allowed_last("1101051949123100X2", "identity_invalid_character")]
    #[case::february_thirtieth("110105194902300029", "identity_invalid_birth_date")]
    #[case::unknown_province("990105194912310021", "identity_unknown_region")]
    fn invalid_numbers_are_rejected(#[case] text: &str, #[case] code: &str) {
        assert_eq!(ResidentId::parse(text).expect_err("invalid").code(), code);
    }

    #[test]
    fn the_number_is_shown_masked_and_debug_never_leaks_it() {
        let number = ResidentId::parse(SPECIMEN).expect("valid");
        assert_eq!(number.masked(), "1101**********002X");
        assert!(!format!("{number:?}").contains(SPECIMEN));
        assert_eq!(number.birth_date(), NaiveDate::from_ymd_opt(1949, 12, 31));
        assert_eq!(number.region().map(|region| region.to_string()).as_deref(), Some("110105"));
    }

    fn body() -> impl Strategy<Value = [u32; 17]> {
        (0_u32..365 * 80, prop::array::uniform3(0_u32..10), 0_u32..100).prop_map(
            |(days, sequence, district)| {
                let birth =
                    NaiveDate::from_ymd_opt(1940, 1, 1).expect("valid") + chrono::Days::new(u64::from(days));
                let text = format!(
                    "3101{district:02}{}{}{}{}",
                    birth.format("%Y%m%d"),
                    sequence[0],
                    sequence[1],
                    sequence[2]
                );
                let mut digits = [0_u32; 17];
                for (slot, character) in digits.iter_mut().zip(text.chars()) {
                    *slot = character.to_digit(10).expect("digit");
                }
                digits
            },
        )
    }

    fn render(digits: &[u32; 17]) -> String {
        let body: String = digits.iter().map(|digit| char::from_digit(*digit, 10).expect("digit")).collect();
        format!("{body}{}", check_character(digits))
    }

    proptest! {
        #[test]
        fn a_computed_check_character_always_validates(digits in body()) {
            prop_assert!(ResidentId::parse(&render(&digits)).is_ok());
        }

        #[test]
        fn any_single_digit_substitution_is_detected(
            digits in body(),
            position in 0_usize..17,
            replacement in 0_u32..10,
        ) {
            prop_assume!(digits[position] != replacement);
            let mut mutated = digits;
            mutated[position] = replacement;
            let text: String = render(&mutated)
                .chars()
                .zip(render(&digits).chars())
                .enumerate()
                .map(|(index, (new, old))| if index == 17 { old } else { new })
                .collect();
            prop_assert!(ResidentId::parse(&text).is_err());
        }
    }
}
