//! The durable job runner: timers and periodic work that must happen once across all server
//! processes. Jobs are rows (`db::models::jobs`) with a kind, a JSON payload and a due time;
//! every process runs a runner that claims due jobs with a lease, so with N processes on one
//! PostgreSQL each job runs once. A failed run is retried with exponential backoff (10 s, 20 s,
//! 40 s … at most an hour); after [`MAX_ATTEMPTS`] failures the job is parked and listed for
//! staff (`GET /staff/jobs`), who may retry it.
//!
//! Periodic work is one row per kind (its `dedupe_key` is the kind) that is rescheduled after
//! each run. Work each process must do for itself (refreshing its search catalogue) stays a
//! per-process timer. The runner reads time from the app's clock, so when a test moves the
//! clock the jobs that fell due run at once.

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDateTime;
use tokio::sync::Notify;

use crate::db::models::jobs::JobRow;
use crate::db::{DbConn, new_id, now, write_tx};
use crate::error::ApiError;
use crate::state::AppState;

/// Failed runs before a job is parked.
pub const MAX_ATTEMPTS: i64 = 5;
/// How long a claim holds a job; a process that dies mid-run loses it after this.
pub const LEASE_SECS: i64 = 300;
/// How often an idle runner looks for due jobs (other processes may have added some).
const POLL: Duration = Duration::from_millis(500);

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// Deliver queued SMS / e-mail and scrub one-time codes that can no longer be used
    /// (periodic, every second).
    OutboxDelivery,
    /// Queue renewal reminders for certificates that expire soon (periodic, hourly).
    CertificateReminders,
    /// Warn both parties of contracts in force about missing progress logs, schedule slips and
    /// milestones due soon while behind (periodic, hourly; each warning once per period, see
    /// `routes::progress::service::watch_contract`).
    ProgressWatch,
    /// The escrow rules that run on time (periodic, hourly): freeze the payer's escrow on an
    /// accepted milestone unpaid for more than 15 days (a risk case), clear cases that were
    /// paid, release retention whose warranty ended without an open defect claim.
    EscrowWatch,
    /// Close bidding on a tender at its deadline (one-off, payload `{"tender_id": …}`).
    TenderClose,
    /// Lapse an award whose contract was not signed in 10 business days (one-off, payload
    /// `{"tender_id": …}`).
    AwardLapse,
    /// Compute every organisation's credit of the month (periodic, due the 1st of each month
    /// at 00:30 Asia/Shanghai; batches of `routes::credit::service::BATCH`, each in its own
    /// transaction; a second run in the month writes nothing that did not change).
    CreditMonthly,
    /// Recompute one organisation's credit after an event: a risk case opened or cleared, a
    /// contract completed (one-off, payload `{"org_id": …}`, queued in the event's transaction).
    CreditRecompute,
    /// Re-check every organisation's membership tier (periodic, due the 1st of January, April,
    /// July and October at 01:00 Asia/Shanghai: two quarters without a transaction demote one
    /// tier; see `routes::membership::jobs`).
    MembershipQuarterly,
    /// Fire a dispute's running deadline when it passes (one-off, payload `{"dispute_id": …}`,
    /// queued whenever the deadline moves; a stale one finds nothing due).
    DisputeDeadline,
    /// An arbitration award's shortfall falls overdue when unpaid at the end of its 10th
    /// business day (one-off, payload `{"dispute_id": …}`, queued with the decision).
    AwardDue,
    /// A job for the runner's own tests: succeeds, or fails while its payload says `"fail"`.
    #[cfg(feature = "test-clock")]
    Probe,
}

impl JobKind {
    /// Every kind the runner knows.
    pub const PERIODIC: [JobKind; 6] = [
        JobKind::OutboxDelivery,
        JobKind::CertificateReminders,
        JobKind::ProgressWatch,
        JobKind::EscrowWatch,
        JobKind::CreditMonthly,
        JobKind::MembershipQuarterly,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OutboxDelivery => "outbox_delivery",
            Self::CertificateReminders => "certificate_reminders",
            Self::ProgressWatch => "progress_watch",
            Self::EscrowWatch => "escrow_watch",
            Self::TenderClose => "tender_close",
            Self::AwardLapse => "award_lapse",
            Self::CreditMonthly => "credit_monthly",
            Self::CreditRecompute => "credit_recompute",
            Self::MembershipQuarterly => "membership_quarterly",
            Self::DisputeDeadline => "dispute_deadline",
            Self::AwardDue => "award_due",
            #[cfg(feature = "test-clock")]
            Self::Probe => "probe",
        }
    }

    /// The kind of a stored name.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "outbox_delivery" => Some(Self::OutboxDelivery),
            "certificate_reminders" => Some(Self::CertificateReminders),
            "progress_watch" => Some(Self::ProgressWatch),
            "escrow_watch" => Some(Self::EscrowWatch),
            "tender_close" => Some(Self::TenderClose),
            "award_lapse" => Some(Self::AwardLapse),
            "credit_monthly" => Some(Self::CreditMonthly),
            "credit_recompute" => Some(Self::CreditRecompute),
            "membership_quarterly" => Some(Self::MembershipQuarterly),
            "dispute_deadline" => Some(Self::DisputeDeadline),
            "award_due" => Some(Self::AwardDue),
            #[cfg(feature = "test-clock")]
            "probe" => Some(Self::Probe),
            _ => None,
        }
    }

    /// When a periodic kind runs next after a run (or its row's creation) at `at`; none for
    /// one-off kinds.
    pub fn next_run(self, at: NaiveDateTime) -> Option<NaiveDateTime> {
        match self {
            Self::OutboxDelivery => Some(at + chrono::Duration::seconds(1)),
            Self::CertificateReminders | Self::ProgressWatch | Self::EscrowWatch => {
                Some(at + chrono::Duration::hours(1))
            }
            Self::CreditMonthly => Some(shared::domain::credit::next_monthly_run(at.and_utc()).naive_utc()),
            Self::MembershipQuarterly => {
                Some(shared::domain::membership::next_quarterly_run(at.and_utc()).naive_utc())
            }
            Self::TenderClose
            | Self::AwardLapse
            | Self::CreditRecompute
            | Self::DisputeDeadline
            | Self::AwardDue => None,
            #[cfg(feature = "test-clock")]
            Self::Probe => None,
        }
    }

    /// When a periodic kind's row first falls due, created at `at`: at once, except the
    /// monthly credit run and the quarterly membership review (their next due time).
    fn first_run(self, at: NaiveDateTime) -> NaiveDateTime {
        match self {
            Self::CreditMonthly | Self::MembershipQuarterly => self.next_run(at).unwrap_or(at),
            _ => at,
        }
    }
}

/// The runner's handle in the app state.
#[derive(Clone)]
pub struct Jobs {
    wake: Arc<Notify>,
    /// This process's runner id (the lease owner).
    pub worker: String,
}

impl Default for Jobs {
    fn default() -> Self {
        Self { wake: Arc::new(Notify::new()), worker: new_id() }
    }
}

impl Jobs {
    /// Asks the runner to look for due jobs now (after an enqueue or a clock move).
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}

/// Queues a one-off job due at `run_at`; answers its id.
pub fn enqueue(
    conn: &mut DbConn,
    kind: JobKind,
    payload: &str,
    run_at: NaiveDateTime,
) -> Result<String, ApiError> {
    let id = new_id();
    JobRow {
        id: id.clone(),
        kind: kind.as_str().to_owned(),
        payload: payload.to_owned(),
        dedupe_key: None,
        status: shared::dto::JobStatus::Pending,
        run_at,
        attempts: 0,
        last_error: None,
        locked_by: None,
        locked_until: None,
        created_at: now(),
        finished_at: None,
    }
    .insert(conn)?;
    Ok(id)
}

/// Makes sure each periodic kind has its row (another process may have made it already).
pub fn ensure_periodic(conn: &mut DbConn) -> Result<(), ApiError> {
    for kind in JobKind::PERIODIC {
        if JobRow::by_dedupe_key(conn, kind.as_str())?.is_some() {
            continue;
        }
        let at = now();
        let row = JobRow {
            id: new_id(),
            kind: kind.as_str().to_owned(),
            payload: "{}".to_owned(),
            dedupe_key: Some(kind.as_str().to_owned()),
            status: shared::dto::JobStatus::Pending,
            run_at: kind.first_run(at),
            attempts: 0,
            last_error: None,
            locked_by: None,
            locked_until: None,
            created_at: at,
            finished_at: None,
        };
        match row.insert(conn) {
            Ok(()) => {}
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// The delay before retry number `attempts` (10 s doubling, at most an hour).
pub fn backoff(attempts: i64) -> chrono::Duration {
    let exp = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    chrono::Duration::seconds((10_i64 << exp).min(3600))
}

/// Starts this process's runner.
pub fn spawn_runner(state: AppState) {
    let clock = state.clock.clone();
    tokio::spawn(clock.scope(async move {
        let ready = state.db.run(|c| write_tx(c, ensure_periodic)).await;
        if let Err(e) = ready {
            tracing::warn!("job runner: periodic jobs: {}", e.body().message);
        }
        loop {
            match run_one(&state).await {
                Ok(true) => continue,
                Ok(false) => {}
                Err(e) => tracing::warn!("job runner: {}", e.body().message),
            }
            tokio::select! {
                () = state.jobs.wake.notified() => {}
                () = tokio::time::sleep(POLL) => {}
            }
        }
    }));
}

/// Claims and runs one due job; `false` when none was due.
pub async fn run_one(state: &AppState) -> Result<bool, ApiError> {
    // A cheap read first: most polls find nothing due, and need no write transaction.
    let next = state.db.run(|c| JobRow::next_due(c).map_err(ApiError::from)).await?;
    if next.is_none_or(|due| due > now()) {
        return Ok(false);
    }
    let worker = state.jobs.worker.clone();
    let claimed = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let at = now();
                JobRow::claim_due(c, &worker, at, at + chrono::Duration::seconds(LEASE_SECS))
                    .map_err(ApiError::from)
            })
        })
        .await?;
    let Some(job) = claimed else { return Ok(false) };
    let kind = JobKind::parse(&job.kind);
    let outcome = match kind {
        Some(kind) => execute(state, kind, &job).await,
        None => Err(format!("unknown job kind {:?}", job.kind)),
    };
    let worker = state.jobs.worker.clone();
    state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let at = now();
                match (outcome, kind.and_then(|k| k.next_run(at))) {
                    (Ok(()), Some(next)) => JobRow::reschedule(c, &job.id, &worker, next, at)?,
                    (Ok(()), None) => JobRow::finish(c, &job.id, &worker, at)?,
                    (Err(error), _) => {
                        if job.attempts >= MAX_ATTEMPTS {
                            tracing::error!(job = %job.id, kind = %job.kind, "job parked: {error}");
                        }
                        JobRow::fail(
                            c,
                            &job.id,
                            &worker,
                            &error,
                            at + backoff(job.attempts),
                            job.attempts >= MAX_ATTEMPTS,
                        )?
                    }
                };
                Ok::<_, ApiError>(())
            })
        })
        .await?;
    Ok(true)
}

async fn execute(state: &AppState, kind: JobKind, job: &JobRow) -> Result<(), String> {
    match kind {
        JobKind::TenderClose | JobKind::AwardLapse => {
            let payload: crate::routes::tenders::service::TenderJob =
                serde_json::from_str(&job.payload).map_err(|e| e.to_string())?;
            let calendar = state.calendar.clone();
            state
                .write(move |c, out| {
                    use crate::routes::tenders::service::{close, lapse};
                    if kind == JobKind::TenderClose {
                        close(c, out, &payload.tender_id)
                    } else {
                        let calendar = calendar.current(c)?;
                        lapse(c, out, &payload.tender_id, &calendar)
                    }
                })
                .await
                .map_err(|e| e.body().message.clone())
        }
        JobKind::OutboxDelivery => {
            let db = state.db.clone();
            let sender = state.sender.clone();
            let clock = state.clock.clone();
            tokio::task::spawn_blocking(move || {
                crate::clock::CLOCK.sync_scope(clock, || {
                    crate::outbox::scrub_dead_codes(&db)?;
                    crate::outbox::deliver_pending(&db, sender.as_ref())
                })
            })
            .await
            .map_err(|e| e.to_string())?
            .map(drop)
            .map_err(|e| e.to_string())
        }
        JobKind::CertificateReminders => {
            let today = shared::domain::calendar::shanghai::business_date(state.clock.now());
            let queued = state
                .db
                .run(move |c| {
                    write_tx(c, |c| crate::routes::verification::service::remind_expiring(c, today, now()))
                })
                .await
                .map_err(|e| e.body().message.clone())?;
            if queued > 0 {
                tracing::info!("queued renewal reminders for {queued} certificates");
            }
            Ok(())
        }
        JobKind::ProgressWatch => watch_progress(state).await,
        JobKind::CreditMonthly => {
            crate::routes::credit::jobs::monthly(state).await.map(drop).map_err(|e| e.body().message.clone())
        }
        JobKind::DisputeDeadline => {
            let payload: crate::routes::disputes::service::DeadlineJob =
                serde_json::from_str(&job.payload).map_err(|e| e.to_string())?;
            crate::routes::disputes::jobs::deadline(state, payload.dispute_id)
                .await
                .map_err(|e| e.body().message.clone())
        }
        JobKind::AwardDue => {
            let payload: crate::routes::disputes::award::DueJob =
                serde_json::from_str(&job.payload).map_err(|e| e.to_string())?;
            crate::routes::disputes::award::due(state, payload.dispute_id)
                .await
                .map_err(|e| e.body().message.clone())
        }
        JobKind::MembershipQuarterly => crate::routes::membership::jobs::quarterly(state)
            .await
            .map(drop)
            .map_err(|e| e.body().message.clone()),
        JobKind::CreditRecompute => {
            let payload: crate::routes::credit::jobs::RecomputeJob =
                serde_json::from_str(&job.payload).map_err(|e| e.to_string())?;
            crate::routes::credit::jobs::recompute(state, payload.org_id)
                .await
                .map_err(|e| e.body().message.clone())
        }
        JobKind::EscrowWatch => {
            crate::routes::escrow::closing::watch(state).await.map(drop).map_err(|e| e.body().message.clone())
        }
        #[cfg(feature = "test-clock")]
        JobKind::Probe => {
            if job.payload.contains("\"fail\"") {
                Err("probe asked to fail".to_owned())
            } else {
                Ok(())
            }
        }
    }
}

/// One `progress_watch` run: each contract in force in its own write transaction, so one
/// contract's failure does not hold back the others' warnings (the run is retried).
async fn watch_progress(state: &AppState) -> Result<(), String> {
    use crate::routes::progress::service::{in_force, watch_contract};
    let ids = state.db.run(in_force).await.map_err(|e| e.body().message.clone())?;
    let mut sent = 0;
    let mut failed = None;
    for id in ids {
        let result = state.write(move |c, out| watch_contract(c, out, &id, now())).await;
        match result {
            Ok(n) => sent += n,
            Err(e) => failed = Some(e.body().message.clone()),
        }
    }
    if sent > 0 {
        tracing::info!("sent {sent} progress warnings");
    }
    failed.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_ten_seconds_up_to_an_hour() {
        assert_eq!(backoff(1), chrono::Duration::seconds(10));
        assert_eq!(backoff(2), chrono::Duration::seconds(20));
        assert_eq!(backoff(5), chrono::Duration::seconds(160));
        assert_eq!(backoff(30), chrono::Duration::seconds(3600));
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in JobKind::PERIODIC {
            assert_eq!(JobKind::parse(kind.as_str()), Some(kind));
            assert!(kind.next_run(now()).is_some());
        }
        assert_eq!(JobKind::parse("nonsense"), None);
    }

    #[test]
    fn the_monthly_credit_run_is_first_due_on_the_next_first_of_the_month() {
        let at =
            chrono::NaiveDate::from_ymd_opt(2026, 12, 7).and_then(|d| d.and_hms_opt(9, 0, 0)).expect("time");
        let due = chrono::NaiveDate::from_ymd_opt(2026, 12, 31)
            .and_then(|d| d.and_hms_opt(16, 30, 0))
            .expect("time");
        assert_eq!(JobKind::CreditMonthly.first_run(at), due);
        assert_eq!(JobKind::EscrowWatch.first_run(at), at);
        assert_eq!(JobKind::CreditRecompute.next_run(at), None);
    }
}
