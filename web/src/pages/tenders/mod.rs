//! Tendering (招投标): opening bidding from a published demand's page, the tender's page
//! (`/tenders/{id}`: its terms for everyone; for the poster the sealed bid count, then the bids,
//! prequalification reports, scoring sheet, CSV, print view and award; for a named evaluator the
//! marks; for a bidder its prequalification report, its sealed bid, revisions, files and
//! outcome), and the organisation's own bids (`/bids`).

mod bidder;
mod evaluation;
mod my_bids;
mod open;
mod page;
mod sheet;

pub use my_bids::MyBidsPage;
pub use open::DemandTender;
pub use page::TenderPage;

use shared::dto::{BidState, EvaluationWeights, TenderState};

use crate::i18n::{Msg, TenderMsg, tr};

/// The reactive text of a tender string.
fn tt(msg: TenderMsg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    tr(Msg::TenderMsg(msg))
}

/// A tender status's name.
fn tender_state_name(state: TenderState) -> TenderMsg {
    match state {
        TenderState::Open => TenderMsg::StateOpen,
        TenderState::Closed => TenderMsg::StateClosed,
        TenderState::Awarded => TenderMsg::StateAwarded,
        TenderState::Signed => TenderMsg::StateSigned,
        TenderState::Lapsed => TenderMsg::StateLapsed,
        TenderState::Cancelled => TenderMsg::StateCancelled,
    }
}

/// The badge class of a tender status.
fn tender_state_class(state: TenderState) -> &'static str {
    match state {
        TenderState::Open => "badge-ok",
        TenderState::Closed | TenderState::Lapsed => "badge-warn",
        TenderState::Awarded | TenderState::Signed => "badge-ok",
        TenderState::Cancelled => "badge-muted",
    }
}

/// A bid status's name.
fn bid_state_name(state: BidState) -> TenderMsg {
    match state {
        BidState::Submitted => TenderMsg::BidSubmitted,
        BidState::Withdrawn => TenderMsg::BidWithdrawn,
        BidState::Valid => TenderMsg::BidValid,
        BidState::Disqualified => TenderMsg::BidDisqualified,
        BidState::Awarded => TenderMsg::BidAwarded,
        BidState::NotAwarded => TenderMsg::BidNotAwarded,
        BidState::AwardLapsed => TenderMsg::BidAwardLapsed,
    }
}

/// The badge class of a bid status.
fn bid_state_class(state: BidState) -> &'static str {
    match state {
        BidState::Submitted | BidState::Valid => "badge-ok",
        BidState::Awarded => "badge-ok badge-win",
        BidState::Withdrawn | BidState::NotAwarded => "badge-muted",
        BidState::Disqualified | BidState::AwardLapsed => "badge-bad",
    }
}

/// The four weights in a line, as points (the labels come from the dictionary).
fn weights_line(lang: crate::i18n::Lang, w: &EvaluationWeights) -> String {
    let t = |m: TenderMsg| Msg::TenderMsg(m).text(lang);
    format!(
        "{} {} · {} {} · {} {} · {} {}",
        t(TenderMsg::WeightPrice),
        w.price,
        t(TenderMsg::WeightDuration),
        w.duration,
        t(TenderMsg::WeightCredit),
        w.credit,
        t(TenderMsg::WeightTechnical),
        w.technical
    )
}

/// A score with two decimals.
fn points(score: f64) -> String {
    format!("{score:.2}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_show_with_two_decimals() {
        assert_eq!(points(89.39), "89.39");
        assert_eq!(points(7.5), "7.50");
        assert_eq!(points(0.0), "0.00");
    }
}
