//! The project library (项目库): the list (public projects, and the active organisation's own
//! including drafts), the form to post or edit a project, and a project's page with its tender
//! documents, clarification Q&A (答疑记录) and, for its organisation, publish and close.

mod detail;
mod form;
mod list;
mod questions;

pub use detail::ProjectPage;
pub use form::NewProjectPage;
pub use list::ProjectsPage;

use shared::dto::ProjectStatus;

/// The badge class for a project status.
fn status_class(status: ProjectStatus) -> &'static str {
    match status {
        ProjectStatus::Draft => "",
        ProjectStatus::Published => "badge-ok",
        ProjectStatus::Closed => "badge-muted",
    }
}
