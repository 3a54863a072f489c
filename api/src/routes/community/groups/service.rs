//! The edge rules of joining a group: admitting a member, recording an application, and sending
//! an invitation. Who may apply, the join decision by policy and who may be invited are in
//! `shared::domain::community::lifecycle::membership`; the application's nickname and answers
//! are checked by `shared::validate::community::groups`.

use chrono::NaiveDateTime;
use shared::account::Login;
use shared::domain::community::lifecycle::membership::Invitee;
use shared::domain::notices::community::CommunityNotice;
use shared::dto::*;

use crate::db::models::community::*;
use crate::db::models::orgs::ContactInvitationRow;
use crate::db::models::users::User;
use crate::db::{DbConn, new_id, now};
use crate::error::ApiError;
use crate::market::to_json;
use crate::routes::community::{self, InGroup};
use crate::routes::notifications::notify::Notice;
use crate::routes::orgs::service as orgs;
use crate::state::Outgoing;

/// Makes `user` an active member with `role` and `nickname`.
pub fn admit(
    conn: &mut DbConn,
    group_id: &str,
    user: &str,
    role: GroupRole,
    nickname: &str,
) -> diesel::QueryResult<()> {
    GroupMemberRow {
        group_id: group_id.to_owned(),
        user_id: user.to_owned(),
        role,
        nickname: nickname.to_owned(),
        status: MemberStatus::Active,
        joined_at: now(),
        muted_until: None,
        left_at: None,
    }
    .upsert(conn)
}

/// A checked application with its decided status.
pub struct Application {
    /// The applicant.
    pub user: String,
    /// Their nickname in the group.
    pub nickname: String,
    /// The questionnaire's answers.
    pub answers: Vec<String>,
    /// Approved at once, or pending for the admins.
    pub status: ApplicationStatus,
}

/// Stores an application: an approved one admits the person at once (using up the invitation
/// that admitted them); a pending one is announced to the admins.
pub fn record_application(
    conn: &mut DbConn,
    out: &mut Outgoing,
    view: &InGroup,
    application: Application,
    invitation: Option<GroupInvitationRow>,
) -> Result<GroupApplicationRow, ApiError> {
    let Application { user, nickname, answers, status } = application;
    let at = now();
    let at_once = status == ApplicationStatus::Approved;
    let row = GroupApplicationRow {
        id: new_id(),
        group_id: view.group.id.clone(),
        user_id: user.clone(),
        nickname: nickname.clone(),
        answers: to_json(&answers),
        status,
        reason: None,
        decided_by: None,
        decided_at: at_once.then_some(at),
        created_at: at,
    };
    row.insert(conn)?;
    if at_once {
        admit(conn, &view.group.id, &user, GroupRole::Member, &nickname)?;
        if let Some(invitation) = invitation {
            GroupInvitationRow::mark_used(conn, &invitation.id, at)?;
        }
    } else {
        let notice = CommunityNotice::GroupApplication { group: view.group.name.clone(), nickname };
        let link = format!("/groups/{}/applications", view.group.id);
        let admins = community::admins(conn, &view.group.id)?;
        out.to_users(conn, &admins, &Notice::new(&notice, link, None))?;
    }
    Ok(row)
}

/// The account behind `login` (if any) and what an invitation to it would meet.
pub fn invitee(
    conn: &mut DbConn,
    view: &InGroup,
    login: &Login,
    contact: &str,
) -> Result<(Option<User>, Invitee), ApiError> {
    let contact_pending = ContactInvitationRow::pending_to(conn, &view.group.id, contact)?;
    let account = crate::routes::auth::accounts::find_by_login(conn, login)?;
    let (mut member, mut invited) = (false, false);
    if let Some(account) = &account {
        // The group's admins see its members, so this tells them nothing new.
        member = GroupMemberRow::find(conn, &view.group.id, &account.id)?
            .is_some_and(|m| m.status == MemberStatus::Active);
        invited = GroupInvitationRow::open_for(conn, &view.group.id, &account.id)?.is_some();
    }
    Ok((account, Invitee { contact_pending, member, invited }))
}

/// Records an invitation to `contact`: addressed to the contact (claimed at once when it has an
/// account), and, for an account, an invitation the person is told about.
pub fn send_invitation(
    conn: &mut DbConn,
    out: &mut Outgoing,
    view: &InGroup,
    (by, contact, account): (&str, String, Option<User>),
    at: NaiveDateTime,
) -> Result<GroupInvitation, ApiError> {
    let addressed = ContactInvitationRow {
        id: new_id(),
        kind: ContactInvitationKind::Group,
        target_id: view.group.id.clone(),
        contact,
        role: GroupRole::Member.as_str().into(),
        status: if account.is_some() {
            ContactInvitationStatus::Claimed
        } else {
            ContactInvitationStatus::Pending
        },
        invited_by: by.to_owned(),
        created_at: at,
        claimed_at: account.is_some().then_some(at),
    };
    addressed.insert(conn)?;
    if let Some(account) = account {
        // Someone who joined by an earlier invitation and left may be invited again.
        GroupInvitationRow::delete_used(conn, &view.group.id, &account.id)?;
        GroupInvitationRow {
            id: addressed.id.clone(),
            group_id: view.group.id.clone(),
            user_id: account.id.clone(),
            invited_by: by.to_owned(),
            created_at: at,
            used_at: None,
        }
        .insert(conn)?;
        let notice = CommunityNotice::GroupInvitation {
            group: view.group.name.clone(),
            description: view.group.description.clone(),
        };
        let link = format!("/groups/{}", view.group.id);
        out.to_users(conn, std::slice::from_ref(&account.id), &Notice::new(&notice, link, None))?;
    }
    Ok(GroupInvitation {
        id: addressed.id,
        group_id: addressed.target_id,
        contact_masked: orgs::mask_contact(&addressed.contact),
        created_at: at.and_utc(),
    })
}
