//! The end of a contract's money: the last acceptance, completion, the 15-day overdue rule, the
//! warranty and its retention, defect claims, and ratings.
//!
//! - **Last acceptance**: when every payment milestone (index ≥ 1) is accepted, the performance
//!   bond returns to the performer (unless it is frozen by a dispute) and the warranty starts:
//!   it ends `warranty_months` after the business date of the last acceptance.
//! - **Completion**: every payment milestone accepted and every milestone (the advance too)
//!   released in full — nothing accepted-but-unpaid. The contract then ends `completed`.
//! - **Overdue** (回款延迟): a milestone accepted but not paid in full more than
//!   [`OVERDUE_DAYS`] days after its acceptance (the 16th day) freezes the payer's escrow on the
//!   contract — no refund, no release — opens a risk case and bars the payer from new contracts
//!   until it is cleared; it clears when every accepted milestone has been funded in full.
//! - **Retention** releases to the performer when the warranty has ended and no defect claim is
//!   open. A defect claim is raised by the payer during the warranty (after the last acceptance,
//!   before it ends) and holds the retention until the payer closes it as remedied.
//! - **Ratings** open when the contract is completed; each party rates the other once, 1–5 on
//!   quality, timeliness, communication and payment. A rating is shown to the other party and
//!   the public when both have rated, or [`RATING_REVEAL_DAYS`] days after completion.

use chrono::{Datelike, Months, NaiveDate};

use super::escrow::Seen;
use super::milestones::PaymentPlan;

/// Days an accepted milestone may stay unpaid before the payer's escrow freezes.
pub const OVERDUE_DAYS: i64 = 15;
/// Days after completion when ratings are shown even if only one side rated.
pub const RATING_REVEAL_DAYS: i64 = 14;

/// One milestone's money and acceptance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MilestoneStatus {
    /// 0 for the advance.
    pub index: u32,
    /// Its amount, fen.
    pub amount_fen: i64,
    /// What its escrow saw.
    pub seen: Seen,
    /// The business date it was accepted (never for the advance).
    pub accepted_on: Option<NaiveDate>,
}

/// A contract's milestones as these rules see them.
#[must_use]
pub fn statuses(
    plan: &PaymentPlan,
    seen: impl Fn(u32) -> Seen,
    accepted_on: impl Fn(u32) -> Option<NaiveDate>,
) -> Vec<MilestoneStatus> {
    plan.milestones
        .iter()
        .map(|m| MilestoneStatus {
            index: m.index,
            amount_fen: m.amount_fen,
            seen: seen(m.index),
            accepted_on: accepted_on(m.index),
        })
        .collect()
}

/// Whether every payment milestone (index ≥ 1) is accepted.
#[must_use]
pub fn all_accepted(milestones: &[MilestoneStatus]) -> bool {
    milestones.iter().filter(|m| m.index > 0).all(|m| m.accepted_on.is_some())
}

/// The date of the last acceptance, once every payment milestone is accepted.
#[must_use]
pub fn last_acceptance(milestones: &[MilestoneStatus]) -> Option<NaiveDate> {
    if !all_accepted(milestones) {
        return None;
    }
    milestones.iter().filter_map(|m| m.accepted_on).max()
}

/// Whether the contract is complete: all accepted, everything released in full.
#[must_use]
pub fn completes(milestones: &[MilestoneStatus]) -> bool {
    all_accepted(milestones) && milestones.iter().all(|m| m.seen.released_fen >= m.amount_fen)
}

/// The accepted milestones not funded in full (what the payer still owes), with the amount.
#[must_use]
pub fn unfunded_accepted(milestones: &[MilestoneStatus]) -> Vec<(u32, i64)> {
    milestones
        .iter()
        .filter(|m| m.accepted_on.is_some())
        .filter_map(|m| {
            let owed = m.amount_fen - m.seen.funded_fen;
            (owed > 0).then_some((m.index, owed))
        })
        .collect()
}

/// The accepted milestones unpaid for more than [`OVERDUE_DAYS`] days on `today`.
#[must_use]
pub fn overdue(milestones: &[MilestoneStatus], today: NaiveDate) -> Vec<u32> {
    milestones
        .iter()
        .filter(|m| m.seen.funded_fen < m.amount_fen)
        .filter(|m| m.accepted_on.is_some_and(|on| (today - on).num_days() > OVERDUE_DAYS))
        .map(|m| m.index)
        .collect()
}

/// The last day of the warranty: `months` after the last acceptance (the same day of the
/// month, or the month's last day).
#[must_use]
pub fn warranty_end(last_acceptance: NaiveDate, months: u32) -> NaiveDate {
    last_acceptance.checked_add_months(Months::new(months)).unwrap_or_else(|| {
        NaiveDate::from_ymd_opt(last_acceptance.year() + 1000, 12, 31).unwrap_or(NaiveDate::MAX)
    })
}

/// Whether the retention releases on `today`: the warranty has ended and no claim is open.
#[must_use]
pub fn retention_due(warranty_ends_on: Option<NaiveDate>, today: NaiveDate, open_claims: usize) -> bool {
    warranty_ends_on.is_some_and(|end| today >= end) && open_claims == 0
}

/// Why a defect claim cannot be raised.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClaimRefusal {
    /// Only the payer raises them.
    #[error("the payer raises defect claims")]
    NotThePayer,
    /// Before the last acceptance there is no warranty yet.
    #[error("the warranty starts at the last acceptance")]
    WarrantyNotStarted,
    /// After the warranty it is too late.
    #[error("the warranty has ended")]
    WarrantyEnded,
}

impl ClaimRefusal {
    /// The `details` issue on `claim`.
    #[must_use]
    pub const fn issue(&self) -> &'static str {
        match self {
            Self::NotThePayer => "not_the_payer",
            Self::WarrantyNotStarted => "warranty_not_started",
            Self::WarrantyEnded => "warranty_ended",
        }
    }
}

/// Whether the payer may raise a defect claim on `today`.
///
/// # Errors
/// [`ClaimRefusal`].
pub fn may_claim(
    is_payer: bool,
    warranty_ends_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), ClaimRefusal> {
    if !is_payer {
        return Err(ClaimRefusal::NotThePayer);
    }
    match warranty_ends_on {
        None => Err(ClaimRefusal::WarrantyNotStarted),
        Some(end) if today >= end => Err(ClaimRefusal::WarrantyEnded),
        Some(_) => Ok(()),
    }
}

/// Why an organisation cannot rate a contract.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RatingRefusal {
    /// The supervisor watches; only the payer and the performer rate each other.
    #[error("the supervisor does not rate")]
    Supervisor,
    /// Ratings open at completion.
    #[error("ratings open when the contract is completed")]
    NotCompleted,
    /// Once per party.
    #[error("your organisation rated this contract already")]
    AlreadyRated,
}

impl RatingRefusal {
    /// The `details` field and issue.
    #[must_use]
    pub const fn issue(&self) -> (&'static str, &'static str) {
        match self {
            Self::Supervisor => ("org", "not_a_party"),
            Self::NotCompleted => ("contract", "not_completed"),
            Self::AlreadyRated => ("rating", "already_rated"),
        }
    }
}

/// Whom a party of a contract rates: the other party. `role` is the rater's role on the
/// contract, `completed` whether the contract has ended `completed`, `rated_already` whether the
/// rater's organisation has rated it.
///
/// # Errors
/// [`RatingRefusal`].
pub fn may_rate(
    role: super::document::PartyRole,
    completed: bool,
    rated_already: bool,
) -> Result<super::document::PartyRole, RatingRefusal> {
    use super::document::PartyRole;
    let ratee = match role {
        PartyRole::Supervisor => return Err(RatingRefusal::Supervisor),
        PartyRole::Payer => PartyRole::Performer,
        PartyRole::Performer => PartyRole::Payer,
    };
    if !completed {
        return Err(RatingRefusal::NotCompleted);
    }
    if rated_already {
        return Err(RatingRefusal::AlreadyRated);
    }
    Ok(ratee)
}

/// Whether a rating is shown (to the rated party and the public): both rated, or
/// [`RATING_REVEAL_DAYS`] days after completion.
#[must_use]
pub fn rating_revealed(both_rated: bool, completed_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    both_rated || completed_on.is_some_and(|on| (today - on).num_days() >= RATING_REVEAL_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn m(index: u32, amount: i64, funded: i64, released: i64, accepted: Option<&str>) -> MilestoneStatus {
        MilestoneStatus {
            index,
            amount_fen: amount,
            seen: Seen { funded_fen: funded, released_fen: released, refunded_fen: 0 },
            accepted_on: accepted.map(d),
        }
    }

    #[test]
    fn the_parties_rate_each_other_once_after_completion_and_the_supervisor_never() {
        use super::super::document::PartyRole;
        assert_eq!(may_rate(PartyRole::Payer, true, false), Ok(PartyRole::Performer));
        assert_eq!(may_rate(PartyRole::Performer, true, false), Ok(PartyRole::Payer));
        assert_eq!(may_rate(PartyRole::Supervisor, true, false), Err(RatingRefusal::Supervisor));
        assert_eq!(may_rate(PartyRole::Payer, false, false), Err(RatingRefusal::NotCompleted));
        assert_eq!(may_rate(PartyRole::Performer, true, true), Err(RatingRefusal::AlreadyRated));
        assert_eq!(RatingRefusal::AlreadyRated.issue(), ("rating", "already_rated"));
    }

    #[test]
    fn completion_needs_every_acceptance_and_full_payment() {
        let advance = m(0, 100, 100, 100, None);
        let first = m(1, 500, 500, 500, Some("2026-12-01"));
        let second_unpaid = m(2, 400, 100, 100, Some("2026-12-05"));
        assert!(all_accepted(&[advance, first, second_unpaid]));
        assert_eq!(last_acceptance(&[advance, first, second_unpaid]), Some(d("2026-12-05")));
        assert!(!completes(&[advance, first, second_unpaid]));
        assert_eq!(unfunded_accepted(&[advance, first, second_unpaid]), vec![(2, 300)]);
        let second = m(2, 400, 400, 400, Some("2026-12-05"));
        assert!(completes(&[advance, first, second]));
        let open = m(2, 400, 400, 0, None);
        assert!(!all_accepted(&[advance, first, open]));
        assert_eq!(last_acceptance(&[advance, first, open]), None);
    }

    #[test]
    fn an_accepted_milestone_is_overdue_on_the_sixteenth_day() {
        let unpaid = m(1, 500, 200, 200, Some("2026-12-01"));
        assert!(overdue(&[unpaid], d("2026-12-16")).is_empty(), "15 days is still in time");
        assert_eq!(overdue(&[unpaid], d("2026-12-17")), vec![1]);
        let funded = m(1, 500, 500, 0, Some("2026-12-01"));
        assert!(overdue(&[funded], d("2027-01-30")).is_empty(), "funded in full: not overdue");
        assert!(overdue(&[m(1, 500, 0, 0, None)], d("2027-01-30")).is_empty(), "never accepted");
    }

    #[test]
    fn the_warranty_runs_months_from_the_last_acceptance() {
        assert_eq!(warranty_end(d("2026-12-07"), 24), d("2028-12-07"));
        assert_eq!(warranty_end(d("2027-01-31"), 1), d("2027-02-28"));
        assert_eq!(warranty_end(d("2026-12-07"), 0), d("2026-12-07"));
        assert!(!retention_due(None, d("2030-01-01"), 0));
        assert!(!retention_due(Some(d("2028-12-07")), d("2028-12-06"), 0));
        assert!(retention_due(Some(d("2028-12-07")), d("2028-12-07"), 0));
        assert!(!retention_due(Some(d("2028-12-07")), d("2029-01-01"), 1), "a claim holds it");
    }

    #[test]
    fn defect_claims_are_the_payers_during_the_warranty() {
        let end = Some(d("2028-12-07"));
        assert_eq!(may_claim(false, end, d("2027-01-01")), Err(ClaimRefusal::NotThePayer));
        assert_eq!(may_claim(true, None, d("2027-01-01")), Err(ClaimRefusal::WarrantyNotStarted));
        assert_eq!(may_claim(true, end, d("2028-12-07")), Err(ClaimRefusal::WarrantyEnded));
        assert_eq!(may_claim(true, end, d("2028-12-06")), Ok(()));
    }

    #[test]
    fn ratings_show_when_both_rated_or_after_fourteen_days() {
        let done = Some(d("2026-12-01"));
        assert!(rating_revealed(true, done, d("2026-12-01")));
        assert!(!rating_revealed(false, done, d("2026-12-14")));
        assert!(rating_revealed(false, done, d("2026-12-15")));
        assert!(!rating_revealed(false, None, d("2030-01-01")));
    }
}
