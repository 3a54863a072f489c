//! The demand library (需求库): the public list and the active organisation's own demands, the
//! form to post or edit one, a demand's page (for its poster: status, review deadline,
//! recommendations with reasons, invitations and answers), and the invitations an organisation
//! received.

mod detail;
mod form;
mod list;
mod matching;
mod received;

pub use detail::DemandPage;
pub use form::NewDemandPage;
pub use list::DemandsPage;
pub use received::ReceivedInvitationsPage;

use shared::dto::{DemandStatus, InvitationAnswer};

/// The badge class for a demand status.
fn status_class(status: DemandStatus) -> &'static str {
    match status {
        DemandStatus::Draft => "",
        DemandStatus::PendingReview => "badge-warn",
        DemandStatus::Rejected => "badge-bad",
        DemandStatus::Published => "badge-ok",
        DemandStatus::Closed => "badge-muted",
    }
}

/// The badge class for an invitation answer.
fn answer_class(answer: InvitationAnswer) -> &'static str {
    match answer {
        InvitationAnswer::Pending => "badge-warn",
        InvitationAnswer::Interested => "badge-ok",
        InvitationAnswer::Declined => "badge-muted",
    }
}
