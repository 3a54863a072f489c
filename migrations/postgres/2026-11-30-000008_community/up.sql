-- The professional community, part one: groups with their members, applications and
-- invitations; posts (discussion, questions, announcements) with replies and edit history; the
-- points ledger; reports, sanctions (the warning → mute → removal ladder) and appeals.
-- Lists (questionnaire, answers, topics, banned words) are JSON text. Points are an append-only
-- ledger: a balance is always SUM(delta) over a person's rows.

CREATE TABLE community_groups (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    rules TEXT NOT NULL,
    join_policy TEXT NOT NULL,
    nickname_format TEXT,
    questionnaire TEXT NOT NULL,
    banned_words TEXT NOT NULL,
    owner_id TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE group_members (
    group_id TEXT NOT NULL REFERENCES community_groups(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    nickname TEXT NOT NULL,
    status TEXT NOT NULL,
    joined_at TIMESTAMP NOT NULL,
    muted_until TIMESTAMP,
    left_at TIMESTAMP,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members(user_id, status);

CREATE TABLE group_applications (
    id TEXT PRIMARY KEY NOT NULL,
    group_id TEXT NOT NULL REFERENCES community_groups(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    nickname TEXT NOT NULL,
    answers TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    decided_by TEXT REFERENCES users(id),
    decided_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX group_applications_group ON group_applications(group_id, status, id);

CREATE TABLE group_invitations (
    id TEXT PRIMARY KEY NOT NULL,
    group_id TEXT NOT NULL REFERENCES community_groups(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    invited_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    UNIQUE (group_id, user_id)
);

CREATE TABLE posts (
    id TEXT PRIMARY KEY NOT NULL,
    group_id TEXT NOT NULL REFERENCES community_groups(id),
    author_id TEXT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    topics TEXT NOT NULL,
    status TEXT NOT NULL,
    held_words TEXT,
    pinned BOOLEAN NOT NULL,
    featured BOOLEAN NOT NULL,
    in_faq BOOLEAN NOT NULL,
    accepted_reply_id TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    deleted_by TEXT REFERENCES users(id)
);
CREATE INDEX posts_group ON posts(group_id, status, id);

CREATE TABLE replies (
    id TEXT PRIMARY KEY NOT NULL,
    post_id TEXT NOT NULL REFERENCES posts(id),
    author_id TEXT NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    held_words TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    deleted_by TEXT REFERENCES users(id)
);
CREATE INDEX replies_post ON replies(post_id, id);

CREATE TABLE post_revisions (
    id TEXT PRIMARY KEY NOT NULL,
    post_id TEXT NOT NULL REFERENCES posts(id),
    reply_id TEXT REFERENCES replies(id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    edited_by TEXT NOT NULL REFERENCES users(id),
    edited_at TIMESTAMP NOT NULL
);
CREATE INDEX post_revisions_post ON post_revisions(post_id, id);

CREATE TABLE points_ledger (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    delta BIGINT NOT NULL,
    reason TEXT NOT NULL,
    group_id TEXT REFERENCES community_groups(id),
    subject_id TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX points_ledger_user ON points_ledger(user_id, reason, created_at);
CREATE INDEX points_ledger_time ON points_ledger(created_at);

CREATE TABLE community_reports (
    id TEXT PRIMARY KEY NOT NULL,
    group_id TEXT NOT NULL REFERENCES community_groups(id),
    reporter_id TEXT NOT NULL REFERENCES users(id),
    target_kind TEXT NOT NULL,
    target_id TEXT NOT NULL,
    target_user_id TEXT NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    decided_by TEXT REFERENCES users(id),
    decided_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX community_reports_group ON community_reports(group_id, status, id);

CREATE TABLE sanctions (
    id TEXT PRIMARY KEY NOT NULL,
    group_id TEXT NOT NULL REFERENCES community_groups(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    report_id TEXT REFERENCES community_reports(id),
    applied_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    until_at TIMESTAMP,
    overturned_at TIMESTAMP
);
CREATE INDEX sanctions_group ON sanctions(group_id, id);

CREATE TABLE appeals (
    id TEXT PRIMARY KEY NOT NULL,
    sanction_id TEXT NOT NULL UNIQUE REFERENCES sanctions(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    statement TEXT NOT NULL,
    status TEXT NOT NULL,
    decision_reason TEXT,
    decided_by TEXT REFERENCES users(id),
    decided_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
