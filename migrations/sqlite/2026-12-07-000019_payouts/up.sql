-- The bank account an organisation withdraws to. The number is sealed (AES-256-GCM with the
-- server's encryption key); only its masked form is shown. Setting a new account retires the
-- old one (kept, so past withdrawals still say where they went).
CREATE TABLE bank_accounts (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    account_name TEXT NOT NULL,
    bank_name TEXT NOT NULL,
    branch TEXT,
    number_sealed TEXT NOT NULL,
    masked_number TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    retired_at TIMESTAMP
);
CREATE INDEX bank_accounts_org ON bank_accounts(org_id, retired_at);

-- Withdrawals: the money moves to `payout_pending:<org>` when asked for, and to clearing (sent)
-- or back to available (rejected, cancelled) when decided.
CREATE TABLE payouts (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    bank_account_id TEXT NOT NULL REFERENCES bank_accounts(id),
    amount_fen BIGINT NOT NULL,
    status TEXT NOT NULL,
    requested_by TEXT NOT NULL REFERENCES users(id),
    requested_at TIMESTAMP NOT NULL,
    hold_transaction_id TEXT NOT NULL REFERENCES ledger_transactions(id),
    approved_by TEXT REFERENCES users(id),
    approved_at TIMESTAMP,
    decided_by TEXT REFERENCES users(id),
    decided_at TIMESTAMP,
    bank_reference TEXT,
    reason TEXT,
    transaction_id TEXT REFERENCES ledger_transactions(id)
);
CREATE INDEX payouts_org ON payouts(org_id, requested_at);
CREATE INDEX payouts_status ON payouts(status, requested_at);

-- A staff release of a milestone's escrow is a dual-control request like the other staff
-- actions: it names the contract and the milestone.
ALTER TABLE dual_control_requests ADD COLUMN target_contract_id TEXT; -- (no REFERENCES: SQLite cannot drop such a column on the way down)
ALTER TABLE dual_control_requests ADD COLUMN milestone INTEGER;
