//! The one source of time. Every handler, job and background task reads the time from the app's
//! [`Clock`] — through [`crate::db::now`], which reads the clock of the task it runs in — never
//! from `Utc::now()` directly.
//!
//! Production uses the system clock. A build with the `test-clock` feature (the integration
//! tests enable it; release builds lack it) adds a settable offset: tests move time forward
//! through `POST /api/v1/test/clock` (compiled in only with the feature, and absent from the
//! served spec of a release build). The offset lives in the database (`test_clock`), so every
//! server process of a test sees the same time; each process re-reads it every 100 ms.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, NaiveDateTime, Timelike, Utc};

/// The app's clock (cheap to clone; clones share the offset).
#[derive(Clone, Default)]
pub struct Clock {
    /// Microseconds added to the system time (always 0 without `test-clock`).
    offset_micros: Arc<AtomicI64>,
}

tokio::task_local! {
    /// The clock of the app whose request or background task is running.
    pub static CLOCK: Clock;
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self::default()
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + chrono::Duration::microseconds(self.offset_micros.load(Ordering::Relaxed))
    }

    /// The current instant as stored in the database: UTC, microsecond precision (what both
    /// backends keep), so a value read back equals the value written.
    pub fn naive(&self) -> NaiveDateTime {
        let now = self.now().naive_utc();
        now.with_nanosecond(now.nanosecond() / 1_000 * 1_000).unwrap_or(now)
    }

    /// The offset from the system clock, in microseconds.
    pub fn offset_micros(&self) -> i64 {
        self.offset_micros.load(Ordering::Relaxed)
    }

    /// Moves the offset forward to `micros` (test clock only). Never backwards: the test clock
    /// only advances, and the follower's read of the stored offset may land after a newer
    /// advance was applied here — storing it would set the clock back until the next read.
    #[cfg(feature = "test-clock")]
    pub fn advance_offset_to(&self, micros: i64) {
        self.offset_micros.fetch_max(micros, Ordering::Relaxed);
    }

    /// `f` with this clock as the task's clock.
    pub fn scope<F: std::future::Future>(self, f: F) -> tokio::task::futures::TaskLocalFuture<Clock, F> {
        CLOCK.scope(self, f)
    }
}

/// The clock of the running task; the system clock outside any app (CLI commands).
pub fn current() -> Clock {
    CLOCK.try_with(Clone::clone).unwrap_or_default()
}

/// The test clock's persistence and its HTTP control (feature `test-clock` only).
#[cfg(feature = "test-clock")]
pub mod test_clock {
    use diesel::prelude::*;

    use super::Clock;
    use crate::db::schema::test_clock;
    use crate::db::{Db, DbConn, write_tx};
    use crate::error::ApiError;
    use crate::state::AppState;

    /// The stored offset (0 when never moved).
    pub fn load(conn: &mut DbConn) -> QueryResult<i64> {
        Ok(test_clock::table.find(1).select(test_clock::offset_micros).first(conn).optional()?.unwrap_or(0))
    }

    /// Stores a new offset.
    pub fn store(conn: &mut DbConn, micros: i64) -> QueryResult<()> {
        let updated = diesel::update(test_clock::table.find(1))
            .set(test_clock::offset_micros.eq(micros))
            .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(test_clock::table)
                .values((test_clock::id.eq(1), test_clock::offset_micros.eq(micros)))
                .execute(conn)?;
        }
        Ok(())
    }

    /// Keeps `clock` in step with the stored offset that other processes may move.
    pub fn spawn_follower(db: Db, clock: Clock) {
        tokio::spawn(async move {
            loop {
                let read = db.run(|c| load(c).map_err(crate::db::DbError::from)).await;
                if let Ok(micros) = read {
                    clock.advance_offset_to(micros);
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        });
    }

    /// How far to move the clock.
    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct ClockAdvance {
        /// Seconds to move forward (1 second to 3 years).
        pub seconds: i64,
    }

    /// `POST /api/v1/test/clock {"seconds": n}`: moves the server's clock forward (test builds
    /// only; not part of the API's spec) and runs the jobs that fall due at once. Answers the
    /// new time and offset.
    #[poem::handler]
    pub async fn advance(
        state: poem::web::Data<&AppState>,
        body: poem::web::Json<ClockAdvance>,
    ) -> Result<poem::web::Json<serde_json::Value>, ApiError> {
        if !(1..=94_608_000).contains(&body.seconds) {
            return Err(ApiError::field("seconds", "out_of_range", "seconds must be 1 to 94608000"));
        }
        let by = body.seconds * 1_000_000;
        let micros = state
            .db
            .run(move |c| {
                write_tx(c, |c| {
                    let micros = load(c)?.saturating_add(by);
                    store(c, micros)?;
                    Ok::<_, ApiError>(micros)
                })
            })
            .await?;
        state.clock.advance_offset_to(micros);
        state.jobs.wake();
        Ok(poem::web::Json(serde_json::json!({
            "now": state.clock.now(),
            "offset_seconds": micros / 1_000_000,
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_time_has_microsecond_precision() {
        let t = Clock::system().naive();
        assert_eq!(t.nanosecond() % 1_000, 0);
    }

    #[tokio::test]
    async fn the_task_clock_is_the_scoped_one() {
        let clock = Clock::system();
        clock.offset_micros.store(3_600_000_000, Ordering::Relaxed);
        let inside = clock.clone().scope(async { current().now() }).await;
        assert!(inside - Utc::now() > chrono::Duration::minutes(59));
        assert!(current().now() - Utc::now() < chrono::Duration::seconds(5));
    }

    #[cfg(feature = "test-clock")]
    #[test]
    fn a_stale_read_of_the_stored_offset_never_sets_the_test_clock_back() {
        let clock = Clock::system();
        clock.advance_offset_to(3_600_000_000);
        // The follower read 0 before the advance committed, and applies it after.
        clock.advance_offset_to(0);
        assert_eq!(clock.offset_micros(), 3_600_000_000);
    }
}
