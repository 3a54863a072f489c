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

#[test]
fn a_milestone_planned_within_a_week_and_short_of_money_is_flagged_while_the_contract_takes_money() {
    use crate::domain::contract::escrow::funding_due;
    let d = |s: &str| s.parse::<chrono::NaiveDate>().expect("a date");
    let today = d("2026-12-07");
    let due = |state, planned, funded| funding_due(state, d(planned), 10_000, funded, today);
    assert!(due(ContractState::Effective, "2026-12-14", 0));
    assert!(due(ContractState::Signing, "2026-12-01", 5_000), "past and partly funded");
    assert!(!due(ContractState::Effective, "2026-12-15", 0), "eight days ahead");
    assert!(!due(ContractState::Effective, "2026-12-10", 10_000), "fully funded");
    assert!(!due(ContractState::Terminated, "2026-12-10", 0), "ended: takes no money");
}

#[test]
fn a_milestones_money_state_follows_what_its_escrow_saw() {
    use crate::domain::contract::escrow::{Seen, money_state};
    use crate::dto::MilestoneMoneyState as S;
    let seen = |funded_fen, released_fen, refunded_fen| Seen { funded_fen, released_fen, refunded_fen };
    assert_eq!(money_state(100, seen(0, 0, 0), 0), S::Unfunded);
    assert_eq!(money_state(100, seen(0, 0, 0), 100), S::Requested);
    assert_eq!(money_state(100, seen(40, 0, 0), 60), S::PartlyFunded);
    assert_eq!(money_state(100, seen(100, 0, 0), 0), S::Funded);
    assert_eq!(money_state(100, seen(100, 40, 0), 0), S::PartlyReleased);
    assert_eq!(money_state(100, seen(100, 100, 0), 0), S::Released);
    assert_eq!(money_state(100, seen(60, 0, 60), 0), S::Refunded);
}
