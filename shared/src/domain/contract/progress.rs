//! Progress logs (进度跟踪): the performer posts what was done (date, work, percent complete,
//! photos, issues); the payer approves or requests changes with a comment; the supervisor reads.
//!
//! ```text
//!  (performer posts) ──▶ Submitted ──payer approves──────────▶ Approved
//!                            └──payer requests changes (comment)──▶ ChangesRequested
//!  ChangesRequested ──performer posts a revision (`revises`)──▶ a new Submitted log
//! ```
//!
//! The schedule ([`Schedule`]) is the plan's expected percent complete by date: 0 % on the start
//! date, then at each payment milestone's planned date the share of the work value (milestones
//! 1…n; the advance is money, not work) done by then, straight lines in between, 100 % after the
//! last. [`warnings`] says which of the three risk warnings (PRODUCT §4) hold on a business date;
//! each carries a key so a job tells the parties once per condition and period.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::document::PartyRole;
use super::lifecycle::ContractState;
use super::milestones::PaymentPlan;

crate::stored_enum! {
    /// Where a progress log stands.
    pub enum ProgressState in "progress_logs.status" {
        /// Posted; waiting for the payer's review.
        Submitted = "submitted",
        /// The payer approved it.
        Approved = "approved",
        /// The payer asked for changes (with a comment); the performer may post a revision.
        ChangesRequested = "changes_requested",
    }
}

/// The payer's review of a log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum ProgressDecision {
    /// The log is right.
    Approve,
    /// The log needs changes (the comment says which).
    RequestChanges,
}

/// Why a progress step is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProgressRefusal {
    /// Logs are posted only on a contract in force.
    #[error("progress is logged only on a contract in force")]
    NotEffective,
    /// Only the performer posts.
    #[error("the performer posts progress logs")]
    NotThePerformer,
    /// Only the payer reviews.
    #[error("the payer reviews progress logs")]
    NotThePayer,
    /// Reviewed already.
    #[error("this progress log was reviewed already")]
    AlreadyReviewed,
    /// A revision replaces a log whose changes were requested.
    #[error("only a log whose changes were requested may be revised")]
    NotChangesRequested,
    /// That log has a revision already.
    #[error("this log was revised already")]
    AlreadyRevised,
}

impl ProgressRefusal {
    /// The `details` field.
    #[must_use]
    pub const fn field(&self) -> &'static str {
        match self {
            Self::NotChangesRequested | Self::AlreadyRevised => "revises",
            _ => "progress",
        }
    }

    /// The `details` issue.
    #[must_use]
    pub const fn issue(&self) -> &'static str {
        match self {
            Self::NotEffective => "not_effective",
            Self::NotThePerformer | Self::NotThePayer => "not_your_part",
            Self::AlreadyReviewed => "already_reviewed",
            Self::NotChangesRequested => "not_changes_requested",
            Self::AlreadyRevised => "already_revised",
        }
    }

    /// Whether the caller may not do this at all (403); the rest are conflicts (409).
    #[must_use]
    pub const fn is_forbidden(&self) -> bool {
        matches!(self, Self::NotThePerformer | Self::NotThePayer)
    }
}

/// The log a new one revises: its state and whether it has a revision already.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Revised {
    /// Where it stands.
    pub state: ProgressState,
    /// Whether another log revises it already.
    pub revised: bool,
}

/// Whether `role` may post a log on a contract in `state` (revising `revises`, if any).
///
/// # Errors
/// `NotThePerformer` (the payer or supervisor), `NotEffective`, `NotChangesRequested`,
/// `AlreadyRevised`.
pub fn may_post(
    state: ContractState,
    role: PartyRole,
    revises: Option<Revised>,
) -> Result<(), ProgressRefusal> {
    if role != PartyRole::Performer {
        return Err(ProgressRefusal::NotThePerformer);
    }
    if state != ContractState::Effective {
        return Err(ProgressRefusal::NotEffective);
    }
    match revises {
        Some(r) if r.state != ProgressState::ChangesRequested => Err(ProgressRefusal::NotChangesRequested),
        Some(r) if r.revised => Err(ProgressRefusal::AlreadyRevised),
        _ => Ok(()),
    }
}

/// The payer's review of a log in `state`: the state after it.
///
/// # Errors
/// `NotThePayer` (the performer or supervisor), `AlreadyReviewed`.
pub fn review(
    state: ProgressState,
    role: PartyRole,
    decision: ProgressDecision,
) -> Result<ProgressState, ProgressRefusal> {
    if role != PartyRole::Payer {
        return Err(ProgressRefusal::NotThePayer);
    }
    if state != ProgressState::Submitted {
        return Err(ProgressRefusal::AlreadyReviewed);
    }
    Ok(match decision {
        ProgressDecision::Approve => ProgressState::Approved,
        ProgressDecision::RequestChanges => ProgressState::ChangesRequested,
    })
}

/// Whether a log dated `date` may be posted on `today` for a contract starting on `start`:
/// the issue for `date` (`in_the_future`, `before_start`), if any.
#[must_use]
pub fn date_issue(date: NaiveDate, today: NaiveDate, start: NaiveDate) -> Option<&'static str> {
    if date > today {
        Some("in_the_future")
    } else if date < start {
        Some("before_start")
    } else {
        None
    }
}

/// Basis points of the whole work.
const FULL_BP: i64 = 10_000;

/// The plan's expected progress by date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    /// The start date (0 %).
    pub start: NaiveDate,
    /// Each payment milestone: its index, planned date and the cumulative share of the work
    /// (basis points) planned done by then; the last is 10000.
    pub points: Vec<(u32, NaiveDate, i64)>,
}

impl Schedule {
    /// The schedule of a plan starting on `start`.
    #[must_use]
    pub fn of(plan: &PaymentPlan, start: NaiveDate) -> Self {
        let work: Vec<_> = plan.milestones.iter().filter(|m| m.index > 0).collect();
        let total: i64 = work.iter().map(|m| m.amount_fen.max(0)).sum();
        let mut done = 0_i64;
        let points = work
            .iter()
            .enumerate()
            .map(|(i, m)| {
                done += m.amount_fen.max(0);
                let bp = if i + 1 == work.len() || total == 0 {
                    FULL_BP
                } else {
                    i64::try_from(i128::from(done) * i128::from(FULL_BP) / i128::from(total))
                        .unwrap_or(FULL_BP)
                };
                (m.index, m.planned_date, bp)
            })
            .collect();
        Self { start, points }
    }

    /// The percent complete (basis points) the plan expects on `date`.
    #[must_use]
    pub fn expected_bp(&self, date: NaiveDate) -> i64 {
        let (mut from, mut from_bp) = (self.start, 0);
        if date <= from {
            return 0;
        }
        for &(_, to, to_bp) in &self.points {
            if date < to {
                let span = (to - from).num_days();
                let into = (date - from).num_days();
                return if span <= 0 { to_bp } else { from_bp + (to_bp - from_bp) * into / span };
            }
            (from, from_bp) = (to, to_bp);
        }
        FULL_BP
    }

    /// The first date on which the plan expects `bp` done.
    #[must_use]
    pub fn date_for(&self, bp: i64) -> NaiveDate {
        let (mut from, mut from_bp) = (self.start, 0);
        if bp <= 0 {
            return from;
        }
        for &(_, to, to_bp) in &self.points {
            if to_bp >= bp {
                let span = (to - from).num_days();
                let rise = to_bp - from_bp;
                if rise <= 0 || span <= 0 {
                    return to;
                }
                // Rounded up: the first whole day on which the plan reaches `bp`.
                let days = ((bp - from_bp) * span + rise - 1) / rise;
                return from + chrono::Duration::days(days);
            }
            (from, from_bp) = (to, to_bp);
        }
        from
    }

    /// How many days behind the plan `percent` complete is on `today` (0 when on time or ahead).
    #[must_use]
    pub fn slip_days(&self, percent: u8, today: NaiveDate) -> i64 {
        if percent >= 100 {
            return 0;
        }
        (today - self.date_for(i64::from(percent) * 100)).num_days().max(0)
    }
}

/// Days without a log before the parties are warned.
pub const SILENCE_DAYS: i64 = 7;
/// A slip beyond this many days warns.
pub const SLIP_DAYS: i64 = 7;
/// A milestone due within this many days (inclusive) while behind warns.
pub const DUE_SOON_DAYS: std::ops::RangeInclusive<i64> = 3..=5;

/// What the warning check needs to know about a contract on a business date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Watch {
    /// The business date (Asia/Shanghai) of the check.
    pub today: NaiveDate,
    /// The business date the contract took effect.
    pub effective_on: NaiveDate,
    /// The date of the latest log (any state), if any.
    pub last_log: Option<NaiveDate>,
    /// The percent of the latest log whose changes were not requested (0 without one).
    pub percent: u8,
    /// The milestones accepted already.
    pub accepted: Vec<u32>,
}

/// A risk warning that holds on a date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    /// No log for `days` (≥ 7) days since `since` (the last log, or the start).
    NoLog {
        /// The last log's date, or when work started.
        since: NaiveDate,
        /// Days of silence.
        days: i64,
    },
    /// The reported percent is `days` (> 7) days behind the plan.
    Slip {
        /// Days behind.
        days: i64,
        /// Reported percent.
        percent: u8,
        /// What the plan expects today, percent.
        expected_percent: u8,
    },
    /// A milestone due in 3–5 days whose share of the work is not reported done.
    MilestoneBehind {
        /// The milestone.
        milestone: u32,
        /// Its planned date.
        due: NaiveDate,
        /// Days until then.
        days: i64,
        /// Reported percent.
        percent: u8,
        /// What the plan expects by the milestone, percent.
        expected_percent: u8,
    },
}

impl Warning {
    /// What the condition is, stored with the warning (`no_log`, `schedule_slip`,
    /// `milestone_behind`).
    #[must_use]
    pub const fn condition(&self) -> &'static str {
        match self {
            Self::NoLog { .. } => "no_log",
            Self::Slip { .. } => "schedule_slip",
            Self::MilestoneBehind { .. } => "milestone_behind",
        }
    }

    /// The period a warning belongs to: one warning per contract, condition and period. Silence
    /// warns once per full week of it (7, 14, … days since the same log); a slip once per ISO
    /// week while it lasts; a milestone once.
    #[must_use]
    pub fn period(&self, today: NaiveDate) -> String {
        match self {
            Self::NoLog { since, days } => format!("{since}+{}w", days / SILENCE_DAYS),
            Self::Slip { .. } => {
                let week = today.iso_week();
                format!("{}-W{:02}", week.year(), week.week())
            }
            Self::MilestoneBehind { milestone, .. } => format!("milestone-{milestone}"),
        }
    }
}

fn percent_of(bp: i64) -> u8 {
    u8::try_from((bp / 100).clamp(0, 100)).unwrap_or(100)
}

/// The warnings that hold for `watch` under `schedule` (none before the start date).
#[must_use]
pub fn warnings(schedule: &Schedule, watch: &Watch) -> Vec<Warning> {
    let today = watch.today;
    let mut found = Vec::new();
    if today < schedule.start || watch.percent >= 100 {
        return found;
    }
    let since = watch.last_log.unwrap_or_else(|| schedule.start.max(watch.effective_on));
    let days = (today - since).num_days();
    if days >= SILENCE_DAYS {
        found.push(Warning::NoLog { since, days });
    }
    let slip = schedule.slip_days(watch.percent, today);
    if slip > SLIP_DAYS {
        let expected_percent = percent_of(schedule.expected_bp(today));
        found.push(Warning::Slip { days: slip, percent: watch.percent, expected_percent });
    }
    for &(milestone, due, bp) in &schedule.points {
        let until = (due - today).num_days();
        let behind = i64::from(watch.percent) * 100 < bp;
        if DUE_SOON_DAYS.contains(&until) && behind && !watch.accepted.contains(&milestone) {
            found.push(Warning::MilestoneBehind {
                milestone,
                due,
                days: until,
                percent: watch.percent,
                expected_percent: percent_of(bp),
            });
        }
    }
    found
}
