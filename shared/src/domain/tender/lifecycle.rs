//! The tender and bid state machines. [`transition`] applies a tender event; [`bid_transition`]
//! a bid event; [`may_submit_bid`] says whether a new bid is accepted; [`award_lapses_at`] gives
//! the last day on which an award can still be signed.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{AWARD_SIGNING_BUSINESS_DAYS, TenderRefusal};
use crate::domain::calendar::shanghai::business_date;
use crate::domain::calendar::{BusinessCalendar, Reckoned};

crate::stored_enum! {
    /// Where a tender stands.
    pub enum TenderState in "tenders.status" {
        /// Taking sealed bids until the deadline.
        Open = "open",
        /// The deadline passed; the scoring sheet is being filled in.
        Closed = "closed",
        /// One bid is awarded; its contract must be signed within 10 business days.
        Awarded = "awarded",
        /// The awarded bid's contract took effect (terminal).
        Signed = "signed",
        /// The award was not signed in time; the poster may award another bid or cancel.
        Lapsed = "lapsed",
        /// Cancelled by the poster before any award in force (terminal).
        Cancelled = "cancelled",
    }
}

impl TenderState {
    /// Whether nothing can happen any more.
    #[must_use]
    pub const fn is_terminal(self) -> bool {
        matches!(self, Self::Signed | Self::Cancelled)
    }
}

/// Who fires a tender or bid event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TenderActor {
    /// A member of the organisation that posted the demand.
    Poster,
    /// A member of the organisation that owns the bid in question.
    Bidder,
    /// The platform's jobs (deadline, lapse) and its reactions to other lifecycles.
    System,
}

/// A tender as the lifecycle needs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tender {
    /// Where it stands.
    pub state: TenderState,
    /// When bidding closes: bids are accepted strictly before this instant.
    pub bidding_closes_at: DateTime<Utc>,
    /// The bid whose award is (or was last) in force.
    pub awarded_bid_id: Option<String>,
    /// The Shanghai date of that award: the signing period counts from here.
    pub awarded_on: Option<NaiveDate>,
}

impl Tender {
    /// A tender that has just opened for bids until `bidding_closes_at`.
    #[must_use]
    pub const fn open(bidding_closes_at: DateTime<Utc>) -> Self {
        Self { state: TenderState::Open, bidding_closes_at, awarded_bid_id: None, awarded_on: None }
    }
}

/// Something that happens to a tender.
#[derive(Clone, Copy, Debug)]
pub enum TenderEvent<'a> {
    /// The deadline job closes bidding (fires: system, at or after the deadline).
    Close,
    /// The poster awards one bid (fires: poster, once [`super::scoring::award_check`] passed).
    Award {
        /// The bid chosen.
        bid_id: &'a str,
        /// Its current state: `Valid` after close, `NotAwarded` after a lapse.
        bid_state: BidState,
        /// The calendar the signing period is counted in.
        calendar: &'a BusinessCalendar,
    },
    /// The awarded bid's contract took effect (fires: system, from the contract lifecycle).
    ContractSigned,
    /// The signing period passed without a contract (fires: system, the lapse job).
    Lapse {
        /// The calendar the signing period is counted in.
        calendar: &'a BusinessCalendar,
    },
    /// The poster cancels the tender (fires: poster, before any award in force).
    Cancel,
}

/// What else happens with the state change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TenderEffect {
    /// Judge every submitted bid (`Valid` or `Disqualified`) and open the scoring sheet.
    JudgeBids,
    /// Mark the awarded bid `Awarded`, the other valid bids `NotAwarded`, draft the contract, and
    /// schedule the lapse job for the end of `last_signing_day` (with its calendar coverage).
    AwardBid {
        /// The bid awarded.
        bid_id: String,
        /// The last Shanghai day on which the contract can be signed.
        last_signing_day: Reckoned<NaiveDate>,
    },
    /// The tender is done; nothing else to do.
    Done,
    /// Mark the lapsed bid `AwardLapsed` and abandon its unsigned contract.
    AwardLapsed {
        /// The bid whose award lapsed.
        bid_id: String,
    },
    /// Tell every bidder the tender is cancelled.
    NotifyCancelled,
}

/// The outcome of a tender event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TenderStep {
    /// The tender after the event.
    pub tender: Tender,
    /// What else changes.
    pub effect: TenderEffect,
}

/// The last Shanghai day on which an award made on `awarded_on` can be signed: the
/// [`AWARD_SIGNING_BUSINESS_DAYS`]th (10th) business day after it. The award lapses at the end of
/// that day. The coverage says whether official holiday data covered the days counted.
///
/// # Errors
/// [`TenderRefusal::Calendar`] only at the edge of the dates chrono represents.
pub fn award_lapses_at(
    awarded_on: NaiveDate,
    calendar: &BusinessCalendar,
) -> Result<Reckoned<NaiveDate>, TenderRefusal> {
    calendar.add_business_days(awarded_on, AWARD_SIGNING_BUSINESS_DAYS).map_err(TenderRefusal::Calendar)
}

/// Applies `event`, fired by `actor` at `now`, to `tender`.
///
/// Rules: close only by the system, only from `Open`, at or after the deadline; award only by the
/// poster, from `Closed` or `Lapsed`, of a `Valid` or `NotAwarded` bid; the contract's taking
/// effect and the lapse only by the system, from `Awarded`, the lapse only after the end of the
/// last signing day; cancel only by the poster, from `Open`, `Closed` or `Lapsed`. Nothing happens
/// to a signed or cancelled tender.
///
/// # Errors
/// The [`TenderRefusal`] saying why: the actor (403) or the state (409).
pub fn transition(
    tender: &Tender,
    event: TenderEvent<'_>,
    actor: TenderActor,
    now: DateTime<Utc>,
) -> Result<TenderStep, TenderRefusal> {
    let required = match event {
        TenderEvent::Close | TenderEvent::ContractSigned | TenderEvent::Lapse { .. } => TenderActor::System,
        TenderEvent::Award { .. } | TenderEvent::Cancel => TenderActor::Poster,
    };
    if actor != required {
        return Err(if required == TenderActor::System {
            TenderRefusal::SystemOnly
        } else {
            TenderRefusal::PosterOnly
        });
    }
    if tender.state.is_terminal() {
        return Err(TenderRefusal::Finished);
    }
    let mut next = tender.clone();
    let effect = match (tender.state, event) {
        (TenderState::Open, TenderEvent::Close) => {
            if now < tender.bidding_closes_at {
                return Err(TenderRefusal::BiddingStillOpen(tender.bidding_closes_at));
            }
            next.state = TenderState::Closed;
            TenderEffect::JudgeBids
        }
        (_, TenderEvent::Close) => return Err(TenderRefusal::NotOpen),
        (TenderState::Closed | TenderState::Lapsed, TenderEvent::Award { bid_id, bid_state, calendar }) => {
            if !bid_state.is_awardable() {
                return Err(TenderRefusal::BidNotAwardable);
            }
            let awarded_on = business_date(now);
            let last_signing_day = award_lapses_at(awarded_on, calendar)?;
            next.state = TenderState::Awarded;
            next.awarded_bid_id = Some(bid_id.to_owned());
            next.awarded_on = Some(awarded_on);
            TenderEffect::AwardBid { bid_id: bid_id.to_owned(), last_signing_day }
        }
        (_, TenderEvent::Award { .. }) => return Err(TenderRefusal::NotAwardable),
        (TenderState::Awarded, TenderEvent::ContractSigned) => {
            next.state = TenderState::Signed;
            TenderEffect::Done
        }
        (TenderState::Awarded, TenderEvent::Lapse { calendar }) => {
            let (Some(awarded_on), Some(bid_id)) = (tender.awarded_on, tender.awarded_bid_id.clone()) else {
                return Err(TenderRefusal::NoAwardPending);
            };
            let last_day = award_lapses_at(awarded_on, calendar)?.value;
            if business_date(now) <= last_day {
                return Err(TenderRefusal::AwardNotLapsedYet(last_day));
            }
            next.state = TenderState::Lapsed;
            TenderEffect::AwardLapsed { bid_id }
        }
        (_, TenderEvent::ContractSigned | TenderEvent::Lapse { .. }) => {
            return Err(TenderRefusal::NoAwardPending);
        }
        (TenderState::Open | TenderState::Closed | TenderState::Lapsed, TenderEvent::Cancel) => {
            next.state = TenderState::Cancelled;
            TenderEffect::NotifyCancelled
        }
        (_, TenderEvent::Cancel) => return Err(TenderRefusal::AwardInForce),
    };
    Ok(TenderStep { tender: next, effect })
}

/// Whether an organisation may submit a new bid at `now`: the tender is open and its deadline
/// not reached, the organisation is not the poster, its prequalification report allows it to bid
/// (`prequalified`, see [`super::prequalification::PrequalificationReport::may_bid`]), and it has
/// no live (submitted) bid already.
///
/// # Errors
/// [`TenderRefusal::BiddingClosed`], [`TenderRefusal::OwnTender`],
/// [`TenderRefusal::NotPrequalified`] or [`TenderRefusal::AlreadyBid`], in that order.
pub fn may_submit_bid(
    tender: &Tender,
    now: DateTime<Utc>,
    own_tender: bool,
    prequalified: bool,
    has_live_bid: bool,
) -> Result<(), TenderRefusal> {
    if tender.state != TenderState::Open || now >= tender.bidding_closes_at {
        Err(TenderRefusal::BiddingClosed)
    } else if own_tender {
        Err(TenderRefusal::OwnTender)
    } else if !prequalified {
        Err(TenderRefusal::NotPrequalified)
    } else if has_live_bid {
        Err(TenderRefusal::AlreadyBid)
    } else {
        Ok(())
    }
}

crate::stored_enum! {
    /// Where a bid stands.
    pub enum BidState in "bids.status" {
        /// Sealed and in the running; may be revised (a new revision) or withdrawn before the
        /// deadline.
        Submitted = "submitted",
        /// Withdrawn by the bidder before the deadline (terminal).
        Withdrawn = "withdrawn",
        /// Judged valid at close: it is on the scoring sheet.
        Valid = "valid",
        /// Judged invalid at close, e.g. prequalification failed by then (terminal).
        Disqualified = "disqualified",
        /// The bid the tender is awarded to.
        Awarded = "awarded",
        /// Another bid was awarded; may still be awarded if that award lapses.
        NotAwarded = "not_awarded",
        /// Its award lapsed unsigned (terminal).
        AwardLapsed = "award_lapsed",
    }
}

impl BidState {
    /// Whether the poster may award this bid: `Valid`, or `NotAwarded` after another award
    /// lapsed.
    #[must_use]
    pub const fn is_awardable(self) -> bool {
        matches!(self, Self::Valid | Self::NotAwarded)
    }
}

/// Something that happens to a bid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BidEvent {
    /// The bidder replaces price, duration or proposal (fires: bidder, before the deadline).
    Revise,
    /// The bidder withdraws (fires: bidder, before the deadline).
    Withdraw,
    /// The bid is judged at close (fires: system, at or after the deadline).
    Judge {
        /// Whether the bidder still passes prequalification.
        qualified: bool,
    },
    /// The tender is awarded to this bid (fires: system, as the effect of the award).
    Award,
    /// The tender is awarded to another bid (fires: system, as the effect of the award).
    PassOver,
    /// This bid's award lapsed (fires: system, as the effect of the lapse).
    Lapse,
}

/// What else changes with a bid event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BidEffect {
    /// Nothing else.
    None,
    /// Store the new offer as the next revision (the previous revisions are kept).
    NewRevision,
}

/// The outcome of a bid event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BidStep {
    /// The bid's state after the event.
    pub state: BidState,
    /// What else changes.
    pub effect: BidEffect,
}

/// Applies `event`, fired by `actor` at `now`, to a bid in `current` on a tender whose bidding
/// closes at `bidding_closes_at`.
///
/// Rules: revise and withdraw only by the bidder, only a `Submitted` bid, strictly before the
/// deadline; judging only by the system, only a `Submitted` bid, at or after the deadline; award
/// only of a `Valid` or `NotAwarded` bid, pass-over only of a `Valid` bid, lapse only of an
/// `Awarded` bid, all by the system.
///
/// # Errors
/// [`TenderRefusal::BidderOnly`] / [`TenderRefusal::SystemOnly`] for the wrong actor,
/// [`TenderRefusal::BiddingClosed`] / [`TenderRefusal::BiddingStillOpen`] for the wrong time,
/// [`TenderRefusal::BidWrongState`] for the wrong state.
pub fn bid_transition(
    current: BidState,
    event: BidEvent,
    actor: TenderActor,
    bidding_closes_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<BidStep, TenderRefusal> {
    let by_bidder = matches!(event, BidEvent::Revise | BidEvent::Withdraw);
    match (by_bidder, actor) {
        (true, TenderActor::Bidder) | (false, TenderActor::System) => {}
        (true, _) => return Err(TenderRefusal::BidderOnly),
        (false, _) => return Err(TenderRefusal::SystemOnly),
    }
    let wrong = |action| TenderRefusal::BidWrongState { state: current, action };
    let step = |state, effect| Ok(BidStep { state, effect });
    match event {
        BidEvent::Revise | BidEvent::Withdraw => {
            if current != BidState::Submitted {
                return Err(wrong(if event == BidEvent::Revise { "be revised" } else { "be withdrawn" }));
            }
            if now >= bidding_closes_at {
                return Err(TenderRefusal::BiddingClosed);
            }
            if event == BidEvent::Revise {
                step(BidState::Submitted, BidEffect::NewRevision)
            } else {
                step(BidState::Withdrawn, BidEffect::None)
            }
        }
        BidEvent::Judge { qualified } => {
            if current != BidState::Submitted {
                return Err(wrong("be judged"));
            }
            if now < bidding_closes_at {
                return Err(TenderRefusal::BiddingStillOpen(bidding_closes_at));
            }
            step(if qualified { BidState::Valid } else { BidState::Disqualified }, BidEffect::None)
        }
        BidEvent::Award if current.is_awardable() => step(BidState::Awarded, BidEffect::None),
        BidEvent::Award => Err(wrong("be awarded")),
        BidEvent::PassOver if current == BidState::Valid => step(BidState::NotAwarded, BidEffect::None),
        BidEvent::PassOver => Err(wrong("be passed over")),
        BidEvent::Lapse if current == BidState::Awarded => step(BidState::AwardLapsed, BidEffect::None),
        BidEvent::Lapse => Err(wrong("lapse")),
    }
}
