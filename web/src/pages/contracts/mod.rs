//! Contracts (合同): the contract page (`/contracts/{id}`: status, parties, terms, risk,
//! signatures, versions with their PDFs and diffs, verification, the certificate once
//! effective), the terms editor (see [`editor`]), the signing ceremony (see [`signing`]) and the
//! organisation's contracts (`/contracts`), and the workspace: the escrow timeline (see
//! [`escrow`]), the progress log (see [`progress`]), acceptance (see [`acceptance`]), the ratings
//! (see [`ratings`]) and the defect claims during the warranty (see [`claims`]).

mod acceptance;
mod claims;
mod editor;
mod escrow;
mod list;
mod page;
mod progress;
mod ratings;
mod signing;
mod versions;

pub use escrow::{et, wt};
pub use list::MyContractsPage;
pub use page::ContractPage;
pub use ratings::{DIMENSIONS, rating_facts};
pub use signing::Reauth;

use shared::dto::{ContractState, ContractTemplate, PartyRole};

use crate::i18n::{ContractMsg, Msg, tr};
use crate::money::{MoneyError, parse_yuan};

/// The reactive text of a contract string.
fn ct(msg: ContractMsg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    tr(Msg::ContractMsg(msg))
}

/// A contract status's name.
fn state_name(state: ContractState) -> ContractMsg {
    match state {
        ContractState::Draft => ContractMsg::StateDraft,
        ContractState::Signing => ContractMsg::StateSigning,
        ContractState::Effective => ContractMsg::StateEffective,
        ContractState::Completed => ContractMsg::StateCompleted,
        ContractState::Terminated => ContractMsg::StateTerminated,
        ContractState::EndedByDispute => ContractMsg::StateEndedByDispute,
        ContractState::Abandoned => ContractMsg::StateAbandoned,
    }
}

/// The badge class of a contract status.
fn state_class(state: ContractState) -> &'static str {
    match state {
        ContractState::Draft | ContractState::Signing => "badge-warn",
        ContractState::Effective | ContractState::Completed => "badge-ok",
        ContractState::Terminated | ContractState::EndedByDispute => "badge-bad",
        ContractState::Abandoned => "badge-muted",
    }
}

/// A template's name.
fn template_name(template: ContractTemplate) -> ContractMsg {
    match template {
        ContractTemplate::Subcontracting => ContractMsg::TemplateSubcontracting,
        ContractTemplate::Purchase => ContractMsg::TemplatePurchase,
        ContractTemplate::Design => ContractMsg::TemplateDesign,
    }
}

/// A party role's name.
fn role_name(role: PartyRole) -> ContractMsg {
    match role {
        PartyRole::Payer => ContractMsg::Payer,
        PartyRole::Performer => ContractMsg::Performer,
        PartyRole::Supervisor => ContractMsg::Supervisor,
    }
}

/// Basis points as a percentage with two decimals at most (`1250` → `"12.5"`, `1000` → `"10"`).
fn percent(bp: i64) -> String {
    let text = format!("{}.{:02}", bp / 100, bp % 100);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A percentage typed with at most two decimals as basis points (`"12.5"` → `1250`); the issue
/// code (`required`, `invalid`, `too_precise`) when it is not one.
fn percent_bp(text: &str) -> Result<i64, &'static str> {
    parse_yuan(text).map_err(|e| match e {
        MoneyError::Empty => "required",
        MoneyError::TooPrecise => "too_precise",
        MoneyError::NotANumber | MoneyError::TooLarge => "invalid",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_with_two_decimals_are_basis_points() {
        assert_eq!(percent_bp("10"), Ok(1000));
        assert_eq!(percent_bp("33.33"), Ok(3333));
        assert_eq!(percent_bp(" 12.5 "), Ok(1250));
        assert_eq!(percent_bp("0"), Ok(0));
    }

    #[test]
    fn a_percentage_finer_than_two_decimals_or_not_a_number_is_refused() {
        assert_eq!(percent_bp("33.333"), Err("too_precise"));
        assert_eq!(percent_bp("abc"), Err("invalid"));
        assert_eq!(percent_bp(""), Err("required"));
    }

    #[test]
    fn basis_points_show_as_short_percentages() {
        assert_eq!(percent(1000), "10");
        assert_eq!(percent(1250), "12.5");
        assert_eq!(percent(3333), "33.33");
        assert_eq!(percent(300), "3");
        assert_eq!(percent(0), "0");
    }
}
