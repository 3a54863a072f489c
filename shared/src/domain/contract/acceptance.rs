//! Acceptance of a milestone (验收): the performer asks with the quantities delivered; the
//! payer and — when the contract names one — the supervisor confirm or reject, each signing
//! with re-authentication. When every confirmer has confirmed, the milestone is accepted: the
//! settlement statement is generated and what its escrow holds releases to the performer
//! (retention withheld); any unfunded part is accepted-but-unpaid.
//!
//! ```text
//!  (performer asks) ──▶ Requested ──every confirmer confirmed──▶ Accepted
//!                          └──any confirmer rejects (reason)──▶ Rejected (the performer may ask again)
//! ```
//!
//! Rules of asking ([`may_request`]): the contract is in force; the milestone exists and is not
//! the advance (released on effect, nothing to accept); it is not accepted already and has no
//! open request.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::document::PartyRole;
use super::lifecycle::ContractState;
use super::milestones::PaymentPlan;
use crate::validate::{Check, Checks, Invalid};

crate::stored_enum! {
    /// Where an acceptance request stands.
    pub enum AcceptanceState in "acceptances.status" {
        /// Waiting for the payer (and the supervisor).
        Requested = "requested",
        /// Every confirmer confirmed: the milestone is accepted.
        Accepted = "accepted",
        /// A confirmer rejected it.
        Rejected = "rejected",
    }
}

/// Why an acceptance step is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AcceptanceRefusal {
    /// The contract is not in force.
    #[error("the contract is not in force")]
    NotEffective,
    /// Milestone 0 is the advance; it releases on effect.
    #[error("the advance is released when the contract takes effect; it is not accepted")]
    AdvanceNotAccepted,
    /// No such milestone.
    #[error("the contract has no such milestone")]
    UnknownMilestone,
    /// Accepted already.
    #[error("this milestone is accepted already")]
    AlreadyAccepted,
    /// An open request exists.
    #[error("an acceptance request for this milestone is open")]
    AlreadyRequested,
    /// Only the performer asks.
    #[error("the performer asks for acceptance")]
    NotThePerformer,
    /// Only the payer and the supervisor confirm.
    #[error("only the payer and the supervisor confirm an acceptance")]
    NotAConfirmer,
    /// This confirmer answered already.
    #[error("your organisation answered this request already")]
    AlreadyAnswered,
    /// The request was decided.
    #[error("this acceptance request is decided")]
    Decided,
}

impl AcceptanceRefusal {
    /// The `details` issue.
    #[must_use]
    pub const fn issue(&self) -> &'static str {
        match self {
            Self::NotEffective => "not_effective",
            Self::AdvanceNotAccepted => "advance_not_accepted",
            Self::UnknownMilestone => "unknown_milestone",
            Self::AlreadyAccepted => "already_accepted",
            Self::AlreadyRequested => "already_requested",
            Self::NotThePerformer | Self::NotAConfirmer => "not_your_part",
            Self::AlreadyAnswered => "already_answered",
            Self::Decided => "decided",
        }
    }

    /// Whether the caller may not do this at all (403).
    #[must_use]
    pub const fn is_forbidden(&self) -> bool {
        matches!(self, Self::NotThePerformer | Self::NotAConfirmer)
    }
}

/// Whether the performer may ask for acceptance of `milestone`; `requests` are the earlier
/// requests' (milestone, state).
///
/// # Errors
/// The [`AcceptanceRefusal`] (see the module doc).
pub fn may_request(
    state: ContractState,
    role: PartyRole,
    plan: &PaymentPlan,
    milestone: u32,
    requests: &[(u32, AcceptanceState)],
) -> Result<(), AcceptanceRefusal> {
    if role != PartyRole::Performer {
        return Err(AcceptanceRefusal::NotThePerformer);
    }
    if state != ContractState::Effective {
        return Err(AcceptanceRefusal::NotEffective);
    }
    if milestone == 0 {
        return Err(AcceptanceRefusal::AdvanceNotAccepted);
    }
    if !plan.milestones.iter().any(|m| m.index == milestone) {
        return Err(AcceptanceRefusal::UnknownMilestone);
    }
    for (m, s) in requests {
        match (*m == milestone, s) {
            (true, AcceptanceState::Accepted) => return Err(AcceptanceRefusal::AlreadyAccepted),
            (true, AcceptanceState::Requested) => return Err(AcceptanceRefusal::AlreadyRequested),
            _ => {}
        }
    }
    Ok(())
}

/// An open request as the decision needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// Where it stands.
    pub state: AcceptanceState,
    /// Whether the contract names a supervisor (who must confirm too).
    pub has_supervisor: bool,
    /// Who confirmed so far.
    pub confirmed_by: Vec<PartyRole>,
}

/// A confirmer's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Confirm.
    Confirm,
    /// Reject (the reason is checked with the request).
    Reject,
}

/// What an answer did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The request after it.
    pub request: Request,
    /// Whether the milestone is now accepted (release and settle).
    pub accepted: bool,
    /// When.
    pub at: DateTime<Utc>,
}

/// Applies one confirmer's answer.
///
/// # Errors
/// `NotAConfirmer` (the performer, or a supervisor the contract does not name), `Decided`,
/// `AlreadyAnswered`.
pub fn answer(
    request: &Request,
    role: PartyRole,
    answer: Answer,
    now: DateTime<Utc>,
) -> Result<Step, AcceptanceRefusal> {
    let confirmer = role == PartyRole::Payer || (role == PartyRole::Supervisor && request.has_supervisor);
    if !confirmer {
        return Err(AcceptanceRefusal::NotAConfirmer);
    }
    if request.state != AcceptanceState::Requested {
        return Err(AcceptanceRefusal::Decided);
    }
    if request.confirmed_by.contains(&role) {
        return Err(AcceptanceRefusal::AlreadyAnswered);
    }
    let mut next = request.clone();
    match answer {
        Answer::Reject => next.state = AcceptanceState::Rejected,
        Answer::Confirm => {
            next.confirmed_by.push(role);
            let payer = next.confirmed_by.contains(&PartyRole::Payer);
            let supervisor = !next.has_supervisor || next.confirmed_by.contains(&PartyRole::Supervisor);
            if payer && supervisor {
                next.state = AcceptanceState::Accepted;
            }
        }
    }
    let accepted = next.state == AcceptanceState::Accepted;
    Ok(Step { request: next, accepted, at: now })
}

/// A delivered quantity (工程量) in an acceptance request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct Quantity {
    /// What (1–100 characters), e.g. "C30 混凝土浇筑".
    pub item: String,
    /// Unit (1–10 characters), e.g. "m³".
    pub unit: String,
    /// How much (greater than 0, at most 10^12).
    pub quantity: f64,
}

/// Most quantity lines in one request.
pub const MAX_QUANTITIES: usize = 50;
/// Longest note or reason, in characters.
pub const MAX_ACCEPTANCE_TEXT: usize = 1000;

/// Ask for acceptance of a milestone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct AcceptanceRequestInput {
    /// The milestone (1, 2, …).
    pub milestone: u32,
    /// The quantities delivered (1–50 lines).
    pub quantities: Vec<Quantity>,
    /// What was done (0–1000 characters).
    pub note: String,
}

impl Check for AcceptanceRequestInput {
    type Valid = (u32, Vec<Quantity>, String);

    /// `quantities` `required`/`too_many`; `quantities[i].item`/`.unit` `required`/`too_long`;
    /// `quantities[i].quantity` `out_of_range`; `note` `too_long`.
    fn check(&self) -> Result<Self::Valid, Invalid> {
        let mut checks = Checks::default();
        if self.quantities.is_empty() {
            checks.issue("quantities", "required");
        } else if self.quantities.len() > MAX_QUANTITIES {
            checks.issue("quantities", "too_many");
        }
        let quantities = self
            .quantities
            .iter()
            .enumerate()
            .map(|(i, q)| {
                let item = checks.text(&format!("quantities[{i}].item"), &q.item, 1, 100);
                let unit = checks.text(&format!("quantities[{i}].unit"), &q.unit, 1, 10);
                if !(q.quantity.is_finite() && q.quantity > 0.0 && q.quantity <= 1e12) {
                    checks.issue(&format!("quantities[{i}].quantity"), "out_of_range");
                }
                Quantity { item, unit, quantity: q.quantity }
            })
            .collect();
        let note = checks.text("note", &self.note, 0, MAX_ACCEPTANCE_TEXT);
        checks.done((self.milestone, quantities, note))
    }
}

/// The figures of a settlement statement (结算单), fen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Settlement {
    /// 合同金额.
    pub contract_amount_fen: i64,
    /// 本期 (this milestone's amount).
    pub milestone_amount_fen: i64,
    /// 质保金扣留 (retention withheld from this milestone).
    pub retention_fen: i64,
    /// 扣款 (deductions; none are agreed on the platform yet).
    pub deductions_fen: i64,
    /// 累计已付 (released to the performer before this statement, before retention).
    pub previous_payments_fen: i64,
    /// 本期应付 (milestone − retention − deductions).
    pub payable_fen: i64,
    /// 本期由监管资金支付 (paid now from escrow, after retention).
    pub paid_now_fen: i64,
    /// 未付 (accepted but not yet funded: payable − paid now).
    pub unpaid_fen: i64,
}

/// The settlement of `milestone` when `held_fen` is in its escrow at acceptance and
/// `previous_fen` was released on the contract before.
#[must_use]
pub fn settlement(plan: &PaymentPlan, milestone: u32, held_fen: i64, previous_fen: i64) -> Settlement {
    let amount = plan.milestones.iter().find(|m| m.index == milestone).map_or(0, |m| m.amount_fen);
    let retention = crate::domain::ledger::ops::retention_of(milestone, amount, plan.retention_bp);
    let payable = amount - retention;
    let released = held_fen.min(amount).max(0);
    let paid_now =
        released - crate::domain::ledger::ops::retention_of(milestone, released, plan.retention_bp);
    Settlement {
        contract_amount_fen: plan.amount_fen,
        milestone_amount_fen: amount,
        retention_fen: retention,
        deductions_fen: 0,
        previous_payments_fen: previous_fen,
        payable_fen: payable,
        paid_now_fen: paid_now,
        unpaid_fen: (payable - paid_now).max(0),
    }
}

/// The text a confirmer agrees to when answering.
#[must_use]
pub fn consent_text(org_name: &str, contract_id: &str, milestone: u32) -> String {
    format!(
        "本人代表{org_name}，就合同 {contract_id} 第 {milestone} 期的验收申请作出上述答复；确认后监管资金将按结算单释放给收款方。\
         I answer for {org_name} on the acceptance of milestone {milestone} of contract {contract_id}; \
         on confirmation the escrow releases to the payee as the settlement statement says."
    )
}
