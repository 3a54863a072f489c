//! Withdrawals (提现) under dual control (双人复核), and the bank account money is withdrawn
//! to.
//!
//! A withdrawal moves the amount from the organisation's available funds to its
//! `payout_pending` account when it is asked for, so the money cannot be spent twice; a finance
//! officer then confirms it was sent (pending → clearing) or rejects it (pending → available).
//! Above the configured amount two different officers must act: the first approves, a second
//! confirms.
//!
//! ```text
//!  (organisation asks) ──▶ Requested ──confirm (≤ threshold)──────────────▶ Paid
//!                            │  └──approve (> threshold)──▶ Approved ──confirm by another──▶ Paid
//!                            ├──reject (officer, reason)──▶ Rejected ◀──reject──┘
//!                            └──cancel (organisation)──▶ Cancelled
//! ```
//!
//! (A staff release of a milestone's escrow is a dual-control staff request,
//! `DualControlAction::ReleaseEscrow`, like the other staff actions.)

crate::stored_enum! {
    /// Where a withdrawal stands.
    pub enum PayoutState in "payouts.status" {
        /// Asked for; the money is set aside.
        Requested = "requested",
        /// Approved by a first officer; a second must confirm (above the dual-control amount).
        Approved = "approved",
        /// Sent to the bank account.
        Paid = "paid",
        /// Refused by finance; the money went back to available funds.
        Rejected = "rejected",
        /// Withdrawn by the organisation; the money went back to available funds.
        Cancelled = "cancelled",
    }
}

crate::stored_enum! {
    /// What a finance officer does with a withdrawal.
    pub enum PayoutAction in "payout decision" {
        /// First approval (above the dual-control amount).
        Approve = "approve",
        /// Confirm the money was sent (with the bank's transaction number).
        Confirm = "confirm",
        /// Refuse it (with a reason); the money goes back.
        Reject = "reject",
    }
}

/// Why a withdrawal step is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ControlRefusal {
    /// It is decided already.
    #[error("this is decided already")]
    Decided,
    /// Above the dual-control amount a first officer approves before another confirms.
    #[error("above the dual-control amount a first officer approves and a second confirms")]
    SecondApprovalRequired,
    /// At or below the dual-control amount there is nothing to approve: confirm it.
    #[error("at or below the dual-control amount one officer confirms; there is no approval step")]
    ApprovalNotNeeded,
    /// The officer who approved cannot also confirm.
    #[error("a second, different finance officer must do this")]
    SameOfficer,
    /// Only a request still waiting can be withdrawn by the organisation.
    #[error("only a withdrawal no officer has acted on can be cancelled")]
    NotCancellable,
}

impl ControlRefusal {
    /// The field and issue code the API names.
    #[must_use]
    pub const fn issue(&self) -> (&'static str, &'static str) {
        match self {
            Self::Decided => ("status", "decided"),
            Self::SecondApprovalRequired => ("action", "second_approval_required"),
            Self::ApprovalNotNeeded => ("action", "approval_not_needed"),
            Self::SameOfficer => ("action", "same_officer"),
            Self::NotCancellable => ("status", "not_cancellable"),
        }
    }
}

/// Whether a withdrawal of `amount_fen` needs two officers (strictly above the threshold).
#[must_use]
pub const fn needs_second_officer(amount_fen: i64, threshold_fen: i64) -> bool {
    amount_fen > threshold_fen
}

/// A withdrawal as the rules see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Payout<'a> {
    /// Where it stands.
    pub state: PayoutState,
    /// How much.
    pub amount_fen: i64,
    /// The officer who approved it, if one did.
    pub approved_by: Option<&'a str>,
}

/// What an officer's action leads to.
///
/// # Errors
/// [`ControlRefusal`] naming why.
pub fn decide(
    payout: Payout<'_>,
    action: PayoutAction,
    officer: &str,
    threshold_fen: i64,
) -> Result<PayoutState, ControlRefusal> {
    let dual = needs_second_officer(payout.amount_fen, threshold_fen);
    match (payout.state, action) {
        (PayoutState::Paid | PayoutState::Rejected | PayoutState::Cancelled, _)
        | (PayoutState::Approved, PayoutAction::Approve) => Err(ControlRefusal::Decided),
        (PayoutState::Requested | PayoutState::Approved, PayoutAction::Reject) => Ok(PayoutState::Rejected),
        (PayoutState::Requested, PayoutAction::Approve) if dual => Ok(PayoutState::Approved),
        (PayoutState::Requested, PayoutAction::Approve) => Err(ControlRefusal::ApprovalNotNeeded),
        (PayoutState::Requested, PayoutAction::Confirm) if dual => {
            Err(ControlRefusal::SecondApprovalRequired)
        }
        (PayoutState::Requested, PayoutAction::Confirm) => Ok(PayoutState::Paid),
        (PayoutState::Approved, PayoutAction::Confirm) if payout.approved_by == Some(officer) => {
            Err(ControlRefusal::SameOfficer)
        }
        (PayoutState::Approved, PayoutAction::Confirm) => Ok(PayoutState::Paid),
    }
}

/// Whether the organisation may withdraw its request.
///
/// # Errors
/// [`ControlRefusal::NotCancellable`] once an officer acted.
pub fn cancel(state: PayoutState) -> Result<PayoutState, ControlRefusal> {
    match state {
        PayoutState::Requested => Ok(PayoutState::Cancelled),
        _ => Err(ControlRefusal::NotCancellable),
    }
}

/// A bank account number as stored: digits only (spaces and hyphens people type are dropped),
/// 9 to 30 of them (Chinese corporate accounts run 12–25 digits; some banks' are shorter).
///
/// # Errors
/// `"invalid"` when anything but digits, spaces and hyphens is present or the length is off.
pub fn account_number(input: &str) -> Result<String, &'static str> {
    let mut digits = String::with_capacity(input.len());
    for c in input.trim().chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' => {}
            _ => return Err("invalid"),
        }
    }
    if (9..=30).contains(&digits.len()) { Ok(digits) } else { Err("invalid") }
}

/// A number as shown: the first and last four digits, the rest as `*`
/// (`6222021234567891234` → `6222***********1234`).
#[must_use]
pub fn masked(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 8))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: i64 = 5_000_000;

    fn payout(state: PayoutState, amount_fen: i64, approved_by: Option<&str>) -> Payout<'_> {
        Payout { state, amount_fen, approved_by }
    }

    #[test]
    fn one_officer_confirms_up_to_the_threshold() {
        let small = payout(PayoutState::Requested, LIMIT, None);
        assert_eq!(decide(small, PayoutAction::Confirm, "a", LIMIT), Ok(PayoutState::Paid));
        assert_eq!(decide(small, PayoutAction::Approve, "a", LIMIT), Err(ControlRefusal::ApprovalNotNeeded));
        assert_eq!(decide(small, PayoutAction::Reject, "a", LIMIT), Ok(PayoutState::Rejected));
    }

    #[test]
    fn above_the_threshold_two_different_officers_act() {
        let big = payout(PayoutState::Requested, LIMIT + 1, None);
        assert_eq!(
            decide(big, PayoutAction::Confirm, "a", LIMIT),
            Err(ControlRefusal::SecondApprovalRequired)
        );
        assert_eq!(decide(big, PayoutAction::Approve, "a", LIMIT), Ok(PayoutState::Approved));
        let approved = payout(PayoutState::Approved, LIMIT + 1, Some("a"));
        assert_eq!(decide(approved, PayoutAction::Confirm, "a", LIMIT), Err(ControlRefusal::SameOfficer));
        assert_eq!(decide(approved, PayoutAction::Approve, "b", LIMIT), Err(ControlRefusal::Decided));
        assert_eq!(decide(approved, PayoutAction::Confirm, "b", LIMIT), Ok(PayoutState::Paid));
        assert_eq!(decide(approved, PayoutAction::Reject, "a", LIMIT), Ok(PayoutState::Rejected));
    }

    #[test]
    fn decided_withdrawals_stay_decided() {
        for state in [PayoutState::Paid, PayoutState::Rejected, PayoutState::Cancelled] {
            for action in [PayoutAction::Approve, PayoutAction::Confirm, PayoutAction::Reject] {
                assert_eq!(decide(payout(state, 1, None), action, "b", LIMIT), Err(ControlRefusal::Decided));
            }
            assert_eq!(cancel(state), Err(ControlRefusal::NotCancellable));
        }
        assert_eq!(cancel(PayoutState::Approved), Err(ControlRefusal::NotCancellable));
        assert_eq!(cancel(PayoutState::Requested), Ok(PayoutState::Cancelled));
    }

    #[test]
    fn account_numbers_are_digits_and_shown_masked() {
        assert_eq!(account_number(" 6222 0212-3456 7891 234 "), Ok("6222021234567891234".to_owned()));
        assert_eq!(account_number("12345678"), Err("invalid"));
        assert_eq!(account_number(&"1".repeat(31)), Err("invalid"));
        assert_eq!(account_number("6222O21234567891234"), Err("invalid"));
        assert_eq!(masked("6222021234567891234"), "6222***********1234");
        assert_eq!(masked("110112345"), "1101*2345");
    }
}
