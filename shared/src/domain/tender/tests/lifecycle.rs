//! The tender state machine: every allowed and refused transition, the lapse boundary, and
//! "terminal states are final".

use chrono::{DateTime, Duration, NaiveDate, Utc};
use proptest::prelude::*;
use rstest::rstest;

use super::{at, closes};
use crate::domain::calendar::{BusinessCalendar, Coverage};
use crate::domain::tender::lifecycle::*;
use crate::domain::tender::{RefusalKind, TenderRefusal};

/// Monday 2025-03-10, 10:00 in Shanghai: the award.
fn award_time() -> DateTime<Utc> {
    at(2025, 3, 10, 2, 0, 0)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn tender(state: TenderState) -> Tender {
    let awarded = matches!(state, TenderState::Awarded | TenderState::Lapsed | TenderState::Signed);
    Tender {
        state,
        bidding_closes_at: closes(),
        awarded_bid_id: awarded.then(|| "bid-1".to_owned()),
        awarded_on: awarded.then(|| date(2025, 3, 10)),
    }
}

fn calendar() -> &'static BusinessCalendar {
    BusinessCalendar::official()
}

fn award(bid_state: BidState) -> TenderEvent<'static> {
    TenderEvent::Award { bid_id: "bid-2", bid_state, calendar: calendar() }
}

fn lapse() -> TenderEvent<'static> {
    TenderEvent::Lapse { calendar: calendar() }
}

const ALL_STATES: [TenderState; 6] = [
    TenderState::Open,
    TenderState::Closed,
    TenderState::Awarded,
    TenderState::Signed,
    TenderState::Lapsed,
    TenderState::Cancelled,
];

#[rstest]
#[case::deadline_job_closes_at_the_deadline(
    TenderState::Open,
    TenderEvent::Close,
    TenderActor::System,
    closes(),
    TenderState::Closed
)]
#[case::poster_awards_a_valid_bid(
    TenderState::Closed,
    award(BidState::Valid),
    TenderActor::Poster,
    award_time(),
    TenderState::Awarded
)]
#[case::after_a_lapse_the_poster_awards_the_next_bid(
    TenderState::Lapsed,
    award(BidState::NotAwarded),
    TenderActor::Poster,
    award_time(),
    TenderState::Awarded
)]
#[case::contract_taking_effect_signs_the_tender(
    TenderState::Awarded,
    TenderEvent::ContractSigned,
    TenderActor::System,
    award_time(),
    TenderState::Signed
)]
#[case::lapse_job_after_the_tenth_business_day(
    TenderState::Awarded,
    lapse(),
    TenderActor::System,
    at(2025, 3, 24, 16, 0, 0),
    TenderState::Lapsed
)]
#[case::poster_cancels_while_open(
    TenderState::Open,
    TenderEvent::Cancel,
    TenderActor::Poster,
    award_time(),
    TenderState::Cancelled
)]
#[case::poster_cancels_after_close(
    TenderState::Closed,
    TenderEvent::Cancel,
    TenderActor::Poster,
    award_time(),
    TenderState::Cancelled
)]
#[case::poster_cancels_after_a_lapse(
    TenderState::Lapsed,
    TenderEvent::Cancel,
    TenderActor::Poster,
    award_time(),
    TenderState::Cancelled
)]
fn allowed_tender_transitions(
    #[case] from: TenderState,
    #[case] event: TenderEvent<'static>,
    #[case] actor: TenderActor,
    #[case] now: DateTime<Utc>,
    #[case] to: TenderState,
) {
    let step = transition(&tender(from), event, actor, now).expect("allowed");
    assert_eq!(step.tender.state, to);
}

#[rstest]
#[case::closing_before_the_deadline(TenderState::Open, TenderEvent::Close, TenderActor::System, closes() - Duration::seconds(1), TenderRefusal::BiddingStillOpen(closes()))]
#[case::poster_cannot_close(
    TenderState::Open,
    TenderEvent::Close,
    TenderActor::Poster,
    closes(),
    TenderRefusal::SystemOnly
)]
#[case::bidder_cannot_close(
    TenderState::Open,
    TenderEvent::Close,
    TenderActor::Bidder,
    closes(),
    TenderRefusal::SystemOnly
)]
#[case::closing_twice(
    TenderState::Closed,
    TenderEvent::Close,
    TenderActor::System,
    closes(),
    TenderRefusal::NotOpen
)]
#[case::closing_an_awarded_tender(
    TenderState::Awarded,
    TenderEvent::Close,
    TenderActor::System,
    closes(),
    TenderRefusal::NotOpen
)]
#[case::closing_a_lapsed_tender(
    TenderState::Lapsed,
    TenderEvent::Close,
    TenderActor::System,
    closes(),
    TenderRefusal::NotOpen
)]
#[case::awarding_while_open(
    TenderState::Open,
    award(BidState::Valid),
    TenderActor::Poster,
    award_time(),
    TenderRefusal::NotAwardable
)]
#[case::awarding_twice(
    TenderState::Awarded,
    award(BidState::NotAwarded),
    TenderActor::Poster,
    award_time(),
    TenderRefusal::NotAwardable
)]
#[case::awarding_a_disqualified_bid(
    TenderState::Closed,
    award(BidState::Disqualified),
    TenderActor::Poster,
    award_time(),
    TenderRefusal::BidNotAwardable
)]
#[case::awarding_a_withdrawn_bid(
    TenderState::Closed,
    award(BidState::Withdrawn),
    TenderActor::Poster,
    award_time(),
    TenderRefusal::BidNotAwardable
)]
#[case::awarding_an_unjudged_bid(
    TenderState::Closed,
    award(BidState::Submitted),
    TenderActor::Poster,
    award_time(),
    TenderRefusal::BidNotAwardable
)]
#[case::awarding_the_lapsed_bid_again(
    TenderState::Lapsed,
    award(BidState::AwardLapsed),
    TenderActor::Poster,
    award_time(),
    TenderRefusal::BidNotAwardable
)]
#[case::bidder_cannot_award(
    TenderState::Closed,
    award(BidState::Valid),
    TenderActor::Bidder,
    award_time(),
    TenderRefusal::PosterOnly
)]
#[case::system_cannot_award(
    TenderState::Closed,
    award(BidState::Valid),
    TenderActor::System,
    award_time(),
    TenderRefusal::PosterOnly
)]
#[case::contract_without_award(
    TenderState::Closed,
    TenderEvent::ContractSigned,
    TenderActor::System,
    award_time(),
    TenderRefusal::NoAwardPending
)]
#[case::contract_after_lapse(
    TenderState::Lapsed,
    TenderEvent::ContractSigned,
    TenderActor::System,
    award_time(),
    TenderRefusal::NoAwardPending
)]
#[case::poster_cannot_record_the_contract(
    TenderState::Awarded,
    TenderEvent::ContractSigned,
    TenderActor::Poster,
    award_time(),
    TenderRefusal::SystemOnly
)]
#[case::lapse_on_the_last_signing_day(
    TenderState::Awarded,
    lapse(),
    TenderActor::System,
    at(2025, 3, 24, 15, 59, 59),
    TenderRefusal::AwardNotLapsedYet(date(2025, 3, 24))
)]
#[case::lapse_without_award(
    TenderState::Closed,
    lapse(),
    TenderActor::System,
    at(2025, 4, 1, 0, 0, 0),
    TenderRefusal::NoAwardPending
)]
#[case::poster_cannot_lapse(
    TenderState::Awarded,
    lapse(),
    TenderActor::Poster,
    at(2025, 4, 1, 0, 0, 0),
    TenderRefusal::SystemOnly
)]
#[case::cancelling_an_award_in_force(
    TenderState::Awarded,
    TenderEvent::Cancel,
    TenderActor::Poster,
    award_time(),
    TenderRefusal::AwardInForce
)]
#[case::bidder_cannot_cancel(
    TenderState::Open,
    TenderEvent::Cancel,
    TenderActor::Bidder,
    award_time(),
    TenderRefusal::PosterOnly
)]
#[case::system_cannot_cancel(
    TenderState::Open,
    TenderEvent::Cancel,
    TenderActor::System,
    award_time(),
    TenderRefusal::PosterOnly
)]
#[case::signed_is_final(
    TenderState::Signed,
    TenderEvent::Cancel,
    TenderActor::Poster,
    award_time(),
    TenderRefusal::Finished
)]
#[case::cancelled_is_final(
    TenderState::Cancelled,
    award(BidState::Valid),
    TenderActor::Poster,
    award_time(),
    TenderRefusal::Finished
)]
fn refused_tender_transitions(
    #[case] from: TenderState,
    #[case] event: TenderEvent<'static>,
    #[case] actor: TenderActor,
    #[case] now: DateTime<Utc>,
    #[case] refusal: TenderRefusal,
) {
    assert_eq!(transition(&tender(from), event, actor, now), Err(refusal));
}

#[test]
fn an_award_records_the_bid_and_its_last_signing_day() {
    let step =
        transition(&tender(TenderState::Closed), award(BidState::Valid), TenderActor::Poster, award_time())
            .expect("awarded");
    assert_eq!(step.tender.awarded_bid_id.as_deref(), Some("bid-2"));
    assert_eq!(step.tender.awarded_on, Some(date(2025, 3, 10)));
    let TenderEffect::AwardBid { bid_id, last_signing_day } = step.effect else {
        panic!("{:?}", step.effect)
    };
    assert_eq!(bid_id, "bid-2");
    assert_eq!(last_signing_day.value, date(2025, 3, 24));
    assert_eq!(last_signing_day.coverage, Coverage::Official);
}

#[test]
fn a_lapse_names_the_bid_whose_award_lapsed_and_closing_asks_to_judge_the_bids() {
    let step =
        transition(&tender(TenderState::Awarded), lapse(), TenderActor::System, at(2025, 3, 25, 0, 0, 0))
            .expect("lapsed");
    assert_eq!(step.effect, TenderEffect::AwardLapsed { bid_id: "bid-1".to_owned() });
    let step = transition(&tender(TenderState::Open), TenderEvent::Close, TenderActor::System, closes())
        .expect("closed");
    assert_eq!(step.effect, TenderEffect::JudgeBids);
}

#[rstest]
#[case::ordinary_weeks(date(2025, 3, 10), date(2025, 3, 24), Coverage::Official)]
#[case::over_national_day_with_a_make_up_saturday(date(2025, 9, 30), date(2025, 10, 21), Coverage::Official)]
#[case::into_a_year_without_official_data(date(2026, 12, 24), date(2027, 1, 7), Coverage::WeekendsOnly)]
fn an_award_can_be_signed_for_ten_business_days(
    #[case] awarded_on: NaiveDate,
    #[case] last_day: NaiveDate,
    #[case] coverage: Coverage,
) {
    let lapses = award_lapses_at(awarded_on, calendar()).expect("computable");
    assert_eq!((lapses.value, lapses.coverage), (last_day, coverage));
}

#[test]
fn refusals_say_which_http_error_they_are() {
    assert_eq!(TenderRefusal::PosterOnly.kind(), RefusalKind::Forbidden);
    assert_eq!(TenderRefusal::NotAwardable.kind(), RefusalKind::Conflict);
    assert_eq!(
        TenderRefusal::AwardReason("too_long").kind(),
        RefusalKind::Field { field: "reason", issue: "too_long" }
    );
    assert_eq!(
        TenderRefusal::AwardNotLapsedYet(date(2025, 3, 24)).to_string(),
        "the contract can still be signed until the end of 2025-03-24"
    );
    assert_eq!(
        TenderRefusal::BidWrongState { state: BidState::NotAwarded, action: "be revised" }.to_string(),
        "a not_awarded bid cannot be revised"
    );
}

#[rstest]
#[case::open_before_the_deadline(TenderState::Open, closes() - Duration::seconds(1), false, true, false, Ok(()))]
#[case::at_the_deadline(TenderState::Open, closes(), false, true, false, Err(TenderRefusal::BiddingClosed))]
#[case::closed_tender(TenderState::Closed, closes() - Duration::days(1), false, true, false, Err(TenderRefusal::BiddingClosed))]
#[case::own_tender(TenderState::Open, closes() - Duration::days(1), true, true, false, Err(TenderRefusal::OwnTender))]
#[case::prequalification_blocks(TenderState::Open, closes() - Duration::days(1), false, false, false, Err(TenderRefusal::NotPrequalified))]
#[case::second_bid(TenderState::Open, closes() - Duration::days(1), false, true, true, Err(TenderRefusal::AlreadyBid))]
fn who_may_submit_a_bid(
    #[case] state: TenderState,
    #[case] now: DateTime<Utc>,
    #[case] own: bool,
    #[case] prequalified: bool,
    #[case] has_bid: bool,
    #[case] expected: Result<(), TenderRefusal>,
) {
    assert_eq!(may_submit_bid(&tender(state), now, own, prequalified, has_bid), expected);
}

fn any_tender_event() -> impl Strategy<Value = (TenderEvent<'static>, TenderActor)> {
    let events = prop_oneof![
        Just(TenderEvent::Close),
        Just(award(BidState::Valid)),
        Just(award(BidState::NotAwarded)),
        Just(TenderEvent::ContractSigned),
        Just(lapse()),
        Just(TenderEvent::Cancel),
    ];
    let actors = prop_oneof![Just(TenderActor::Poster), Just(TenderActor::Bidder), Just(TenderActor::System)];
    (events, actors)
}

proptest! {
    #[test]
    fn signed_and_cancelled_tenders_are_final(
        (event, actor) in any_tender_event(),
        minutes in -100_000_i64..100_000,
        terminal in prop_oneof![Just(TenderState::Signed), Just(TenderState::Cancelled)],
    ) {
        let now = closes() + Duration::minutes(minutes);
        prop_assert!(transition(&tender(terminal), event, actor, now).is_err());
    }

    #[test]
    fn random_walks_only_reach_signed_through_an_award(
        steps in proptest::collection::vec((any_tender_event(), 0_i64..30), 1..30),
    ) {
        let mut current = tender(TenderState::Open);
        let mut now = closes() - Duration::days(3);
        for ((event, actor), days) in steps {
            now += Duration::days(days);
            let before = current.state;
            if let Ok(step) = transition(&current, event, actor, now) {
                prop_assert!(!before.is_terminal());
                if step.tender.state == TenderState::Signed {
                    prop_assert_eq!(before, TenderState::Awarded);
                }
                if step.tender.state == TenderState::Awarded {
                    prop_assert!(matches!(before, TenderState::Closed | TenderState::Lapsed));
                    prop_assert!(now >= current.bidding_closes_at);
                }
                current = step.tender;
            }
        }
        prop_assert!(ALL_STATES.contains(&current.state));
    }

}
