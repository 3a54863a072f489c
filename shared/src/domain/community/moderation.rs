//! The per-group moderation ladder: a first sanction is a warning, a second a 7-day mute, a third
//! removal from the group. A sanction overturned on appeal no longer counts.

use chrono::{DateTime, Duration, Utc};
/// How long a mute lasts.
pub const MUTE_DAYS: i64 = 7;

crate::stored_enum! {
    /// A step of the ladder.
    #[derive(Ord, PartialOrd)]
    pub enum Sanction in "sanctions.kind" {
        /// A recorded warning.
        Warning = "warning",
        /// Cannot post, reply, answer or share for [`MUTE_DAYS`] days.
        Mute = "mute",
        /// Removed from the group.
        Removal = "removal",
    }
}

/// The next step for a member who already has `standing` sanctions in force in this group.
#[must_use]
pub fn next_sanction(standing: usize) -> Sanction {
    match standing {
        0 => Sanction::Warning,
        1 => Sanction::Mute,
        _ => Sanction::Removal,
    }
}

/// Until when a sanction applied at `at` restricts the member (`None`: no time limit — a warning
/// restricts nothing, a removal lasts until an admin lets the person back in).
#[must_use]
pub fn restricted_until(sanction: Sanction, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    (sanction == Sanction::Mute).then(|| at + Duration::days(MUTE_DAYS))
}

/// Whether a member muted until `until` is still muted at `now`.
#[must_use]
pub fn is_muted(until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    until.is_some_and(|u| now < u)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn the_ladder_is_warning_then_mute_then_removal() {
        assert_eq!(next_sanction(0), Sanction::Warning);
        assert_eq!(next_sanction(1), Sanction::Mute);
        assert_eq!(next_sanction(2), Sanction::Removal);
        assert_eq!(next_sanction(7), Sanction::Removal);
    }

    #[test]
    fn a_mute_lasts_seven_days() {
        let at = Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap();
        let until = restricted_until(Sanction::Mute, at);
        assert!(is_muted(until, at + Duration::days(6)));
        assert!(!is_muted(until, at + Duration::days(7)));
        assert_eq!(restricted_until(Sanction::Warning, at), None);
    }
}
