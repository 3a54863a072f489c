-- Disputes (纠纷处理): the whole case (`shared::domain::dispute::DisputeCase`: filing, answer,
-- agreement, arbitration, decision, SLA breaches, timeline) is the JSON `case_json`; the columns
-- beside it are what lists, the escrow freeze, credit and the deadline job query. `version`
-- guards against two writers (a staff action racing the deadline job).
CREATE TABLE disputes (
    id TEXT PRIMARY KEY NOT NULL,
    contract_id TEXT NOT NULL REFERENCES contracts(id),
    complainant_org_id TEXT NOT NULL REFERENCES organisations(id),
    respondent_org_id TEXT NOT NULL REFERENCES organisations(id),
    state TEXT NOT NULL,
    mediator_id TEXT REFERENCES users(id),
    -- The organisation the agreement or decision holds at fault (counts as a lost dispute).
    at_fault_org_id TEXT REFERENCES organisations(id),
    -- The running deadline, if any.
    deadline_at TIMESTAMP,
    -- The arbitration decision's document.
    decision_sha256 TEXT REFERENCES files(sha256),
    -- The agreement's signatures (re-authenticated) and its execution on the ledger.
    complainant_signed_by TEXT REFERENCES users(id),
    complainant_signed_at TIMESTAMP,
    respondent_signed_by TEXT REFERENCES users(id),
    respondent_signed_at TIMESTAMP,
    executed_at TIMESTAMP,
    case_json TEXT NOT NULL,
    version INTEGER NOT NULL,
    filed_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX disputes_contract ON disputes(contract_id, state);
CREATE INDEX disputes_complainant ON disputes(complainant_org_id, filed_at);
CREATE INDEX disputes_respondent ON disputes(respondent_org_id, filed_at);
CREATE INDEX disputes_at_fault ON disputes(at_fault_org_id);

-- The mediation thread: the parties and the mediator.
CREATE TABLE dispute_messages (
    id TEXT PRIMARY KEY NOT NULL,
    dispute_id TEXT NOT NULL REFERENCES disputes(id),
    side TEXT NOT NULL,
    author_id TEXT NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    files TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX dispute_messages_dispute ON dispute_messages(dispute_id, created_at);
