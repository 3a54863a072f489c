//! Funding requests and release on arrival.

use super::plan_input;
use crate::domain::contract::document::PartyRole;
use crate::domain::contract::escrow::{FundingRefusal, Funds, bond_fen, funding_amount, releases_on_arrival};
use crate::domain::contract::lifecycle::ContractState;
use crate::dto::FundingTarget;
use crate::validate::Check;

fn plan() -> crate::domain::contract::milestones::PaymentPlan {
    plan_input(1000, 500).check().expect("valid plan")
}

#[test]
fn the_payer_asks_for_what_is_open_on_a_milestone() {
    let plan = plan();
    let open = |funds| {
        funding_amount(
            ContractState::Effective,
            PartyRole::Payer,
            &plan,
            FundingTarget::Milestone,
            Some(1),
            funds,
        )
    };
    assert_eq!(open(Funds::default()), Ok(50_000_000));
    assert_eq!(open(Funds { funded_fen: 10_000_000, pending_fen: 0 }), Ok(40_000_000));
    assert_eq!(
        open(Funds { funded_fen: 10_000_000, pending_fen: 40_000_000 }),
        Err(FundingRefusal::FundingPending)
    );
    assert_eq!(open(Funds { funded_fen: 50_000_000, pending_fen: 0 }), Err(FundingRefusal::AlreadyFunded));
}

#[test]
fn the_bond_is_the_performers_and_milestones_the_payers() {
    let plan = plan();
    assert_eq!(bond_fen(&plan), 5_000_000);
    let ask = |role, target, milestone| {
        funding_amount(ContractState::Signing, role, &plan, target, milestone, Funds::default())
    };
    assert_eq!(ask(PartyRole::Performer, FundingTarget::Bond, None), Ok(5_000_000));
    assert_eq!(ask(PartyRole::Payer, FundingTarget::Bond, None), Err(FundingRefusal::NotThePerformer));
    assert_eq!(
        ask(PartyRole::Performer, FundingTarget::Milestone, Some(0)),
        Err(FundingRefusal::NotThePayer)
    );
    assert_eq!(
        ask(PartyRole::Supervisor, FundingTarget::Milestone, Some(0)),
        Err(FundingRefusal::NotThePayer)
    );
    assert_eq!(
        ask(PartyRole::Payer, FundingTarget::Milestone, Some(9)),
        Err(FundingRefusal::UnknownMilestone)
    );
    assert!(FundingRefusal::NotThePerformer.is_forbidden() && !FundingRefusal::AlreadyFunded.is_forbidden());
}

#[test]
fn no_bond_no_bond_request() {
    let plan = plan_input(1000, 0).check().expect("valid plan");
    assert_eq!(
        funding_amount(
            ContractState::Signing,
            PartyRole::Performer,
            &plan,
            FundingTarget::Bond,
            None,
            Funds::default()
        ),
        Err(FundingRefusal::NoBond)
    );
}

#[test]
fn drafts_and_ended_contracts_take_no_money() {
    let plan = plan();
    for state in
        [ContractState::Draft, ContractState::Completed, ContractState::Terminated, ContractState::Abandoned]
    {
        let refusal = funding_amount(
            state,
            PartyRole::Payer,
            &plan,
            FundingTarget::Milestone,
            Some(1),
            Funds::default(),
        );
        assert_eq!(refusal.expect_err("refused").issue(), "not_fundable");
    }
}

#[test]
fn the_advance_and_accepted_milestones_release_on_arrival_once_effective() {
    assert!(releases_on_arrival(0, ContractState::Effective, false));
    assert!(!releases_on_arrival(0, ContractState::Signing, false));
    assert!(!releases_on_arrival(1, ContractState::Effective, false));
    assert!(releases_on_arrival(1, ContractState::Effective, true));
}
