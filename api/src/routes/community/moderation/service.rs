//! The edge rules of moderation: what a report points at, the report a sanction answers,
//! applying a step of the ladder to a member, and lifting an overturned sanction. The rules
//! themselves (who may sanction whom, a report handled once, an appeal decided once) are in
//! `shared::domain::community::lifecycle`.

use chrono::NaiveDateTime;
use shared::domain::community::lifecycle::report::{self, ReportEvent};
use shared::domain::community::moderation::{Sanction, next_sanction, restricted_until};
use shared::domain::notices::community::CommunityNotice;
use shared::dto::*;

use crate::db::models::community::*;
use crate::db::{DbConn, new_id};
use crate::error::ApiError;
use crate::routes::community::InGroup;
use crate::routes::notifications::notify::Notice;
use crate::state::Outgoing;

/// The user a report is about: the author of a post or reply of the group that is not deleted,
/// or a member (past or present) of the group.
pub fn report_target(
    conn: &mut DbConn,
    view: &InGroup,
    kind: ReportTarget,
    target_id: &str,
) -> Result<String, ApiError> {
    let in_group = |post: &PostRow| post.group_id == view.group.id;
    let found = match kind {
        ReportTarget::Post => PostRow::find(conn, target_id)?
            .filter(|p| in_group(p) && p.status != PostStatus::Deleted)
            .map(|p| p.author_id),
        ReportTarget::Reply => {
            match ReplyRow::find(conn, target_id)?.filter(|r| r.status != PostStatus::Deleted) {
                Some(reply) => PostRow::find(conn, &reply.post_id)?.filter(in_group).map(|_| reply.author_id),
                None => None,
            }
        }
        ReportTarget::Member => GroupMemberRow::find(conn, &view.group.id, target_id)?.map(|m| m.user_id),
    };
    found.ok_or_else(|| {
        ApiError::field("target_id", "not_found", "nothing to report with this id in the group")
    })
}

/// The active member `user_id` of the group, for a sanction.
pub fn sanction_target(conn: &mut DbConn, view: &InGroup, user_id: &str) -> Result<GroupMemberRow, ApiError> {
    GroupMemberRow::find(conn, &view.group.id, user_id)?
        .filter(|m| m.status == MemberStatus::Active)
        .ok_or_else(|| ApiError::field("user_id", "not_a_member", "no such member in the group"))
}

/// The open report about `target` that a sanction answers, already moved to actioned (not yet
/// saved); `None` without a report id.
pub fn answered_report(
    conn: &mut DbConn,
    view: &InGroup,
    report_id: Option<&str>,
    target: &GroupMemberRow,
) -> Result<Option<ReportRow>, ApiError> {
    let Some(report_id) = report_id else { return Ok(None) };
    let mut row = ReportRow::find(conn, report_id)?
        .filter(|r| r.group_id == view.group.id && r.target_user_id == target.user_id)
        .ok_or_else(|| ApiError::field("report_id", "not_found", "no such report about this member"))?;
    row.status = report::transition(row.status, ReportEvent::Action)?;
    Ok(Some(row))
}

/// What a moderator decided to sanction.
pub struct SanctionOrder {
    /// The sanctioned member.
    pub target: GroupMemberRow,
    /// Why.
    pub reason: String,
    /// The report it answers (status already actioned).
    pub report: Option<ReportRow>,
    /// The moderator.
    pub by: String,
    /// When.
    pub at: NaiveDateTime,
}

/// Applies the next step of the ladder: records the sanction, mutes or removes the member (a
/// removed member's places at coming events go to the waitlists), marks the report actioned and
/// tells the member.
pub fn apply_sanction(
    conn: &mut DbConn,
    out: &mut Outgoing,
    view: &InGroup,
    order: SanctionOrder,
) -> Result<SanctionRow, ApiError> {
    let SanctionOrder { mut target, reason, report, by, at } = order;
    let standing = SanctionRow::standing(conn, &view.group.id, &target.user_id)?;
    let kind = next_sanction(usize::try_from(standing).unwrap_or(usize::MAX));
    let until = restricted_until(kind, at.and_utc()).map(|t| t.naive_utc());
    let row = SanctionRow {
        id: new_id(),
        group_id: view.group.id.clone(),
        user_id: target.user_id.clone(),
        kind,
        reason,
        report_id: report.as_ref().map(|r| r.id.clone()),
        applied_by: by.clone(),
        created_at: at,
        until_at: until,
        overturned_at: None,
    };
    row.insert(conn)?;
    match kind {
        Sanction::Warning => {}
        Sanction::Mute => {
            target.muted_until = until;
            target.save(conn)?;
        }
        Sanction::Removal => {
            target.status = MemberStatus::Removed;
            target.left_at = Some(at);
            target.save(conn)?;
            out.extend(crate::routes::community::events::service::drop_member_signups(
                conn,
                &view.group.id,
                &target.user_id,
                at,
            )?);
        }
    }
    if let Some(mut report) = report {
        report.decided_by = Some(by);
        report.decided_at = Some(at);
        report.save(conn)?;
    }
    let notice = CommunityNotice::Sanctioned {
        group: view.group.name.clone(),
        sanction: kind,
        reason: row.reason.clone(),
    };
    let link = format!("/groups/{}/moderation?sanction={}", view.group.id, row.id);
    out.to_users(conn, std::slice::from_ref(&target.user_id), &Notice::new(&notice, link, None))?;
    Ok(row)
}

/// Lifts an overturned sanction: a mute it imposed ends, a member it removed is back in; it
/// stops counting on the ladder.
pub fn lift(conn: &mut DbConn, sanction: &mut SanctionRow, at: NaiveDateTime) -> Result<(), ApiError> {
    sanction.overturned_at = Some(at);
    sanction.save(conn)?;
    if let Some(mut member) = GroupMemberRow::find(conn, &sanction.group_id, &sanction.user_id)? {
        match sanction.kind {
            Sanction::Mute if member.muted_until == sanction.until_at => member.muted_until = None,
            Sanction::Removal if member.status == MemberStatus::Removed => {
                member.status = MemberStatus::Active;
                member.left_at = None;
            }
            _ => {}
        }
        member.save(conn)?;
    }
    Ok(())
}
