-- The information centre: projects with clarification Q&A, resource listings, demands with
-- their review, recommendations and invitations, and the notification centre. Lists and
-- structured values (tags, parameters, files, qualifications, factor scores) are JSON text;
-- money is BIGINT fen; scores and coordinates DOUBLE.

-- Standing the matching engine reads: membership tier (New until the cooperation workflow
-- records transactions) and the last computed credit score and grade (NULL = not yet rated).
ALTER TABLE organisations ADD COLUMN membership_tier TEXT NOT NULL DEFAULT 'new';
ALTER TABLE organisations ADD COLUMN credit_score DOUBLE PRECISION;
ALTER TABLE organisations ADD COLUMN credit_grade TEXT;

CREATE TABLE projects (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    project_type TEXT NOT NULL,
    investment_fen BIGINT NOT NULL,
    region_code TEXT NOT NULL,
    address TEXT,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    tags TEXT NOT NULL,
    description TEXT NOT NULL,
    tender_files TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    published_at TIMESTAMP,
    closed_at TIMESTAMP
);
CREATE INDEX projects_public ON projects(status, id);
CREATE INDEX projects_org ON projects(org_id, id);

CREATE TABLE project_questions (
    id TEXT PRIMARY KEY NOT NULL,
    project_id TEXT NOT NULL REFERENCES projects(id),
    asked_by TEXT NOT NULL REFERENCES users(id),
    question TEXT NOT NULL,
    asked_at TIMESTAMP NOT NULL,
    answer TEXT,
    answered_by TEXT REFERENCES users(id),
    answered_at TIMESTAMP
);
CREATE INDEX project_questions_project ON project_questions(project_id, id);

CREATE TABLE resources (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL,
    category TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    parameters TEXT NOT NULL,
    unit_price_fen BIGINT NOT NULL,
    unit TEXT NOT NULL,
    stock BIGINT,
    availability TEXT,
    regions_served TEXT NOT NULL,
    lead_time_days INTEGER NOT NULL,
    tags TEXT NOT NULL,
    listed BOOLEAN NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX resources_public ON resources(listed, id);
CREATE INDEX resources_org ON resources(org_id, id);

CREATE TABLE demands (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    scope TEXT NOT NULL,
    quantity TEXT,
    budget_min_fen BIGINT NOT NULL,
    budget_max_fen BIGINT NOT NULL,
    region_code TEXT NOT NULL,
    required_qualifications TEXT NOT NULL,
    deadline DATE NOT NULL,
    files TEXT NOT NULL,
    project_id TEXT REFERENCES projects(id),
    status TEXT NOT NULL,
    submitted_at TIMESTAMP,
    review_due_at TIMESTAMP,
    reviewed_by TEXT REFERENCES users(id),
    reviewed_at TIMESTAMP,
    rejection_reason TEXT,
    published_at TIMESTAMP,
    match_summary TEXT,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX demands_public ON demands(status, id);
CREATE INDEX demands_org ON demands(org_id, id);

CREATE TABLE demand_recommendations (
    demand_id TEXT NOT NULL REFERENCES demands(id),
    org_id TEXT NOT NULL REFERENCES organisations(id),
    rank INTEGER NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    factors TEXT NOT NULL,
    reason TEXT NOT NULL,
    reason_en TEXT NOT NULL,
    PRIMARY KEY (demand_id, org_id)
);

CREATE TABLE demand_invitations (
    id TEXT PRIMARY KEY NOT NULL,
    demand_id TEXT NOT NULL REFERENCES demands(id),
    org_id TEXT NOT NULL REFERENCES organisations(id),
    rank INTEGER NOT NULL,
    reason TEXT NOT NULL,
    reason_en TEXT NOT NULL,
    answer TEXT NOT NULL,
    note TEXT,
    created_at TIMESTAMP NOT NULL,
    answered_at TIMESTAMP,
    answered_by TEXT REFERENCES users(id),
    UNIQUE (demand_id, org_id)
);
CREATE INDEX demand_invitations_org ON demand_invitations(org_id, id);

CREATE TABLE notifications (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT NOT NULL,
    org_id TEXT,
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP
);
CREATE INDEX notifications_user ON notifications(user_id, id);

-- Single-use tickets that open the notification stream (EventSource cannot send headers).
CREATE TABLE stream_tickets (
    ticket_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
