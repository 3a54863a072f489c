//! An online payment provider's payment notification (WeChat Pay) against the funding request
//! whose reference it quotes as `out_trade_no`: credit it, acknowledge it and change nothing, or
//! leave it for finance. The notification's signature and decryption are checked before this.

use crate::dto::FundingStatus;

/// What a verified notification says about a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProviderPayment {
    /// Its merchant id and app id are ours.
    pub ours: bool,
    /// The order's state is `SUCCESS` (the money arrived).
    pub paid: bool,
    /// The order's amount, fen (`amount.total`: what the merchant is owed, discounts included).
    pub total_fen: i64,
}

/// The funding request the notification names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requested {
    /// What it asks, fen.
    pub amount_fen: i64,
    /// Where it stands.
    pub status: FundingStatus,
}

/// What a notification does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentOutcome {
    /// Credit the request (the money arrived, everything matches, it is pending).
    Credit,
    /// The request was paid already (a retry, a duplicate): nothing changes.
    AlreadyPaid,
    /// The order is not paid (`NOTPAY`, `CLOSED`, … — possibly an older event arriving late):
    /// nothing moves.
    NotPaid,
    /// Money arrived for a request that was withdrawn: nothing moves; finance returns it.
    RequestNotPending,
    /// No `wechat_pay` request has this reference: nothing moves.
    UnknownOrder,
    /// Another merchant's or app's order, or the amount differs from the request's: nothing
    /// moves, the request stays pending, finance looks at it.
    Mismatch,
}

impl PaymentOutcome {
    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Credit => "credited",
            Self::AlreadyPaid => "already_paid",
            Self::NotPaid => "not_paid",
            Self::RequestNotPending => "request_not_pending",
            Self::UnknownOrder => "unknown_order",
            Self::Mismatch => "mismatch",
        }
    }

    /// Whether the provider is told the notification was received (anything but a mismatch,
    /// which is answered with an error so it stays visible and is retried).
    pub fn acknowledged(self) -> bool {
        self != Self::Mismatch
    }
}

/// Decides what a verified payment notification does to its request.
pub fn decide(payment: ProviderPayment, request: Option<Requested>) -> PaymentOutcome {
    let Some(request) = request else { return PaymentOutcome::UnknownOrder };
    if !payment.ours {
        return PaymentOutcome::Mismatch;
    }
    if !payment.paid {
        return PaymentOutcome::NotPaid;
    }
    if payment.total_fen != request.amount_fen {
        return PaymentOutcome::Mismatch;
    }
    match request.status {
        FundingStatus::Pending => PaymentOutcome::Credit,
        FundingStatus::Paid => PaymentOutcome::AlreadyPaid,
        FundingStatus::Cancelled => PaymentOutcome::RequestNotPending,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAID: ProviderPayment = ProviderPayment { ours: true, paid: true, total_fen: 100 };

    fn request(status: FundingStatus) -> Option<Requested> {
        Some(Requested { amount_fen: 100, status })
    }

    #[test]
    fn a_matching_payment_credits_a_pending_request_once() {
        assert_eq!(decide(PAID, request(FundingStatus::Pending)), PaymentOutcome::Credit);
        assert_eq!(decide(PAID, request(FundingStatus::Paid)), PaymentOutcome::AlreadyPaid);
    }

    #[test]
    fn an_unpaid_state_never_moves_money_even_after_the_payment() {
        let late = ProviderPayment { paid: false, ..PAID };
        assert_eq!(decide(late, request(FundingStatus::Paid)), PaymentOutcome::NotPaid);
        assert_eq!(decide(late, request(FundingStatus::Pending)), PaymentOutcome::NotPaid);
    }

    #[test]
    fn a_different_amount_or_merchant_is_left_for_finance() {
        let more = ProviderPayment { total_fen: 101, ..PAID };
        assert_eq!(decide(more, request(FundingStatus::Pending)), PaymentOutcome::Mismatch);
        let theirs = ProviderPayment { ours: false, ..PAID };
        assert_eq!(decide(theirs, request(FundingStatus::Pending)), PaymentOutcome::Mismatch);
        assert!(!PaymentOutcome::Mismatch.acknowledged());
    }

    #[test]
    fn money_for_a_withdrawn_or_unknown_request_moves_nothing() {
        assert_eq!(decide(PAID, request(FundingStatus::Cancelled)), PaymentOutcome::RequestNotPending);
        assert_eq!(decide(PAID, None), PaymentOutcome::UnknownOrder);
    }
}
