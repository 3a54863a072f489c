-- Uploaded files (content-addressed by SHA-256), verification submissions and the
-- qualification certificates they carry. The legal representative's ID number is stored
-- AES-256-GCM encrypted, with a masked copy for display.
CREATE TABLE files (
    sha256 TEXT PRIMARY KEY NOT NULL,
    size BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE file_uploads (
    sha256 TEXT NOT NULL REFERENCES files(sha256),
    user_id TEXT NOT NULL REFERENCES users(id),
    original_name TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (sha256, user_id)
);

CREATE TABLE verification_submissions (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    licence_file TEXT NOT NULL REFERENCES files(sha256),
    legal_rep_name TEXT NOT NULL,
    legal_rep_id_enc TEXT NOT NULL,
    legal_rep_id_masked TEXT NOT NULL,
    status TEXT NOT NULL,
    submitted_by TEXT NOT NULL REFERENCES users(id),
    submitted_at TIMESTAMP NOT NULL,
    reviewed_by TEXT REFERENCES users(id),
    reviewed_at TIMESTAMP,
    reason TEXT
);
CREATE INDEX verification_submissions_org ON verification_submissions(org_id, id);
CREATE INDEX verification_submissions_status ON verification_submissions(status, id);

CREATE TABLE qualifications (
    id TEXT PRIMARY KEY NOT NULL,
    submission_id TEXT NOT NULL REFERENCES verification_submissions(id),
    org_id TEXT NOT NULL REFERENCES organisations(id),
    type_code TEXT NOT NULL,
    grade TEXT NOT NULL,
    number TEXT NOT NULL,
    expires_on DATE NOT NULL,
    file TEXT NOT NULL REFERENCES files(sha256),
    reminded_at TIMESTAMP
);
CREATE INDEX qualifications_submission ON qualifications(submission_id);
CREATE INDEX qualifications_expiry ON qualifications(expires_on);
