-- The escrow ledger (double entry, integer fen). `ledger_accounts.balance_fen` and
-- `posting_count` are caches written in the same transaction as the postings; `gongzhu
-- ledger-check` proves them against the postings. Postings are never updated or deleted.
CREATE TABLE ledger_accounts (
    -- `available:<org>`, `escrow:<contract>:<milestone>`, `bond:<contract>`,
    -- `retention:<contract>`, `clearing`, `risk_reserve`, `platform_equity`.
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    org_id TEXT REFERENCES organisations(id),
    contract_id TEXT REFERENCES contracts(id),
    milestone INTEGER,
    balance_fen BIGINT NOT NULL,
    posting_count BIGINT NOT NULL,
    frozen_at TIMESTAMP,
    frozen_reason TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX ledger_accounts_org ON ledger_accounts(org_id);
CREATE INDEX ledger_accounts_contract ON ledger_accounts(contract_id);

CREATE TABLE ledger_transactions (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    contract_id TEXT REFERENCES contracts(id),
    milestone INTEGER,
    -- The money moved (sum of the positive postings).
    amount_fen BIGINT NOT NULL,
    memo TEXT NOT NULL,
    -- What caused it: `funding_request`, `statement_line`, `contract` …
    source_type TEXT NOT NULL,
    source_id TEXT NOT NULL,
    created_by TEXT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX ledger_transactions_contract ON ledger_transactions(contract_id, milestone);

-- One row per account per transaction; `seq` numbers an account's postings 1, 2, …
CREATE TABLE ledger_postings (
    account_id TEXT NOT NULL REFERENCES ledger_accounts(id),
    seq BIGINT NOT NULL,
    transaction_id TEXT NOT NULL REFERENCES ledger_transactions(id),
    amount_fen BIGINT NOT NULL,
    balance_after_fen BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, seq)
);
CREATE INDEX ledger_postings_transaction ON ledger_postings(transaction_id);

-- A request to fund a milestone (payer) or the bond (performer), with the reference code the
-- transfer must quote.
CREATE TABLE funding_requests (
    id TEXT PRIMARY KEY NOT NULL,
    reference TEXT NOT NULL UNIQUE,
    contract_id TEXT NOT NULL REFERENCES contracts(id),
    target TEXT NOT NULL,
    milestone INTEGER,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    amount_fen BIGINT NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    paid_at TIMESTAMP,
    transaction_id TEXT REFERENCES ledger_transactions(id),
    cancelled_at TIMESTAMP
);
CREATE INDEX funding_requests_contract ON funding_requests(contract_id, id);

-- Imported bank statements of the platform's receiving account; a file imported again is the
-- same row (by SHA-256), a line seen again is recognised by its serial (流水号).
CREATE TABLE bank_statements (
    id TEXT PRIMARY KEY NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    file_name TEXT NOT NULL,
    encoding TEXT NOT NULL,
    lines INTEGER NOT NULL,
    already_imported INTEGER NOT NULL,
    matched INTEGER NOT NULL,
    queued INTEGER NOT NULL,
    skipped_outflows INTEGER NOT NULL,
    imported_by TEXT NOT NULL REFERENCES users(id),
    imported_at TIMESTAMP NOT NULL
);

CREATE TABLE bank_statement_lines (
    id TEXT PRIMARY KEY NOT NULL,
    statement_id TEXT NOT NULL REFERENCES bank_statements(id),
    serial TEXT NOT NULL UNIQUE,
    trade_date DATE NOT NULL,
    counterparty_name TEXT NOT NULL,
    counterparty_account TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    memo TEXT NOT NULL,
    reference TEXT,
    status TEXT NOT NULL,
    reason TEXT,
    funding_request_id TEXT REFERENCES funding_requests(id),
    transaction_id TEXT REFERENCES ledger_transactions(id),
    resolved_by TEXT REFERENCES users(id),
    resolved_at TIMESTAMP,
    note TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX bank_statement_lines_status ON bank_statement_lines(status, id);

-- Acceptance of a milestone: the performer's request with the quantities (JSON), the
-- confirmers' signed answers, and once accepted the settlement figures (JSON) and the SHA-256
-- of the settlement statement PDF (the bytes are in the file store under that hash).
CREATE TABLE acceptances (
    id TEXT PRIMARY KEY NOT NULL,
    contract_id TEXT NOT NULL REFERENCES contracts(id),
    milestone INTEGER NOT NULL,
    status TEXT NOT NULL,
    quantities TEXT NOT NULL,
    note TEXT NOT NULL,
    requested_by TEXT NOT NULL REFERENCES users(id),
    requested_at TIMESTAMP NOT NULL,
    decided_at TIMESTAMP,
    settlement TEXT,
    statement_sha256 TEXT,
    transaction_id TEXT REFERENCES ledger_transactions(id)
);
CREATE INDEX acceptances_contract ON acceptances(contract_id, milestone);

CREATE TABLE acceptance_signatures (
    id TEXT PRIMARY KEY NOT NULL,
    acceptance_id TEXT NOT NULL REFERENCES acceptances(id),
    role TEXT NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    signer_id TEXT NOT NULL REFERENCES users(id),
    signer_name TEXT NOT NULL,
    decision TEXT NOT NULL,
    reason TEXT,
    consent_text TEXT NOT NULL,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    signed_at TIMESTAMP NOT NULL,
    audit_seq BIGINT NOT NULL
);
CREATE INDEX acceptance_signatures_acceptance ON acceptance_signatures(acceptance_id);
