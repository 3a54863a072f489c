use chrono::{NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use rstest::rstest;

use super::*;

const ALL: [DemandStatus; 5] = [
    DemandStatus::Draft,
    DemandStatus::PendingReview,
    DemandStatus::Rejected,
    DemandStatus::Published,
    DemandStatus::Closed,
];

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 3, 2, 0, 0).single().expect("valid instant")
}

fn later() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 4, 1).expect("valid date")
}

fn submit(tier: MembershipTier) -> DemandEvent<'static> {
    DemandEvent::Submit { tier, standing: Ok(()), deadline: later(), calendar: BusinessCalendar::official() }
}

const POSTER: DemandActor = DemandActor::Poster;
const OPERATOR: DemandActor = DemandActor::Operator { member_of_poster: false };

#[rstest]
#[case::draft(DemandStatus::Draft)]
#[case::rejected(DemandStatus::Rejected)]
fn a_draft_or_rejected_demand_is_editable(#[case] from: DemandStatus) {
    let step = transition(from, DemandEvent::Edit, POSTER, now()).expect("editable");
    assert_eq!(step, DemandStep { status: from, effect: DemandEffect::None });
}

#[rstest]
#[case::pending(DemandStatus::PendingReview)]
#[case::published(DemandStatus::Published)]
#[case::closed(DemandStatus::Closed)]
fn a_submitted_demand_is_not_editable(#[case] from: DemandStatus) {
    assert_eq!(transition(from, DemandEvent::Edit, POSTER, now()), Err(Refusal::DemandNotEditable));
}

#[rstest]
#[case::new_draft(DemandStatus::Draft, MembershipTier::New)]
#[case::regular_draft(DemandStatus::Draft, MembershipTier::Regular)]
#[case::regular_rejected(DemandStatus::Rejected, MembershipTier::Regular)]
fn below_certified_a_submission_waits_for_review_due_in_two_business_days(
    #[case] from: DemandStatus,
    #[case] tier: MembershipTier,
) {
    let step = transition(from, submit(tier), POSTER, now()).expect("submitted");
    assert_eq!(step.status, DemandStatus::PendingReview);
    let DemandEffect::AwaitReview(due) = step.effect else { panic!("review expected: {step:?}") };
    // Monday 2025-03-03 → end of Wednesday 2025-03-05 in Shanghai (16:00 UTC).
    assert_eq!(due.value, Utc.with_ymd_and_hms(2025, 3, 5, 16, 0, 0).single().expect("valid instant"));
    assert_eq!(due.coverage, Coverage::Official);
}

#[rstest]
#[case::certified_draft(DemandStatus::Draft, MembershipTier::Certified)]
#[case::vip_draft(DemandStatus::Draft, MembershipTier::Vip)]
#[case::vip_rejected(DemandStatus::Rejected, MembershipTier::Vip)]
fn certified_and_vip_tiers_publish_at_once(#[case] from: DemandStatus, #[case] tier: MembershipTier) {
    let step = transition(from, submit(tier), POSTER, now()).expect("published");
    assert_eq!(step, DemandStep { status: DemandStatus::Published, effect: DemandEffect::Publish });
}

#[rstest]
#[case::pending(DemandStatus::PendingReview)]
#[case::published(DemandStatus::Published)]
#[case::closed(DemandStatus::Closed)]
fn only_a_draft_or_rejected_demand_is_submitted(#[case] from: DemandStatus) {
    assert_eq!(
        transition(from, submit(MembershipTier::Vip), POSTER, now()),
        Err(Refusal::DemandNotSubmittable)
    );
}

#[rstest]
#[case::suspended(TransactRefusal::Suspended)]
#[case::unverified(TransactRefusal::NotVerified)]
fn a_poster_that_may_not_transact_cannot_submit(#[case] refusal: TransactRefusal) {
    let event = DemandEvent::Submit {
        tier: MembershipTier::Vip,
        standing: Err(refusal),
        deadline: later(),
        calendar: BusinessCalendar::official(),
    };
    assert_eq!(transition(DemandStatus::Draft, event, POSTER, now()), Err(Refusal::Standing(refusal)));
}

#[rstest]
#[case::today(NaiveDate::from_ymd_opt(2025, 3, 3))]
#[case::yesterday(NaiveDate::from_ymd_opt(2025, 3, 2))]
fn a_demand_whose_deadline_has_come_is_not_submitted(#[case] deadline: Option<NaiveDate>) {
    let deadline = deadline.expect("valid date");
    let event = DemandEvent::Submit {
        tier: MembershipTier::New,
        standing: Ok(()),
        deadline,
        calendar: BusinessCalendar::official(),
    };
    assert_eq!(transition(DemandStatus::Draft, event, POSTER, now()), Err(Refusal::DeadlinePassed));
}

#[rstest]
#[case::approve(true, DemandStep { status: DemandStatus::Published, effect: DemandEffect::Publish })]
#[case::reject(false, DemandStep { status: DemandStatus::Rejected, effect: DemandEffect::Reject })]
fn a_review_decides_a_pending_demand(#[case] approve: bool, #[case] expected: DemandStep) {
    let step = transition(DemandStatus::PendingReview, DemandEvent::Review { approve }, OPERATOR, now());
    assert_eq!(step, Ok(expected));
}

#[rstest]
#[case::draft(DemandStatus::Draft)]
#[case::rejected(DemandStatus::Rejected)]
#[case::published(DemandStatus::Published)]
#[case::closed(DemandStatus::Closed)]
fn only_a_pending_demand_is_reviewed(#[case] from: DemandStatus) {
    for approve in [true, false] {
        let step = transition(from, DemandEvent::Review { approve }, OPERATOR, now());
        assert_eq!(step, Err(Refusal::DemandNotPendingReview));
    }
}

#[test]
fn an_operator_does_not_review_their_own_organisations_demand() {
    let actor = DemandActor::Operator { member_of_poster: true };
    let step = transition(DemandStatus::PendingReview, DemandEvent::Review { approve: true }, actor, now());
    assert_eq!(step, Err(Refusal::OwnDemandReview));
}

#[test]
fn the_poster_does_not_review_and_operators_do_not_edit_submit_or_close() {
    let review =
        transition(DemandStatus::PendingReview, DemandEvent::Review { approve: true }, POSTER, now());
    assert!(review.is_err());
    for event in [DemandEvent::Edit, submit(MembershipTier::Vip), DemandEvent::Close] {
        assert!(transition(DemandStatus::Draft, event, OPERATOR, now()).is_err());
        assert!(transition(DemandStatus::Published, event, OPERATOR, now()).is_err());
    }
}

#[test]
fn a_published_demand_closes() {
    let step = transition(DemandStatus::Published, DemandEvent::Close, POSTER, now());
    assert_eq!(step, Ok(DemandStep { status: DemandStatus::Closed, effect: DemandEffect::None }));
}

#[rstest]
#[case::draft(DemandStatus::Draft)]
#[case::pending(DemandStatus::PendingReview)]
#[case::rejected(DemandStatus::Rejected)]
#[case::closed(DemandStatus::Closed)]
fn only_a_published_demand_closes(#[case] from: DemandStatus) {
    assert_eq!(transition(from, DemandEvent::Close, POSTER, now()), Err(Refusal::DemandNotClosable));
}

#[rstest]
#[case::open(DemandStatus::Published, true, false, Ok(()))]
#[case::invited_twice(DemandStatus::Published, true, true, Err(Refusal::InvitedAlready))]
#[case::not_ranked(DemandStatus::Published, false, false, Err(Refusal::NotRecommended))]
#[case::draft(DemandStatus::Draft, true, false, Err(Refusal::DemandNotInviting))]
#[case::pending(DemandStatus::PendingReview, true, false, Err(Refusal::DemandNotInviting))]
#[case::rejected(DemandStatus::Rejected, true, false, Err(Refusal::DemandNotInviting))]
#[case::closed(DemandStatus::Closed, true, false, Err(Refusal::DemandNotInviting))]
fn invitations_go_out_only_on_a_published_demand_to_ranked_organisations_once(
    #[case] status: DemandStatus,
    #[case] recommended: bool,
    #[case] invited: bool,
    #[case] expected: Result<(), Refusal>,
) {
    assert_eq!(may_invite(status, recommended, invited), expected);
}

#[rstest]
#[case::open(DemandStatus::Published, InvitationAnswer::Pending, Ok(()))]
#[case::interested(
    DemandStatus::Published,
    InvitationAnswer::Interested,
    Err(Refusal::InvitationAnsweredAlready)
)]
#[case::declined(
    DemandStatus::Published,
    InvitationAnswer::Declined,
    Err(Refusal::InvitationAnsweredAlready)
)]
#[case::closed(DemandStatus::Closed, InvitationAnswer::Pending, Err(Refusal::DemandNoLongerOpen))]
#[case::closed_answered(DemandStatus::Closed, InvitationAnswer::Declined, Err(Refusal::DemandNoLongerOpen))]
fn an_invitation_is_answered_once_while_its_demand_is_open(
    #[case] status: DemandStatus,
    #[case] answer: InvitationAnswer,
    #[case] expected: Result<(), Refusal>,
) {
    assert_eq!(may_answer(status, answer), expected);
}

#[test]
fn a_review_deadline_counted_beyond_official_data_is_an_estimate() {
    let calendar = BusinessCalendar::official();
    let far = Utc.with_ymd_and_hms(2099, 3, 3, 2, 0, 0).single().expect("valid instant");
    assert_eq!(calendar_estimated(calendar, Some(far), Some(far)), Ok(true));
    assert_eq!(calendar_estimated(calendar, Some(now()), Some(now())), Ok(false));
    assert_eq!(calendar_estimated(calendar, None, Some(now())), Ok(false));
}

fn any_status() -> impl Strategy<Value = DemandStatus> {
    proptest::sample::select(ALL.to_vec())
}

fn any_event() -> impl Strategy<Value = DemandEvent<'static>> {
    prop_oneof![
        Just(DemandEvent::Edit),
        Just(DemandEvent::Close),
        any::<bool>().prop_map(|approve| DemandEvent::Review { approve }),
        proptest::sample::select(vec![
            MembershipTier::New,
            MembershipTier::Regular,
            MembershipTier::Certified,
            MembershipTier::Vip
        ])
        .prop_map(submit),
    ]
}

fn any_actor() -> impl Strategy<Value = DemandActor> {
    prop_oneof![
        Just(DemandActor::Poster),
        any::<bool>().prop_map(|member_of_poster| DemandActor::Operator { member_of_poster }),
    ]
}

/// The edges the lifecycle allows (a state to itself is an edit).
fn allowed(from: DemandStatus, to: DemandStatus) -> bool {
    use DemandStatus::*;
    matches!(
        (from, to),
        (Draft, Draft)
            | (Rejected, Rejected)
            | (Draft | Rejected, PendingReview | Published)
            | (PendingReview, Published | Rejected)
            | (Published, Closed)
    )
}

proptest! {
    #[test]
    fn every_step_follows_an_edge_of_the_lifecycle(
        from in any_status(),
        event in any_event(),
        actor in any_actor(),
    ) {
        if let Ok(step) = transition(from, event, actor, now()) {
            prop_assert!(allowed(from, step.status), "{from:?} → {:?}", step.status);
        }
    }

    #[test]
    fn a_closed_demand_is_final(event in any_event(), actor in any_actor()) {
        prop_assert!(transition(DemandStatus::Closed, event, actor, now()).is_err());
    }

    #[test]
    fn publication_always_brings_matching(
        from in any_status(),
        event in any_event(),
        actor in any_actor(),
    ) {
        if let Ok(step) = transition(from, event, actor, now()) {
            prop_assert_eq!(step.status == DemandStatus::Published, step.effect == DemandEffect::Publish);
        }
    }
}
