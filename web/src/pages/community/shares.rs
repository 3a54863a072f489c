//! Bar lengths for the charts (leaderboard, poll results): each count as a whole percentage of
//! the largest (so the leader's bar is full), or of the total for a poll's shares.

/// Each value as a percentage (0–100) of the largest; all zero when nothing is above zero.
pub fn widths(values: &[i64]) -> Vec<u32> {
    let max = values.iter().copied().max().unwrap_or(0);
    values.iter().map(|v| percent(*v, max)).collect()
}

/// `part` of `whole` as a whole percentage, rounded to nearest, clamped to 0–100.
pub fn percent(part: i64, whole: i64) -> u32 {
    if whole <= 0 || part <= 0 {
        return 0;
    }
    let scaled = (part.min(whole) * 200 + whole) / (2 * whole);
    u32::try_from(scaled).unwrap_or(100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_value_fills_the_bar_and_others_scale_to_it() {
        assert_eq!(widths(&[10, 5, 1]), vec![100, 50, 10]);
    }

    #[test]
    fn nothing_above_zero_draws_no_bars() {
        assert_eq!(widths(&[0, 0]), vec![0, 0]);
        assert!(widths(&[]).is_empty());
        assert_eq!(widths(&[-3, 0]), vec![0, 0]);
    }

    #[test]
    fn percentages_round_to_nearest_and_never_pass_a_hundred() {
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(5, 3), 100);
        assert_eq!(percent(1, 0), 0);
    }
}
