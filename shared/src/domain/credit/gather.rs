//! Turning an organisation's platform history into its [`CreditRecord`]: the API loads the rows
//! (contracts with their milestone plans, acceptance decisions, releases, ratings, certificates,
//! staff findings) and these functions count them, so the rules are tested without a database.
//!
//! - **Performance**, as the performing party: contracts completed / terminated; payment
//!   milestones (index ≥ 1) whose planned date has passed, on time when accepted by that date;
//!   milestones with a decided acceptance, first time when the first decision was an approval.
//! - **Transactions**: cooperations are contracts signed (in force at some point) as payer or
//!   performer; as payer, an accepted payment milestone falls due when it was released in full
//!   or when it has been unpaid for more than [`OVERDUE_DAYS`] days since acceptance (the 15-day
//!   rule that opens a risk case); it is on time when released in full within those 15 days.
//!   The mean days from acceptance to full payment is kept beside the counts as an indicator.
//! - **Reputation**: each revealed rating counts as the mean of its four aspects.
//! - **Qualification**: the best grade among certificates valid today, and valid / held.

use chrono::NaiveDate;

use super::indicators::{PerformanceRecord, QualificationRecord, RatingRecord, TransactionRecord};
use crate::domain::contract::closing::OVERDUE_DAYS;
use crate::domain::contract::lifecycle::ContractState;
use crate::domain::qualification::GradeRank;

/// The organisation's side of a contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContractSide {
    /// It pays.
    Payer,
    /// It performs.
    Performer,
}

/// One payment milestone of a contract as the credit model reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MilestoneFacts {
    /// 0 for the advance (never accepted, so it never counts), then 1, 2, …
    pub index: u32,
    /// The planned date in the contract in force.
    pub planned_date: NaiveDate,
    /// Decided acceptance requests in the order they were made: `true` approved.
    pub decisions: Vec<bool>,
    /// The business date it was accepted.
    pub accepted_on: Option<NaiveDate>,
    /// The business date the releases reached its amount (paid in full).
    pub paid_in_full_on: Option<NaiveDate>,
}

/// One signed contract of the organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContractFacts {
    /// The organisation's side.
    pub side: ContractSide,
    /// Where the contract stands.
    pub state: ContractState,
    /// Its milestones.
    pub milestones: Vec<MilestoneFacts>,
}

/// Days from acceptance to full payment over the milestones paid as payer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PaymentDays {
    /// Milestones paid in full.
    pub paid: u32,
    /// Their days from acceptance to payment, added up.
    pub total_days: i64,
}

impl PaymentDays {
    /// The mean, none without a paid milestone.
    #[must_use]
    pub fn mean(self) -> Option<f64> {
        #[expect(clippy::cast_precision_loss, reason = "day counts are far below 2^52")]
        (self.paid > 0).then(|| self.total_days as f64 / f64::from(self.paid))
    }
}

fn bump(counter: &mut u32) {
    *counter = counter.saturating_add(1);
}

/// Performance, transaction counts and payment days from the organisation's contracts on
/// `today`. Disputes lost stay 0 here: they are added by the dispute workflow.
#[must_use]
pub fn contract_history(
    contracts: &[ContractFacts],
    today: NaiveDate,
) -> (PerformanceRecord, TransactionRecord, PaymentDays) {
    let mut performance = PerformanceRecord::default();
    let mut transactions = TransactionRecord::default();
    let mut days = PaymentDays::default();
    for contract in contracts {
        bump(&mut transactions.cooperations);
        match contract.side {
            ContractSide::Performer => performed(contract, today, &mut performance),
            ContractSide::Payer => paid(contract, today, &mut transactions, &mut days),
        }
    }
    (performance, transactions, days)
}

fn performed(contract: &ContractFacts, today: NaiveDate, record: &mut PerformanceRecord) {
    match contract.state {
        ContractState::Completed => bump(&mut record.contracts_completed),
        ContractState::Terminated => bump(&mut record.contracts_terminated),
        _ => {}
    }
    for milestone in contract.milestones.iter().filter(|m| m.index > 0) {
        if milestone.planned_date < today {
            bump(&mut record.milestones_due);
            if milestone.accepted_on.is_some_and(|on| on <= milestone.planned_date) {
                bump(&mut record.milestones_on_time);
            }
        }
        if let Some(first) = milestone.decisions.first() {
            bump(&mut record.acceptances_decided);
            if *first {
                bump(&mut record.acceptances_first_time);
            }
        }
    }
}

fn paid(contract: &ContractFacts, today: NaiveDate, record: &mut TransactionRecord, days: &mut PaymentDays) {
    for milestone in contract.milestones.iter().filter(|m| m.index > 0) {
        let Some(accepted_on) = milestone.accepted_on else { continue };
        match milestone.paid_in_full_on {
            Some(paid_on) => {
                let waited = (paid_on - accepted_on).num_days().max(0);
                bump(&mut record.payments_due);
                if waited <= OVERDUE_DAYS {
                    bump(&mut record.payments_on_time);
                }
                days.paid = days.paid.saturating_add(1);
                days.total_days += waited;
            }
            None if (today - accepted_on).num_days() > OVERDUE_DAYS => bump(&mut record.payments_due),
            None => {}
        }
    }
}

/// Ratings received, each given as its four aspects (1–5): each counts as their mean.
#[must_use]
pub fn ratings(aspects: &[[i32; 4]]) -> RatingRecord {
    let sum = aspects.iter().map(|a| f64::from(a.iter().sum::<i32>()) / 4.0).sum();
    RatingRecord { count: u32::try_from(aspects.len()).unwrap_or(u32::MAX), sum }
}

/// Certificates held, each with its grade rank (none when the taxonomy does not know the grade)
/// and expiry: the best grade valid on `today`, and how many are valid.
#[must_use]
pub fn qualifications(
    certificates: &[(Option<GradeRank>, NaiveDate)],
    today: NaiveDate,
) -> QualificationRecord {
    let valid: Vec<Option<GradeRank>> =
        certificates.iter().filter(|(_, expires_on)| *expires_on >= today).map(|(grade, _)| *grade).collect();
    QualificationRecord {
        best_valid_grade: valid.iter().flatten().min_by_key(|g| g.0).copied(),
        certificates_held: u32::try_from(certificates.len()).unwrap_or(u32::MAX),
        certificates_valid: u32::try_from(valid.len()).unwrap_or(u32::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn milestone(
        index: u32,
        planned: &str,
        decisions: &[bool],
        accepted: Option<&str>,
        paid: Option<&str>,
    ) -> MilestoneFacts {
        MilestoneFacts {
            index,
            planned_date: d(planned),
            decisions: decisions.to_vec(),
            accepted_on: accepted.map(d),
            paid_in_full_on: paid.map(d),
        }
    }

    fn contract(side: ContractSide, state: ContractState, milestones: Vec<MilestoneFacts>) -> ContractFacts {
        ContractFacts { side, state, milestones }
    }

    #[test]
    fn milestones_count_on_time_when_accepted_by_their_planned_date_once_it_passed() {
        let history = [contract(
            ContractSide::Performer,
            ContractState::Effective,
            vec![
                milestone(0, "2026-01-01", &[], None, Some("2026-01-01")),
                milestone(1, "2026-02-01", &[true], Some("2026-02-01"), None),
                milestone(2, "2026-03-01", &[false, true], Some("2026-03-05"), None),
                milestone(3, "2026-04-01", &[], None, None),
                milestone(4, "2026-09-01", &[true], Some("2026-04-02"), None),
            ],
        )];
        let (performance, transactions, _) = contract_history(&history, d("2026-04-10"));
        assert_eq!(
            (performance.milestones_on_time, performance.milestones_due),
            (1, 3),
            "the advance and a future date do not count"
        );
        assert_eq!((performance.acceptances_first_time, performance.acceptances_decided), (2, 3));
        assert_eq!(transactions.cooperations, 1);
    }

    #[test]
    fn completed_and_terminated_contracts_count_only_as_performer() {
        let history = [
            contract(ContractSide::Performer, ContractState::Completed, vec![]),
            contract(ContractSide::Performer, ContractState::Terminated, vec![]),
            contract(ContractSide::Payer, ContractState::Completed, vec![]),
        ];
        let (performance, transactions, _) = contract_history(&history, d("2026-04-10"));
        assert_eq!((performance.contracts_completed, performance.contracts_terminated), (1, 1));
        assert_eq!(transactions.cooperations, 3);
    }

    #[test]
    fn a_payment_is_on_time_within_fifteen_days_and_an_unpaid_milestone_is_late_from_the_sixteenth() {
        let history = [contract(
            ContractSide::Payer,
            ContractState::Effective,
            vec![
                milestone(1, "2026-02-01", &[true], Some("2026-02-01"), Some("2026-02-16")),
                milestone(2, "2026-02-01", &[true], Some("2026-02-01"), Some("2026-02-17")),
                milestone(3, "2026-03-01", &[true], Some("2026-03-01"), None),
                milestone(4, "2026-03-20", &[true], Some("2026-03-20"), None),
            ],
        )];
        let (_, transactions, days) = contract_history(&history, d("2026-04-01"));
        assert_eq!((transactions.payments_on_time, transactions.payments_due), (1, 3));
        assert_eq!(days, PaymentDays { paid: 2, total_days: 31 });
        assert_eq!(days.mean(), Some(15.5));
        assert_eq!(PaymentDays::default().mean(), None);
    }

    #[test]
    fn a_rating_counts_as_the_mean_of_its_four_aspects() {
        let record = ratings(&[[5, 4, 5, 2], [3, 3, 3, 3]]);
        assert_eq!(record.count, 2);
        assert!((record.sum - 7.0).abs() < 1e-9);
    }

    #[test]
    fn the_best_grade_is_taken_among_valid_certificates_only() {
        let today = d("2026-06-01");
        let record = qualifications(
            &[
                (Some(GradeRank(0)), d("2026-05-31")),
                (Some(GradeRank(2)), d("2026-06-01")),
                (None, d("2027-01-01")),
            ],
            today,
        );
        assert_eq!(record.best_valid_grade, Some(GradeRank(2)));
        assert_eq!((record.certificates_valid, record.certificates_held), (2, 3));
    }
}
