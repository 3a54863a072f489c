//! Manual review of a computed grade (人工复核): a reviewer overrides the grade with a reason and
//! a second, different reviewer approves; the computed standing is kept beside the override.

use serde::{Deserialize, Serialize};

use super::{CreditAssessment, CreditError, CreditGrade, CreditStanding};

/// A reviewer's request to replace the computed grade, with its approval.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeOverride {
    /// The grade to put in force.
    pub grade: CreditGrade,
    /// Why; shown in the organisation's credit history.
    pub reason: String,
    /// Staff id of the reviewer who asked for it.
    pub requested_by: String,
    /// Staff id of the second reviewer who approved it.
    pub approved_by: String,
}

/// An applied override together with what the model had computed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverrideRecord {
    /// The standing the model computed.
    pub computed: CreditStanding,
    /// The override that replaced it.
    pub applied: GradeOverride,
}

impl CreditAssessment {
    /// Puts a reviewer's grade in force instead of the computed one.
    ///
    /// # Errors
    /// [`CreditError::OverrideWithoutReason`] for a blank reason and
    /// [`CreditError::OverrideNotDualControlled`] when the approver is the requester.
    pub fn with_override(self, applied: GradeOverride) -> Result<Self, CreditError> {
        if applied.reason.trim().is_empty() {
            return Err(CreditError::OverrideWithoutReason);
        }
        if applied.requested_by.trim().is_empty() || applied.requested_by == applied.approved_by {
            return Err(CreditError::OverrideNotDualControlled);
        }
        let computed = self.manual_override.as_ref().map_or(self.standing, |earlier| earlier.computed);
        let standing = CreditStanding::Rated { grade: applied.grade };
        Ok(Self {
            standing,
            privileges: standing.privileges(),
            manual_override: Some(OverrideRecord { computed, applied }),
            ..self
        })
    }
}
