-- Security hardening (issue #13).
-- `idempotency_keys`: the stored outcome of a POST made with an `Idempotency-Key`, scoped to the
-- caller; `response_status` is NULL while the first request is in flight. Rows live 24 hours.
CREATE TABLE idempotency_keys (
    scope TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    response_status INTEGER,
    response_headers TEXT NOT NULL,
    response_body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);

-- A stream ticket belongs to the session that asked for it, so a stream ends with its session.
ALTER TABLE stream_tickets ADD COLUMN session_id TEXT;

-- Accounts that must choose a new password before doing anything else (a one-time password
-- given by an operator).
CREATE TABLE password_change_required (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id),
    since TIMESTAMP NOT NULL
);
