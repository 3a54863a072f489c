-- Progress logs (进度跟踪): the performer's logs with their photos (EXIF capture time and GPS
-- read on attach, shown to the parties and the supervisor only), the payer's review, and the
-- risk warnings already sent (one per contract, kind and period, so reruns and several
-- server processes never tell twice).
CREATE TABLE progress_logs (
    id TEXT PRIMARY KEY NOT NULL,
    contract_id TEXT NOT NULL REFERENCES contracts(id),
    log_date DATE NOT NULL,
    work_done TEXT NOT NULL,
    percent INTEGER NOT NULL,
    issues TEXT,
    status TEXT NOT NULL,
    revises TEXT UNIQUE REFERENCES progress_logs(id),
    posted_by TEXT NOT NULL REFERENCES users(id),
    posted_at TIMESTAMP NOT NULL,
    reviewed_by TEXT REFERENCES users(id),
    reviewed_at TIMESTAMP,
    review_comment TEXT
);
CREATE INDEX progress_logs_contract ON progress_logs(contract_id, id);

CREATE TABLE progress_photos (
    log_id TEXT NOT NULL REFERENCES progress_logs(id),
    ordinal INTEGER NOT NULL,
    sha256 TEXT NOT NULL REFERENCES files(sha256),
    content_type TEXT NOT NULL,
    captured_at TIMESTAMP,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    PRIMARY KEY (log_id, ordinal)
);
CREATE INDEX progress_photos_file ON progress_photos(sha256);

CREATE TABLE progress_warnings (
    contract_id TEXT NOT NULL REFERENCES contracts(id),
    kind TEXT NOT NULL,
    period TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (contract_id, kind, period)
);
