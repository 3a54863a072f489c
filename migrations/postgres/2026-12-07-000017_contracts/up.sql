-- Contracts drafted from an awarded bid: every version's whole document (JSON, parties
-- captured) and the SHA-256 of its rendered PDF (the bytes are in the file store under that
-- hash), and the e-signatures with their evidence (also in the audit chain, `audit_seq`).
CREATE TABLE contracts (
    id TEXT PRIMARY KEY NOT NULL,
    tender_id TEXT NOT NULL REFERENCES tenders(id),
    bid_id TEXT NOT NULL UNIQUE REFERENCES bids(id),
    payer_org_id TEXT NOT NULL REFERENCES organisations(id),
    performer_org_id TEXT NOT NULL REFERENCES organisations(id),
    supervisor_org_id TEXT REFERENCES organisations(id),
    status TEXT NOT NULL,
    current_version INTEGER NOT NULL,
    effective_version INTEGER,
    bond_recorded_fen BIGINT NOT NULL,
    effective_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX contracts_tender ON contracts(tender_id);
CREATE INDEX contracts_payer ON contracts(payer_org_id, id);
CREATE INDEX contracts_performer ON contracts(performer_org_id, id);

CREATE TABLE contract_versions (
    contract_id TEXT NOT NULL REFERENCES contracts(id),
    version INTEGER NOT NULL,
    document TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    created_by TEXT REFERENCES users(id),
    created_by_org TEXT REFERENCES organisations(id),
    created_at TIMESTAMP NOT NULL,
    in_force_at TIMESTAMP,
    PRIMARY KEY (contract_id, version)
);

CREATE TABLE contract_signatures (
    id TEXT PRIMARY KEY NOT NULL,
    contract_id TEXT NOT NULL REFERENCES contracts(id),
    -- `contract` (signing a version) or `termination` (signing the end of the version in force).
    kind TEXT NOT NULL,
    version INTEGER NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    signer_id TEXT NOT NULL REFERENCES users(id),
    signer_name TEXT NOT NULL,
    document_sha256 TEXT NOT NULL,
    consent_text TEXT NOT NULL,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    signed_at TIMESTAMP NOT NULL,
    audit_seq BIGINT NOT NULL,
    voided_at TIMESTAMP
);
CREATE INDEX contract_signatures_contract ON contract_signatures(contract_id, version);

-- Members (not owners or admins, who always may) given authority to sign contracts for their
-- organisation. A grant older than the membership (the person left and came back) does not count.
CREATE TABLE signing_authorities (
    org_id TEXT NOT NULL REFERENCES organisations(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    granted_by TEXT NOT NULL REFERENCES users(id),
    granted_at TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
