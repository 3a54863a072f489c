//! Bayesian average of peer ratings: few ratings are shrunk towards the platform mean.

/// `(prior_weight × prior_mean + sum) / (prior_weight + count)`: with no ratings it is the prior
/// mean, with many it approaches the organisation's own mean. The sum is clamped to what
/// `count` ratings on the 1–5 scale can add up to.
#[must_use]
pub fn bayesian_mean(count: u32, sum: f64, prior_mean: f64, prior_weight: f64) -> f64 {
    let count = f64::from(count);
    let sum = if sum.is_finite() { sum.clamp(count, 5.0 * count) } else { prior_mean * count };
    let denominator = prior_weight + count;
    if denominator > 0.0 { (prior_weight * prior_mean + sum) / denominator } else { prior_mean }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::no_ratings_is_the_platform_mean(0, 0.0, 4.0)]
    #[case::one_five_star_rating_moves_little(1, 5.0, 25.0 / 6.0)]
    #[case::five_ratings_weigh_as_much_as_the_prior(5, 10.0, 3.0)]
    #[case::many_ratings_dominate(95, 95.0 * 5.0, 4.95)]
    fn ratings_are_shrunk_with_a_prior_weight_of_five(
        #[case] count: u32,
        #[case] sum: f64,
        #[case] expected: f64,
    ) {
        assert!((bayesian_mean(count, sum, 4.0, 5.0) - expected).abs() < 1e-9);
    }

    #[test]
    fn impossible_sums_are_clamped_to_the_scale() {
        assert!((bayesian_mean(1, 50.0, 4.0, 5.0) - 25.0 / 6.0).abs() < 1e-9);
        assert!((bayesian_mean(1, f64::NAN, 4.0, 5.0) - 4.0).abs() < 1e-9);
    }
}
