//! Platform staff: roles, dual-control requests, the audit log.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::stored_enum! {
    /// A platform staff role.
    #[derive(Ord, PartialOrd)]
    pub enum StaffRole in "staff_roles.role" {
        /// Runs the platform day to day (suspensions, content).
        Operator = "operator",
        /// Reviews verification submissions.
        Reviewer = "reviewer",
        /// Mediates disputes.
        Mediator = "mediator",
        /// Handles escrow and settlement.
        FinanceOfficer = "finance_officer",
        /// Grants and revokes staff roles.
        Admin = "admin",
    }
}

/// The caller's staff standing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct StaffProfile {
    /// Roles held.
    pub roles: Vec<StaffRole>,
    /// Staff must have TOTP on before any staff action is accepted.
    pub totp_enabled: bool,
}

crate::stored_enum! {
    /// A sensitive staff action that needs a second, different staff member's approval.
    pub enum DualControlAction in "dual_control_requests.action" {
        /// Give `target_user_id` the staff `role` (admins).
        GrantRole = "grant_role",
        /// Take the staff `role` from `target_user_id` (admins).
        RevokeRole = "revoke_role",
        /// Suspend `org_id`: it can no longer publish, bid or sign and is never recommended
        /// (operators and admins).
        SuspendOrganisation = "suspend_organisation",
        /// Lift the suspension of `org_id` (operators and admins).
        LiftSuspension = "lift_suspension",
        /// Release what milestone `milestone` of `contract_id` holds in escrow to the performer
        /// (retention withheld) — acceptance done outside the platform, or a decision that says
        /// so (finance officers).
        ReleaseEscrow = "release_escrow",
        /// Put `grade` in force as `org_id`'s credit grade instead of the computed one, with the
        /// reason (人工复核; reviewers). Shown as overridden until lifted.
        OverrideCreditGrade = "override_credit_grade",
        /// Lift the credit override of `org_id`: the computed grade is in force again
        /// (reviewers).
        LiftCreditOverride = "lift_credit_override",
    }
}

impl DualControlAction {
    /// Staff roles that may request and approve this action.
    pub fn allowed_roles(self) -> &'static [StaffRole] {
        match self {
            Self::GrantRole | Self::RevokeRole => &[StaffRole::Admin],
            Self::SuspendOrganisation | Self::LiftSuspension => &[StaffRole::Operator, StaffRole::Admin],
            Self::ReleaseEscrow => &[StaffRole::FinanceOfficer],
            Self::OverrideCreditGrade | Self::LiftCreditOverride => &[StaffRole::Reviewer],
        }
    }
}

/// Ask for a dual-control action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct CreateStaffRequest {
    /// What to do.
    pub action: DualControlAction,
    /// The account, for role grants and revocations.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_user_id: Option<String>,
    /// The role, for role grants and revocations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<StaffRole>,
    /// The organisation, for suspensions.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// The contract, for escrow releases.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_id: Option<String>,
    /// The milestone, for escrow releases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub milestone: Option<u32>,
    /// The credit grade to put in force, for credit overrides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<crate::domain::credit::CreditGrade>,
    /// Why (required, shown to the approver and kept in the audit log).
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 1000)))]
    pub reason: String,
}

crate::stored_enum! {
    /// Where a dual-control request stands.
    pub enum StaffRequestStatus in "dual_control_requests.status" {
        /// Waiting for a second staff member.
        Pending = "pending",
        /// Approved and carried out.
        Executed = "executed",
        /// Turned down.
        Rejected = "rejected",
    }
}

/// A dual-control request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct StaffRequest {
    /// Request id.
    pub id: String,
    /// The action.
    pub action: DualControlAction,
    /// Target account (role actions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_user_id: Option<String>,
    /// Role (role actions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<StaffRole>,
    /// Target organisation (suspensions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// The contract (escrow releases).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_id: Option<String>,
    /// The milestone (escrow releases).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub milestone: Option<u32>,
    /// The credit grade (credit overrides).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<crate::domain::credit::CreditGrade>,
    /// Why it was asked for.
    pub reason: String,
    /// Who asked.
    pub requested_by: String,
    /// When.
    pub requested_at: DateTime<Utc>,
    /// Status.
    pub status: StaffRequestStatus,
    /// Who approved or rejected it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    /// When.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<DateTime<Utc>>,
    /// The approver's or rejecter's note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_reason: Option<String>,
}

/// Dual-control requests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct StaffRequestList {
    /// Newest first.
    pub items: Vec<StaffRequest>,
}

/// A note with an approval or rejection.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct StaffDecisionRequest {
    /// Why (required to reject).
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 1000)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One audit-log entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct AuditRecord {
    /// Position in the chain (1, 2, 3, …).
    pub seq: i64,
    /// Entry id.
    pub id: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Acting account, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_user_id: Option<String>,
    /// Who acted (`user`, `cli`, `staff`, `api_key`, `system`).
    pub actor_label: String,
    /// What happened, e.g. `staff.request_executed`.
    pub action: String,
    /// Kind of subject.
    pub subject_type: String,
    /// Subject id.
    pub subject_id: String,
    /// Details as JSON text.
    pub details: String,
    /// Client address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// This entry's chain hash.
    pub hash: String,
}

/// A page of the audit log, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct AuditPage {
    /// Entries.
    pub items: Vec<AuditRecord>,
    /// Pass as `cursor` for older entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// The result of checking the audit hash chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct AuditChainReport {
    /// Entries that check out before the first break (all of them when intact).
    pub entries: i64,
    /// Whether the whole chain is intact.
    pub intact: bool,
    /// Position of the first broken entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broken_seq: Option<i64>,
    /// Id of the entry found there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broken_id: Option<String>,
    /// What is wrong with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

crate::stored_enum! {
    /// Where a background job stands.
    pub enum JobStatus in "jobs.status" {
        /// Waiting for its time (or for a retry).
        Pending = "pending",
        /// Ran successfully (one-off jobs).
        Done = "done",
        /// Failed too often; waits for staff to retry it.
        Parked = "parked",
    }
}

/// A background job as staff see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct JobView {
    /// Job id.
    pub id: String,
    /// What it does (`outbox_delivery`, `certificate_reminders`, …).
    pub kind: String,
    /// Where it stands.
    pub status: JobStatus,
    /// When it runs next (or last ran, when done).
    pub run_at: chrono::DateTime<chrono::Utc>,
    /// Runs so far (failures included).
    pub attempts: i64,
    /// The last failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// When it was queued.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it last succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A page of jobs, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct JobPage {
    /// Jobs.
    pub items: Vec<JobView>,
    /// Pass as `cursor` for the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}
