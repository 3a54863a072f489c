//! The community tables: groups, members, applications, invitations, posts, replies, revisions,
//! the points ledger, reports, sanctions and appeals. One file per table.

mod appeals;
mod group_applications;
mod group_invitations;
mod group_members;
mod groups;
mod points_ledger;
mod post_revisions;
mod posts;
mod replies;
mod reports;
mod sanctions;

pub use appeals::AppealRow;
pub use group_applications::GroupApplicationRow;
pub use group_invitations::GroupInvitationRow;
pub use group_members::GroupMemberRow;
pub use groups::GroupRow;
pub use points_ledger::PointsRow;
pub use post_revisions::PostRevisionRow;
pub use posts::{PostFilter, PostRow};
pub use replies::ReplyRow;
pub use reports::ReportRow;
pub use sanctions::SanctionRow;
