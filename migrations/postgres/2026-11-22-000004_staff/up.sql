-- Platform staff roles and dual-control requests: sensitive staff actions are requested by one
-- staff member and executed only when a different one approves.
CREATE TABLE staff_roles (
    user_id TEXT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    granted_at TIMESTAMP NOT NULL,
    granted_by TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE dual_control_requests (
    id TEXT PRIMARY KEY NOT NULL,
    action TEXT NOT NULL,
    target_user_id TEXT REFERENCES users(id),
    target_org_id TEXT REFERENCES organisations(id),
    role TEXT,
    reason TEXT NOT NULL,
    requested_by TEXT NOT NULL REFERENCES users(id),
    requested_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL,
    decided_by TEXT REFERENCES users(id),
    decided_at TIMESTAMP,
    decision_reason TEXT
);
CREATE INDEX dual_control_requests_status ON dual_control_requests(status, id);

ALTER TABLE organisations ADD COLUMN suspension_reason TEXT;
