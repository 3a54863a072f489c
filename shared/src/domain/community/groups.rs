//! Groups: who may join how, what each role may do, and the optional nickname format.

crate::stored_enum! {
    /// How a person joins a group.
    pub enum JoinPolicy in "community_groups.join_policy" {
        /// Anyone signed in joins at once.
        Open = "open",
        /// An application with the group's questionnaire, decided by an admin.
        Approval = "approval",
        /// Only people an admin invited.
        InviteOnly = "invite_only",
    }
}

crate::stored_enum! {
    /// A member's role in a group, lowest first.
    #[derive(Ord, PartialOrd)]
    pub enum GroupRole in "group_members.role" {
        /// An ordinary member.
        Member = "member",
        /// A recognised expert: can be @-asked; answers are marked.
        Expert = "expert",
        /// Hosts topics and events.
        TopicHost = "topic_host",
        /// Curates the shared resources.
        ResourceAdmin = "resource_admin",
        /// Runs the group: applications, moderation, pins, FAQ.
        Admin = "admin",
        /// Created the group; the only one who may change admins.
        Owner = "owner",
    }
}

/// Something a member may or may not do in a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupAction {
    /// Decide join applications, invite, remove members.
    ManageMembers,
    /// Give or take the admin role.
    ManageAdmins,
    /// Give or take the expert, topic-host and resource-admin roles.
    ManageHelpers,
    /// Pin and feature posts, promote Q&A to the FAQ, edit rules and announcements.
    Curate,
    /// Warn, mute and remove; decide reports, appeals and held posts.
    Moderate,
    /// Create events and polls.
    HostEvents,
    /// Remove or edit any shared resource.
    ManageResources,
    /// See the admin analytics.
    SeeAnalytics,
}

impl GroupRole {
    /// Whether this role may do `action`.
    #[must_use]
    pub fn may(self, action: GroupAction) -> bool {
        use GroupAction as A;
        match action {
            A::ManageAdmins => self == Self::Owner,
            A::ManageMembers | A::ManageHelpers | A::Curate | A::Moderate | A::SeeAnalytics => {
                self >= Self::Admin
            }
            A::HostEvents => self >= Self::TopicHost,
            A::ManageResources => self >= Self::ResourceAdmin,
        }
    }
}

/// Why a nickname does not follow the group's format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("昵称需符合本群格式「{format}」")]
pub struct NicknameMismatch {
    /// The group's format.
    pub format: String,
}

/// Checks `nickname` against a format such as `城市-专业-姓名`: the format's parts are separated
/// by `-` (or `_`, `·`, `/`, `|`), and the nickname must have exactly as many non-empty parts,
/// separated by the same separators in the same order. A format without separators only asks
/// for a non-empty nickname.
pub fn check_nickname(format: &str, nickname: &str) -> Result<(), NicknameMismatch> {
    const SEPARATORS: [char; 5] = ['-', '_', '·', '/', '|'];
    let mismatch = || NicknameMismatch { format: format.to_owned() };
    let nickname = nickname.trim();
    if nickname.is_empty() {
        return Err(mismatch());
    }
    let seps = |s: &str| s.chars().filter(|c| SEPARATORS.contains(c)).collect::<Vec<_>>();
    if seps(format) != seps(nickname) {
        return Err(mismatch());
    }
    if nickname.split(SEPARATORS).any(|part| part.trim().is_empty()) {
        return Err(mismatch());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case("城市-专业-姓名", "上海-土建-王芳", true)]
    #[case("城市-专业-姓名", "上海-土建", false)]
    #[case("城市-专业-姓名", "上海--王芳", false)]
    #[case("城市-专业-姓名", "上海_土建_王芳", false)]
    #[case("城市-专业-姓名", "上海-土建-王芳-多余", false)]
    #[case("姓名", "王芳", true)]
    #[case("姓名", "  ", false)]
    fn nickname_must_follow_the_group_format(#[case] format: &str, #[case] nick: &str, #[case] ok: bool) {
        assert_eq!(check_nickname(format, nick).is_ok(), ok);
    }

    #[test]
    fn only_the_owner_manages_admins_and_admins_moderate() {
        assert!(GroupRole::Owner.may(GroupAction::ManageAdmins));
        assert!(!GroupRole::Admin.may(GroupAction::ManageAdmins));
        assert!(GroupRole::Admin.may(GroupAction::Moderate));
        assert!(!GroupRole::Expert.may(GroupAction::Moderate));
        assert!(GroupRole::TopicHost.may(GroupAction::HostEvents));
        assert!(!GroupRole::Expert.may(GroupAction::HostEvents));
        assert!(GroupRole::ResourceAdmin.may(GroupAction::ManageResources));
        assert!(!GroupRole::Member.may(GroupAction::ManageResources));
    }
}
