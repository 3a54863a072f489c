//! The contract lifecycle: every allowed and refused transition, signing a changing document,
//! the bond hold on high-risk contracts, amendments, and the properties "ended contracts are
//! final" and "nothing takes effect without every party's signature on the current version".

use std::sync::OnceLock;

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use rstest::rstest;

use super::plan;
use crate::domain::contract::lifecycle::*;
use crate::domain::contract::milestones::PaymentPlan;
use crate::domain::contract::risk::RiskRefusal;
use crate::domain::credit::{CreditGrade, CreditStanding};
use crate::domain::market::RefusalKind;

const PAYER: &str = "org-payer";
const PERFORMER: &str = "org-performer";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 5, 6, 2, 0, 0).single().expect("valid instant")
}

/// An ordinary plan (10 % advance).
fn ordinary() -> &'static PaymentPlan {
    static PLAN: OnceLock<PaymentPlan> = OnceLock::new();
    PLAN.get_or_init(|| plan(1000, 0))
}

/// A high-risk plan (40 % advance on ¥1,000,000: the bond must be ¥50,000–¥100,000).
fn high_risk() -> &'static PaymentPlan {
    static PLAN: OnceLock<PaymentPlan> = OnceLock::new();
    PLAN.get_or_init(|| plan(4000, 1000))
}

fn org(id: &str) -> ContractActor {
    ContractActor::Organisation { org_id: id.to_owned() }
}

const GOOD: SignerStanding =
    SignerStanding { suspended: false, credit: CreditStanding::Rated { grade: CreditGrade::A } };

fn sign(sha256: &'static str) -> ContractEvent<'static> {
    ContractEvent::Sign { sha256, standing: GOOD, plan: ordinary(), bond_recorded_fen: 0 }
}

fn sign_as(standing: SignerStanding) -> ContractEvent<'static> {
    ContractEvent::Sign { sha256: "h1", standing, plan: ordinary(), bond_recorded_fen: 0 }
}

fn signature(org_id: &str, version: u32) -> Signature {
    Signature { org_id: org_id.to_owned(), version, signed_at: now() - Duration::hours(1) }
}

fn version(number: u32, sha256: &str) -> DocumentVersion {
    DocumentVersion { number, sha256: sha256.to_owned() }
}

fn draft() -> Contract {
    Contract::draft(vec![PAYER.to_owned(), PERFORMER.to_owned()], "h1".to_owned())
}

fn signing(signed_by: &[&str]) -> Contract {
    Contract {
        state: ContractState::Signing,
        signatures: signed_by.iter().map(|org_id| signature(org_id, 1)).collect(),
        ..draft()
    }
}

fn effective() -> Contract {
    Contract {
        state: ContractState::Effective,
        effective: Some(version(1, "h1")),
        signatures: vec![signature(PAYER, 1), signature(PERFORMER, 1)],
        ..draft()
    }
}

/// Effective on version 1 with amendment version 2 out for signature.
fn amending(signed_by: &[&str]) -> Contract {
    Contract {
        current: version(2, "h2"),
        signatures: signed_by.iter().map(|org_id| signature(org_id, 2)).collect(),
        ..effective()
    }
}

fn terminating(signed_by: &[&str]) -> Contract {
    Contract { termination_signed_by: signed_by.iter().map(|id| (*id).to_owned()).collect(), ..effective() }
}

fn ended(state: ContractState) -> Contract {
    Contract { state, ..effective() }
}

#[rstest]
#[case::a_draft_edit_is_a_new_version(draft(), ContractEvent::Revise { sha256: "h2" }, org(PAYER), ContractState::Draft, vec![ContractEffect::NewVersion(2)])]
#[case::either_party_sends_for_signing(draft(), ContractEvent::SendForSigning, org(PERFORMER), ContractState::Signing, vec![])]
#[case::first_signature(signing(&[]), sign("h1"), org(PAYER), ContractState::Signing, vec![ContractEffect::Signed { org_id: PAYER.to_owned(), version: 1 }])]
#[case::last_signature_takes_effect(signing(&[PAYER]), sign("h1"), org(PERFORMER), ContractState::Effective, vec![ContractEffect::Signed { org_id: PERFORMER.to_owned(), version: 1 }, ContractEffect::TookEffect(1)])]
#[case::a_change_while_signing_voids_the_signatures(signing(&[PAYER]), ContractEvent::Revise { sha256: "h2" }, org(PERFORMER), ContractState::Signing, vec![ContractEffect::NewVersion(2), ContractEffect::SignaturesVoided])]
#[case::a_recorded_bond_lets_a_signed_high_risk_contract_take_effect(signing(&[PAYER, PERFORMER]), ContractEvent::BondRecorded { plan: high_risk(), bond_recorded_fen: 5_000_000 }, ContractActor::System, ContractState::Effective, vec![ContractEffect::TookEffect(1)])]
#[case::an_amendment_is_a_new_version(effective(), ContractEvent::Revise { sha256: "h2" }, org(PAYER), ContractState::Effective, vec![ContractEffect::NewVersion(2)])]
#[case::the_amendment_comes_into_force_when_all_signed(amending(&[PAYER]), sign("h2"), org(PERFORMER), ContractState::Effective, vec![ContractEffect::Signed { org_id: PERFORMER.to_owned(), version: 2 }, ContractEffect::AmendmentInForce(2)])]
#[case::a_change_to_a_pending_amendment_voids_its_signatures(amending(&[PAYER]), ContractEvent::Revise { sha256: "h3" }, org(PERFORMER), ContractState::Effective, vec![ContractEffect::NewVersion(3), ContractEffect::SignaturesVoided])]
#[case::one_party_signs_the_termination(effective(), ContractEvent::SignTermination, org(PAYER), ContractState::Effective, vec![ContractEffect::TerminationSigned(PAYER.to_owned())])]
#[case::both_terminate(terminating(&[PAYER]), ContractEvent::SignTermination, org(PERFORMER), ContractState::Terminated, vec![ContractEffect::TerminationSigned(PERFORMER.to_owned()), ContractEffect::Ended(ContractState::Terminated)])]
#[case::completion(effective(), ContractEvent::Complete, ContractActor::System, ContractState::Completed, vec![ContractEffect::Ended(ContractState::Completed)])]
#[case::a_dispute_outcome_ends_it(effective(), ContractEvent::EndByDispute, ContractActor::System, ContractState::EndedByDispute, vec![ContractEffect::Ended(ContractState::EndedByDispute)])]
#[case::a_lapsed_award_abandons_the_draft(draft(), ContractEvent::Abandon, ContractActor::System, ContractState::Abandoned, vec![ContractEffect::Ended(ContractState::Abandoned)])]
#[case::a_lapsed_award_abandons_the_signing(signing(&[PAYER]), ContractEvent::Abandon, ContractActor::System, ContractState::Abandoned, vec![ContractEffect::Ended(ContractState::Abandoned)])]
fn allowed_contract_transitions(
    #[case] from: Contract,
    #[case] event: ContractEvent<'static>,
    #[case] actor: ContractActor,
    #[case] to: ContractState,
    #[case] effects: Vec<ContractEffect>,
) {
    let step = transition(&from, event, &actor, now()).expect("allowed");
    assert_eq!(step.contract.state, to);
    assert_eq!(step.effects, effects);
}

fn suspended() -> SignerStanding {
    SignerStanding { suspended: true, ..GOOD }
}

fn grade_c() -> SignerStanding {
    SignerStanding { suspended: false, credit: CreditStanding::Rated { grade: CreditGrade::C } }
}

#[rstest]
#[case::signing_an_old_version(signing(&[]), sign("h0"), org(PAYER), ContractRefusal::StaleDocument)]
#[case::an_outsider_signs(signing(&[]), sign("h1"), org("org-supervisor"), ContractRefusal::NotAParty)]
#[case::signing_twice(signing(&[PAYER]), sign("h1"), org(PAYER), ContractRefusal::AlreadySigned)]
#[case::a_suspended_signer(signing(&[]), sign_as(suspended()), org(PAYER), ContractRefusal::SignerSuspended)]
#[case::a_grade_c_signer(signing(&[]), sign_as(grade_c()), org(PERFORMER), ContractRefusal::SignerGradeC)]
#[case::signing_a_draft(draft(), sign("h1"), org(PAYER), ContractRefusal::NothingToSign)]
#[case::signing_an_effective_contract_again(
    effective(),
    sign("h1"),
    org(PAYER),
    ContractRefusal::NothingToSign
)]
#[case::signing_the_version_in_force_instead_of_the_amendment(amending(&[]), sign("h1"), org(PAYER), ContractRefusal::StaleDocument)]
#[case::an_unchanged_revision(draft(), ContractEvent::Revise { sha256: "h1" }, org(PAYER), ContractRefusal::Unchanged)]
#[case::an_outsider_edits(draft(), ContractEvent::Revise { sha256: "h2" }, org("org-other"), ContractRefusal::NotAParty)]
#[case::the_system_edits(draft(), ContractEvent::Revise { sha256: "h2" }, ContractActor::System, ContractRefusal::NotAParty)]
#[case::sending_twice(signing(&[]), ContractEvent::SendForSigning, org(PAYER), ContractRefusal::NotADraft)]
#[case::sending_an_effective_contract(
    effective(),
    ContractEvent::SendForSigning,
    org(PAYER),
    ContractRefusal::NotADraft
)]
#[case::bond_before_every_signature(signing(&[PAYER]), ContractEvent::BondRecorded { plan: high_risk(), bond_recorded_fen: 5_000_000 }, ContractActor::System, ContractRefusal::NotFullySigned)]
#[case::bond_too_small(signing(&[PAYER, PERFORMER]), ContractEvent::BondRecorded { plan: high_risk(), bond_recorded_fen: 4_999_999 }, ContractActor::System, ContractRefusal::Risk(RiskRefusal::BondTooSmall { recorded_fen: 4_999_999, min_fen: 5_000_000 }))]
#[case::bond_on_a_draft(draft(), ContractEvent::BondRecorded { plan: high_risk(), bond_recorded_fen: 5_000_000 }, ContractActor::System, ContractRefusal::NothingToSign)]
#[case::a_party_records_a_bond(signing(&[PAYER, PERFORMER]), ContractEvent::BondRecorded { plan: high_risk(), bond_recorded_fen: 5_000_000 }, org(PAYER), ContractRefusal::SystemOnly)]
#[case::terminating_before_effect(signing(&[]), ContractEvent::SignTermination, org(PAYER), ContractRefusal::NotEffective)]
#[case::signing_the_termination_twice(terminating(&[PAYER]), ContractEvent::SignTermination, org(PAYER), ContractRefusal::AlreadySigned)]
#[case::an_outsider_terminates(
    effective(),
    ContractEvent::SignTermination,
    org("org-other"),
    ContractRefusal::NotAParty
)]
#[case::completing_before_effect(signing(&[]), ContractEvent::Complete, ContractActor::System, ContractRefusal::NotEffective)]
#[case::a_party_completes(effective(), ContractEvent::Complete, org(PAYER), ContractRefusal::SystemOnly)]
#[case::dispute_end_of_a_draft(
    draft(),
    ContractEvent::EndByDispute,
    ContractActor::System,
    ContractRefusal::NotEffective
)]
#[case::abandoning_an_effective_contract(
    effective(),
    ContractEvent::Abandon,
    ContractActor::System,
    ContractRefusal::NotAbandonable
)]
#[case::completed_is_final(ended(ContractState::Completed), ContractEvent::Revise { sha256: "h9" }, org(PAYER), ContractRefusal::Ended)]
#[case::terminated_is_final(
    ended(ContractState::Terminated),
    ContractEvent::Complete,
    ContractActor::System,
    ContractRefusal::Ended
)]
#[case::ended_by_dispute_is_final(
    ended(ContractState::EndedByDispute),
    ContractEvent::SignTermination,
    org(PAYER),
    ContractRefusal::Ended
)]
#[case::abandoned_is_final(
    ended(ContractState::Abandoned),
    ContractEvent::SendForSigning,
    org(PAYER),
    ContractRefusal::Ended
)]
fn refused_contract_transitions(
    #[case] from: Contract,
    #[case] event: ContractEvent<'static>,
    #[case] actor: ContractActor,
    #[case] refusal: ContractRefusal,
) {
    assert_eq!(transition(&from, event, &actor, now()), Err(refusal));
}

#[rstest]
#[case(ContractRefusal::StaleDocument, "stale_document", RefusalKind::Conflict)]
#[case(ContractRefusal::NotAParty, "not_a_party", RefusalKind::Forbidden)]
#[case(ContractRefusal::AlreadySigned, "already_signed", RefusalKind::Conflict)]
#[case(ContractRefusal::SignerSuspended, "organisation_suspended", RefusalKind::Forbidden)]
#[case(ContractRefusal::SignerGradeC, "credit_grade_c", RefusalKind::Forbidden)]
#[case(ContractRefusal::Risk(RiskRefusal::BondNotRecorded { min_fen: 1, max_fen: 2 }), "bond_required", RefusalKind::Conflict)]
#[case(ContractRefusal::NotEffective, "conflict", RefusalKind::Conflict)]
fn signing_refusals_have_stable_codes(
    #[case] refusal: ContractRefusal,
    #[case] code: &str,
    #[case] kind: RefusalKind,
) {
    assert_eq!((refusal.code(), refusal.kind()), (code, kind));
}

fn step(
    contract: &Contract,
    event: ContractEvent<'_>,
    actor: &ContractActor,
    at: DateTime<Utc>,
) -> ContractStep {
    transition(contract, event, actor, at).expect("allowed")
}

#[test]
fn a_change_during_signing_needs_fresh_signatures_on_the_new_hash() {
    let contract = step(&draft(), ContractEvent::Revise { sha256: "h2" }, &org(PAYER), now()).contract;
    let contract = step(&contract, ContractEvent::SendForSigning, &org(PAYER), now()).contract;
    let contract = step(&contract, sign("h2"), &org(PAYER), now()).contract;
    let contract = step(&contract, ContractEvent::Revise { sha256: "h3" }, &org(PERFORMER), now()).contract;
    assert!(contract.signatures.is_empty());
    assert_eq!(transition(&contract, sign("h2"), &org(PAYER), now()), Err(ContractRefusal::StaleDocument));
    let contract = step(&contract, sign("h3"), &org(PERFORMER), now()).contract;
    let last = step(&contract, sign("h3"), &org(PAYER), now());
    assert_eq!(last.contract.state, ContractState::Effective);
    assert_eq!(last.contract.effective, Some(version(3, "h3")));
    assert!(last.effects.contains(&ContractEffect::TookEffect(3)));
}

#[test]
fn a_high_risk_contract_waits_for_its_bond_after_the_last_signature() {
    let bondless =
        |sha256| ContractEvent::Sign { sha256, standing: GOOD, plan: high_risk(), bond_recorded_fen: 0 };
    let contract = step(&signing(&[PAYER]), bondless("h1"), &org(PERFORMER), now());
    assert_eq!(contract.contract.state, ContractState::Signing);
    assert_eq!(
        contract.effects.last(),
        Some(&ContractEffect::AwaitingBond(RiskRefusal::BondNotRecorded {
            min_fen: 5_000_000,
            max_fen: 10_000_000
        }))
    );
    let bonded =
        ContractEvent::Sign { sha256: "h1", standing: GOOD, plan: high_risk(), bond_recorded_fen: 6_000_000 };
    let direct = step(&signing(&[PAYER]), bonded, &org(PERFORMER), now());
    assert_eq!(direct.contract.state, ContractState::Effective, "a bond recorded before the last signature");
}

#[test]
fn amendments_keep_the_effective_version_in_force_and_the_third_in_30_days_warns() {
    let mut contract = effective();
    let hashes = ["a2", "a3", "a4"];
    for (day, sha256) in [0_i64, 14, 29].into_iter().zip(hashes) {
        let at = now() + Duration::days(day);
        let in_force = contract.effective.clone();
        contract = step(&contract, ContractEvent::Revise { sha256 }, &org(PAYER), at).contract;
        assert_eq!(contract.effective, in_force, "the pending amendment is not in force yet");
        assert!(contract.awaits_signatures());
        let sign_it =
            |sha256| ContractEvent::Sign { sha256, standing: GOOD, plan: ordinary(), bond_recorded_fen: 0 };
        contract = step(&contract, sign_it(sha256), &org(PAYER), at).contract;
        let last = step(&contract, sign_it(sha256), &org(PERFORMER), at);
        assert_eq!(last.effects.contains(&ContractEffect::AmendmentWarning), day == 29, "day {day}");
        contract = last.contract;
        assert_eq!(contract.effective.as_ref().map(|v| v.sha256.as_str()), Some(sha256));
    }
    assert_eq!(contract.amendments_in_force_at.len(), 3);
}

const PARTIES: [&str; 3] = [PAYER, PERFORMER, "org-other"];
const HASHES: [&str; 3] = ["h1", "h2", "h3"];

fn any_event() -> impl Strategy<Value = (ContractEvent<'static>, ContractActor)> {
    let actor = prop_oneof![(0..PARTIES.len()).prop_map(|i| org(PARTIES[i])), Just(ContractActor::System),];
    let event = prop_oneof![
        (0..HASHES.len()).prop_map(|i| ContractEvent::Revise { sha256: HASHES[i] }),
        Just(ContractEvent::SendForSigning),
        ((0..HASHES.len()), any::<bool>(), any::<bool>()).prop_map(|(i, risky, bond)| ContractEvent::Sign {
            sha256: HASHES[i],
            standing: GOOD,
            plan: if risky { high_risk() } else { ordinary() },
            bond_recorded_fen: if bond { 5_000_000 } else { 0 },
        }),
        any::<bool>().prop_map(|bond| ContractEvent::BondRecorded {
            plan: high_risk(),
            bond_recorded_fen: if bond { 5_000_000 } else { 0 },
        }),
        Just(ContractEvent::SignTermination),
        Just(ContractEvent::Complete),
        Just(ContractEvent::EndByDispute),
        Just(ContractEvent::Abandon),
    ];
    (event, actor)
}

proptest! {
    #[test]
    fn ended_contracts_are_final(
        (event, actor) in any_event(),
        state in prop_oneof![
            Just(ContractState::Completed),
            Just(ContractState::Terminated),
            Just(ContractState::EndedByDispute),
            Just(ContractState::Abandoned),
        ],
    ) {
        let result = transition(&ended(state), event, &actor, now());
        prop_assert!(matches!(
            result,
            Err(ContractRefusal::Ended | ContractRefusal::NotAParty | ContractRefusal::SystemOnly)
        ));
    }

    #[test]
    fn a_version_comes_into_force_only_with_every_partys_signature_on_it(
        events in proptest::collection::vec(any_event(), 1..40),
    ) {
        let mut contract = draft();
        for (event, actor) in events {
            let Ok(next) = transition(&contract, event, &actor, now()) else { continue };
            let next_contract = next.contract;
            for signature in &next_contract.signatures {
                prop_assert_eq!(signature.version, next_contract.current.number);
                prop_assert!(next_contract.parties.contains(&signature.org_id));
            }
            if next_contract.effective != contract.effective {
                prop_assert_eq!(next_contract.effective.as_ref(), Some(&next_contract.current));
                for party in &next_contract.parties {
                    prop_assert!(next_contract.signatures.iter().any(|s| &s.org_id == party));
                }
            }
            if next_contract.state == ContractState::Effective {
                prop_assert!(next_contract.effective.is_some());
            }
            contract = next_contract;
        }
    }
}
