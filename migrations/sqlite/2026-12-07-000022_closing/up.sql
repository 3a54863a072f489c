-- A contract's closing: written at the last acceptance (the bond returned, the warranty
-- started), then when the retention is released and when the contract completes.
CREATE TABLE contract_closings (
    contract_id TEXT PRIMARY KEY NOT NULL REFERENCES contracts(id),
    last_accepted_on DATE NOT NULL,
    warranty_ends_on DATE NOT NULL,
    retention_released_at TIMESTAMP,
    completed_at TIMESTAMP
);

-- Defect claims the payer raises during the warranty; an open one holds the retention.
CREATE TABLE defect_claims (
    id TEXT PRIMARY KEY NOT NULL,
    contract_id TEXT NOT NULL REFERENCES contracts(id),
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    raised_by TEXT NOT NULL REFERENCES users(id),
    raised_at TIMESTAMP NOT NULL,
    closed_by TEXT REFERENCES users(id),
    closed_at TIMESTAMP,
    close_note TEXT
);
CREATE INDEX defect_claims_contract ON defect_claims(contract_id, status);

-- Risk cases: accepted milestones unpaid for more than 15 days froze the payer's escrow on the
-- contract. At most one open case per contract.
CREATE TABLE risk_cases (
    id TEXT PRIMARY KEY NOT NULL,
    contract_id TEXT NOT NULL REFERENCES contracts(id),
    org_id TEXT NOT NULL REFERENCES organisations(id),
    -- JSON list of the overdue milestones when it opened.
    milestones TEXT NOT NULL,
    owed_fen BIGINT NOT NULL,
    status TEXT NOT NULL,
    opened_at TIMESTAMP NOT NULL,
    cleared_at TIMESTAMP
);
CREATE INDEX risk_cases_status ON risk_cases(status, opened_at);
CREATE INDEX risk_cases_org ON risk_cases(org_id, status);
CREATE UNIQUE INDEX risk_cases_one_open ON risk_cases(contract_id) WHERE status = 'open';

-- The ratings both parties give each other after completion, one per party.
CREATE TABLE contract_ratings (
    contract_id TEXT NOT NULL REFERENCES contracts(id),
    rater_org_id TEXT NOT NULL REFERENCES organisations(id),
    ratee_org_id TEXT NOT NULL REFERENCES organisations(id),
    quality INTEGER NOT NULL,
    timeliness INTEGER NOT NULL,
    communication INTEGER NOT NULL,
    payment INTEGER NOT NULL,
    comment TEXT,
    rated_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (contract_id, rater_org_id)
);
CREATE INDEX contract_ratings_ratee ON contract_ratings(ratee_org_id, created_at);
