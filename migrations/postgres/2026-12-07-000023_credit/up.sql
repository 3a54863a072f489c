-- Credit (五维一体信用评价): one assessment per organisation per month (Asia/Shanghai),
-- upserted by the monthly run and by event recomputes; every indicator is kept in
-- `dimensions` (JSON: the five dimensions with their indicators, observations and scores).
CREATE TABLE credit_assessments (
    org_id TEXT NOT NULL REFERENCES organisations(id),
    month TEXT NOT NULL,
    -- The computed grade (aaa … c); NULL while data is insufficient.
    computed_grade TEXT,
    total DOUBLE PRECISION NOT NULL,
    performance DOUBLE PRECISION NOT NULL,
    transaction_history DOUBLE PRECISION NOT NULL,
    reputation DOUBLE PRECISION NOT NULL,
    qualification DOUBLE PRECISION NOT NULL,
    social_responsibility DOUBLE PRECISION NOT NULL,
    dimensions TEXT NOT NULL,
    payment_mean_days DOUBLE PRECISION,
    -- The override in force when it was computed, if any.
    override_id TEXT,
    override_grade TEXT,
    triggered_by TEXT NOT NULL,
    computed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, month)
);

-- Social-responsibility findings entered by reviewers with their source; the newest of each
-- kind counts.
CREATE TABLE credit_findings (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL,
    value INTEGER NOT NULL,
    source TEXT NOT NULL,
    document_sha256 TEXT REFERENCES files(sha256),
    entered_by TEXT NOT NULL REFERENCES users(id),
    entered_at TIMESTAMP NOT NULL
);
CREATE INDEX credit_findings_org ON credit_findings(org_id, kind, entered_at);

-- Grade overrides (人工复核), each applied by an approved dual-control request and lifted by
-- another; at most one in force per organisation.
CREATE TABLE credit_overrides (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    grade TEXT NOT NULL,
    reason TEXT NOT NULL,
    request_id TEXT NOT NULL REFERENCES dual_control_requests(id),
    requested_by TEXT NOT NULL REFERENCES users(id),
    approved_by TEXT NOT NULL REFERENCES users(id),
    applied_at TIMESTAMP NOT NULL,
    lift_request_id TEXT REFERENCES dual_control_requests(id),
    lifted_at TIMESTAMP
);
CREATE UNIQUE INDEX credit_overrides_one_active ON credit_overrides(org_id) WHERE lifted_at IS NULL;

-- The grade a credit override request asks for.
ALTER TABLE dual_control_requests ADD COLUMN credit_grade TEXT;
