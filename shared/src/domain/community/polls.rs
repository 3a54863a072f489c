//! Polls: single or multiple choice, a deadline, optionally anonymous (then the server stores
//! only which choices were made and an unlinkable marker that the person voted).

use chrono::{DateTime, Utc};

/// Why a ballot is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BallotRefused {
    /// The deadline has passed.
    #[error("投票已截止")]
    Closed,
    /// No choice, or more than one in a single-choice poll.
    #[error("单选投票只能选择一项")]
    OneChoiceOnly,
    /// No choice.
    #[error("请至少选择一项")]
    NoChoice,
    /// A choice number that the poll does not have, or one given twice.
    #[error("选项无效")]
    UnknownChoice,
}

/// Checks a ballot of `choices` (0-based option numbers) for a poll with `options` options.
pub fn check_ballot(
    choices: &[usize],
    options: usize,
    multiple: bool,
    deadline: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), BallotRefused> {
    if now >= deadline {
        return Err(BallotRefused::Closed);
    }
    if choices.is_empty() {
        return Err(BallotRefused::NoChoice);
    }
    if !multiple && choices.len() > 1 {
        return Err(BallotRefused::OneChoiceOnly);
    }
    let mut seen = vec![false; options];
    for &choice in choices {
        match seen.get_mut(choice) {
            Some(slot) if !*slot => *slot = true,
            _ => return Err(BallotRefused::UnknownChoice),
        }
    }
    Ok(())
}

/// Votes per option from the ballots cast.
#[must_use]
pub fn tally(options: usize, ballots: &[Vec<usize>]) -> Vec<i64> {
    let mut counts = vec![0i64; options];
    for choice in ballots.iter().flatten() {
        if let Some(count) = counts.get_mut(*choice) {
            *count += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    #[test]
    fn ballots_follow_the_poll_kind_and_deadline() {
        let deadline = Utc.with_ymd_and_hms(2026, 12, 7, 12, 0, 0).unwrap();
        let before = deadline - Duration::hours(1);
        assert_eq!(check_ballot(&[1], 3, false, deadline, before), Ok(()));
        assert_eq!(check_ballot(&[0, 2], 3, false, deadline, before), Err(BallotRefused::OneChoiceOnly));
        assert_eq!(check_ballot(&[0, 2], 3, true, deadline, before), Ok(()));
        assert_eq!(check_ballot(&[2, 2], 3, true, deadline, before), Err(BallotRefused::UnknownChoice));
        assert_eq!(check_ballot(&[3], 3, true, deadline, before), Err(BallotRefused::UnknownChoice));
        assert_eq!(check_ballot(&[], 3, true, deadline, before), Err(BallotRefused::NoChoice));
        assert_eq!(check_ballot(&[0], 3, true, deadline, deadline), Err(BallotRefused::Closed));
    }

    #[test]
    fn the_tally_counts_each_choice() {
        assert_eq!(tally(3, &[vec![0], vec![0, 2], vec![2]]), vec![2, 0, 2]);
    }
}
