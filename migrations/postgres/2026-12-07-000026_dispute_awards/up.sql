-- Enforcing an arbitration award (`shared::domain::dispute::award`): what escrow paid at the
-- decision, the shortfall due from the party at fault (debtor) within 10 business days, first
-- compensation from its bond and the risk reserve (requested by one finance officer, decided by
-- another) and the recovery claim that blocks the debtor from new contracts while
-- `recovery_fen > recovered_fen`. `version` guards against two writers (a payment racing the
-- due-date job or an officer).
CREATE TABLE dispute_awards (
    dispute_id TEXT PRIMARY KEY NOT NULL REFERENCES disputes(id),
    contract_id TEXT NOT NULL REFERENCES contracts(id),
    debtor_org_id TEXT NOT NULL REFERENCES organisations(id),
    creditor_org_id TEXT NOT NULL REFERENCES organisations(id),
    state TEXT NOT NULL,
    award_fen BIGINT NOT NULL,
    from_escrow_fen BIGINT NOT NULL,
    paid_fen BIGINT NOT NULL,
    compensated_fen BIGINT NOT NULL,
    due_at TIMESTAMP NOT NULL,
    requested_by TEXT REFERENCES users(id),
    requested_bond_fen BIGINT,
    requested_reserve_fen BIGINT,
    requested_at TIMESTAMP,
    recovery_fen BIGINT NOT NULL,
    recovered_fen BIGINT NOT NULL,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX dispute_awards_debtor ON dispute_awards(debtor_org_id, state);
CREATE INDEX dispute_awards_state ON dispute_awards(state, due_at);
