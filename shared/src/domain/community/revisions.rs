//! Who may read a post's edit history: a previous version follows the visibility of the post or
//! reply it belongs to, and a version that was itself held for review (banned words) is shown
//! only to the group's admins and to its own author. A deleted post or reply's versions are the
//! admins' alone.

/// Where the post or reply a version belongs to stands now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Published: readable by whoever reads the group.
    Published,
    /// Held for review: its author and the admins.
    Held,
    /// Deleted (by its author, an admin or a review).
    Deleted,
}

/// Whether a viewer sees a previous version: `version_held` says that version was held (or
/// holds a banned word), `admin` that the viewer moderates the group, `author` that the viewer
/// wrote the post or reply.
#[must_use]
pub fn revision_visible(standing: Standing, version_held: bool, admin: bool, author: bool) -> bool {
    if admin {
        return true;
    }
    match standing {
        Standing::Deleted => false,
        Standing::Held => author,
        Standing::Published => author || !version_held,
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case::published_clean_version_is_public(Standing::Published, false, false, false, true)]
    #[case::a_held_version_of_a_published_reply_is_hidden(Standing::Published, true, false, false, false)]
    #[case::its_author_still_sees_it(Standing::Published, true, false, true, true)]
    #[case::a_held_reply_hides_every_version(Standing::Held, false, false, false, false)]
    #[case::a_held_reply_shows_its_author(Standing::Held, true, false, true, true)]
    #[case::a_deleted_reply_hides_even_from_its_author(Standing::Deleted, false, false, true, false)]
    #[case::admins_see_deleted_versions(Standing::Deleted, true, true, false, true)]
    #[case::admins_see_held_versions(Standing::Held, true, true, false, true)]
    fn held_or_deleted_versions_only_reach_admins_and_their_author(
        #[case] standing: Standing,
        #[case] version_held: bool,
        #[case] admin: bool,
        #[case] author: bool,
        #[case] visible: bool,
    ) {
        assert_eq!(revision_visible(standing, version_held, admin, author), visible);
    }
}
