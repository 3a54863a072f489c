//! Sanctions and appeals: who may sanction whom, when a sanction may be appealed (once, and not
//! once overturned), and deciding an appeal (once, by an admin other than the one who applied
//! the sanction unless the group has no other).

use super::Refusal;
use crate::domain::community::groups::GroupRole;
use crate::dto::AppealStatus;

/// Whether a moderator with `my_role` may sanction a member with `their_role`: never oneself,
/// and only members below one's own role (so only the owner sanctions an admin).
///
/// # Errors
/// [`Refusal::SanctionAbove`].
pub fn may_sanction(myself: bool, my_role: GroupRole, their_role: GroupRole) -> Result<(), Refusal> {
    if myself || their_role >= my_role { Err(Refusal::SanctionAbove) } else { Ok(()) }
}

/// Whether a sanction may be appealed: not once overturned, and once only.
///
/// # Errors
/// [`Refusal::SanctionOverturned`] first, then [`Refusal::AlreadyAppealed`].
pub fn may_appeal(overturned: bool, already_appealed: bool) -> Result<AppealStatus, Refusal> {
    if overturned {
        return Err(Refusal::SanctionOverturned);
    }
    if already_appealed {
        return Err(Refusal::AlreadyAppealed);
    }
    Ok(AppealStatus::Pending)
}

/// Who decides an appeal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppealDecider {
    /// The decider applied the sanction appealed against.
    pub applied_it: bool,
    /// The group has more than one admin.
    pub other_admins: bool,
}

/// The appeal's state after a decision (`overturn`: the sanction is lifted).
///
/// # Errors
/// [`Refusal::OwnSanction`] when another admin could decide, then [`Refusal::AppealDecided`]
/// unless the appeal is pending.
pub fn decide(
    current: AppealStatus,
    decider: AppealDecider,
    overturn: bool,
) -> Result<AppealStatus, Refusal> {
    if decider.applied_it && decider.other_admins {
        return Err(Refusal::OwnSanction);
    }
    if current != AppealStatus::Pending {
        return Err(Refusal::AppealDecided);
    }
    Ok(if overturn { AppealStatus::Overturned } else { AppealStatus::Upheld })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rstest::rstest;

    use super::*;
    use AppealStatus::{Overturned, Pending, Upheld};

    const ALONE: AppealDecider = AppealDecider { applied_it: true, other_admins: false };
    const OWN: AppealDecider = AppealDecider { applied_it: true, other_admins: true };
    const OTHER: AppealDecider = AppealDecider { applied_it: false, other_admins: true };

    #[rstest]
    #[case(Pending, OTHER, true, Ok(Overturned))]
    #[case(Pending, OTHER, false, Ok(Upheld))]
    #[case(Pending, ALONE, true, Ok(Overturned))]
    #[case(Pending, OWN, false, Err(Refusal::OwnSanction))]
    #[case(Upheld, OTHER, true, Err(Refusal::AppealDecided))]
    #[case(Overturned, OTHER, false, Err(Refusal::AppealDecided))]
    #[case(Upheld, OWN, true, Err(Refusal::OwnSanction))]
    fn an_appeal_is_decided_once_by_another_admin(
        #[case] from: AppealStatus,
        #[case] decider: AppealDecider,
        #[case] overturn: bool,
        #[case] expected: Result<AppealStatus, Refusal>,
    ) {
        assert_eq!(decide(from, decider, overturn), expected);
    }

    #[rstest]
    #[case(false, false, Ok(Pending))]
    #[case(false, true, Err(Refusal::AlreadyAppealed))]
    #[case(true, false, Err(Refusal::SanctionOverturned))]
    #[case(true, true, Err(Refusal::SanctionOverturned))]
    fn a_sanction_is_appealed_once_and_not_once_overturned(
        #[case] overturned: bool,
        #[case] appealed: bool,
        #[case] expected: Result<AppealStatus, Refusal>,
    ) {
        assert_eq!(may_appeal(overturned, appealed), expected);
    }

    proptest! {
        /// A moderator sanctions exactly the members strictly below their role, never themself.
        #[test]
        fn sanctions_go_down_the_roles_only(me in 0usize..6, them in 0usize..6, myself: bool) {
            let (me, them) = (GroupRole::ALL[me], GroupRole::ALL[them]);
            prop_assert_eq!(may_sanction(myself, me, them).is_ok(), !myself && them < me);
        }
    }

    #[test]
    fn only_the_owner_sanctions_an_admin() {
        assert!(may_sanction(false, GroupRole::Owner, GroupRole::Admin).is_ok());
        assert_eq!(may_sanction(false, GroupRole::Admin, GroupRole::Admin), Err(Refusal::SanctionAbove));
        assert!(may_sanction(false, GroupRole::Admin, GroupRole::Expert).is_ok());
    }
}
