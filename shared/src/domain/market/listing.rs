//! A resource listing's lifecycle: listed → withdrawn. A withdrawn listing leaves the library
//! and search and cannot be changed; withdrawing is idempotent.

use super::Refusal;

/// Where a listing stands (stored as the `listed` flag).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListingState {
    /// In the library and in search.
    Listed,
    /// Withdrawn by its organisation.
    Withdrawn,
}

impl ListingState {
    /// The state of a stored `listed` flag.
    pub const fn from_listed(listed: bool) -> Self {
        if listed { Self::Listed } else { Self::Withdrawn }
    }

    /// The stored `listed` flag.
    pub const fn is_listed(self) -> bool {
        matches!(self, Self::Listed)
    }
}

/// Something that happens to a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListingEvent {
    /// Its organisation changes its fields.
    Edit,
    /// Its organisation withdraws it.
    Withdraw,
}

/// Applies `event` to a listing in `current` and returns the next state.
///
/// # Errors
/// [`Refusal::ListingWithdrawn`] for changing a withdrawn listing.
pub fn transition(current: ListingState, event: ListingEvent) -> Result<ListingState, Refusal> {
    match (current, event) {
        (ListingState::Listed, ListingEvent::Edit) => Ok(ListingState::Listed),
        (ListingState::Withdrawn, ListingEvent::Edit) => Err(Refusal::ListingWithdrawn),
        (_, ListingEvent::Withdraw) => Ok(ListingState::Withdrawn),
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case::edit(ListingState::Listed, ListingEvent::Edit, Ok(ListingState::Listed))]
    #[case::withdraw(ListingState::Listed, ListingEvent::Withdraw, Ok(ListingState::Withdrawn))]
    #[case::withdraw_again(ListingState::Withdrawn, ListingEvent::Withdraw, Ok(ListingState::Withdrawn))]
    #[case::edit_withdrawn(ListingState::Withdrawn, ListingEvent::Edit, Err(Refusal::ListingWithdrawn))]
    fn a_withdrawn_listing_cannot_change(
        #[case] from: ListingState,
        #[case] event: ListingEvent,
        #[case] expected: Result<ListingState, Refusal>,
    ) {
        assert_eq!(transition(from, event), expected);
    }

    #[test]
    fn the_listed_flag_round_trips() {
        for listed in [true, false] {
            assert_eq!(ListingState::from_listed(listed).is_listed(), listed);
        }
    }
}
