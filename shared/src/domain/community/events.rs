//! Event sign-up (接龙) with a waitlist: the first `capacity` sign-ups are confirmed, the rest
//! wait in order; when a confirmed person cancels, the first on the waitlist is promoted at once.

crate::stored_enum! {
    /// Where a sign-up stands.
    pub enum SignupStatus in "event_signups.status" {
        /// Has a place.
        Confirmed = "confirmed",
        /// Waits for a place.
        Waitlisted = "waitlisted",
        /// Cancelled by the person (or removed).
        Cancelled = "cancelled",
    }
}

/// The status of a new sign-up when `confirmed` places of `capacity` are taken.
#[must_use]
pub fn admit(confirmed: usize, capacity: usize) -> SignupStatus {
    if confirmed < capacity { SignupStatus::Confirmed } else { SignupStatus::Waitlisted }
}

/// After a cancellation leaves `confirmed` of `capacity` places taken, how many of the
/// waitlist (in sign-up order) to promote.
#[must_use]
pub fn promotions(confirmed: usize, capacity: usize, waiting: usize) -> usize {
    capacity.saturating_sub(confirmed).min(waiting)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn the_place_after_the_last_is_on_the_waitlist() {
        assert_eq!(admit(29, 30), SignupStatus::Confirmed);
        assert_eq!(admit(30, 30), SignupStatus::Waitlisted);
    }

    #[test]
    fn a_cancellation_promotes_the_first_waiting() {
        assert_eq!(promotions(29, 30, 3), 1);
        assert_eq!(promotions(29, 30, 0), 0);
        assert_eq!(promotions(25, 30, 2), 2, "a raised capacity promotes more");
    }

    proptest! {
        /// Replaying any sequence of sign-ups and cancellations never confirms more than the
        /// capacity and never leaves a free place while someone waits.
        #[test]
        fn never_over_capacity_never_a_free_place_while_someone_waits(
            capacity in 1usize..6,
            ops in proptest::collection::vec((any::<bool>(), 0usize..20), 0..60),
        ) {
            // (person, status) in sign-up order.
            let mut list: Vec<(usize, SignupStatus)> = Vec::new();
            for (join, person) in ops {
                let active = list.iter().any(|(p, s)| *p == person && *s != SignupStatus::Cancelled);
                if join && !active {
                    let confirmed = list.iter().filter(|(_, s)| *s == SignupStatus::Confirmed).count();
                    list.push((person, admit(confirmed, capacity)));
                } else if !join && active {
                    for entry in list.iter_mut().filter(|(p, _)| *p == person) {
                        entry.1 = SignupStatus::Cancelled;
                    }
                    let confirmed = list.iter().filter(|(_, s)| *s == SignupStatus::Confirmed).count();
                    let waiting = list.iter().filter(|(_, s)| *s == SignupStatus::Waitlisted).count();
                    let mut n = promotions(confirmed, capacity, waiting);
                    for entry in list.iter_mut().filter(|(_, s)| *s == SignupStatus::Waitlisted) {
                        if n == 0 { break; }
                        entry.1 = SignupStatus::Confirmed;
                        n -= 1;
                    }
                }
                let confirmed = list.iter().filter(|(_, s)| *s == SignupStatus::Confirmed).count();
                let waiting = list.iter().filter(|(_, s)| *s == SignupStatus::Waitlisted).count();
                prop_assert!(confirmed <= capacity);
                prop_assert!(waiting == 0 || confirmed == capacity);
            }
        }
    }
}
