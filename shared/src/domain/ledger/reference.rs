//! Funding reference codes (汇款识别码): the code a payer writes in the memo (摘要 / 附言 / 用途)
//! of a bank transfer so that the statement line can be matched to its funding request.
//!
//! Form: `GZ` + 8 characters of Crockford base 32 (`0-9`, `A-Z` without `I L O U`) + 1 check
//! character (the weighted sum of the 8 values mod 32), 11 characters in all, e.g. `GZ7K3M9QX2R`.
//! Reading is forgiving the way people type: lower case, spaces and hyphens inside the code, and
//! `O`/`I`/`L` for `0`/`1`/`1` are accepted; a code whose check character fails is not a code
//! (a typo never matches another request).

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// The prefix.
pub const PREFIX: &str = "GZ";
/// Characters after the prefix: 8 of payload and 1 check.
const BODY_LEN: usize = 9;

fn value(c: char) -> Option<u32> {
    let c = match c.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        other => other,
    };
    ALPHABET.iter().position(|a| char::from(*a) == c).and_then(|p| u32::try_from(p).ok())
}

fn check_of(values: &[u32]) -> u32 {
    values.iter().zip(1_u32..).map(|(v, weight)| v * weight).sum::<u32>() % 32
}

fn symbol(v: u32) -> char {
    char::from(ALPHABET[usize::try_from(v % 32).unwrap_or(0)])
}

/// A reference code from 40 random bits (the caller draws them).
#[must_use]
pub fn make(random: u64) -> String {
    let values: Vec<u32> =
        (0..8).map(|i| u32::try_from((random >> (5 * (7 - i))) & 31).unwrap_or(0)).collect();
    let mut code = String::from(PREFIX);
    code.extend(values.iter().map(|v| symbol(*v)));
    code.push(symbol(check_of(&values)));
    code
}

/// Whether `code` is a well-formed reference (exact canonical form).
#[must_use]
pub fn is_valid(code: &str) -> bool {
    code.len() == PREFIX.len() + BODY_LEN && find_in(code).as_deref() == Some(code)
}

/// The first valid reference code in a memo, in canonical form.
#[must_use]
pub fn find_in(memo: &str) -> Option<String> {
    let chars: Vec<char> = memo.chars().collect();
    let mut start = 0;
    while start + 1 < chars.len() {
        if chars[start].eq_ignore_ascii_case(&'G')
            && chars[start + 1].eq_ignore_ascii_case(&'Z')
            && let Some(code) = read_body(&chars[start + 2..])
        {
            return Some(code);
        }
        start += 1;
    }
    None
}

fn read_body(rest: &[char]) -> Option<String> {
    let mut values = Vec::with_capacity(BODY_LEN);
    for c in rest {
        if values.len() == BODY_LEN {
            break;
        }
        if (*c == '-' || *c == ' ') && !values.is_empty() {
            continue;
        }
        values.push(value(*c)?);
    }
    if values.len() != BODY_LEN || check_of(&values[..8]) != values[8] {
        return None;
    }
    let mut code = String::from(PREFIX);
    code.extend(values.iter().map(|v| symbol(*v)));
    Some(code)
}
