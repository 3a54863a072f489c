//! Groups: who may join how, what each role may do, and the optional nickname format.

use serde::{Deserialize, Serialize};

/// How a person joins a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum JoinPolicy {
    /// Anyone signed in joins at once.
    Open,
    /// An application with the group's questionnaire, decided by an admin.
    Approval,
    /// Only people an admin invited.
    InviteOnly,
}

impl JoinPolicy {
    /// Stored / wire form.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Approval => "approval",
            Self::InviteOnly => "invite_only",
        }
    }

    /// Parses the stored form.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Open, Self::Approval, Self::InviteOnly].into_iter().find(|x| x.as_str() == s)
    }
}

/// A member's role in a group, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum GroupRole {
    /// An ordinary member.
    Member,
    /// A recognised expert: can be @-asked; answers are marked.
    Expert,
    /// Hosts topics and events.
    TopicHost,
    /// Curates the shared resources.
    ResourceAdmin,
    /// Runs the group: applications, moderation, pins, FAQ.
    Admin,
    /// Created the group; the only one who may change admins.
    Owner,
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
    /// Every role, lowest first.
    pub const ALL: [Self; 6] =
        [Self::Member, Self::Expert, Self::TopicHost, Self::ResourceAdmin, Self::Admin, Self::Owner];

    /// Stored / wire form.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Expert => "expert",
            Self::TopicHost => "topic_host",
            Self::ResourceAdmin => "resource_admin",
            Self::Admin => "admin",
            Self::Owner => "owner",
        }
    }

    /// Parses the stored form.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

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
