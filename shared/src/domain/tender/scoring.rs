//! The scoring sheet (评分表) of a closed tender, over its valid bids.
//!
//! With weights *w* (points out of 100, see [`super::weights`]):
//! - price score = lowest valid price ÷ own price × *w*price;
//! - duration score = shortest valid duration ÷ own duration × *w*duration;
//! - credit score = credit total (0–100) ÷ 100 × *w*credit; a bidder with insufficient data is
//!   scored at the matching configuration's `neutral_credit_score` (75 by default) and its row
//!   says so;
//! - technical score = the mean over the named evaluators of (sum of marks ÷ sum of maximum
//!   marks) × *w*technical, available only once every evaluator has marked every valid bid;
//! - total = the sum; rank 1 is the highest total, ties going to the lower price, then to the
//!   earlier submission (then to the smaller bid id, so the order is total).
//!
//! Ranking uses full precision; only the display fields are rounded to 2 decimals. Until the
//! technical marks are complete the sheet names the missing evaluators and has no totals and no
//! ranks. [`award_check`] checks the poster's choice; [`sheet_csv`] renders the sheet as CSV.

use std::cmp::Ordering;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::TenderRefusal;
use super::weights::EvaluationWeights;
use crate::domain::matching::{Language, MatchingConfig};
use crate::validate::{Checks, Invalid};

/// Shortest and longest reason for awarding a bid that is not ranked first, in characters.
pub const AWARD_REASON_CHARS: std::ops::RangeInclusive<usize> = 2..=500;

/// A bidder's credit as the sheet uses it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum BidderCredit {
    /// A credit total 0–100 from the credit model.
    Rated {
        /// The total.
        total: f64,
    },
    /// Too little platform data for a total.
    InsufficientData,
}

/// A valid bid as the sheet needs it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoringBid {
    /// The bid.
    pub bid_id: String,
    /// The bidding organisation's name.
    pub bidder_name: String,
    /// The offered price in fen (positive).
    pub price_fen: i64,
    /// The offered duration in days (positive).
    pub duration_days: u32,
    /// When the bid (its latest revision) was submitted.
    pub submitted_at: DateTime<Utc>,
    /// The bidder's credit.
    pub credit: BidderCredit,
}

/// One evaluator's marks for one bid, one per criterion in the weights' order (checked with
/// [`check_marks`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluatorMarks {
    /// The evaluator.
    pub evaluator_id: String,
    /// The bid marked.
    pub bid_id: String,
    /// The marks.
    pub marks: Vec<u32>,
}

/// Where the credit score of a row comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum CreditBasis {
    /// The bidder's own credit total.
    Rated,
    /// The neutral score, because the bidder has insufficient data.
    NeutralForInsufficientData,
}

/// One row of the sheet. Scores are points rounded to 2 decimals for display.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SheetRow {
    /// The bid.
    pub bid_id: String,
    /// The bidder's name.
    pub bidder_name: String,
    /// Its price in fen.
    pub price_fen: i64,
    /// Its duration in days.
    pub duration_days: u32,
    /// When it was submitted.
    pub submitted_at: DateTime<Utc>,
    /// Price points.
    pub price_score: f64,
    /// Duration points.
    pub duration_score: f64,
    /// Credit points.
    pub credit_score: f64,
    /// Where the credit points come from.
    pub credit_basis: CreditBasis,
    /// Technical points, once every evaluator has marked every bid.
    pub technical_score: Option<f64>,
    /// Total points, once complete.
    pub total: Option<f64>,
    /// Rank (1 = best), once complete.
    pub rank: Option<u32>,
}

/// Whether the sheet is complete.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum SheetStatus {
    /// Totals and ranks are final.
    Complete,
    /// These evaluators have not marked every valid bid yet.
    AwaitingMarks {
        /// The evaluators missing, in the order they were named.
        missing_evaluators: Vec<String>,
    },
    /// The technical criterion has points but no evaluator is named.
    NoEvaluators,
}

/// The scoring sheet: rows in rank order when complete, in submission order otherwise.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoringSheet {
    /// Whether totals and ranks are available.
    pub status: SheetStatus,
    /// One row per valid bid.
    pub rows: Vec<SheetRow>,
}

/// Why the sheet cannot be computed from stored data (the API's inputs are inconsistent).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScoringError {
    /// A bid with a price or duration that is not positive.
    #[error("bid {0} has no positive price and duration")]
    InvalidOffer(String),
    /// Marks for a bid that is not on the sheet.
    #[error("marks were given for bid {0}, which is not a valid bid")]
    UnknownBid(String),
    /// Marks from someone who is not a named evaluator.
    #[error("{0} is not a named evaluator")]
    UnknownEvaluator(String),
    /// Marks of the wrong count or above a criterion's maximum.
    #[error("the marks of {evaluator_id} for bid {bid_id} do not fit the criteria")]
    InvalidMarks {
        /// The evaluator.
        evaluator_id: String,
        /// The bid.
        bid_id: String,
    },
    /// Two sets of marks from one evaluator for one bid.
    #[error("{evaluator_id} marked bid {bid_id} twice")]
    DuplicateMarks {
        /// The evaluator.
        evaluator_id: String,
        /// The bid.
        bid_id: String,
    },
}

/// Checks one evaluator's marks for one bid: one mark per criterion (`marks` `required` when
/// fewer, `too_many` when more), each within 0 to the criterion's maximum (`marks[i]`
/// `out_of_range`).
///
/// # Errors
/// Every field issue.
pub fn check_marks(weights: &EvaluationWeights, marks: &[i64]) -> Result<Vec<u32>, Invalid> {
    let mut checks = Checks::default();
    match marks.len().cmp(&weights.criteria.len()) {
        Ordering::Less => checks.issue("marks", "required"),
        Ordering::Greater => checks.issue("marks", "too_many"),
        Ordering::Equal => {}
    }
    for (i, (mark, criterion)) in marks.iter().zip(&weights.criteria).enumerate() {
        checks.within(&format!("marks[{i}]"), *mark, 0..=i64::from(criterion.max_mark));
    }
    let valid = marks.iter().map(|mark| u32::try_from(*mark).unwrap_or(0)).collect();
    checks.done(valid)
}

/// Rounds to the 2 decimals scores are shown with.
#[must_use]
pub fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

struct Exact {
    row: SheetRow,
    technical: Option<f64>,
    total: f64,
}

/// The technical fraction (0–1) each bid earned from each evaluator, or who is missing.
fn technical_fractions(
    weights: &EvaluationWeights,
    bids: &[ScoringBid],
    evaluators: &[String],
    marks: &[EvaluatorMarks],
) -> Result<Result<Vec<f64>, SheetStatus>, ScoringError> {
    let max_total = f64::from(weights.max_marks_total().max(1));
    let mut sums: Vec<Vec<Option<u32>>> = vec![vec![None; bids.len()]; evaluators.len()];
    for entry in marks {
        let bid = bids.iter().position(|bid| bid.bid_id == entry.bid_id);
        let bid = bid.ok_or_else(|| ScoringError::UnknownBid(entry.bid_id.clone()))?;
        let evaluator = evaluators.iter().position(|id| *id == entry.evaluator_id);
        let evaluator =
            evaluator.ok_or_else(|| ScoringError::UnknownEvaluator(entry.evaluator_id.clone()))?;
        let fits = entry.marks.len() == weights.criteria.len()
            && entry.marks.iter().zip(&weights.criteria).all(|(mark, criterion)| *mark <= criterion.max_mark);
        let ids = || (entry.evaluator_id.clone(), entry.bid_id.clone());
        if !fits {
            let (evaluator_id, bid_id) = ids();
            return Err(ScoringError::InvalidMarks { evaluator_id, bid_id });
        }
        let cell = &mut sums[evaluator][bid];
        if cell.is_some() {
            let (evaluator_id, bid_id) = ids();
            return Err(ScoringError::DuplicateMarks { evaluator_id, bid_id });
        }
        *cell = Some(entry.marks.iter().sum());
    }
    if weights.technical == 0 {
        return Ok(Ok(vec![0.0; bids.len()]));
    }
    if evaluators.is_empty() {
        return Ok(Err(SheetStatus::NoEvaluators));
    }
    let missing: Vec<String> = evaluators
        .iter()
        .zip(&sums)
        .filter(|(_, row)| row.iter().any(Option::is_none))
        .map(|(id, _)| id.clone())
        .collect();
    if !missing.is_empty() {
        return Ok(Err(SheetStatus::AwaitingMarks { missing_evaluators: missing }));
    }
    let count = f64::from(u32::try_from(evaluators.len()).unwrap_or(u32::MAX));
    let fractions = (0..bids.len())
        .map(|bid| sums.iter().map(|row| f64::from(row[bid].unwrap_or(0)) / max_total).sum::<f64>() / count)
        .collect();
    Ok(Ok(fractions))
}

/// Computes the scoring sheet of `bids` (the valid bids) under `weights`, with the technical
/// marks given so far by the named `evaluators`; `config` gives the neutral credit score.
///
/// # Errors
/// A [`ScoringError`] when the stored inputs are inconsistent: a bid without a positive price
/// and duration, marks for an unknown bid or from an unknown evaluator, marks that do not fit
/// the criteria, or two sets of marks from one evaluator for one bid.
pub fn scoring_sheet(
    weights: &EvaluationWeights,
    bids: &[ScoringBid],
    evaluators: &[String],
    marks: &[EvaluatorMarks],
    config: &MatchingConfig,
) -> Result<ScoringSheet, ScoringError> {
    if let Some(bid) = bids.iter().find(|bid| bid.price_fen <= 0 || bid.duration_days == 0) {
        return Err(ScoringError::InvalidOffer(bid.bid_id.clone()));
    }
    let technical = technical_fractions(weights, bids, evaluators, marks)?;
    // Prices below 2^53 fen (¥90 trillion) convert exactly.
    let price = |fen: i64| fen as f64;
    let lowest = bids.iter().map(|bid| bid.price_fen).min().map_or(1.0, price);
    let shortest = f64::from(bids.iter().map(|bid| bid.duration_days).min().unwrap_or(1));
    let mut exact: Vec<Exact> = bids
        .iter()
        .enumerate()
        .map(|(i, bid)| {
            let price_score = lowest / price(bid.price_fen) * f64::from(weights.price);
            let duration_score = shortest / f64::from(bid.duration_days) * f64::from(weights.duration);
            let (credit_total, credit_basis) = match bid.credit {
                BidderCredit::Rated { total } => (total, CreditBasis::Rated),
                BidderCredit::InsufficientData => {
                    (config.neutral_credit_score, CreditBasis::NeutralForInsufficientData)
                }
            };
            let credit_total = if credit_total.is_finite() { credit_total.clamp(0.0, 100.0) } else { 0.0 };
            let credit_score = credit_total / 100.0 * f64::from(weights.credit);
            let technical_score =
                technical.as_ref().ok().map(|fractions| fractions[i] * f64::from(weights.technical));
            Exact {
                total: price_score + duration_score + credit_score + technical_score.unwrap_or(0.0),
                technical: technical_score,
                row: SheetRow {
                    bid_id: bid.bid_id.clone(),
                    bidder_name: bid.bidder_name.clone(),
                    price_fen: bid.price_fen,
                    duration_days: bid.duration_days,
                    submitted_at: bid.submitted_at,
                    price_score: round2(price_score),
                    duration_score: round2(duration_score),
                    credit_score: round2(credit_score),
                    credit_basis,
                    technical_score: None,
                    total: None,
                    rank: None,
                },
            }
        })
        .collect();
    let by_submission = |a: &Exact, b: &Exact| {
        a.row.submitted_at.cmp(&b.row.submitted_at).then_with(|| a.row.bid_id.cmp(&b.row.bid_id))
    };
    let status = match technical {
        Ok(_) => {
            exact.sort_by(|a, b| {
                b.total
                    .total_cmp(&a.total)
                    .then(a.row.price_fen.cmp(&b.row.price_fen))
                    .then_with(|| by_submission(a, b))
            });
            for (rank, entry) in (1_u32..).zip(exact.iter_mut()) {
                entry.row.technical_score = entry.technical.map(round2);
                entry.row.total = Some(round2(entry.total));
                entry.row.rank = Some(rank);
            }
            SheetStatus::Complete
        }
        Err(status) => {
            exact.sort_by(by_submission);
            status
        }
    };
    Ok(ScoringSheet { status, rows: exact.into_iter().map(|entry| entry.row).collect() })
}

/// The poster's award choice, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwardChoice {
    /// The bid chosen.
    pub bid_id: String,
    /// Its rank on the sheet.
    pub rank: u32,
    /// Whether it is the best-ranked bid still awardable.
    pub best_ranked: bool,
    /// The poster's reason (trimmed), required when the bid is not the best ranked.
    pub reason: Option<String>,
}

/// Checks the poster's choice of `chosen_bid_id` on a complete `sheet`. A reason of 2–500
/// characters (trimmed) is required when the chosen bid is not the best-ranked bid still
/// awardable: bids in `lapsed_bid_ids` (whose award lapsed) are skipped, so awarding the next
/// bid after a lapse needs no reason. A given reason is kept (and checked) in every case.
///
/// # Errors
/// [`TenderRefusal::SheetIncomplete`], [`TenderRefusal::BidNotOnSheet`],
/// [`TenderRefusal::BidNotAwardable`] (a lapsed bid), or [`TenderRefusal::AwardReason`] with
/// `required`, `too_short` or `too_long`.
pub fn award_check(
    sheet: &ScoringSheet,
    chosen_bid_id: &str,
    reason: Option<&str>,
    lapsed_bid_ids: &[&str],
) -> Result<AwardChoice, TenderRefusal> {
    if sheet.status != SheetStatus::Complete {
        return Err(TenderRefusal::SheetIncomplete);
    }
    let row =
        sheet.rows.iter().find(|row| row.bid_id == chosen_bid_id).ok_or(TenderRefusal::BidNotOnSheet)?;
    if lapsed_bid_ids.contains(&chosen_bid_id) {
        return Err(TenderRefusal::BidNotAwardable);
    }
    let best = sheet
        .rows
        .iter()
        .filter(|row| !lapsed_bid_ids.contains(&row.bid_id.as_str()))
        .min_by_key(|row| row.rank);
    let best_ranked = best.is_some_and(|best| best.bid_id == chosen_bid_id);
    let reason = reason.map(str::trim).filter(|text| !text.is_empty());
    let chars = reason.map_or(0, |text| text.chars().count());
    match reason {
        None if !best_ranked => return Err(TenderRefusal::AwardReason("required")),
        Some(_) if chars < *AWARD_REASON_CHARS.start() => {
            return Err(TenderRefusal::AwardReason("too_short"));
        }
        Some(_) if chars > *AWARD_REASON_CHARS.end() => return Err(TenderRefusal::AwardReason("too_long")),
        _ => {}
    }
    Ok(AwardChoice {
        bid_id: chosen_bid_id.to_owned(),
        rank: row.rank.unwrap_or(0),
        best_ranked,
        reason: reason.map(str::to_owned),
    })
}

/// Formats fen as a plain yuan number with 2 decimals for the CSV, e.g. `123456` → `1234.56`
/// (`comparison::yuan` is the display form with the ¥ sign).
#[must_use]
pub fn plain_yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// One CSV field: quoted when it holds a comma, quote, CR or LF (quotes doubled, RFC 4180);
/// text starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` so spreadsheets do not
/// run it as a formula.
fn csv_field(text: &str) -> String {
    let text =
        if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() };
    if text.contains([',', '"', '\r', '\n']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}

/// The sheet as CSV (RFC 4180, CRLF line ends, UTF-8 with a byte-order mark so spreadsheet
/// programs read the Chinese text): a header row in `language`, then one row per bid in the
/// sheet's order with rank, bidder name, price in yuan (2 decimals), duration in days, price,
/// duration, credit and technical scores, total (2 decimals), and the credit basis (`rated` or
/// `neutral`). Rank, technical score and total are empty while the sheet is incomplete.
#[must_use]
pub fn sheet_csv(sheet: &ScoringSheet, language: Language) -> String {
    let header: [&str; 10] = match language {
        Language::ZhCn => [
            "排名",
            "投标人",
            "报价(元)",
            "工期(天)",
            "价格得分",
            "工期得分",
            "信用得分",
            "技术得分",
            "总分",
            "信用依据",
        ],
        Language::En => [
            "Rank",
            "Bidder",
            "Price (yuan)",
            "Duration (days)",
            "Price score",
            "Duration score",
            "Credit score",
            "Technical score",
            "Total",
            "Credit basis",
        ],
    };
    let mut out = String::from("\u{feff}");
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    let score = |value: Option<f64>| value.map(|value| format!("{value:.2}")).unwrap_or_default();
    for row in &sheet.rows {
        let basis = match row.credit_basis {
            CreditBasis::Rated => "rated",
            CreditBasis::NeutralForInsufficientData => "neutral",
        };
        let fields = [
            row.rank.map(|rank| rank.to_string()).unwrap_or_default(),
            csv_field(&row.bidder_name),
            plain_yuan(row.price_fen),
            row.duration_days.to_string(),
            score(Some(row.price_score)),
            score(Some(row.duration_score)),
            score(Some(row.credit_score)),
            score(row.technical_score),
            score(row.total),
            basis.to_owned(),
        ];
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}
