-- The durable job table (timers and periodic work run once across server processes) and the
-- test clock's offset (read only by builds with the `test-clock` feature).
CREATE TABLE jobs (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    -- Periodic jobs hold their kind here: one row each, rescheduled after every run.
    dedupe_key TEXT UNIQUE,
    status TEXT NOT NULL,
    run_at TIMESTAMP NOT NULL,
    attempts BIGINT NOT NULL,
    last_error TEXT,
    locked_by TEXT,
    locked_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX jobs_due ON jobs(status, run_at);

CREATE TABLE test_clock (
    id INTEGER PRIMARY KEY NOT NULL,
    offset_micros BIGINT NOT NULL
);
