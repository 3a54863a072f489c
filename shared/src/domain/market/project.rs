//! A project's lifecycle: draft → published → closed. A draft is seen only by its organisation;
//! a published project takes clarification questions; a closed one (awarded or cancelled) stays
//! public but read-only and closed to questions.

use super::Refusal;
use crate::dto::ProjectStatus;

/// Something that happens to a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectEvent {
    /// Its organisation changes its fields (drafts and published projects).
    Edit,
    /// Its organisation publishes a draft.
    Publish,
    /// Its organisation closes a published project.
    Close,
    /// Anyone signed in asks a clarification question (published projects).
    Ask,
}

/// What else changes with the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectEffect {
    /// Nothing.
    None,
    /// `published_at` is stamped.
    StampPublished,
    /// `closed_at` is stamped.
    StampClosed,
}

/// Applies `event` to a project in `current`: the next state and what else changes.
///
/// # Errors
/// [`Refusal::ProjectClosed`] for changing a closed project, [`Refusal::ProjectWrongState`] for
/// publishing or closing from the wrong state, [`Refusal::ProjectNotPublic`] and
/// [`Refusal::ProjectClosedToQuestions`] for a question on a draft or a closed project.
pub fn transition(
    current: ProjectStatus,
    event: ProjectEvent,
) -> Result<(ProjectStatus, ProjectEffect), Refusal> {
    use ProjectStatus::{Closed, Draft, Published};
    match (event, current) {
        (ProjectEvent::Edit, Draft | Published) => Ok((current, ProjectEffect::None)),
        (ProjectEvent::Edit, _) => Err(Refusal::ProjectClosed),
        (ProjectEvent::Publish, Draft) => Ok((Published, ProjectEffect::StampPublished)),
        (ProjectEvent::Publish, _) => Err(Refusal::ProjectWrongState { from: Draft, to: Published }),
        (ProjectEvent::Close, Published) => Ok((Closed, ProjectEffect::StampClosed)),
        (ProjectEvent::Close, _) => Err(Refusal::ProjectWrongState { from: Published, to: Closed }),
        (ProjectEvent::Ask, Published) => Ok((Published, ProjectEffect::None)),
        (ProjectEvent::Ask, Draft) => Err(Refusal::ProjectNotPublic),
        (ProjectEvent::Ask, Closed) => Err(Refusal::ProjectClosedToQuestions),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rstest::rstest;

    use super::*;
    use ProjectStatus::{Closed, Draft, Published};

    #[rstest]
    #[case::edit_draft(Draft, ProjectEvent::Edit, Draft, ProjectEffect::None)]
    #[case::edit_published(Published, ProjectEvent::Edit, Published, ProjectEffect::None)]
    #[case::publish(Draft, ProjectEvent::Publish, Published, ProjectEffect::StampPublished)]
    #[case::close(Published, ProjectEvent::Close, Closed, ProjectEffect::StampClosed)]
    #[case::ask(Published, ProjectEvent::Ask, Published, ProjectEffect::None)]
    fn allowed_project_moves(
        #[case] from: ProjectStatus,
        #[case] event: ProjectEvent,
        #[case] to: ProjectStatus,
        #[case] effect: ProjectEffect,
    ) {
        assert_eq!(transition(from, event), Ok((to, effect)));
    }

    #[rstest]
    #[case::edit_closed(Closed, ProjectEvent::Edit, Refusal::ProjectClosed)]
    #[case::publish_published(Published, ProjectEvent::Publish, Refusal::ProjectWrongState { from: Draft, to: Published })]
    #[case::publish_closed(Closed, ProjectEvent::Publish, Refusal::ProjectWrongState { from: Draft, to: Published })]
    #[case::close_draft(Draft, ProjectEvent::Close, Refusal::ProjectWrongState { from: Published, to: Closed })]
    #[case::close_closed(Closed, ProjectEvent::Close, Refusal::ProjectWrongState { from: Published, to: Closed })]
    #[case::ask_draft(Draft, ProjectEvent::Ask, Refusal::ProjectNotPublic)]
    #[case::ask_closed(Closed, ProjectEvent::Ask, Refusal::ProjectClosedToQuestions)]
    fn refused_project_moves(
        #[case] from: ProjectStatus,
        #[case] event: ProjectEvent,
        #[case] refusal: Refusal,
    ) {
        assert_eq!(transition(from, event), Err(refusal));
    }

    proptest! {
        #[test]
        fn a_closed_project_never_changes(
            event in proptest::sample::select(vec![
                ProjectEvent::Edit, ProjectEvent::Publish, ProjectEvent::Close, ProjectEvent::Ask,
            ]),
        ) {
            prop_assert!(transition(Closed, event).is_err());
        }
    }
}
