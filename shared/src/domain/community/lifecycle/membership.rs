//! Joining a group: who may apply, the join decision by policy (open: at once; approval: an
//! admin decides; invite-only: invited people only — an invitation admits at once whatever the
//! policy), deciding an application once, inviting, and leaving.

use super::Refusal;
use crate::domain::community::groups::{GroupRole, JoinPolicy};
use crate::dto::{ApplicationStatus, MemberStatus};

/// What the server knows of a person applying to a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applicant {
    /// Their membership row's status, if they ever had one.
    pub member: Option<MemberStatus>,
    /// An open invitation (to their account, or to a verified contact of theirs) waits.
    pub invited: bool,
    /// An application of theirs waits for the admins.
    pub pending: bool,
}

/// Whether the person may apply at all.
///
/// # Errors
/// [`Refusal::AlreadyMember`], [`Refusal::RemovedFromGroup`] (unless invited back) and
/// [`Refusal::ApplicationPending`], in that order.
pub fn may_apply(applicant: Applicant) -> Result<(), Refusal> {
    match applicant.member {
        Some(MemberStatus::Active) => return Err(Refusal::AlreadyMember),
        Some(MemberStatus::Removed) if !applicant.invited => return Err(Refusal::RemovedFromGroup),
        _ => {}
    }
    if applicant.pending {
        return Err(Refusal::ApplicationPending);
    }
    Ok(())
}

/// The new application's status: approved at once in an open group or with an invitation,
/// pending in an approval group.
///
/// # Errors
/// [`Refusal::InviteOnly`] in an invite-only group without an invitation.
pub fn join_decision(policy: JoinPolicy, invited: bool) -> Result<ApplicationStatus, Refusal> {
    match policy {
        _ if invited => Ok(ApplicationStatus::Approved),
        JoinPolicy::Open => Ok(ApplicationStatus::Approved),
        JoinPolicy::Approval => Ok(ApplicationStatus::Pending),
        JoinPolicy::InviteOnly => Err(Refusal::InviteOnly),
    }
}

/// An admin's decision on an application.
///
/// # Errors
/// [`Refusal::ApplicationDecided`] unless the application is pending.
pub fn decide_application(current: ApplicationStatus, approve: bool) -> Result<ApplicationStatus, Refusal> {
    if current != ApplicationStatus::Pending {
        return Err(Refusal::ApplicationDecided);
    }
    Ok(if approve { ApplicationStatus::Approved } else { ApplicationStatus::Rejected })
}

/// What the server knows of an invitation's addressee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invitee {
    /// An invitation to this contact waits for them to register.
    pub contact_pending: bool,
    /// The contact's account is an active member.
    pub member: bool,
    /// The contact's account has an unused invitation.
    pub invited: bool,
}

/// Whether a contact may be invited.
///
/// # Errors
/// [`Refusal::AlreadyInvited`] for a waiting contact invitation, [`Refusal::InviteeIsMember`],
/// then [`Refusal::AlreadyInvited`] for a waiting account invitation.
pub fn may_invite(invitee: Invitee) -> Result<(), Refusal> {
    if invitee.contact_pending {
        return Err(Refusal::AlreadyInvited);
    }
    if invitee.member {
        return Err(Refusal::InviteeIsMember);
    }
    if invitee.invited {
        return Err(Refusal::AlreadyInvited);
    }
    Ok(())
}

/// Whether a member with `role` may leave.
///
/// # Errors
/// [`Refusal::OwnerCannotLeave`].
pub fn may_leave(role: GroupRole) -> Result<(), Refusal> {
    if role == GroupRole::Owner { Err(Refusal::OwnerCannotLeave) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rstest::rstest;

    use super::*;
    use ApplicationStatus::{Approved, Pending, Rejected};

    fn applicant(member: Option<MemberStatus>, invited: bool, pending: bool) -> Applicant {
        Applicant { member, invited, pending }
    }

    #[rstest]
    #[case::a_stranger(applicant(None, false, false), Ok(()))]
    #[case::one_who_left(applicant(Some(MemberStatus::Left), false, false), Ok(()))]
    #[case::a_member(applicant(Some(MemberStatus::Active), true, false), Err(Refusal::AlreadyMember))]
    #[case::a_removed_member(
        applicant(Some(MemberStatus::Removed), false, false),
        Err(Refusal::RemovedFromGroup)
    )]
    #[case::a_removed_member_invited_back(applicant(Some(MemberStatus::Removed), true, false), Ok(()))]
    #[case::one_already_waiting(applicant(None, false, true), Err(Refusal::ApplicationPending))]
    #[case::removed_before_waiting(
        applicant(Some(MemberStatus::Removed), false, true),
        Err(Refusal::RemovedFromGroup)
    )]
    fn who_may_apply(#[case] who: Applicant, #[case] expected: Result<(), Refusal>) {
        assert_eq!(may_apply(who), expected);
    }

    #[rstest]
    #[case(JoinPolicy::Open, false, Ok(Approved))]
    #[case(JoinPolicy::Open, true, Ok(Approved))]
    #[case(JoinPolicy::Approval, false, Ok(Pending))]
    #[case(JoinPolicy::Approval, true, Ok(Approved))]
    #[case(JoinPolicy::InviteOnly, false, Err(Refusal::InviteOnly))]
    #[case(JoinPolicy::InviteOnly, true, Ok(Approved))]
    fn the_join_decision_follows_the_policy_and_an_invitation_admits_at_once(
        #[case] policy: JoinPolicy,
        #[case] invited: bool,
        #[case] expected: Result<ApplicationStatus, Refusal>,
    ) {
        assert_eq!(join_decision(policy, invited), expected);
    }

    #[rstest]
    #[case(Pending, true, Ok(Approved))]
    #[case(Pending, false, Ok(Rejected))]
    #[case(Approved, true, Err(Refusal::ApplicationDecided))]
    #[case(Approved, false, Err(Refusal::ApplicationDecided))]
    #[case(Rejected, true, Err(Refusal::ApplicationDecided))]
    #[case(Rejected, false, Err(Refusal::ApplicationDecided))]
    fn an_application_is_decided_once(
        #[case] from: ApplicationStatus,
        #[case] approve: bool,
        #[case] expected: Result<ApplicationStatus, Refusal>,
    ) {
        assert_eq!(decide_application(from, approve), expected);
    }

    #[rstest]
    #[case(Invitee { contact_pending: false, member: false, invited: false }, Ok(()))]
    #[case(Invitee { contact_pending: true, member: true, invited: true }, Err(Refusal::AlreadyInvited))]
    #[case(Invitee { contact_pending: false, member: true, invited: true }, Err(Refusal::InviteeIsMember))]
    #[case(Invitee { contact_pending: false, member: false, invited: true }, Err(Refusal::AlreadyInvited))]
    fn a_contact_is_invited_once_and_not_when_a_member(
        #[case] who: Invitee,
        #[case] expected: Result<(), Refusal>,
    ) {
        assert_eq!(may_invite(who), expected);
    }

    #[test]
    fn everyone_but_the_owner_may_leave() {
        for role in GroupRole::ALL {
            assert_eq!(may_leave(*role).is_err(), *role == GroupRole::Owner);
        }
    }

    proptest! {
        /// Without an invitation an invite-only group never admits; with one every group does.
        #[test]
        fn an_invitation_is_what_opens_an_invite_only_group(policy in 0usize..3, invited: bool) {
            let policy = JoinPolicy::ALL[policy];
            let got = join_decision(policy, invited);
            if invited {
                prop_assert_eq!(got, Ok(Approved));
            } else if policy == JoinPolicy::InviteOnly {
                prop_assert_eq!(got, Err(Refusal::InviteOnly));
            }
        }
    }
}
