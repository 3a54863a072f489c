//! Acceptance of milestones: who asks, who confirms, when it is accepted, the settlement.

use chrono::{TimeZone, Utc};

use super::plan_input;
use crate::domain::contract::acceptance::{
    AcceptanceRefusal, AcceptanceRequestInput, AcceptanceState, Answer, Quantity, Request, answer,
    may_request, settlement,
};
use crate::domain::contract::document::PartyRole;
use crate::domain::contract::lifecycle::ContractState;
use crate::validate::Check;

fn plan() -> crate::domain::contract::milestones::PaymentPlan {
    plan_input(1000, 0).check().expect("valid plan")
}

#[test]
fn only_the_performer_asks_for_a_payment_milestone_of_an_effective_contract_once() {
    let plan = plan();
    let ask =
        |state, role, m, earlier: &[(u32, AcceptanceState)]| may_request(state, role, &plan, m, earlier);
    assert_eq!(ask(ContractState::Effective, PartyRole::Performer, 1, &[]), Ok(()));
    assert_eq!(
        ask(ContractState::Effective, PartyRole::Payer, 1, &[]),
        Err(AcceptanceRefusal::NotThePerformer)
    );
    assert_eq!(
        ask(ContractState::Signing, PartyRole::Performer, 1, &[]),
        Err(AcceptanceRefusal::NotEffective)
    );
    assert_eq!(
        ask(ContractState::Effective, PartyRole::Performer, 0, &[]),
        Err(AcceptanceRefusal::AdvanceNotAccepted)
    );
    assert_eq!(
        ask(ContractState::Effective, PartyRole::Performer, 7, &[]),
        Err(AcceptanceRefusal::UnknownMilestone)
    );
    let open = [(1, AcceptanceState::Requested)];
    assert_eq!(
        ask(ContractState::Effective, PartyRole::Performer, 1, &open),
        Err(AcceptanceRefusal::AlreadyRequested)
    );
    let done = [(1, AcceptanceState::Rejected), (1, AcceptanceState::Accepted)];
    assert_eq!(
        ask(ContractState::Effective, PartyRole::Performer, 1, &done),
        Err(AcceptanceRefusal::AlreadyAccepted)
    );
    assert_eq!(
        ask(ContractState::Effective, PartyRole::Performer, 1, &[(1, AcceptanceState::Rejected)]),
        Ok(())
    );
}

#[test]
fn the_payer_and_a_named_supervisor_must_both_confirm() {
    let now = Utc.with_ymd_and_hms(2026, 12, 7, 8, 0, 0).single().expect("time");
    let open = Request { state: AcceptanceState::Requested, has_supervisor: true, confirmed_by: Vec::new() };
    let by_payer = answer(&open, PartyRole::Payer, Answer::Confirm, now).expect("payer");
    assert!(!by_payer.accepted);
    assert_eq!(
        answer(&by_payer.request, PartyRole::Payer, Answer::Confirm, now),
        Err(AcceptanceRefusal::AlreadyAnswered)
    );
    let both = answer(&by_payer.request, PartyRole::Supervisor, Answer::Confirm, now).expect("supervisor");
    assert!(both.accepted);
    assert_eq!(
        answer(&both.request, PartyRole::Supervisor, Answer::Reject, now),
        Err(AcceptanceRefusal::Decided)
    );
    assert_eq!(
        answer(&open, PartyRole::Performer, Answer::Confirm, now),
        Err(AcceptanceRefusal::NotAConfirmer)
    );
    let unsupervised = Request { has_supervisor: false, ..open.clone() };
    assert_eq!(
        answer(&unsupervised, PartyRole::Supervisor, Answer::Confirm, now),
        Err(AcceptanceRefusal::NotAConfirmer)
    );
    assert!(answer(&unsupervised, PartyRole::Payer, Answer::Confirm, now).expect("alone").accepted);
    let rejected = answer(&open, PartyRole::Supervisor, Answer::Reject, now).expect("rejected");
    assert_eq!((rejected.request.state, rejected.accepted), (AcceptanceState::Rejected, false));
}

#[test]
fn a_settlement_pays_what_escrow_holds_less_retention_and_names_the_unpaid_rest() {
    let plan = plan();
    // Milestone 1 is 50 % of ¥1,000,000 = 50,000,000 fen; retention 3 %.
    let full = settlement(&plan, 1, 50_000_000, 10_000_000);
    assert_eq!(
        (full.retention_fen, full.payable_fen, full.paid_now_fen, full.unpaid_fen),
        (1_500_000, 48_500_000, 48_500_000, 0)
    );
    assert_eq!(full.previous_payments_fen, 10_000_000);
    let half = settlement(&plan, 1, 25_000_000, 0);
    assert_eq!((half.paid_now_fen, half.unpaid_fen), (24_250_000, 24_250_000));
    let none = settlement(&plan, 1, 0, 0);
    assert_eq!((none.paid_now_fen, none.unpaid_fen), (0, 48_500_000));
}

#[test]
fn an_acceptance_request_names_every_bad_quantity() {
    let bad = AcceptanceRequestInput {
        milestone: 1,
        quantities: vec![Quantity {
            item: " ".into(),
            unit: "立方米立方米立方米立方米".into(),
            quantity: f64::NAN,
        }],
        note: String::new(),
    };
    let issues: Vec<(String, String)> =
        bad.check().expect_err("invalid").0.into_iter().map(|i| (i.field, i.issue)).collect();
    assert_eq!(
        issues,
        vec![
            ("quantities[0].item".into(), "required".into()),
            ("quantities[0].unit".into(), "too_long".into()),
            ("quantities[0].quantity".into(), "out_of_range".into()),
        ]
    );
    let empty = AcceptanceRequestInput { milestone: 1, quantities: Vec::new(), note: String::new() };
    assert_eq!(empty.check().expect_err("empty").0[0].issue, "required");
}
