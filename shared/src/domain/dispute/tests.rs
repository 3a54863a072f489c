//! Tests of the dispute workflow: the happy paths, every deadline, permissions, and the
//! properties "terminal states are final" and "nothing skips mediation".

use super::*;
use chrono::{Duration, TimeZone};
use proptest::prelude::*;
use rstest::rstest;

const COMPLAINANT: &str = "org-complainant";
const RESPONDENT: &str = "org-respondent";
const MEDIATOR: &str = "staff-mediator";

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).single().expect("valid instant")
}

/// Monday 2024-09-30, 10:00 in Shanghai: the last workday before the National Day break.
fn filed_at() -> DateTime<Utc> {
    at(2024, 9, 30, 2, 0)
}

fn org(id: &str) -> DisputeActor {
    DisputeActor::Organisation { org_id: id.to_owned() }
}

fn staff(id: &str, role: StaffRole) -> DisputeActor {
    DisputeActor::Staff { staff_id: id.to_owned(), role }
}

fn mediator() -> DisputeActor {
    staff(MEDIATOR, StaffRole::Mediator)
}

fn operator() -> DisputeActor {
    staff("staff-operator", StaffRole::Operator)
}

fn filing() -> DisputeFiling {
    DisputeFiling {
        id: "dispute-1".to_owned(),
        contract_id: "contract-1".to_owned(),
        complainant_org_id: COMPLAINANT.to_owned(),
        respondent_org_id: RESPONDENT.to_owned(),
        claim: "第二期进度款逾期未付".to_owned(),
        amount_fen: 12_000_000,
        evidence: vec!["file-1".to_owned()],
    }
}

fn filed() -> DisputeCase {
    file(filing(), org(COMPLAINANT), filed_at()).expect("valid filing")
}

fn step(case: &DisputeCase, event: DisputeEvent, actor: &DisputeActor, now: DateTime<Utc>) -> DisputeCase {
    transition(case, event, actor, now).expect("allowed transition")
}

fn assign() -> DisputeEvent {
    DisputeEvent::AssignMediator { mediator_id: MEDIATOR.to_owned() }
}

fn respond() -> DisputeEvent {
    DisputeEvent::Respond { statement: "款项已于上周支付".to_owned() }
}

fn in_mediation() -> DisputeCase {
    let case = step(&filed(), assign(), &operator(), filed_at() + Duration::minutes(30));
    let case = step(&case, respond(), &org(RESPONDENT), filed_at() + Duration::hours(20));
    step(&case, DisputeEvent::OpenMediation, &mediator(), filed_at() + Duration::hours(30))
}

fn due(case: &DisputeCase) -> Deadline {
    next_deadline(case).expect("computable").expect("a deadline is running")
}

#[test]
fn settled_in_mediation_and_closed() {
    let case = in_mediation();
    assert!(case.escrow_frozen());
    let case = step(
        &case,
        DisputeEvent::RecordAgreement {
            terms: "被申请人7日内支付80%".to_owned(),
            escrow_movements: vec![EscrowMovement { to: DisputeParty::Complainant, amount_fen: 9_600_000 }],
            at_fault: Some(DisputeParty::Respondent),
        },
        &mediator(),
        filed_at() + Duration::days(3),
    );
    assert_eq!(case.state, DisputeState::Resolved);
    assert!(case.escrow_frozen(), "frozen until the agreement is executed");
    let case = step(&case, DisputeEvent::Close, &mediator(), filed_at() + Duration::days(4));
    assert_eq!(case.state, DisputeState::Closed);
    assert!(!case.escrow_frozen());
    assert_eq!(case.organisation_at_fault(), Some(RESPONDENT));
    let states: Vec<DisputeState> = case.timeline.iter().map(|entry| entry.state_after).collect();
    assert_eq!(
        states,
        [
            DisputeState::AwaitingAssignment,
            DisputeState::AwaitingResponse,
            DisputeState::AwaitingMediation,
            DisputeState::InMediation,
            DisputeState::Resolved,
            DisputeState::Closed
        ]
    );
    assert!(case.sla_breaches.is_empty());
}

#[test]
fn failed_mediation_goes_to_arbitration_and_the_decision_is_recorded() {
    let case = step(
        &in_mediation(),
        DisputeEvent::DeclareMediationFailed { reason: "双方对工程量分歧较大".to_owned() },
        &mediator(),
        filed_at() + Duration::days(5),
    );
    assert_eq!(case.state, DisputeState::InArbitration);
    let decision = DisputeEvent::RecordDecision {
        summary: "裁决支付全部款项".to_owned(),
        at_fault: Some(DisputeParty::Respondent),
        award_fen: 12_000_000,
    };
    assert_eq!(
        transition(&case, decision.clone(), &mediator(), filed_at() + Duration::days(6)),
        Err(DisputeError::ArbitrationNotRegistered)
    );
    let case = step(
        &case,
        DisputeEvent::RegisterArbitration {
            institution: "上海仲裁委员会".to_owned(),
            case_number: "(2024)沪仲案字第0001号".to_owned(),
        },
        &staff("staff-admin", StaffRole::Admin),
        filed_at() + Duration::days(6),
    );
    let case = step(&case, decision, &mediator(), filed_at() + Duration::days(60));
    assert_eq!(case.state, DisputeState::Decided);
    assert_eq!(case.organisation_at_fault(), Some(RESPONDENT));
    let withdraw = DisputeEvent::Withdraw { reason: "已和解".to_owned() };
    assert!(matches!(
        transition(&case, withdraw, &org(COMPLAINANT), filed_at() + Duration::days(61)),
        Err(DisputeError::InvalidTransition { .. })
    ));
}

#[test]
fn no_mediator_within_two_clock_hours_escalates_to_an_admin() {
    let case = filed();
    let deadline = due(&case);
    assert_eq!(deadline.kind, DeadlineKind::MediatorAssignment);
    assert_eq!(deadline.due_at, filed_at() + Duration::hours(2));
    assert_eq!(
        transition(
            &case,
            DisputeEvent::DeadlinePassed,
            &DisputeActor::System,
            filed_at() + Duration::minutes(119)
        ),
        Err(DisputeError::DeadlineNotReached(filed_at() + Duration::hours(2)))
    );
    let case =
        step(&case, DisputeEvent::DeadlinePassed, &DisputeActor::System, filed_at() + Duration::hours(2));
    assert!(case.escalated_to_admin);
    assert_eq!(case.state, DisputeState::AwaitingAssignment);
    assert_eq!(case.sla_breaches[0].deadline, DeadlineKind::MediatorAssignment);
    assert_eq!(
        case.timeline.last().and_then(|entry| entry.consequence),
        Some(DeadlineConsequence::EscalateToAdmin)
    );
}

#[test]
fn a_late_assignment_counts_as_an_sla_breach() {
    let case = step(&filed(), assign(), &operator(), filed_at() + Duration::hours(3));
    assert_eq!(case.sla_breaches.len(), 1);
}

#[test]
fn the_answer_deadline_crosses_the_national_day_holiday() {
    let case = step(&filed(), assign(), &operator(), filed_at() + Duration::hours(1));
    let deadline = due(&case);
    assert_eq!(deadline.kind, DeadlineKind::RespondentAnswer);
    // 3 business days after Monday 30 September 2024 end on Thursday 10 October (Shanghai).
    assert_eq!(deadline.due_at, at(2024, 10, 10, 16, 0));
    assert_eq!(deadline.on_expiry, DeadlineConsequence::OpenMediationWithoutAnswer);
    assert!(
        transition(&case, DisputeEvent::DeadlinePassed, &DisputeActor::System, at(2024, 10, 10, 15, 59))
            .is_err()
    );
    let case = step(&case, DisputeEvent::DeadlinePassed, &DisputeActor::System, at(2024, 10, 10, 16, 0));
    assert_eq!(case.state, DisputeState::InMediation);
    assert!(case.respondent_non_responsive);
    assert_eq!(case.mediation_opened_at, Some(at(2024, 10, 10, 16, 0)));
}

#[test]
fn mediation_opens_automatically_after_five_business_days() {
    let case = step(&filed(), respond(), &org(RESPONDENT), filed_at() + Duration::minutes(10));
    assert_eq!(case.state, DisputeState::AwaitingAssignment, "answering early is allowed");
    let case = step(&case, assign(), &operator(), filed_at() + Duration::minutes(20));
    assert_eq!(case.state, DisputeState::AwaitingMediation);
    let deadline = due(&case);
    assert_eq!(deadline.kind, DeadlineKind::MediationOpening);
    // The 5th business day is Saturday 12 October 2024, a make-up workday.
    assert_eq!(deadline.due_at, at(2024, 10, 12, 16, 0));
    let case = step(&case, DisputeEvent::DeadlinePassed, &DisputeActor::System, at(2024, 10, 12, 16, 0));
    assert_eq!(case.state, DisputeState::InMediation);
    assert_eq!(case.sla_breaches[0].deadline, DeadlineKind::MediationOpening);
}

#[test]
fn mediation_times_out_into_arbitration_after_ten_business_days() {
    let case = in_mediation();
    // Opened Tuesday 1 October 2024 08:00 Shanghai (a holiday): the ten business days are
    // 8–11 October, the make-up Saturday the 12th, and 14–18 October.
    let deadline = due(&case);
    assert_eq!(deadline.kind, DeadlineKind::MediationEnd);
    assert_eq!(deadline.due_at, at(2024, 10, 18, 16, 0));
    let case = step(&case, DisputeEvent::DeadlinePassed, &DisputeActor::System, deadline.due_at);
    assert_eq!(case.state, DisputeState::InArbitration);
    assert_eq!(next_deadline(&case), Ok(None));
}

#[test]
fn an_escalated_unassigned_case_still_marks_a_silent_respondent() {
    let case =
        step(&filed(), DisputeEvent::DeadlinePassed, &DisputeActor::System, filed_at() + Duration::hours(2));
    let case = step(&case, DisputeEvent::DeadlinePassed, &DisputeActor::System, at(2024, 10, 10, 16, 0));
    assert!(case.respondent_non_responsive);
    assert_eq!(case.state, DisputeState::AwaitingAssignment);
    assert_eq!(next_deadline(&case), Ok(None));
    let case = step(&case, assign(), &operator(), at(2024, 10, 10, 17, 0));
    assert_eq!(case.state, DisputeState::AwaitingMediation);
}

#[rstest]
#[case::complainant_cannot_answer(respond(), org(COMPLAINANT))]
#[case::outsider_cannot_answer(respond(), org("org-outsider"))]
#[case::respondent_cannot_withdraw(DisputeEvent::Withdraw { reason: "x".to_owned() }, org(RESPONDENT))]
#[case::mediator_cannot_assign_themselves(assign(), mediator())]
#[case::system_cannot_assign(assign(), DisputeActor::System)]
#[case::a_party_cannot_fire_a_deadline(DisputeEvent::DeadlinePassed, org(COMPLAINANT))]
fn only_the_right_actor_may_fire_an_event(#[case] event: DisputeEvent, #[case] actor: DisputeActor) {
    let kind = event.kind();
    assert_eq!(
        transition(&filed(), event, &actor, filed_at() + Duration::minutes(5)),
        Err(DisputeError::NotPermitted(kind))
    );
}

#[rstest]
#[case::another_mediator(staff("staff-other", StaffRole::Mediator), false)]
#[case::an_operator(operator(), false)]
#[case::the_assigned_mediator(mediator(), true)]
#[case::an_admin(staff("staff-admin", StaffRole::Admin), true)]
fn only_the_assigned_mediator_or_an_admin_runs_mediation(#[case] actor: DisputeActor, #[case] allowed: bool) {
    let case = step(&filed(), assign(), &operator(), filed_at() + Duration::minutes(30));
    let case = step(&case, respond(), &org(RESPONDENT), filed_at() + Duration::hours(1));
    let result = transition(&case, DisputeEvent::OpenMediation, &actor, filed_at() + Duration::hours(2));
    assert_eq!(result.is_ok(), allowed);
}

#[test]
fn mediation_cannot_open_before_the_answer_or_its_deadline() {
    let case = step(&filed(), assign(), &operator(), filed_at() + Duration::minutes(30));
    assert_eq!(
        transition(&case, DisputeEvent::OpenMediation, &mediator(), filed_at() + Duration::hours(1)),
        Err(DisputeError::InvalidTransition {
            event: EventKind::OpenMediation,
            state: DisputeState::AwaitingResponse
        })
    );
}

#[test]
fn the_complainant_may_withdraw_during_mediation() {
    let case = step(
        &in_mediation(),
        DisputeEvent::Withdraw { reason: "已私下和解".to_owned() },
        &org(COMPLAINANT),
        filed_at() + Duration::days(2),
    );
    assert_eq!(case.state, DisputeState::Withdrawn);
    assert!(!case.escrow_frozen());
    assert_eq!(next_deadline(&case), Ok(None));
}

#[test]
fn events_cannot_be_dated_before_the_last_step() {
    assert_eq!(
        transition(&filed(), assign(), &operator(), filed_at() - Duration::seconds(1)),
        Err(DisputeError::ClockWentBackwards)
    );
}

#[test]
fn an_answer_is_given_once() {
    let case = step(&filed(), respond(), &org(RESPONDENT), filed_at() + Duration::minutes(5));
    assert_eq!(
        transition(&case, respond(), &org(RESPONDENT), filed_at() + Duration::minutes(6)),
        Err(DisputeError::AlreadyAnswered)
    );
}

#[rstest]
#[case::against_itself(DisputeFiling { respondent_org_id: COMPLAINANT.to_owned(), ..filing() }, org(COMPLAINANT), "validation_failed")]
#[case::negative_amount(DisputeFiling { amount_fen: -1, ..filing() }, org(COMPLAINANT), "validation_failed")]
#[case::blank_claim(DisputeFiling { claim: " ".to_owned(), ..filing() }, org(COMPLAINANT), "validation_failed")]
#[case::filed_by_someone_else(filing(), org(RESPONDENT), "forbidden")]
fn invalid_filings_are_rejected(
    #[case] filing: DisputeFiling,
    #[case] actor: DisputeActor,
    #[case] code: &str,
) {
    assert_eq!(file(filing, actor, filed_at()).expect_err("invalid").code(), code);
}

#[test]
fn agreement_movements_must_be_positive() {
    let result = transition(
        &in_mediation(),
        DisputeEvent::RecordAgreement {
            terms: "t".to_owned(),
            escrow_movements: vec![EscrowMovement { to: DisputeParty::Complainant, amount_fen: 0 }],
            at_fault: None,
        },
        &mediator(),
        filed_at() + Duration::days(2),
    );
    assert_eq!(result, Err(DisputeError::InvalidAmount(0)));
}

fn any_actor() -> impl Strategy<Value = DisputeActor> {
    prop_oneof![
        Just(org(COMPLAINANT)),
        Just(org(RESPONDENT)),
        Just(mediator()),
        Just(staff("staff-other", StaffRole::Mediator)),
        Just(operator()),
        Just(staff("staff-admin", StaffRole::Admin)),
        Just(DisputeActor::System),
    ]
}

fn any_event() -> impl Strategy<Value = DisputeEvent> {
    prop_oneof![
        Just(assign()),
        Just(respond()),
        Just(DisputeEvent::OpenMediation),
        Just(DisputeEvent::RecordAgreement {
            terms: "t".to_owned(),
            escrow_movements: vec![],
            at_fault: Some(DisputeParty::Respondent),
        }),
        Just(DisputeEvent::DeclareMediationFailed { reason: "r".to_owned() }),
        Just(DisputeEvent::RegisterArbitration { institution: "i".to_owned(), case_number: "n".to_owned() }),
        Just(DisputeEvent::RecordDecision { summary: "s".to_owned(), at_fault: None, award_fen: 0 }),
        Just(DisputeEvent::Close),
        Just(DisputeEvent::Withdraw { reason: "w".to_owned() }),
        Just(DisputeEvent::DeadlinePassed),
        Just(DisputeEvent::DeadlinePassed),
    ]
}

fn any_history() -> impl Strategy<Value = Vec<(DisputeEvent, DisputeActor, i64)>> {
    prop::collection::vec((any_event(), any_actor(), 0_i64..(6 * 24 * 60)), 0..40)
}

proptest! {
    #[test]
    fn terminal_states_are_final_and_nothing_skips_mediation(history in any_history()) {
        let mut case = filed();
        let mut now = filed_at();
        for (event, actor, minutes) in history {
            now += Duration::minutes(minutes);
            let before = case.clone();
            match transition(&case, event, &actor, now) {
                Ok(next) => {
                    prop_assert!(!before.state.is_terminal(), "a terminal state moved");
                    case = next;
                }
                Err(_) => prop_assert_eq!(&case, &before),
            }
            prop_assert_eq!(case.escrow_frozen(), !case.state.is_terminal());
            let mediated = case
                .timeline
                .iter()
                .any(|entry| entry.state_after == DisputeState::InMediation);
            let needs_mediation = matches!(
                case.state,
                DisputeState::Resolved | DisputeState::InArbitration | DisputeState::Decided
            ) || (case.state == DisputeState::Closed);
            prop_assert!(!needs_mediation || mediated, "reached {:?} without mediation", case.state);
            prop_assert!(case.timeline.windows(2).all(|pair| pair[0].at <= pair[1].at));
        }
    }

    #[test]
    fn a_terminal_case_refuses_every_event(event in any_event(), actor in any_actor(), minutes in 0_i64..100_000) {
        let withdrawn = step(
            &filed(),
            DisputeEvent::Withdraw { reason: "w".to_owned() },
            &org(COMPLAINANT),
            filed_at(),
        );
        let kind = event.kind();
        prop_assert_eq!(
            transition(&withdrawn, event, &actor, filed_at() + Duration::minutes(minutes)),
            Err(DisputeError::InvalidTransition { event: kind, state: DisputeState::Withdrawn })
        );
    }
}
