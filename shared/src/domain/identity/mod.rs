//! Identity numbers checked at registration: the unified social credit code of a business
//! licence (USCC, GB 32100-2015) and the resident identity card number (GB 11643-1999).
//!
//! Both are "parse, don't validate" newtypes: holding a [`Uscc`] or a [`ResidentId`] means the
//! format and the checksum were verified.

mod resident_id;
mod uscc;

use thiserror::Error;

pub use resident_id::ResidentId;
pub use uscc::Uscc;

/// Why an identity number was rejected.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum IdentityError {
    /// The number does not have the required number of characters.
    #[error("expected {expected} characters, found {found}")]
    WrongLength {
        /// The required length.
        expected: usize,
        /// The length given.
        found: usize,
    },
    /// A character that the standard does not allow at this position (1-based).
    #[error("character {character:?} is not allowed at position {position}")]
    InvalidCharacter {
        /// 1-based position.
        position: usize,
        /// The offending character.
        character: char,
    },
    /// The administrative division part does not name a province-level division.
    #[error("{0} is not a known province-level region code")]
    UnknownRegion(String),
    /// The birth date part of a resident ID is not a real date.
    #[error("the birth date {0} does not exist")]
    InvalidBirthDate(String),
    /// The check character does not match the rest of the number.
    #[error("check character should be {expected:?}, found {found:?}")]
    ChecksumMismatch {
        /// What the checksum says the last character must be.
        expected: char,
        /// The last character given.
        found: char,
    },
}

impl IdentityError {
    /// Stable snake_case code for API error envelopes.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::WrongLength { .. } => "identity_wrong_length",
            Self::InvalidCharacter { .. } => "identity_invalid_character",
            Self::UnknownRegion(_) => "identity_unknown_region",
            Self::InvalidBirthDate(_) => "identity_invalid_birth_date",
            Self::ChecksumMismatch { .. } => "identity_checksum_mismatch",
        }
    }
}

fn check_length(text: &str, expected: usize) -> Result<(), IdentityError> {
    let found = text.chars().count();
    if found == expected { Ok(()) } else { Err(IdentityError::WrongLength { expected, found }) }
}
