//! Whether an organisation may transact — publish demands, bid, sign — on the platform: it must
//! be verified and not suspended (PRODUCT.md §1). Every feature that publishes, bids or signs
//! asks [`may_transact`]; unverified organisations may still browse.

use serde::{Deserialize, Serialize};

use crate::dto::VerificationStatus;

/// Why an organisation may not transact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum TransactRefusal {
    /// Real-name verification is not (yet) approved.
    #[error("the organisation is not verified")]
    NotVerified,
    /// Platform staff suspended it.
    #[error("the organisation is suspended")]
    Suspended,
}

impl TransactRefusal {
    /// Stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            Self::NotVerified => "organisation_not_verified",
            Self::Suspended => "organisation_suspended",
        }
    }
}

/// Verified and not suspended → may publish, bid and sign. Suspension is reported first: it
/// outranks any verification state.
pub fn may_transact(status: VerificationStatus, suspended: bool) -> Result<(), TransactRefusal> {
    if suspended {
        Err(TransactRefusal::Suspended)
    } else if status == VerificationStatus::Verified {
        Ok(())
    } else {
        Err(TransactRefusal::NotVerified)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(VerificationStatus::Verified, false, Ok(()))]
    #[case(VerificationStatus::Verified, true, Err(TransactRefusal::Suspended))]
    #[case(VerificationStatus::Unverified, false, Err(TransactRefusal::NotVerified))]
    #[case(VerificationStatus::Pending, false, Err(TransactRefusal::NotVerified))]
    #[case(VerificationStatus::Rejected, false, Err(TransactRefusal::NotVerified))]
    #[case(VerificationStatus::Unverified, true, Err(TransactRefusal::Suspended))]
    fn only_verified_unsuspended_organisations_transact(
        #[case] status: VerificationStatus,
        #[case] suspended: bool,
        #[case] expected: Result<(), TransactRefusal>,
    ) {
        assert_eq!(may_transact(status, suspended), expected);
    }
}
