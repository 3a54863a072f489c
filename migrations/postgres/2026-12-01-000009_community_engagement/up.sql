-- The professional community, part two: events with their sign-up list (接龙) and waitlist,
-- polls, shared resources with ratings and comments, the rewards catalogue with redemptions,
-- anonymous feedback and surveys, referrals. Anonymous ballots are stored apart from the voters
-- and carry neither a person nor a time (ids are random, not time-ordered), so the API cannot
-- link a choice to a voter.
-- `signup_version` is bumped at the start of every sign-up change: on PostgreSQL that row lock
-- queues concurrent sign-ups to one event, so the capacity is never exceeded.

CREATE TABLE community_events (
    id TEXT PRIMARY KEY NOT NULL,
    group_id TEXT NOT NULL REFERENCES community_groups(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    online_link TEXT,
    venue TEXT,
    capacity BIGINT NOT NULL,
    host_id TEXT NOT NULL REFERENCES users(id),
    created_by TEXT NOT NULL REFERENCES users(id),
    summary TEXT,
    summarised_at TIMESTAMP,
    cancel_reason TEXT,
    signup_version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX community_events_group ON community_events(group_id, ends_at, id);

CREATE TABLE event_signups (
    event_id TEXT NOT NULL REFERENCES community_events(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    status TEXT NOT NULL,
    signed_up_at TIMESTAMP NOT NULL,
    cancelled_at TIMESTAMP,
    PRIMARY KEY (event_id, user_id)
);
CREATE INDEX event_signups_order ON event_signups(event_id, status, signed_up_at);

CREATE TABLE polls (
    id TEXT PRIMARY KEY NOT NULL,
    group_id TEXT NOT NULL REFERENCES community_groups(id),
    question TEXT NOT NULL,
    options TEXT NOT NULL,
    multiple BOOLEAN NOT NULL,
    anonymous BOOLEAN NOT NULL,
    deadline TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX polls_group ON polls(group_id, id);

-- Who voted (one row per person and poll). `choices` and `voted_at` are only kept for named polls.
CREATE TABLE poll_voters (
    poll_id TEXT NOT NULL REFERENCES polls(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    choices TEXT,
    voted_at TIMESTAMP,
    PRIMARY KEY (poll_id, user_id)
);

-- What was chosen: the tally's source, for named and anonymous polls alike.
CREATE TABLE poll_ballots (
    id TEXT PRIMARY KEY NOT NULL,
    poll_id TEXT NOT NULL REFERENCES polls(id),
    choices TEXT NOT NULL
);
CREATE INDEX poll_ballots_poll ON poll_ballots(poll_id);

-- Shared resources in the fixed format; ratings are kept per person (one each, replaceable),
-- with the sum and count on the resource for sorting.
CREATE TABLE shared_resources (
    id TEXT PRIMARY KEY NOT NULL,
    group_id TEXT NOT NULL REFERENCES community_groups(id),
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    scenario TEXT NOT NULL,
    category TEXT NOT NULL,
    link TEXT,
    file_sha256 TEXT,
    sharer_id TEXT NOT NULL REFERENCES users(id),
    status TEXT NOT NULL,
    rating_sum BIGINT NOT NULL,
    rating_count BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    deleted_by TEXT REFERENCES users(id)
);
CREATE INDEX shared_resources_group ON shared_resources(group_id, status, id);
CREATE INDEX shared_resources_file ON shared_resources(file_sha256);

CREATE TABLE resource_ratings (
    resource_id TEXT NOT NULL REFERENCES shared_resources(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    stars INTEGER NOT NULL,
    rated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (resource_id, user_id)
);

CREATE TABLE resource_comments (
    id TEXT PRIMARY KEY NOT NULL,
    resource_id TEXT NOT NULL REFERENCES shared_resources(id),
    author_id TEXT NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX resource_comments_resource ON resource_comments(resource_id, id);

-- The rewards catalogue (kept by platform operators) and redemptions. `point_balances` caches
-- SUM(delta) of the ledger per person, written in the same transaction as every ledger entry;
-- a redemption debits it with a conditional UPDATE (balance >= cost), and the reward's stock
-- likewise (stock > 0), so concurrent redemptions never take either below zero.
CREATE TABLE rewards (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    cost BIGINT NOT NULL,
    stock BIGINT NOT NULL,
    active BOOLEAN NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE reward_redemptions (
    id TEXT PRIMARY KEY NOT NULL,
    reward_id TEXT NOT NULL REFERENCES rewards(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    cost BIGINT NOT NULL,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    decided_at TIMESTAMP,
    decided_by TEXT REFERENCES users(id)
);
CREATE INDEX reward_redemptions_user ON reward_redemptions(user_id, id);
CREATE INDEX reward_redemptions_status ON reward_redemptions(status, id);

CREATE TABLE point_balances (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id),
    balance BIGINT NOT NULL
);
INSERT INTO point_balances (user_id, balance)
    SELECT user_id, SUM(delta) FROM points_ledger GROUP BY user_id;

-- Anonymous feedback: the text and a 1–5 satisfaction score with only the Asia/Shanghai week
-- it was given in; who gave feedback that week is kept apart (one per person, group and week).
CREATE TABLE group_feedback (
    id TEXT PRIMARY KEY NOT NULL,
    group_id TEXT NOT NULL REFERENCES community_groups(id),
    score INTEGER NOT NULL,
    body TEXT NOT NULL,
    week TEXT NOT NULL
);
CREATE INDEX group_feedback_group ON group_feedback(group_id, week);

CREATE TABLE feedback_senders (
    group_id TEXT NOT NULL REFERENCES community_groups(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    week TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id, week)
);

-- Surveys are always anonymous: responses (random ids, no person, no time) apart from who
-- responded.
CREATE TABLE surveys (
    id TEXT PRIMARY KEY NOT NULL,
    group_id TEXT NOT NULL REFERENCES community_groups(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    questions TEXT NOT NULL,
    deadline TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX surveys_group ON surveys(group_id, id);

CREATE TABLE survey_respondents (
    survey_id TEXT NOT NULL REFERENCES surveys(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (survey_id, user_id)
);

CREATE TABLE survey_responses (
    id TEXT PRIMARY KEY NOT NULL,
    survey_id TEXT NOT NULL REFERENCES surveys(id),
    answers TEXT NOT NULL
);
CREATE INDEX survey_responses_survey ON survey_responses(survey_id);

-- Referrals: a person's own code (made when first asked for), and who referred them. The
-- referrer earns points once their referral's organisation is verified.
ALTER TABLE users ADD COLUMN referral_code TEXT;
ALTER TABLE users ADD COLUMN referred_by TEXT;
CREATE UNIQUE INDEX users_referral_code ON users(referral_code);
