//! A reward redemption: requested (points taken) → fulfilled (handed over) or cancelled (points
//! and stock returned). Both ends are final; cancelling is possible only before the hand-over.

use super::Refusal;
use crate::dto::RedemptionStatus;

/// Something that happens to a redemption.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedemptionEvent {
    /// An operator hands the reward over.
    Fulfil,
    /// The person or an operator cancels it.
    Cancel,
}

/// Whether a redemption can be requested: some stock left and a balance that covers the cost.
///
/// # Errors
/// [`Refusal::OutOfStock`] first, then [`Refusal::NotEnoughPoints`].
pub fn redeem(in_stock: bool, cost: i64, balance: i64) -> Result<RedemptionStatus, Refusal> {
    if !in_stock {
        return Err(Refusal::OutOfStock);
    }
    if balance < cost {
        return Err(Refusal::NotEnoughPoints { cost, balance });
    }
    Ok(RedemptionStatus::Requested)
}

/// The state after `event`.
///
/// # Errors
/// A refusal for any event on a fulfilled or cancelled redemption.
pub fn transition(current: RedemptionStatus, event: RedemptionEvent) -> Result<RedemptionStatus, Refusal> {
    match (current, event) {
        (RedemptionStatus::Requested, RedemptionEvent::Fulfil) => Ok(RedemptionStatus::Fulfilled),
        (RedemptionStatus::Requested, RedemptionEvent::Cancel) => Ok(RedemptionStatus::Cancelled),
        (_, RedemptionEvent::Fulfil) => Err(Refusal::RedemptionDecided),
        (_, RedemptionEvent::Cancel) => Err(Refusal::RedemptionNotCancellable),
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;
    use RedemptionEvent::{Cancel, Fulfil};
    use RedemptionStatus::{Cancelled, Fulfilled, Requested};

    #[rstest]
    #[case(Requested, Fulfil, Ok(Fulfilled))]
    #[case(Requested, Cancel, Ok(Cancelled))]
    #[case(Fulfilled, Fulfil, Err(Refusal::RedemptionDecided))]
    #[case(Cancelled, Fulfil, Err(Refusal::RedemptionDecided))]
    #[case(Fulfilled, Cancel, Err(Refusal::RedemptionNotCancellable))]
    #[case(Cancelled, Cancel, Err(Refusal::RedemptionNotCancellable))]
    fn a_redemption_is_decided_once_and_cancelled_only_before_hand_over(
        #[case] from: RedemptionStatus,
        #[case] event: RedemptionEvent,
        #[case] expected: Result<RedemptionStatus, Refusal>,
    ) {
        assert_eq!(transition(from, event), expected);
    }

    #[rstest]
    #[case(true, 50, 50, Ok(Requested))]
    #[case(false, 50, 500, Err(Refusal::OutOfStock))]
    #[case(true, 50, 49, Err(Refusal::NotEnoughPoints { cost: 50, balance: 49 }))]
    fn a_redemption_needs_stock_then_points(
        #[case] in_stock: bool,
        #[case] cost: i64,
        #[case] balance: i64,
        #[case] expected: Result<RedemptionStatus, Refusal>,
    ) {
        assert_eq!(redeem(in_stock, cost, balance), expected);
    }
}
