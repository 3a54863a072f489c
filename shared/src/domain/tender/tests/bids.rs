//! The bid state machine: every allowed and refused transition, and the properties "withdrawn,
//! disqualified and lapsed bids are final" and "a bid changes only before the deadline".

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use rstest::rstest;

use super::closes;
use crate::domain::tender::TenderRefusal;
use crate::domain::tender::lifecycle::*;

fn before() -> DateTime<Utc> {
    closes() - Duration::seconds(1)
}

#[rstest]
#[case::revision_before_the_deadline(
    BidState::Submitted,
    BidEvent::Revise,
    TenderActor::Bidder,
    before(),
    BidState::Submitted,
    BidEffect::NewRevision
)]
#[case::withdrawal_before_the_deadline(
    BidState::Submitted,
    BidEvent::Withdraw,
    TenderActor::Bidder,
    before(),
    BidState::Withdrawn,
    BidEffect::None
)]
#[case::judged_valid_at_close(BidState::Submitted, BidEvent::Judge { qualified: true }, TenderActor::System, closes(), BidState::Valid, BidEffect::None)]
#[case::disqualified_at_close(BidState::Submitted, BidEvent::Judge { qualified: false }, TenderActor::System, closes(), BidState::Disqualified, BidEffect::None)]
#[case::valid_bid_awarded(
    BidState::Valid,
    BidEvent::Award,
    TenderActor::System,
    closes(),
    BidState::Awarded,
    BidEffect::None
)]
#[case::passed_over_bid_awarded_after_a_lapse(
    BidState::NotAwarded,
    BidEvent::Award,
    TenderActor::System,
    closes(),
    BidState::Awarded,
    BidEffect::None
)]
#[case::others_passed_over(
    BidState::Valid,
    BidEvent::PassOver,
    TenderActor::System,
    closes(),
    BidState::NotAwarded,
    BidEffect::None
)]
#[case::award_lapses(
    BidState::Awarded,
    BidEvent::Lapse,
    TenderActor::System,
    closes(),
    BidState::AwardLapsed,
    BidEffect::None
)]
fn allowed_bid_transitions(
    #[case] from: BidState,
    #[case] event: BidEvent,
    #[case] actor: TenderActor,
    #[case] now: DateTime<Utc>,
    #[case] to: BidState,
    #[case] effect: BidEffect,
) {
    assert_eq!(bid_transition(from, event, actor, closes(), now), Ok(BidStep { state: to, effect }));
}

fn wrong(state: BidState, action: &'static str) -> TenderRefusal {
    TenderRefusal::BidWrongState { state, action }
}

#[rstest]
#[case::revision_at_the_deadline(
    BidState::Submitted,
    BidEvent::Revise,
    TenderActor::Bidder,
    closes(),
    TenderRefusal::BiddingClosed
)]
#[case::withdrawal_after_the_deadline(
    BidState::Submitted,
    BidEvent::Withdraw,
    TenderActor::Bidder,
    closes(),
    TenderRefusal::BiddingClosed
)]
#[case::revising_a_withdrawn_bid(
    BidState::Withdrawn,
    BidEvent::Revise,
    TenderActor::Bidder,
    before(),
    wrong(BidState::Withdrawn, "be revised")
)]
#[case::withdrawing_a_valid_bid(
    BidState::Valid,
    BidEvent::Withdraw,
    TenderActor::Bidder,
    closes(),
    wrong(BidState::Valid, "be withdrawn")
)]
#[case::poster_cannot_revise(
    BidState::Submitted,
    BidEvent::Revise,
    TenderActor::Poster,
    before(),
    TenderRefusal::BidderOnly
)]
#[case::system_cannot_withdraw(
    BidState::Submitted,
    BidEvent::Withdraw,
    TenderActor::System,
    before(),
    TenderRefusal::BidderOnly
)]
#[case::judging_before_the_deadline(BidState::Submitted, BidEvent::Judge { qualified: true }, TenderActor::System, before(), TenderRefusal::BiddingStillOpen(closes()))]
#[case::judging_twice(BidState::Valid, BidEvent::Judge { qualified: true }, TenderActor::System, closes(), wrong(BidState::Valid, "be judged"))]
#[case::judging_a_withdrawn_bid(BidState::Withdrawn, BidEvent::Judge { qualified: true }, TenderActor::System, closes(), wrong(BidState::Withdrawn, "be judged"))]
#[case::bidder_cannot_judge(BidState::Submitted, BidEvent::Judge { qualified: true }, TenderActor::Bidder, closes(), TenderRefusal::SystemOnly)]
#[case::poster_awards_through_the_tender(
    BidState::Valid,
    BidEvent::Award,
    TenderActor::Poster,
    closes(),
    TenderRefusal::SystemOnly
)]
#[case::awarding_a_disqualified_bid(
    BidState::Disqualified,
    BidEvent::Award,
    TenderActor::System,
    closes(),
    wrong(BidState::Disqualified, "be awarded")
)]
#[case::awarding_a_lapsed_bid(
    BidState::AwardLapsed,
    BidEvent::Award,
    TenderActor::System,
    closes(),
    wrong(BidState::AwardLapsed, "be awarded")
)]
#[case::awarding_twice(
    BidState::Awarded,
    BidEvent::Award,
    TenderActor::System,
    closes(),
    wrong(BidState::Awarded, "be awarded")
)]
#[case::passing_over_the_awarded_bid(
    BidState::Awarded,
    BidEvent::PassOver,
    TenderActor::System,
    closes(),
    wrong(BidState::Awarded, "be passed over")
)]
#[case::passing_over_twice(
    BidState::NotAwarded,
    BidEvent::PassOver,
    TenderActor::System,
    closes(),
    wrong(BidState::NotAwarded, "be passed over")
)]
#[case::lapsing_a_bid_not_awarded(
    BidState::Valid,
    BidEvent::Lapse,
    TenderActor::System,
    closes(),
    wrong(BidState::Valid, "lapse")
)]
fn refused_bid_transitions(
    #[case] from: BidState,
    #[case] event: BidEvent,
    #[case] actor: TenderActor,
    #[case] now: DateTime<Utc>,
    #[case] refusal: TenderRefusal,
) {
    assert_eq!(bid_transition(from, event, actor, closes(), now), Err(refusal));
}

const ALL_BID_STATES: [BidState; 7] = [
    BidState::Submitted,
    BidState::Withdrawn,
    BidState::Valid,
    BidState::Disqualified,
    BidState::Awarded,
    BidState::NotAwarded,
    BidState::AwardLapsed,
];

fn any_bid_event() -> impl Strategy<Value = BidEvent> {
    prop_oneof![
        Just(BidEvent::Revise),
        Just(BidEvent::Withdraw),
        any::<bool>().prop_map(|qualified| BidEvent::Judge { qualified }),
        Just(BidEvent::Award),
        Just(BidEvent::PassOver),
        Just(BidEvent::Lapse),
    ]
}

proptest! {
    #[test]
    fn withdrawn_disqualified_and_lapsed_bids_are_final(
        event in any_bid_event(),
        actor in prop_oneof![Just(TenderActor::Poster), Just(TenderActor::Bidder), Just(TenderActor::System)],
        minutes in -100_000_i64..100_000,
        state in prop_oneof![Just(BidState::Withdrawn), Just(BidState::Disqualified), Just(BidState::AwardLapsed)],
    ) {
        prop_assert!(bid_transition(state, event, actor, closes(), closes() + Duration::minutes(minutes)).is_err());
    }

    #[test]
    fn a_bid_changes_only_before_the_deadline_and_is_judged_only_after(
        event in any_bid_event(),
        minutes in -100_000_i64..100_000,
        state_index in 0..ALL_BID_STATES.len(),
    ) {
        let now = closes() + Duration::minutes(minutes);
        let actor = if matches!(event, BidEvent::Revise | BidEvent::Withdraw) { TenderActor::Bidder } else { TenderActor::System };
        if let Ok(step) = bid_transition(ALL_BID_STATES[state_index], event, actor, closes(), now) {
            match event {
                BidEvent::Revise | BidEvent::Withdraw => prop_assert!(now < closes()),
                BidEvent::Judge { .. } => prop_assert!(now >= closes()),
                _ => {}
            }
            prop_assert!(ALL_BID_STATES.contains(&step.state));
        }
    }
}
