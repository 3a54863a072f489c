//! Enforcing an arbitration award (裁决执行) and first compensation (先行赔付).
//!
//! ```text
//! decision with an award ──escrow covers it──▶ Settled
//!        │ shortfall
//!        ▼
//!       Due ──pay (the party at fault, in parts)──▶ Settled
//!        │ 10 business days pass
//!        ▼
//!     Overdue ──pay──▶ Settled
//!        │ a finance officer requests compensation (bond, then reserve)
//!        ▼
//! CompensationRequested ──another officer rejects──▶ Overdue
//!        │ another officer approves
//!        ▼
//!   Compensated (nothing outstanding) — or Overdue again for what bond and reserve could not cover
//! ```
//!
//! The award is owed by the party the decision holds at fault to the other party. It executes
//! from the contract's escrow first, in milestone order ([`from_escrow`]): to the payer as a
//! refund of what it escrowed, to the performer as a release. What escrow cannot cover — the
//! shortfall — is due from the party at fault within [`SHORTFALL_BUSINESS_DAYS`] business days,
//! paid from its available funds. After that the platform compensates first: from the party's
//! performance bond on the contract (only the performer has one), then from the risk reserve;
//! one finance officer requests, a different one approves. What the reserve paid is a recovery
//! claim against the party, which blocks it from new contracts until it has repaid it (into the
//! reserve). The bond was the party's own money, so it is not part of the claim.

use serde::{Deserialize, Serialize};

/// Business days the party at fault has to pay a shortfall.
pub const SHORTFALL_BUSINESS_DAYS: u32 = 10;

crate::stored_enum! {
    /// Where the enforcement of an award stands.
    pub enum AwardState in "dispute_awards.state" {
        /// A shortfall is due from the party at fault; its deadline is running.
        Due = "due",
        /// The deadline passed with a shortfall outstanding: the platform may compensate.
        Overdue = "overdue",
        /// A finance officer asked to compensate; a second must approve.
        CompensationRequested = "compensation_requested",
        /// Bond and reserve paid what was outstanding (a recovery claim may remain).
        Compensated = "compensated",
        /// Paid in full by escrow and the party at fault.
        Settled = "settled",
    }
}

/// A compensation a finance officer asked for, waiting for a second officer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompensationRequest {
    /// The requesting officer.
    pub requested_by: String,
    /// From the party's bond on the contract, fen.
    pub bond_fen: i64,
    /// From the risk reserve, fen.
    pub reserve_fen: i64,
}

/// An award and how far it is paid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Award {
    /// Where it stands.
    pub state: AwardState,
    /// The amount awarded, fen.
    pub award_fen: i64,
    /// Paid from the contract's escrow at the decision.
    pub from_escrow_fen: i64,
    /// Paid by the party at fault since.
    pub paid_fen: i64,
    /// Paid by the platform (bond and reserve).
    pub compensated_fen: i64,
    /// The pending compensation request.
    pub request: Option<CompensationRequest>,
    /// What the reserve paid: the recovery claim against the party at fault.
    pub recovery_fen: i64,
    /// What the party has repaid of the recovery claim.
    pub recovered_fen: i64,
}

/// Why a step is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AwardRefusal {
    /// The step cannot happen now.
    #[error("{action} is not possible while the award is {state:?}")]
    InvalidState {
        /// The step.
        action: &'static str,
        /// Where the award stands.
        state: AwardState,
    },
    /// The amount is not positive or more than is owed.
    #[error("the amount must be between 1 fen and the {owed} fen owed")]
    Amount {
        /// What is owed.
        owed: i64,
    },
    /// Neither the bond nor the reserve holds anything to compensate with.
    #[error("neither the party's bond nor the risk reserve holds anything to compensate with")]
    NothingToCompensate,
    /// The officer who requested cannot also approve.
    #[error("a second, different finance officer must decide")]
    SameOfficer,
}

impl AwardRefusal {
    /// The field and issue code the API names.
    #[must_use]
    pub const fn issue(&self) -> (&'static str, &'static str) {
        match self {
            Self::InvalidState { .. } => ("state", "invalid_transition"),
            Self::Amount { .. } => ("amount_fen", "out_of_range"),
            Self::NothingToCompensate => ("compensation", "nothing_to_compensate"),
            Self::SameOfficer => ("action", "same_officer"),
        }
    }
}

/// What the award takes from each milestone's escrow (`held`: milestone and balance, in
/// milestone order), and the award as it stands afterwards.
#[must_use]
pub fn from_escrow(award_fen: i64, held: &[(u32, i64)]) -> (Vec<(u32, i64)>, Award) {
    let mut left = award_fen.max(0);
    let mut takes = Vec::new();
    for (milestone, balance) in held {
        let take = left.min((*balance).max(0));
        if take > 0 {
            takes.push((*milestone, take));
            left -= take;
        }
    }
    let from_escrow_fen = award_fen.max(0) - left;
    let award = Award {
        state: if left == 0 { AwardState::Settled } else { AwardState::Due },
        award_fen: award_fen.max(0),
        from_escrow_fen,
        paid_fen: 0,
        compensated_fen: 0,
        request: None,
        recovery_fen: 0,
        recovered_fen: 0,
    };
    (takes, award)
}

impl Award {
    /// What is still owed to the other party.
    #[must_use]
    pub const fn outstanding(&self) -> i64 {
        self.award_fen - self.from_escrow_fen - self.paid_fen - self.compensated_fen
    }

    /// What the party at fault still owes the reserve.
    #[must_use]
    pub const fn recovery_open(&self) -> i64 {
        self.recovery_fen - self.recovered_fen
    }

    const fn refuse(&self, action: &'static str) -> AwardRefusal {
        AwardRefusal::InvalidState { action, state: self.state }
    }

    /// The party at fault pays `amount_fen` of the shortfall (while due or overdue).
    ///
    /// # Errors
    /// [`AwardRefusal::InvalidState`] otherwise (also while a compensation awaits its second
    /// officer), [`AwardRefusal::Amount`] for an amount outside 1..=outstanding.
    pub fn pay(&self, amount_fen: i64) -> Result<Self, AwardRefusal> {
        if !matches!(self.state, AwardState::Due | AwardState::Overdue) {
            return Err(self.refuse("pay"));
        }
        let owed = self.outstanding();
        if amount_fen <= 0 || amount_fen > owed {
            return Err(AwardRefusal::Amount { owed });
        }
        let mut next = self.clone();
        next.paid_fen += amount_fen;
        if next.outstanding() == 0 {
            next.state = if next.compensated_fen > 0 { AwardState::Compensated } else { AwardState::Settled };
        }
        Ok(next)
    }

    /// The shortfall's deadline passed (the caller checks the time).
    ///
    /// # Errors
    /// [`AwardRefusal::InvalidState`] unless due.
    pub fn fall_due(&self) -> Result<Self, AwardRefusal> {
        if self.state != AwardState::Due {
            return Err(self.refuse("fall_due"));
        }
        Ok(Self { state: AwardState::Overdue, ..self.clone() })
    }

    /// A finance officer asks to compensate what is outstanding: from the bond (what the party
    /// at fault's bond on the contract holds) first, then from the reserve.
    ///
    /// # Errors
    /// [`AwardRefusal::InvalidState`] unless overdue, [`AwardRefusal::NothingToCompensate`] when
    /// both are empty.
    pub fn request(&self, officer: &str, bond_fen: i64, reserve_fen: i64) -> Result<Self, AwardRefusal> {
        if self.state != AwardState::Overdue {
            return Err(self.refuse("request_compensation"));
        }
        let owed = self.outstanding();
        let from_bond = owed.min(bond_fen.max(0));
        let from_reserve = (owed - from_bond).min(reserve_fen.max(0));
        if from_bond + from_reserve == 0 {
            return Err(AwardRefusal::NothingToCompensate);
        }
        let request = CompensationRequest {
            requested_by: officer.to_owned(),
            bond_fen: from_bond,
            reserve_fen: from_reserve,
        };
        Ok(Self { state: AwardState::CompensationRequested, request: Some(request), ..self.clone() })
    }

    /// A second officer approves (the money moves) or rejects (back to overdue).
    ///
    /// # Errors
    /// [`AwardRefusal::InvalidState`] unless a request waits, [`AwardRefusal::SameOfficer`]
    /// when the requesting officer decides.
    pub fn decide(&self, officer: &str, approve: bool) -> Result<Self, AwardRefusal> {
        let Some(request) = self.request.as_ref().filter(|_| self.state == AwardState::CompensationRequested)
        else {
            return Err(self.refuse("decide_compensation"));
        };
        if request.requested_by == officer {
            return Err(AwardRefusal::SameOfficer);
        }
        let mut next = Self { request: None, state: AwardState::Overdue, ..self.clone() };
        if approve {
            next.compensated_fen += request.bond_fen + request.reserve_fen;
            next.recovery_fen += request.reserve_fen;
            if next.outstanding() == 0 {
                next.state = AwardState::Compensated;
            }
        }
        Ok(next)
    }

    /// The party at fault repays `amount_fen` of the recovery claim.
    ///
    /// # Errors
    /// [`AwardRefusal::Amount`] for an amount outside 1..=what it still owes the reserve.
    pub fn repay(&self, amount_fen: i64) -> Result<Self, AwardRefusal> {
        let owed = self.recovery_open();
        if amount_fen <= 0 || amount_fen > owed {
            return Err(AwardRefusal::Amount { owed });
        }
        Ok(Self { recovered_fen: self.recovered_fen + amount_fen, ..self.clone() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn due(award: i64, held: &[(u32, i64)]) -> Award {
        from_escrow(award, held).1
    }

    #[test]
    fn escrow_pays_first_in_milestone_order() {
        let (takes, award) = from_escrow(150, &[(0, 0), (1, 100), (2, 80)]);
        assert_eq!(takes, vec![(1, 100), (2, 50)]);
        assert_eq!((award.state, award.from_escrow_fen, award.outstanding()), (AwardState::Settled, 150, 0));
        let (takes, award) = from_escrow(500, &[(1, 100), (2, 80)]);
        assert_eq!(takes, vec![(1, 100), (2, 80)]);
        assert_eq!((award.state, award.outstanding()), (AwardState::Due, 320));
    }

    #[test]
    fn the_party_pays_the_shortfall_in_parts() {
        let award = due(500, &[(1, 100)]);
        assert_eq!(award.pay(0), Err(AwardRefusal::Amount { owed: 400 }));
        assert_eq!(award.pay(401), Err(AwardRefusal::Amount { owed: 400 }));
        let part = award.pay(150).expect("allowed");
        assert_eq!((part.state, part.outstanding()), (AwardState::Due, 250));
        let overdue = part.fall_due().expect("allowed");
        let paid = overdue.pay(250).expect("allowed");
        assert_eq!((paid.state, paid.outstanding()), (AwardState::Settled, 0));
        assert!(matches!(paid.pay(1), Err(AwardRefusal::InvalidState { .. })));
        assert!(matches!(paid.fall_due(), Err(AwardRefusal::InvalidState { .. })));
    }

    #[test]
    fn compensation_takes_the_bond_then_the_reserve_under_two_officers() {
        let award = due(1_000, &[(1, 200)]).fall_due().expect("allowed");
        assert!(matches!(due(1_000, &[]).request("f1", 10, 10), Err(AwardRefusal::InvalidState { .. })));
        assert_eq!(award.request("f1", 0, 0), Err(AwardRefusal::NothingToCompensate));
        let asked = award.request("f1", 300, 10_000).expect("allowed");
        let request = asked.request.clone().expect("allowed");
        assert_eq!((request.bond_fen, request.reserve_fen), (300, 500));
        assert!(matches!(asked.pay(1), Err(AwardRefusal::InvalidState { .. })));
        assert_eq!(asked.decide("f1", true), Err(AwardRefusal::SameOfficer));
        let rejected = asked.decide("f2", false).expect("allowed");
        assert_eq!(
            (rejected.state, rejected.outstanding(), rejected.request.clone()),
            (AwardState::Overdue, 800, None)
        );
        let done = rejected.request("f2", 300, 10_000).expect("allowed").decide("f1", true).expect("allowed");
        assert_eq!((done.state, done.outstanding(), done.compensated_fen), (AwardState::Compensated, 0, 800));
        assert_eq!((done.recovery_fen, done.recovery_open()), (500, 500));
        assert!(matches!(done.decide("f3", true), Err(AwardRefusal::InvalidState { .. })));
        assert_eq!(done.repay(501), Err(AwardRefusal::Amount { owed: 500 }));
        let repaid = done.repay(200).expect("allowed").repay(300).expect("allowed");
        assert_eq!(repaid.recovery_open(), 0);
        assert_eq!(repaid.repay(1), Err(AwardRefusal::Amount { owed: 0 }));
    }

    #[test]
    fn a_short_reserve_compensates_what_it_can_and_the_rest_stays_overdue() {
        let award = due(1_000, &[]).fall_due().expect("allowed");
        let part = award.request("f1", 0, 400).expect("allowed").decide("f2", true).expect("allowed");
        assert_eq!((part.state, part.outstanding(), part.recovery_fen), (AwardState::Overdue, 600, 400));
        let paid = part.pay(600).expect("allowed");
        assert_eq!(paid.state, AwardState::Compensated);
        assert_eq!(paid.recovery_open(), 400);
    }
}
