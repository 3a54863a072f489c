//! Money in the interface: amounts travel as integer fen and are shown as ¥ with two decimals;
//! people type yuan (`12.5`, `1,200`, `¥3000.00`), parsed here into fen without floating point.

/// Why typed yuan are not an amount; `code` is the issue code shown next to the field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoneyError {
    /// Nothing typed.
    Empty,
    /// Not a plain non-negative decimal number.
    NotANumber,
    /// More than two decimals (smaller than a fen).
    TooPrecise,
    /// Larger than the API accepts.
    TooLarge,
}

impl MoneyError {
    /// The issue code for the field (see `i18n::issue_text`).
    pub fn code(self) -> &'static str {
        match self {
            MoneyError::Empty => "required",
            MoneyError::NotANumber => "invalid_amount",
            MoneyError::TooPrecise => "too_precise",
            MoneyError::TooLarge => "too_large",
        }
    }
}

pub use shared::validate::MAX_AMOUNT_FEN;

/// Parses yuan typed by a person into fen: an optional `¥`/`￥`, digits with optional thousands
/// commas, and at most two decimals. Negative amounts are not a number here.
pub fn parse_yuan(text: &str) -> Result<i64, MoneyError> {
    let text = text.trim();
    let text = text.strip_prefix('¥').or_else(|| text.strip_prefix('￥')).unwrap_or(text).trim();
    if text.is_empty() {
        return Err(MoneyError::Empty);
    }
    let text: String = text.chars().filter(|c| *c != ',' && *c != '，').collect();
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !digits(fraction) || (whole.is_empty() && fraction.is_empty()) {
        return Err(MoneyError::NotANumber);
    }
    if fraction.len() > 2 {
        return Err(MoneyError::TooPrecise);
    }
    let whole = whole.trim_start_matches('0');
    if whole.len() > 12 {
        return Err(MoneyError::TooLarge);
    }
    let yuan: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| MoneyError::TooLarge)? };
    let cents: i64 = format!("{fraction:0<2}").parse().map_err(|_| MoneyError::NotANumber)?;
    let fen = yuan.checked_mul(100).and_then(|f| f.checked_add(cents)).ok_or(MoneyError::TooLarge)?;
    if fen > MAX_AMOUNT_FEN {
        return Err(MoneyError::TooLarge);
    }
    Ok(fen)
}

/// Parses an optional amount: empty means none.
pub fn parse_optional_yuan(text: &str) -> Result<Option<i64>, MoneyError> {
    match parse_yuan(text) {
        Ok(fen) => Ok(Some(fen)),
        Err(MoneyError::Empty) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Shows fen as `¥1,234,567.89`.
pub fn format_fen(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    let yuan = (fen / 100).to_string();
    let mut grouped = String::with_capacity(yuan.len() + yuan.len() / 3);
    for (i, c) in yuan.chars().enumerate() {
        if i > 0 && (yuan.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}¥{grouped}.{:02}", fen % 100)
}

/// A budget range `¥a – ¥b`, or one amount when both ends agree.
pub fn format_range(min_fen: i64, max_fen: i64) -> String {
    if min_fen == max_fen {
        format_fen(min_fen)
    } else {
        format!("{} – {}", format_fen(min_fen), format_fen(max_fen))
    }
}

/// Fen as yuan for an input box to edit (`1234.5` → `"1234.50"`), without ¥ or commas.
pub fn yuan_input(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_yuan_become_fen() {
        assert_eq!(parse_yuan("12"), Ok(1200));
        assert_eq!(parse_yuan("0"), Ok(0));
        assert_eq!(parse_yuan(" 3000 "), Ok(300_000));
    }

    #[test]
    fn one_or_two_decimals_are_jiao_and_fen() {
        assert_eq!(parse_yuan("12.5"), Ok(1250));
        assert_eq!(parse_yuan("12.05"), Ok(1205));
        assert_eq!(parse_yuan("0.01"), Ok(1));
        assert_eq!(parse_yuan(".5"), Ok(50));
        assert_eq!(parse_yuan("7."), Ok(700));
    }

    #[test]
    fn currency_sign_and_thousands_commas_are_accepted() {
        assert_eq!(parse_yuan("¥1,200,000.00"), Ok(120_000_000));
        assert_eq!(parse_yuan("￥ 3，500"), Ok(350_000));
    }

    #[test]
    fn no_floating_point_rounding() {
        // 0.29 * 100 is 28.999… in binary floating point.
        assert_eq!(parse_yuan("0.29"), Ok(29));
        assert_eq!(parse_yuan("1234567.89"), Ok(123_456_789));
    }

    #[test]
    fn more_than_two_decimals_are_refused() {
        assert_eq!(parse_yuan("1.005"), Err(MoneyError::TooPrecise));
    }

    #[test]
    fn anything_but_a_plain_number_is_refused() {
        for text in ["abc", "-5", "1e3", "1.2.3", "12 元", "+3", "."] {
            assert_eq!(parse_yuan(text), Err(MoneyError::NotANumber), "{text}");
        }
        assert_eq!(parse_yuan("   "), Err(MoneyError::Empty));
        assert_eq!(parse_yuan("¥"), Err(MoneyError::Empty));
    }

    #[test]
    fn amounts_above_one_hundred_billion_yuan_are_refused() {
        assert_eq!(parse_yuan("100000000000"), Ok(MAX_AMOUNT_FEN));
        assert_eq!(parse_yuan("100000000000.01"), Err(MoneyError::TooLarge));
        assert_eq!(parse_yuan("99999999999999999999999"), Err(MoneyError::TooLarge));
    }

    #[test]
    fn optional_amounts_may_be_empty() {
        assert_eq!(parse_optional_yuan(""), Ok(None));
        assert_eq!(parse_optional_yuan("8"), Ok(Some(800)));
        assert_eq!(parse_optional_yuan("x"), Err(MoneyError::NotANumber));
    }

    #[test]
    fn fen_show_as_yuan_with_two_decimals_and_grouping() {
        assert_eq!(format_fen(0), "¥0.00");
        assert_eq!(format_fen(5), "¥0.05");
        assert_eq!(format_fen(123_456), "¥1,234.56");
        assert_eq!(format_fen(10_000_000_000), "¥100,000,000.00");
        assert_eq!(format_fen(-1050), "-¥10.50");
    }

    #[test]
    fn ranges_collapse_when_both_ends_agree() {
        assert_eq!(format_range(100, 100), "¥1.00");
        assert_eq!(format_range(100, 250_000), "¥1.00 – ¥2,500.00");
    }

    #[test]
    fn input_form_round_trips() {
        for fen in [0, 1, 99, 100, 123_456_789, MAX_AMOUNT_FEN] {
            assert_eq!(parse_yuan(&yuan_input(fen)), Ok(fen));
        }
    }
}
