//! Contracts (合同): the payment plan with its milestones, the risk rules, and the contract
//! lifecycle from draft to signature, effect, amendment and end.
//!
//! ```text
//!  Draft ──send for signing──▶ Signing ──every party signed the current version's SHA-256
//!    ▲  revise = new version      │        (and the risk rule allows)──▶ Effective ──▶ Completed
//!    └────────────────────────────┘ revise = new version, signatures voided     │──▶ Terminated (both sign)
//!  Draft / Signing ──award lapsed──▶ Abandoned                                  └──▶ EndedByDispute
//!  Effective: revise = an amendment version that all parties sign; the effective version stays
//!  in force until then.
//! ```
//!
//! Everything is pure (load → decide here → persist in the API); times are parameters.

pub mod acceptance;
pub mod closing;
pub mod document;
pub mod escrow;
pub mod lifecycle;
pub mod milestones;
pub mod progress;
pub mod risk;

#[cfg(test)]
mod tests;
